// PartiQL statements: what the container's execute and execute_batch take and give back, shared
// with the client's ExecuteStatement and BatchExecuteStatement.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// One PartiQL statement and the values of its `?` parameters, in order.
struct Statement {
  /// The PartiQL text, 1 to 8192 bytes ("SELECT * FROM \"t\" WHERE pk = ?").
  std::string text;
  /// The values of the `?` placeholders, in order (each checked as an item's value would be).
  std::vector<Value> parameters;
};

/// How DynamoDBMapping::execute and execute_batch run their statements.
struct StatementOptions {
  /// A strongly consistent read (SELECT only); the mapping's default_consistent_read otherwise.
  bool consistent_read = false;
  /// ExecuteStatement's Limit: items read per request; 0: DynamoDB's 1 MB pages. Not used by
  /// execute_batch.
  int page_size = 0;
  /// ReturnValuesOnConditionCheckFailure=ALL_OLD: a write whose condition fails carries the
  /// stored item (ConditionalCheckFailedError::item(), StatementResponse::error_item).
  bool return_item_on_condition_failure = false;
};

/// The answer to one statement of a BatchExecuteStatement, in the order of the statements: an
/// item (a SELECT of one key that found it), nothing (a write that was applied, a SELECT that
/// found nothing) or an error of this statement alone (the others are not affected).
struct StatementResponse {
  /// The item a SELECT read; empty otherwise.
  std::optional<Item> item;
  /// DynamoDB's code for this statement's failure ("ConditionalCheckFailed", "DuplicateItem",
  /// "ValidationError", ...); empty when it succeeded.
  std::string error_code;
  /// DynamoDB's message for the failure; may be empty.
  std::string error_message;
  /// On a condition failure with return_item_on_condition_failure: the stored item, else null.
  std::shared_ptr<const Item> error_item;
  /// The table DynamoDB names for this statement; may be empty.
  std::string table_name;
  /// Whether this statement succeeded.
  bool ok() const noexcept { return error_code.empty(); }
};

}  // namespace dynamodb_mapping
