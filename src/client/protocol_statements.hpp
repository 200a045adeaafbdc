// PartiQL (ExecuteStatement, BatchExecuteStatement): the checks made before sending, the request
// bodies and the answers. Internal to src/client.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "dynamodb_mapping/client.hpp"

namespace dynamodb_mapping::detail {

/// The API's limits: Statement 1 to 8192 characters, NextToken up to 32768, 25 statements a batch.
inline constexpr std::size_t kMaxStatementSize = 8192;
inline constexpr std::size_t kMaxNextTokenSize = 32768;
inline constexpr std::size_t kMaxBatchStatements = 25;

/// Whether a statement only reads: its first keyword (after blanks and opening parentheses) is
/// SELECT, in any case. Anything else counts as a write, which is never replayed after a doubt.
bool is_read_statement(std::string_view statement);

/// Throws ValidationError, before anything is sent, for an empty or oversized statement, an
/// invalid parameter value, a limit below 1 or an oversized next token.
void check(const ExecuteStatementRequest& r);
/// As above for each statement, and 1 to 25 statements.
void check(const BatchExecuteStatementRequest& r);

std::string encode(const ExecuteStatementRequest& r);
std::string encode(const BatchExecuteStatementRequest& r);

/// Parsers throw DecodeError for an answer that is not what the operation returns.
ExecuteStatementResult decode_execute_statement(std::string_view json);
BatchExecuteStatementResult decode_batch_execute_statement(std::string_view json);

}  // namespace dynamodb_mapping::detail
