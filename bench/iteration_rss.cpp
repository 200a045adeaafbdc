// Peak memory while iterating a table: fills tables of growing size with ~200-byte items, then
// iterates each with values() and reports how much the process's peak RSS grew during the
// iteration. The mapping keeps at most two pages, so the growth should not depend on N.
// Needs DDBMAP_BENCH_ENDPOINT (scripts/bench.sh sets it). Usage: iteration_rss [N...]
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "common.hpp"
#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace ddb = dynamodb_mapping;

namespace {

long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  }
  return -1;
}

// Resets VmHWM (peak RSS) to the current RSS (Linux >= 4.0).
void reset_peak() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

}  // namespace

int main(int argc, char** argv) try {
  const char* endpoint = std::getenv("DDBMAP_BENCH_ENDPOINT");
  if (!endpoint) {
    std::cerr << "set DDBMAP_BENCH_ENDPOINT (scripts/bench.sh does)\n";
    return 2;
  }
  ddb::ClientConfig config;
  config.endpoint_url = endpoint;
  config.region = "us-east-1";
  config.credentials = ddb::Credentials{"bench", "bench", "", {}};
  ddb::Client client(config);

  std::vector<long> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::stol(argv[i]));
  if (sizes.empty()) sizes = {5000, 50000};

  std::printf("%10s %14s %16s %18s\n", "items", "rss_before_kb", "peak_during_kb", "growth_kb");
  for (long n : sizes) {
    const std::string table = "ddbmap_bench_rss_" + std::to_string(n);
    bench::fresh_table(client, table);
    ddb::DynamoDBMapping mapping{table, client};
    {
      std::vector<std::pair<ddb::Key, ddb::Item>> rows;
      rows.reserve(static_cast<std::size_t>(n));
      for (long i = 0; i < n; ++i) {
        ddb::Item item = bench::make_item(i);
        ddb::Key key = item.at("pk");
        rows.emplace_back(std::move(key), std::move(item));
      }
      mapping.update(std::move(rows));
    }
    malloc_trim(0);  // hand the fill's freed memory back, so RSS starts from what is in use
    reset_peak();
    const long before = status_kb("VmRSS:");
    long seen = 0;
    for (const ddb::Item& item : mapping.values()) seen += static_cast<long>(item.size());
    const long peak = status_kb("VmHWM:");
    if (seen != n * 5) {
      std::cerr << "iteration saw " << seen / 5 << " items, expected " << n << '\n';
      return 1;
    }
    std::printf("%10ld %14ld %16ld %18ld\n", n, before, peak, peak - before);
    client.delete_table(table);
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "iteration_rss: " << e.what() << '\n';
  return 1;
}
