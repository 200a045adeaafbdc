// The batch engine of DynamoDBMapping: update, clear and get_many as BatchWriteItem and
// BatchGetItem requests in chunks, several in flight, with unprocessed items retried with
// backoff, and an exact account (BatchError) of what was done when they cannot all finish.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "common/backoff.hpp"
#include "dynamodb_mapping/mapping.hpp"
#include "mapping/page_source.hpp"
#include "mapping/state.hpp"
#include "value/identity.hpp"

namespace dynamodb_mapping {

namespace {

std::string batch_message(const std::string& operation, std::size_t succeeded, std::size_t failed,
                          std::size_t unknown, const std::string& reason) {
  std::string m = std::to_string(failed + unknown) + " of " +
                  std::to_string(succeeded + failed + unknown) + " " + operation +
                  " did not complete (" + std::to_string(succeeded) + " done, " +
                  std::to_string(failed) + " certainly not done";
  if (unknown > 0)
    m += ", " + std::to_string(unknown) + " of unknown outcome: they may have been applied";
  return m + "): " + reason;
}

std::vector<Key> concat(std::vector<Key> a, std::vector<Key> b) {
  a.insert(a.end(), std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()));
  return a;
}

}  // namespace

// The message is made from the counts before the vectors are moved into keys_ (the base and
// failed_ are initialised first): evaluating them in one argument list, in unspecified order,
// is what once made the message say "0 of N".
BatchError::BatchError(const std::string& operation, std::size_t succeeded, std::vector<Key> failed,
                       std::vector<Key> unknown, const std::string& reason)
    : Error("BatchError",
            batch_message(operation, succeeded, failed.size(), unknown.size(), reason)),
      failed_(failed.size()),
      succeeded_(succeeded),
      keys_(concat(std::move(failed), std::move(unknown))) {}

namespace {

// The bulk operations' own retry rounds wait as the client's retries do (common/backoff.hpp).
void backoff(int round) {
  using std::chrono::milliseconds;
  std::this_thread::sleep_for(detail::full_jitter(round, milliseconds(25), milliseconds(2000)));
}

// Runs `work(i)` for i in [0, n) on the calling thread and up to `concurrency` - 1 more. What a
// worker throws stops the others taking new work and is rethrown here once every thread has
// been joined; a thread that cannot be started (a thread limit) only means fewer workers.
template <class F>
void run_parallel(std::size_t n, int concurrency, F&& work) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto worker = [&] {
    try {
      for (std::size_t i; !stop && (i = next++) < n;) work(i);
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      stop = true;
    }
  };
  const std::size_t threads =
      std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, concurrency)));
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (std::size_t t = 1; t < threads; ++t) {
    try {
      pool.push_back(detail::start_thread(worker));
    } catch (...) {
      break;  // std::system_error under a thread limit: go on with the threads there are
    }
  }
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// Whether a request that failed with `e` certainly changed nothing: DynamoDB refused it (a 4xx
// answer, throttling included) or it was never sent. Anything else (a lost answer, a 5xx, an
// answer that could not be read, AmbiguousOutcomeError) may have been applied.
bool certainly_not_applied(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::AmbiguousOutcome:
    case ErrorKind::Server:
    case ErrorKind::Decode:
    case ErrorKind::Protocol:
      return false;
    case ErrorKind::Validation:
    case ErrorKind::Credentials:
    case ErrorKind::Config:
    case ErrorKind::Cancelled:
      return true;
    case ErrorKind::Network:
      // The client reports a write that may have been applied as AmbiguousOutcomeError; a
      // network error it lets through is one where the request never left (checked all the same).
      // (dynamic_cast: kind() is virtual, and a user's subclass may claim any kind.)
      if (const auto* n = dynamic_cast<const NetworkError*>(&e)) return !n->request_sent();
      return false;
    default:
      return e.http_status() >= 400 && e.http_status() < 500;
  }
}

// The identities of the items (or keys) DynamoDB handed back, each of which must carry the key
// attributes: without them nothing can be matched to what was sent.
std::unordered_set<std::string> identities(const std::vector<Item>& items,
                                           const std::vector<std::string>& names,
                                           const char* what) {
  std::unordered_set<std::string> out;
  for (const Item& item : items) {
    auto id = detail::identity(item, names);
    if (!id) {
      throw ProtocolError("MissingKeyAttributes",
                          std::string(what) + " holds an item without the table's key attributes");
    }
    out.insert(std::move(*id));
  }
  return out;
}

