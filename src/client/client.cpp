#include "dynamodb_mapping/client.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <functional>
#include <random>

#include "client/client_impl.hpp"
#include "client/protocol.hpp"
#include "client/protocol_statements.hpp"
#include "value/identity.hpp"

namespace dynamodb_mapping {

namespace {

// A ClientRequestToken: 32 random hex characters (the API allows 1 to 36).
std::string random_token() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    std::random_device rd;
    for (auto& b : bytes) b = static_cast<unsigned char>(rd());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

}  // namespace

Client::Client(ClientConfig config) : impl_(std::make_shared<Impl>(std::move(config))) {}

const std::string& Client::region() const {
  return impl_->region;
}
const std::string& Client::endpoint_url() const {
  return impl_->endpoint.url;
}

ClientStats Client::stats() const {
  return ClientStats{impl_->requests.load(), impl_->retries.load(),
                     impl_->http->connections_opened(), impl_->observer_failures.load()};
}

namespace {

using detail::Replay;

// Operations that only read: any answer after a retry is as true as the first would have been.
bool read_only(std::string_view op) {
  for (std::string_view prefix :
       {"Get", "BatchGet", "TransactGet", "Describe", "List", "Query", "Scan"}) {
    if (op.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// The old values a write returns after an earlier attempt that may have been applied: they may be
// that attempt's own work, so they are trusted only where they cannot be. `cause` is the answer
// that showed the write applied, when that was an error (its request id stays reachable).
[[noreturn]] void old_values_unknown(std::string_view op, std::exception_ptr cause = nullptr) {
  throw AmbiguousOutcomeError(
      std::string(op) +
          " was applied, but an earlier attempt whose answer was lost may have been applied "
          "before it, so the old values it returned may be this call's own write",
      std::move(cause));
}

// A conditional put refused after an attempt that may have been applied: when the item it found
// is exactly the one being written, the refusal is that attempt's doing and the put succeeded.
bool put_was_applied(const AmbiguousOutcomeError& e, const Item& item) {
  if (!e.cause()) return false;
  try {
    std::rethrow_exception(e.cause());
  } catch (const ConditionalCheckFailedError& ccf) {
    return ccf.item() && *ccf.item() == item;
  } catch (...) {
    return false;
  }
}

// A write's 200 answer that cannot be read may not come from DynamoDB at all (a proxy's page):
// whether the write was applied is then unknown.
template <class Decode>
auto decode_write(std::string_view op, const std::string& body, Decode decode) {
  try {
    return decode(body);
  } catch (const DecodeError&) {
    throw AmbiguousOutcomeError(std::string(op) +
                                    " got an answer that cannot be read, so whether "
                                    "it was applied is unknown",
                                std::current_exception());
  }
}

// The table of a batch whose entries are all on one table, else "".
template <class Map>
std::string_view only_table_of(const Map& request_items) {
  return request_items.size() == 1 ? std::string_view(request_items.begin()->first)
                                   : std::string_view();
}
// The table of a transaction whose actions are all on one table, else "".
template <class Actions>
std::string_view only_table_in(const Actions& actions) {
  if (actions.empty()) return {};
  const std::string& first = actions.front().table_name;
  for (const auto& a : actions) {
    if (a.table_name != first) return {};
  }
  return first;
}

// Names the call on `e` and on the error an AmbiguousOutcomeError was built from; keeps what is
// already set.
void name_error(Error& e, std::string_view operation, std::string_view table) {
  detail::set_error_context(e, operation, table);
  auto* ambiguous = dynamic_cast<AmbiguousOutcomeError*>(&e);
  if (!ambiguous || !ambiguous->cause()) return;
  try {
    std::rethrow_exception(ambiguous->cause());
  } catch (Error& cause) {
    detail::set_error_context(cause, operation, table);
  } catch (...) {
  }
}

// Runs one call, from encoding to decoding: any Error leaving it, whether found before sending,
// on the way or in the answer, names `operation` and `table` and is rethrown as the same object.
// Free unless something is thrown.
template <class F>
decltype(auto) in_context(std::string_view operation, std::string_view table, F&& call) {
  try {
    return call();
  } catch (Error& e) {
    name_error(e, operation, table);
    throw;
  }
}

}  // namespace

std::string Client::call(const std::string& operation, const std::string& body) const {
  // The name goes into the X-Amz-Target header: DynamoDB's operation names are ASCII letters,
  // and anything else (a CR or LF above all) is refused before it could forge a header. Checked
  // outside in_context, so that the refused text is not copied into the error's operation().
  const bool letters = !operation.empty() && operation.size() <= 64 &&
                       std::all_of(operation.begin(), operation.end(), [](char c) {
                         return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                       });
  if (!letters) {
    throw ValidationError("an operation name is ASCII letters only (e.g. \"ListTables\")");
  }
  return in_context(operation, "", [&] {
    const bool reads = read_only(operation);
    return impl_->send(operation, "", body, reads ? Replay::Safe : Replay::Never, !reads).body;
  });
}

GetItemResult Client::get_item(const GetItemRequest& r) const {
  return in_context("GetItem", r.table_name, [&] {
    return detail::decode_get_item(
        impl_->send_counted("GetItem", r.table_name, detail::encode(r), Replay::Safe, false).body);
  });
}

WriteItemResult Client::put_item(const PutItemRequest& r) const {
  return in_context("PutItem", r.table_name, [&]() -> WriteItemResult {
    const bool conditional = !r.condition_expression.empty();
    const bool returns_old = r.return_values != ReturnValues::None;
    // After a lost answer, the retry asks for the item on a condition failure, to tell whether the
    // failure is the lost attempt's doing.
    auto with_item = [&] {
      PutItemRequest copy = r;
      copy.return_item_on_condition_failure = true;
      return detail::encode(copy);
    };
    try {
      const detail::Sent sent =
          impl_->send_counted("PutItem", r.table_name, detail::encode(r),
                              conditional || returns_old ? Replay::Resolve : Replay::Safe, true,
                              conditional && !r.return_item_on_condition_failure
                                  ? std::function<std::string()>(with_item)
                                  : nullptr);
      WriteItemResult result = decode_write("PutItem", sent.body, detail::decode_write_item);
      if (sent.after_doubt && returns_old && result.attributes && *result.attributes == r.item) {
        old_values_unknown("PutItem");
      }
      return result;
    } catch (const AmbiguousOutcomeError& e) {
      if (!conditional || !put_was_applied(e, r.item)) throw;
      // The refusal that shows the put applied stays the cause, with its request id.
      if (returns_old) old_values_unknown("PutItem", e.cause());
      return {};
    }
  });
}

WriteItemResult Client::update_item(const UpdateItemRequest& r) const {
  return in_context("UpdateItem", r.table_name, [&] {
    const bool conditional = !r.condition_expression.empty();
    const Replay replay = !r.idempotent                                          ? Replay::Never
                          : conditional || r.return_values != ReturnValues::None ? Replay::Resolve
                                                                                 : Replay::Safe;
    const detail::Sent sent =
        impl_->send_counted("UpdateItem", r.table_name, detail::encode(r), replay, true);
    WriteItemResult result = decode_write("UpdateItem", sent.body, detail::decode_write_item);
    const bool old_values =
        r.return_values == ReturnValues::AllOld || r.return_values == ReturnValues::UpdatedOld;
    if (sent.after_doubt && old_values) old_values_unknown("UpdateItem");
    return result;
  });
}

WriteItemResult Client::delete_item(const DeleteItemRequest& r) const {
  return in_context("DeleteItem", r.table_name, [&] {
    const bool conditional = !r.condition_expression.empty();
    const bool returns_old = r.return_values != ReturnValues::None;
    const detail::Sent sent =
        impl_->send_counted("DeleteItem", r.table_name, detail::encode(r),
                            conditional || returns_old ? Replay::Resolve : Replay::Safe, true);
    WriteItemResult result = decode_write("DeleteItem", sent.body, detail::decode_write_item);
    // Nothing to return after a lost answer: the lost attempt may have deleted the item.
    if (sent.after_doubt && returns_old && !result.attributes) {
      throw AmbiguousOutcomeError(
          "DeleteItem found no item, but an earlier attempt whose answer was lost may have "
          "deleted it: whether this call deleted an item, and its value, are unknown",
          nullptr);
    }
    return result;
  });
}

Page Client::query(const QueryRequest& r) const {
  return in_context("Query", r.table_name, [&] {
    return detail::decode_page(
        impl_->send_counted("Query", r.table_name, detail::encode(r), Replay::Safe, false).body);
  });
}
Page Client::scan(const ScanRequest& r) const {
  return in_context("Scan", r.table_name, [&] {
    return detail::decode_page(
        impl_->send_counted("Scan", r.table_name, detail::encode(r), Replay::Safe, false).body);
  });
}
BatchGetItemResult Client::batch_get_item(const BatchGetItemRequest& r) const {
  return in_context("BatchGetItem", only_table_of(r.request_items), [&] {
    return detail::decode_batch_get_item(impl_
                                             ->send_counted("BatchGetItem",
                                                            only_table_of(r.request_items),
                                                            detail::encode(r), Replay::Safe, false)
                                             .body);
  });
}
BatchWriteItemResult Client::batch_write_item(const BatchWriteItemRequest& r) const {
  return in_context("BatchWriteItem", only_table_of(r.request_items), [&] {
    // Puts and deletes without conditions: sending them again leaves the same table.
    return decode_write("BatchWriteItem",
                        impl_
                            ->send_counted("BatchWriteItem", only_table_of(r.request_items),
                                           detail::encode(r), Replay::Safe, true)
                            .body,
                        detail::decode_batch_write_item);
  });
}
TransactGetItemsResult Client::transact_get_items(const std::vector<TransactGetItem>& items) const {
  return in_context("TransactGetItems", only_table_in(items), [&] {
    return detail::decode_transact_get_items(
        impl_
            ->send_counted("TransactGetItems", only_table_in(items), detail::encode(items),
                           Replay::Safe, false)
            .body);
  });
}
void Client::transact_write_items(const TransactWriteItemsRequest& r) const {
  in_context("TransactWriteItems", only_table_in(r.items), [&] {
    // One ClientRequestToken for every attempt: DynamoDB applies a transaction once per token
    // (for ten minutes), so a retry after a lost answer succeeds without applying it again. A
    // refusal after such an attempt is still not trusted (a server may ignore the token).
    if (r.client_request_token.empty()) {
      TransactWriteItemsRequest with_token = r;
      with_token.client_request_token = random_token();
      impl_->send_counted("TransactWriteItems", only_table_in(r.items), detail::encode(with_token),
                          Replay::Resolve, true);
    } else {
      impl_->send_counted("TransactWriteItems", only_table_in(r.items), detail::encode(r),
                          Replay::Resolve, true);
    }
  });
}
TableDescription Client::describe_table(const std::string& table_name) const {
  return in_context("DescribeTable", table_name, [&] {
    return detail::decode_table_description(impl_
                                                ->send("DescribeTable", table_name,
                                                       detail::encode_table_name(table_name),
                                                       Replay::Safe, false)
                                                .body);
  });
}
TableDescription Client::create_table(const CreateTableRequest& r) const {
  return in_context("CreateTable", r.table_name, [&] {
    return decode_write(
        "CreateTable",
        impl_->send("CreateTable", r.table_name, detail::encode(r), Replay::Resolve, true).body,
        detail::decode_table_description);
  });
}
TableDescription Client::delete_table(const std::string& table_name) const {
  return in_context("DeleteTable", table_name, [&] {
    return decode_write("DeleteTable",
                        impl_
                            ->send("DeleteTable", table_name, detail::encode_table_name(table_name),
                                   Replay::Resolve, true)
                            .body,
                        detail::decode_table_description);
  });
}
TimeToLiveSpecification Client::update_time_to_live(const std::string& table_name,
                                                    const TimeToLiveSpecification& spec) const {
  return in_context("UpdateTimeToLive", table_name, [&] {
    return decode_write("UpdateTimeToLive",
                        impl_
                            ->send("UpdateTimeToLive", table_name, detail::encode(table_name, spec),
                                   Replay::Resolve, true)
                            .body,
                        detail::decode_time_to_live);
  });
}
TableDescription Client::update_table(const UpdateTableRequest& r) const {
  return in_context("UpdateTable", r.table_name, [&] {
    return decode_write(
        "UpdateTable",
        impl_->send("UpdateTable", r.table_name, detail::encode(r), Replay::Resolve, true).body,
        detail::decode_table_description);
  });
}
TimeToLiveDescription Client::describe_time_to_live(const std::string& table_name) const {
  return in_context("DescribeTimeToLive", table_name, [&] {
    return detail::decode_describe_time_to_live(impl_
                                                    ->send("DescribeTimeToLive", table_name,
                                                           detail::encode_table_name(table_name),
                                                           Replay::Safe, false)
                                                    .body);
  });
}
ListTablesResult Client::list_tables(const ListTablesRequest& r) const {
  return in_context("ListTables", "", [&] {
    return detail::decode_list_tables(
        impl_->send("ListTables", "", detail::encode(r), Replay::Safe, false).body);
  });
}

// ---- PartiQL ----
// A SELECT is a read: Safe, and libcurl's one-send path. Anything else is a write that a second
// send could apply twice (an INSERT would then fail on its own item, `SET n = n + 1` add twice):
// Never, and an unreadable answer is AmbiguousOutcomeError.

ExecuteStatementResult Client::execute_statement(const ExecuteStatementRequest& r) const {
  return in_context("ExecuteStatement", "", [&] {
    detail::check(r);
    const bool reads = detail::is_read_statement(r.statement);
    const std::string body = impl_
                                 ->send("ExecuteStatement", "", detail::encode(r),
                                        reads ? Replay::Safe : Replay::Never, !reads)
                                 .body;
    return reads ? detail::decode_execute_statement(body)
                 : decode_write("ExecuteStatement", body, detail::decode_execute_statement);
  });
}

BatchExecuteStatementResult Client::batch_execute_statement(
    const BatchExecuteStatementRequest& r) const {
  return in_context("BatchExecuteStatement", "", [&] {
    detail::check(r);
    const bool reads = std::all_of(r.statements.begin(), r.statements.end(), [](const auto& s) {
      return detail::is_read_statement(s.statement);
    });
    // One response per statement, or the answers cannot be matched to the statements.
    auto decode = [&](const std::string& body) {
      BatchExecuteStatementResult result = detail::decode_batch_execute_statement(body);
      if (result.responses.size() != r.statements.size()) {
        throw DecodeError("DynamoDB response: BatchExecuteStatement answered " +
                          std::to_string(result.responses.size()) + " responses to " +
                          std::to_string(r.statements.size()) + " statements");
      }
      return result;
    };
    const std::string body = impl_
                                 ->send("BatchExecuteStatement", "", detail::encode(r),
                                        reads ? Replay::Safe : Replay::Never, !reads)
                                 .body;
    return reads ? decode(body) : decode_write("BatchExecuteStatement", body, decode);
  });
}

template <class Request>
std::optional<Page> Pages<Request>::next() {
  if (done_) return std::nullopt;
  constexpr std::string_view operation = std::is_same_v<Request, QueryRequest> ? "Query" : "Scan";
  // The page's own call names itself; this names the walk's checks as well.
  return in_context(operation, request_.table_name, [&] {
    Page page;
    if constexpr (std::is_same_v<Request, QueryRequest>) {
      page = client_.query(request_);
    } else {
      page = client_.scan(request_);
    }
    // The same request, options and all, continues from where this page stopped.
    request_.exclusive_start_key = page.last_evaluated_key;
    done_ = !page.last_evaluated_key.has_value();
    if (!done_) {
      // A token seen before would make the walk go round for ever.
      try {
        detail::remember_page_token(seen_tokens_, *page.last_evaluated_key, operation);
      } catch (...) {
        done_ = true;
        throw;
      }
    }
    return std::optional<Page>(std::move(page));
  });
}

template class Pages<QueryRequest>;
template class Pages<ScanRequest>;

}  // namespace dynamodb_mapping
