// PartiQL on the container: execute (a lazy paged SELECT, or a write sent once) and
// execute_batch. The statement is the user's: passed as written, never rewritten.
#include "client/protocol_statements.hpp"
#include "dynamodb_mapping/mapping.hpp"
#include "mapping/page_source.hpp"
#include "mapping/state.hpp"

namespace dynamodb_mapping {

namespace {

Item as_item(const detail::MappingState&, Item&& item) {
  return std::move(item);
}

// Runs `f`; an Error leaving it names ExecuteStatement (or `operation`) and the mapping's table.
template <class F>
decltype(auto) on_table(const detail::MappingState& m, const char* operation, F&& f) {
  try {
    return f();
  } catch (Error& e) {
    detail::set_error_context(e, operation, m.table_name);
    throw;
  }
}

}  // namespace

Results<Item> DynamoDBMapping::execute(const std::string& statement,
                                       const std::vector<Value>& parameters,
                                       const StatementOptions& options) const {
  const detail::MappingState& m = *state_;
  return on_table(m, "ExecuteStatement", [&]() -> Results<Item> {
    if (options.page_size < 0) throw ValidationError("page_size must not be negative");
    auto walk = std::make_shared<detail::StatementWalk>();
    ExecuteStatementRequest& r = walk->request;
    r.statement = statement;
    r.parameters = parameters;
    r.return_item_on_condition_failure = options.return_item_on_condition_failure;
    if (options.page_size > 0) r.limit = options.page_size;
    const bool reads = detail::is_read_statement(statement);
    if (reads) r.consistent_read = m.consistent(options.consistent_read);
    detail::check(r);
    if (!reads) {
      // A write is sent now, once: a range that sent it on each begin() would apply it again.
      walk->answered =
          std::make_shared<const std::vector<Item>>(m.client.execute_statement(r).items);
    }
    return {state_, detail::statement_walk(m.client, m.table_name, std::move(walk)), &as_item};
  });
}

std::vector<StatementResponse> DynamoDBMapping::execute_batch(
    const std::vector<Statement>& statements, const StatementOptions& options) const {
  const detail::MappingState& m = *state_;
  return on_table(m, "BatchExecuteStatement", [&] {
    BatchExecuteStatementRequest r;
    r.statements.reserve(statements.size());
    for (const Statement& s : statements) {
      BatchStatementRequest b;
      b.statement = s.text;
      b.parameters = s.parameters;
      b.consistent_read =
          detail::is_read_statement(s.text) && m.consistent(options.consistent_read);
      b.return_item_on_condition_failure = options.return_item_on_condition_failure;
      r.statements.push_back(std::move(b));
    }
    return m.client.batch_execute_statement(r).responses;
  });
}

}  // namespace dynamodb_mapping