std::string id_of(const Item& item, const std::vector<std::string>& names) {
  return detail::identity(item, names).value();  // our own requests always carry the key
}

// BatchWriteItem of `requests`, de-duplicated by key (the last wins); returns how many distinct
// writes were done. `done_before` writes of the same call (clear) are counted in a BatchError.
std::size_t batch_write(const detail::MappingState& m, std::vector<WriteRequest> requests,
                        std::size_t done_before = 0);

}  // namespace

void DynamoDBMapping::update(std::vector<std::pair<Key, Item>> entries) {
  const detail::MappingState& m = *state_;
  // Validate everything before sending anything; the last of duplicate keys wins.
  if (!m.options.version_attribute.empty()) {
    throw ValidationError(
        "update() cannot do optimistic locking (BatchWriteItem has no "
        "conditions); use insert_or_assign per item");
  }
  std::vector<WriteRequest> requests;
  requests.reserve(entries.size());
  for (auto& [key, item] : entries) {
    requests.push_back(WriteRequest::put(m.full_item(key, std::move(item))));
  }
  batch_write(m, std::move(requests));
}

void DynamoDBMapping::clear() {
  const detail::MappingState& m = *state_;
  std::vector<WriteRequest> deletes;
  std::size_t done = 0;
  for (const Key& key : keys()) {
    deletes.push_back(WriteRequest::del(m.key_attributes(key)));
    if (deletes.size() == 25 * 40) {  // bounded memory: delete as the scan goes
      done += batch_write(m, std::move(deletes), done);
      deletes.clear();
    }
  }
  batch_write(m, std::move(deletes), done);
}

namespace {

std::size_t batch_write(const detail::MappingState& m, std::vector<WriteRequest> requests,
                        std::size_t done_before) {
  if (requests.empty()) return 0;
  // De-duplicate by key as DynamoDB compares keys (it refuses a batch naming one item twice),
  // keeping the last request for each.
  const std::vector<std::string> names = m.key_names();
  std::vector<std::string> ids;
  ids.reserve(requests.size());
  std::unordered_map<std::string, std::size_t> last;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    ids.push_back(id_of(requests[i].item, names));
    last[ids.back()] = i;
  }
  std::vector<WriteRequest> unique;
  unique.reserve(last.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (last[ids[i]] == i) unique.push_back(std::move(requests[i]));
  }

  constexpr std::size_t kChunk = 25;  // BatchWriteItem's limit
  const std::size_t chunks = (unique.size() + kChunk - 1) / kChunk;
  std::mutex mutex;
  std::size_t written = 0;
  std::vector<Key> failed, unknown;
  std::string last_error;
  run_parallel(chunks, m.options.batch_concurrency, [&](std::size_t c) {
    // What is resent is always our own copy of a write, never the server's echo of it.
    std::vector<WriteRequest> pending(
        unique.begin() + static_cast<std::ptrdiff_t>(c * kChunk),
        unique.begin() + static_cast<std::ptrdiff_t>(std::min(unique.size(), (c + 1) * kChunk)));
    std::size_t done = 0;
    bool maybe_applied = false;
    std::string error = "DynamoDB kept returning them as UnprocessedItems";
    for (int round = 0; round < m.options.batch_max_rounds && !pending.empty(); ++round) {
      if (round > 0) backoff(round);
      BatchWriteItemRequest r;
      r.request_items[m.table_name] = pending;
      BatchWriteItemResult result;
      try {
        result = m.client.batch_write_item(r);
      } catch (const Error& e) {
        error = e.what();
        maybe_applied = !certainly_not_applied(e);
        break;
      }
      std::vector<Item> returned;
      if (auto it = result.unprocessed_items.find(m.table_name);
          it != result.unprocessed_items.end()) {
        for (auto& w : it->second) returned.push_back(std::move(w.item));
      }
      const auto again = identities(returned, names, "BatchWriteItem's UnprocessedItems");
      std::vector<WriteRequest> still;
      for (auto& w : pending) {
        if (again.count(id_of(w.item, names))) still.push_back(std::move(w));
      }
      done += pending.size() - still.size();
      pending = std::move(still);
    }
    std::lock_guard lock(mutex);
    written += done;
    if (pending.empty()) return;
    for (const auto& w : pending) (maybe_applied ? unknown : failed).push_back(m.key_of(w.item));
    last_error = error;
  });
  if (!failed.empty() || !unknown.empty()) {
    BatchError e("writes to " + m.table_name, done_before + written, std::move(failed),
                 std::move(unknown), last_error);
    detail::set_error_context(e, "BatchWriteItem", m.table_name);
    throw e;
  }
  return unique.size();
}

}  // namespace

