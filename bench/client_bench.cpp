// Client microbenchmarks. Signing needs nothing; the GetItem benchmarks need a local server:
// run through scripts/bench.sh, or set DDBMAP_BENCH_ENDPOINT to a DynamoDB-compatible endpoint.
// "CPU" is this process's CPU time per operation (the server's is not counted): the client cost.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <optional>

#include "client/endpoint.hpp"
#include "client/protocol.hpp"
#include "client/signing.hpp"
#include "dynamodb_mapping/client.hpp"
#include "dynamodb_mapping/json.hpp"

namespace ddb = dynamodb_mapping;

namespace {

void BM_SignRequest1KB(benchmark::State& state) {
  ddb::detail::SigV4Signer signer;
  const auto endpoint = ddb::detail::parse_endpoint("https://dynamodb.us-east-1.amazonaws.com");
  const std::string body(1024, 'x');
  const ddb::Credentials creds{
      "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", {}};
  for (auto _ : state) {
    auto headers = ddb::detail::signed_dynamodb_headers(signer, endpoint, "PutItem", body, creds,
                                                        "us-east-1", "20261124T120000Z");
    benchmark::DoNotOptimize(headers);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_SignRequest1KB);

// A Scan response page of about 1 MB (DynamoDB's page limit) holding ~200-byte items of five
// attributes, as the benchmark workloads use them.
std::string scan_page_1mb() {
  std::string page = "{\"Items\":[";
  int n = 0;
  while (page.size() < (1u << 20) - 400) {
    if (n) page += ',';
    const ddb::Item item{{"pk", "item-" + std::to_string(n)},
                         {"name", "name of item " + std::to_string(n) + std::string(60, 'n')},
                         {"price", ddb::Number(std::to_string(n) + ".25")},
                         {"tags", ddb::StringSet{"alpha", "beta", "gamma"}},
                         {"description", std::string(70, 'd')}};
    page += ddb::to_wire_json(item);
    ++n;
  }
  page += "],\"Count\":" + std::to_string(n) + ",\"ScannedCount\":" + std::to_string(n) +
          ",\"LastEvaluatedKey\":{\"pk\":{\"S\":\"item-" + std::to_string(n - 1) + "\"}}}";
  return page;
}

void BM_DecodeScanPage1MB(benchmark::State& state) {
  const std::string page = scan_page_1mb();
  for (auto _ : state) {
    auto decoded = ddb::detail::decode_page(page);
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_DecodeScanPage1MB);

// A table with one ~200-byte item, created once for the GetItem benchmarks.
struct LocalTable {
  std::optional<ddb::Client> client;
  std::optional<ddb::Client> observed;  // the same, with a no-op request observer
  std::string name = "ddbmap_bench_get";

  LocalTable() {
    const char* endpoint = std::getenv("DDBMAP_BENCH_ENDPOINT");
    if (!endpoint || !*endpoint) return;
    ddb::ClientConfig c;
    c.endpoint_url = endpoint;
    c.region = "us-east-1";
    c.credentials = ddb::Credentials{"bench", "bench", "", {}};
    client.emplace(c);
    c.on_request = [](const ddb::RequestEvent& e) { benchmark::DoNotOptimize(e.latency); };
    observed.emplace(c);
    try {
      client->delete_table(name);
    } catch (const ddb::ResourceNotFoundError&) {
    }
    ddb::CreateTableRequest t;
    t.table_name = name;
    t.key_schema = {{"pk", ddb::KeyType::Hash}};
    t.attribute_definitions = {{"pk", ddb::ScalarType::String}};
    client->create_table(t);
    ddb::PutItemRequest p;
    p.table_name = name;
    p.item = {{"pk", "item-000001"},
              {"name", std::string(80, 'n')},
              {"price", ddb::Number("1234.56")},
              {"tags", ddb::StringSet{"a", "b", "c"}},
              {"description", std::string(60, 'd')}};
    client->put_item(p);
  }
};

LocalTable& local_table() {
  static LocalTable t;
  return t;
}

void BM_GetItemLocal(benchmark::State& state) {
  auto& t = local_table();
  if (!t.client) {
    state.SkipWithError("set DDBMAP_BENCH_ENDPOINT (scripts/bench.sh does)");
    return;
  }
  ddb::GetItemRequest r;
  r.table_name = t.name;
  r.key = {{"pk", "item-000001"}};
  for (auto _ : state) {
    auto got = t.client->get_item(r);
    benchmark::DoNotOptimize(got);
  }
  state.counters["connections"] = static_cast<double>(t.client->stats().connections);
}
BENCHMARK(BM_GetItemLocal)->MinTime(2.0);

// BM_GetItemLocal with a request observer that does nothing: the observer's own cost (two clock
// reads and one call per attempt) against no observer at all.
void BM_GetItemLocalObserved(benchmark::State& state) {
  auto& t = local_table();
  if (!t.observed) {
    state.SkipWithError("set DDBMAP_BENCH_ENDPOINT (scripts/bench.sh does)");
    return;
  }
  ddb::GetItemRequest r;
  r.table_name = t.name;
  r.key = {{"pk", "item-000001"}};
  for (auto _ : state) {
    auto got = t.observed->get_item(r);
    benchmark::DoNotOptimize(got);
  }
}
BENCHMARK(BM_GetItemLocalObserved)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
