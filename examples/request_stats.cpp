// Request statistics from the observer (ClientConfig::on_request): a few hundred requests on a
// table of its own, then the count, errors, retries and latency percentiles (p50/p90/p99) per
// operation. Usage: request_stats [ENDPOINT_URL [REQUESTS]]; without an endpoint, the standard
// chain's (AWS_ENDPOINT_URL_DYNAMODB, the profile, AWS). Region and credentials come from the
// standard chain. The table is created and deleted here.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace ddb = dynamodb_mapping;

namespace {

// What the observer collects. The observer may be called from several threads at once (the
// batch engine's), so one mutex guards it; the callback only appends.
class Stats {
 public:
  void add(const ddb::RequestEvent& e) {
    std::lock_guard lock(mutex_);
    Operation& op = operations_[std::string(e.operation)];  // the views die with the callback
    op.latencies.push_back(e.latency);
    if (!e.error_code.empty()) ++op.errors;
    if (e.attempt > 1) ++op.retries;
  }

  void print(std::ostream& out) {
    std::lock_guard lock(mutex_);
    char line[160];
    std::snprintf(line, sizeof line, "%-16s %8s %7s %7s %10s %10s %10s\n", "operation", "attempts",
                  "errors", "retries", "p50 ms", "p90 ms", "p99 ms");
    out << line;
    for (auto& [name, op] : operations_) {
      std::sort(op.latencies.begin(), op.latencies.end());
      std::snprintf(line, sizeof line, "%-16s %8zu %7zu %7zu %10.3f %10.3f %10.3f\n", name.c_str(),
                    op.latencies.size(), op.errors, op.retries, percentile(op.latencies, 50),
                    percentile(op.latencies, 90), percentile(op.latencies, 99));
      out << line;
    }
  }

 private:
  struct Operation {
    std::vector<std::chrono::nanoseconds> latencies;
    std::size_t errors = 0, retries = 0;
  };

  // The nearest-rank percentile of sorted latencies, in milliseconds.
  static double percentile(const std::vector<std::chrono::nanoseconds>& sorted, int p) {
    if (sorted.empty()) return 0;
    const std::size_t rank = (sorted.size() * static_cast<std::size_t>(p) + 99) / 100;
    const auto at = sorted[std::max<std::size_t>(rank, 1) - 1];
    return std::chrono::duration<double, std::milli>(at).count();
  }

  std::mutex mutex_;
  std::map<std::string, Operation> operations_;
};

}  // namespace

int main(int argc, char** argv) try {
  const int requests = argc > 2 ? std::max(4, std::atoi(argv[2])) : 400;
  Stats stats;
  ddb::ClientConfig config;
  if (argc > 1) config.endpoint_url = argv[1];
  // Captured by reference: the client and everything using it end before `stats`.
  config.on_request = [&stats](const ddb::RequestEvent& e) { stats.add(e); };
  ddb::Client client(config);

  const std::string table = "request_stats_" + std::to_string(::getpid());
  ddb::TableSpec spec;
  spec.name = table;
  spec.partition_key = {"id", ddb::ScalarType::String};
  ddb::create_table(client, spec);  // waits until ACTIVE
  try {
    ddb::DynamoDBMapping mapping{table, client};
    // A quarter each: puts, gets, partial updates, then a batch write and a scan.
    const int n = requests / 4;
    for (int i = 0; i < n; ++i) {
      mapping["item-" + std::to_string(i)] = {{"n", i}, {"text", "hello"}};  // PutItem
    }
    for (int i = 0; i < n; ++i) (void)mapping.find("item-" + std::to_string(i));    // GetItem
    for (int i = 0; i < n; ++i) mapping["item-" + std::to_string(i)]["n"] = i + 1;  // UpdateItem
    std::vector<std::pair<ddb::Key, ddb::Item>> more;
    for (int i = n; i < 2 * n; ++i) more.emplace_back("item-" + std::to_string(i), ddb::Item{});
    mapping.update(std::move(more));  // BatchWriteItem, 25 items a request
    std::size_t seen = 0;
    for (const auto& item : mapping.values()) seen += item.empty() ? 0 : 1;  // Scan
    std::cout << seen << " items in " << table << "\n\n";
  } catch (...) {
    ddb::delete_table(client, table);
    throw;
  }
  ddb::delete_table(client, table);

  stats.print(std::cout);
  const ddb::ClientStats totals = client.stats();
  std::cout << "\n"
            << totals.requests << " requests, " << totals.retries << " retries, "
            << totals.connections << " connections\n";
  return EXIT_SUCCESS;
} catch (const std::exception& e) {
  std::cerr << "request_stats failed: " << e.what() << '\n';
  return EXIT_FAILURE;
}