std::vector<std::optional<Item>> DynamoDBMapping::get_many(const std::vector<Key>& keys,
                                                           const ReadOptions& options) const {
  const detail::MappingState& m = *state_;
  const std::vector<std::string> names = m.key_names();
  std::vector<std::string> ids;
  ids.reserve(keys.size());
  std::unordered_map<std::string, Item> unique;  // identity -> key attributes
  std::vector<std::string> order;
  for (const Key& k : keys) {
    Item attrs = m.key_attributes(k);
    ids.push_back(id_of(attrs, names));
    if (unique.emplace(ids.back(), std::move(attrs)).second) order.push_back(ids.back());
  }

  constexpr std::size_t kChunk = 100;  // BatchGetItem's limit
  const std::size_t chunks = (order.size() + kChunk - 1) / kChunk;
  std::mutex mutex;
  std::unordered_map<std::string, Item> found;
  std::size_t read = 0;
  std::vector<Key> failed;
  std::string last_error;
  run_parallel(chunks, m.options.batch_concurrency, [&](std::size_t c) {
    std::vector<Item> pending;
    for (std::size_t i = c * kChunk; i < std::min(order.size(), (c + 1) * kChunk); ++i) {
      pending.push_back(unique.at(order[i]));
    }
    std::size_t done = 0;
    std::string error = "DynamoDB kept returning them as UnprocessedKeys";
    for (int round = 0; round < m.options.batch_max_rounds && !pending.empty(); ++round) {
      if (round > 0) backoff(round);
      BatchGetItemRequest r;
      auto& ka = r.request_items[m.table_name];
      ka.consistent_read = m.consistent(options.consistent_read);
      if (!options.projection.empty()) {
        ka.projection_expression =
            m.projection_with_keys(options.projection, ka.expression_attribute_names);
      }
      ka.keys = pending;
      BatchGetItemResult result;
      try {
        result = m.client.batch_get_item(r);
      } catch (const Error& e) {
        error = e.what();  // a read changes nothing: whatever failed is simply not read
        break;
      }
      std::vector<Item> returned;
      if (auto it = result.unprocessed_keys.find(m.table_name);
          it != result.unprocessed_keys.end()) {
        returned = std::move(it->second.keys);
      }
      const auto again = identities(returned, names, "BatchGetItem's UnprocessedKeys");
      std::vector<Item>& items = result.responses[m.table_name];
      identities(items, names, "BatchGetItem's Responses");  // every item must carry its key
      std::vector<Item> still;
      for (auto& k : pending) {
        if (again.count(id_of(k, names))) still.push_back(std::move(k));
      }
      done += pending.size() - still.size();
      pending = std::move(still);
      std::lock_guard lock(mutex);
      for (Item& item : items) {
        std::string id = id_of(item, names);
        if (unique.count(id)) found.insert_or_assign(std::move(id), std::move(item));
      }
    }
    std::lock_guard lock(mutex);
    read += done;
    if (pending.empty()) return;
    for (const auto& k : pending) failed.push_back(m.key_of(k));
    last_error = error;
  });
  if (!failed.empty()) {
    BatchError e("reads from " + m.table_name, read, std::move(failed), {}, last_error);
    detail::set_error_context(e, "BatchGetItem", m.table_name);
    throw e;
  }
  std::vector<std::optional<Item>> out;
  out.reserve(keys.size());
  for (const auto& id : ids) {
    const auto it = found.find(id);
    out.push_back(it == found.end() ? std::nullopt : std::optional<Item>(it->second));
  }
  return out;
}

}  // namespace dynamodb_mapping
