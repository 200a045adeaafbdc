// The workloads of bench/run.py for dynamodb-mapping, printed as one JSON object:
//   put/get: N sequential PutItem then GetItem (latency p50/p99, ops/s, client CPU per op);
//   bulk:    N items through update() (BatchWriteItem, 4 requests in flight);
//   scan:    a full scan of N items, sequential (values()) and parallel (4 segments).
// Client CPU is this process's user+sys time (getrusage) over the phase, divided by the
// operations (items for bulk and scan). Usage: workloads ENDPOINT N
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace ddb = dynamodb_mapping;
using Clock = std::chrono::steady_clock;

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string latency_json(std::vector<double>& us, double seconds, double cpu) {
  std::sort(us.begin(), us.end());
  const auto pct = [&](double p) { return us[static_cast<std::size_t>(p * (us.size() - 1))]; };
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"p50_us\":%.1f,\"p99_us\":%.1f,\"ops_s\":%.1f,\"cpu_us_per_op\":%.2f}", pct(0.5),
                pct(0.99), static_cast<double>(us.size()) / seconds,
                cpu * 1e6 / static_cast<double>(us.size()));
  return buf;
}

std::string throughput_json(double items, double seconds, double cpu) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "{\"seconds\":%.3f,\"items_s\":%.1f,\"cpu_us_per_item\":%.2f}",
                seconds, items / seconds, cpu * 1e6 / items);
  return buf;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 3) {
    std::cerr << "usage: workloads ENDPOINT N\n";
    return 2;
  }
  const int n = std::stoi(argv[2]);
  ddb::ClientConfig config;
  config.endpoint_url = argv[1];
  config.region = "us-east-1";
  config.credentials = ddb::Credentials{"bench", "bench", "", {}};
  ddb::Client client(config);

  // put and get, one at a time
  bench::fresh_table(client, "bench_ddbmap_seq");
  ddb::DynamoDBMapping seq{"bench_ddbmap_seq", client};
  (void)seq.key_names();
  std::vector<ddb::Item> items;
  for (int i = 0; i < n; ++i) items.push_back(bench::make_item(i));
  std::vector<double> lat;
  double cpu0 = cpu_seconds();
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    const auto s = Clock::now();
    seq.set_item(items[static_cast<std::size_t>(i)].at("pk"), items[static_cast<std::size_t>(i)]);
    lat.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s).count());
  }
  const std::string put = latency_json(
      lat, std::chrono::duration<double>(Clock::now() - t0).count(), cpu_seconds() - cpu0);
  lat.clear();
  cpu0 = cpu_seconds();
  t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    const auto s = Clock::now();
    const ddb::Item got = seq.at(items[static_cast<std::size_t>(i)].at("pk"));
    lat.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s).count());
    if (got.size() != 5) throw std::runtime_error("get returned a wrong item");
  }
  const std::string get = latency_json(
      lat, std::chrono::duration<double>(Clock::now() - t0).count(), cpu_seconds() - cpu0);

  // bulk load
  bench::fresh_table(client, "bench_ddbmap_bulk");
  ddb::DynamoDBMapping bulk{"bench_ddbmap_bulk", client};
  (void)bulk.key_names();
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (const auto& item : items) rows.emplace_back(item.at("pk"), item);
  cpu0 = cpu_seconds();
  t0 = Clock::now();
  bulk.update(std::move(rows));
  const std::string bulk_json = throughput_json(
      n, std::chrono::duration<double>(Clock::now() - t0).count(), cpu_seconds() - cpu0);

  // full scans
  auto scan = [&](int segments) {
    ddb::ScanOptions o;
    o.segments = segments;
    const double c0 = cpu_seconds();
    const auto s = Clock::now();
    long seen = 0;
    for (const ddb::Item& item : bulk.values(o)) seen += static_cast<long>(item.size() == 5);
    if (seen != n) throw std::runtime_error("scan saw " + std::to_string(seen) + " items");
    return throughput_json(n, std::chrono::duration<double>(Clock::now() - s).count(),
                           cpu_seconds() - c0);
  };
  const std::string scan_seq = scan(1);
  const std::string scan_par = scan(4);

  client.delete_table("bench_ddbmap_seq");
  client.delete_table("bench_ddbmap_bulk");
  std::cout << "{\"client\":\"dynamodb-mapping\",\"put\":" << put << ",\"get\":" << get
            << ",\"bulk\":" << bulk_json << ",\"scan\":" << scan_seq
            << ",\"scan_parallel\":" << scan_par << "}\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "workloads: " << e.what() << '\n';
  return 1;
}
