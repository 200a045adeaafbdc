// ExecuteStatement and BatchExecuteStatement: checks before sending, request bodies and answers.
#include "client/protocol_statements.hpp"

#include "client/protocol_json.hpp"
#include "dynamodb_mapping/validate.hpp"
#include "error_text.hpp"

namespace dynamodb_mapping::detail {

using namespace protocol;

namespace {

void check_statement(const std::string& statement, const std::vector<Value>& parameters,
                     std::string_view where) {
  if (statement.empty()) {
    throw ValidationError(std::string(where) + "statement is empty");
  }
  if (statement.size() > kMaxStatementSize) {
    throw ValidationError(std::string(where) + "statement is " + std::to_string(statement.size()) +
                          " bytes; DynamoDB takes at most " + std::to_string(kMaxStatementSize));
  }
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    try {
      validate_value(parameters[i]);
    } catch (const ValidationError& e) {
      throw ValidationError(std::string(where) + "parameter " + std::to_string(i + 1) + ": " +
                            e.message());
    }
  }
}

void write_statement(ObjectWriter& w, const std::string& statement,
                     const std::vector<Value>& parameters, bool consistent_read,
                     bool return_item_on_failure) {
  w.string("Statement", statement);
  if (!parameters.empty()) {
    std::string& out = w.key("Parameters");
    append_joined(
        out, '[', parameters, [&](const Value& v) { append_wire_value(out, v); }, ']');
  }
  w.true_if("ConsistentRead", consistent_read);
  if (return_item_on_failure) w.string("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
}

StatementResponse get_statement_response(od::value v) {
  StatementResponse r;
  for_each_member(v, [&](std::string_view k, od::value val) {
    if (k == "Item") {
      r.item = get_item(val);
    } else if (k == "TableName") {
      r.table_name = get_string(val);
    } else if (k == "Error") {
      bool has_code = false;
      for_each_member(val, [&](std::string_view ek, od::value ev) {
        // Server text, bound for messages: printable and capped on the way in.
        if (ek == "Code") {
          r.error_code = printable_text(std::string_view(ev.get_string()), kMaxServerCodeBytes);
          has_code = true;
        } else if (ek == "Message") {
          r.error_message =
              printable_text(std::string_view(ev.get_string()), kMaxServerMessageBytes);
        } else if (ek == "Item") {
          r.error_item = std::make_shared<const Item>(get_item(ev));
        }
      });
      // An error without a code would read as a success.
      if (!has_code || r.error_code.empty()) unexpected("a statement's Error has no Code");
    }
  });
  return r;
}

}  // namespace

bool is_read_statement(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
                          s[i] == '\f' || s[i] == '\v' || s[i] == '(')) {
    ++i;
  }
  constexpr std::string_view kSelect = "select";
  if (s.size() - i < kSelect.size()) return false;
  for (std::size_t j = 0; j < kSelect.size(); ++j) {
    char c = s[i + j];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kSelect[j]) return false;
  }
  // "SELECTED ..." is not SELECT: the keyword must end there.
  if (s.size() - i == kSelect.size()) return true;
  const char next = s[i + kSelect.size()];
  return !((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
           (next >= '0' && next <= '9') || next == '_');
}

void check(const ExecuteStatementRequest& r) {
  check_statement(r.statement, r.parameters, "");
  if (r.limit && *r.limit < 1) throw ValidationError("limit must be at least 1");
  if (r.next_token.size() > kMaxNextTokenSize) {
    throw ValidationError("next_token is over " + std::to_string(kMaxNextTokenSize) + " bytes");
  }
}

void check(const BatchExecuteStatementRequest& r) {
  if (r.statements.empty() || r.statements.size() > kMaxBatchStatements) {
    throw ValidationError("a batch has 1 to " + std::to_string(kMaxBatchStatements) +
                          " statements, not " + std::to_string(r.statements.size()));
  }
  for (std::size_t i = 0; i < r.statements.size(); ++i) {
    check_statement(r.statements[i].statement, r.statements[i].parameters,
                    "statement " + std::to_string(i + 1) + ": ");
  }
}

std::string encode(const ExecuteStatementRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    write_statement(w, r.statement, r.parameters, r.consistent_read,
                    r.return_item_on_condition_failure);
    w.string_if("NextToken", r.next_token);
    if (r.limit) w.integer("Limit", *r.limit);
  }
  return out;
}

std::string encode(const BatchExecuteStatementRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    w.array("Statements", r.statements, [&](const BatchStatementRequest& s) {
      ObjectWriter inner(out);
      write_statement(inner, s.statement, s.parameters, s.consistent_read,
                      s.return_item_on_condition_failure);
    });
  }
  return out;
}

ExecuteStatementResult decode_execute_statement(std::string_view json) {
  return parse_response<ExecuteStatementResult>(
      json, [](ExecuteStatementResult& r, std::string_view k, od::value v) {
        if (k == "Items")
          r.items = get_items(v);
        else if (k == "NextToken")
          r.next_token = get_string(v);
        else if (k == "LastEvaluatedKey")
          r.last_evaluated_key = get_item(v);
      });
}

BatchExecuteStatementResult decode_batch_execute_statement(std::string_view json) {
  bool has_responses = false;
  auto result = parse_response<BatchExecuteStatementResult>(
      json, [&](BatchExecuteStatementResult& r, std::string_view k, od::value v) {
        if (k != "Responses") return;
        has_responses = true;
        for (auto e : v.get_array()) r.responses.push_back(get_statement_response(e.value()));
      });
  if (!has_responses) unexpected("BatchExecuteStatement answered without Responses");
  return result;
}

}  // namespace dynamodb_mapping::detail
