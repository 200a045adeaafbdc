// sql: one PartiQL statement from the shell, its items printed as JSON Lines.
#include <unordered_set>

#include "commands.hpp"
#include "errors.hpp"
#include "expression_text.hpp"
#include "io.hpp"
#include "signals.hpp"
#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

int cmd_sql(const Globals& g, const SqlArgs& a) {
  // Everything the user typed is checked before anything is sent.
  std::vector<ddb::Value> params;
  params.reserve(a.params.size());
  for (std::size_t i = 0; i < a.params.size(); ++i) {
    params.push_back(
        parse_value(a.params[i], a.wire,
                    "--param " + std::to_string(i + 1) + " " + safe_text(a.params[i], 200)));
  }
  if (a.statement.empty()) throw InputError("STATEMENT is empty");
  ddb::StatementOptions o;
  o.consistent_read = g.consistent;
  o.page_size = a.page_size;
  Output out("-");
  std::uint64_t n = 0;
  const auto limit = static_cast<std::uint64_t>(a.limit);
  // Prints one item; false once --limit is reached.
  auto print = [&](const ddb::Item& item) {
    out.line(a.wire ? ddb::to_wire_json(item) : ddb::to_plain_json(item));
    if (++n == limit) return false;
    if (interrupted()) throw Interrupted("sql interrupted after " + std::to_string(n) + " items");
    return true;
  };
  if (a.limit == 0) {
    // Nothing to print, and nothing sent: a write is not run to print nothing.
  } else if (!a.table.empty()) {
    // The mapping's lazy range (errors name the table); the statement is sent as typed.
    for (const ddb::Item& item : open_table(g, a.table).execute(a.statement, params, o)) {
      if (!print(item)) break;
    }
  } else {
    // No table: the client's pages, followed by NextToken (a write has one page).
    const ddb::Client client = open_client(g);
    ddb::ExecuteStatementRequest r;
    r.statement = a.statement;
    r.parameters = std::move(params);
    r.consistent_read = g.consistent;
    if (a.page_size > 0) r.limit = a.page_size;
    std::unordered_set<std::string> seen;  // a repeated token would loop for ever
    for (bool more = true; more;) {
      ddb::ExecuteStatementResult page = client.execute_statement(r);
      for (const ddb::Item& item : page.items) {
        if (!print(item)) {
          more = false;
          break;
        }
      }
      if (!more || page.next_token.empty()) break;
      if (!seen.insert(page.next_token).second) {
        throw ddb::ProtocolError("RepeatedPageToken",
                                 "ExecuteStatement handed out a NextToken it gave before");
      }
      r.next_token = std::move(page.next_token);
    }
  }
  out.commit();
  return kOk;
}

}  // namespace ddbmap
