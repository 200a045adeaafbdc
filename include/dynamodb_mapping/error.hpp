// Exceptions thrown by dynamodb_mapping. Every exception the library throws is a
// dynamodb_mapping::Error (as libpqxx does, none derives from std::out_of_range and the like, so
// one `catch (const Error&)` sees them all). An Error carries its kind (for a switch), the AWS
// error code (or a library code for errors found on the client), the message, the operation and
// table it concerns when known, and the HTTP status and request id when a server answered.
#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb_mapping/export.hpp"

namespace dynamodb_mapping {

class Value;
using Item = std::map<std::string, Value, std::less<>>;

/// The class of an Error, one value per exception class of the library, for code that wants one
/// `switch` rather than a chain of `catch` clauses. `Other` is an AWS error code the library has
/// no class for (thrown as a plain Error).
enum class ErrorKind {
  Other,
  Validation,
  Decode,
  Type,
  Network,
  Cancelled,
  Credentials,
  Config,
  Throttling,
  Server,
  ResourceNotFound,
  ResourceInUse,
  AccessDenied,
  ConditionalCheckFailed,
  AmbiguousOutcome,
  Protocol,
  TransactionCanceled,
  KeyNotFound,
  AttributeNotFound,
  Batch,
  WaitTimeout,
};

class Error;
namespace detail {
/// Records the operation ("GetItem") and the table an error concerns; keeps what is already set.
void set_error_context(Error& e, std::string_view operation, std::string_view table);
}  // namespace detail

/// Base of every exception the library throws. `code()` is the AWS error code such as
/// "ValidationException", or a library code such as "DecodeError" for problems found locally;
/// `http_status()` is 0 and `request_id()` empty when no server answered.
class DDBMAP_API Error : public std::runtime_error {
 public:
  /// An error with its code and message and, when a server answered, its HTTP status and
  /// request id. `what()` is "CODE: message" ("message" alone when the code is empty).
  Error(std::string code, std::string message, int http_status = 0, std::string request_id = {});

  /// The AWS error code ("ValidationException") or the library's ("DecodeError", "Timeout").
  const std::string& code() const noexcept { return code_; }
  /// The message without the code.
  const std::string& message() const noexcept { return message_; }
  /// The HTTP status of the server's answer; 0 when no server answered.
  int http_status() const noexcept { return http_status_; }
  /// The answer's x-amzn-RequestId, for AWS support; empty when no server answered.
  const std::string& request_id() const noexcept { return request_id_; }
  /// The DynamoDB operation that failed ("PutItem", "BatchWriteItem", ...); empty when the error
  /// arose before any (a key of the wrong type, a configuration problem).
  const std::string& operation() const noexcept { return operation_; }
  /// The table the failed call concerned; empty when none or several.
  const std::string& table() const noexcept { return table_; }
  /// Which class of the library this error is.
  virtual ErrorKind kind() const noexcept { return ErrorKind::Other; }

 private:
  friend void detail::set_error_context(Error&, std::string_view, std::string_view);
  std::string code_;
  std::string message_;
  int http_status_;
  std::string request_id_;
  std::string operation_;
  std::string table_;
};

/// The request is invalid: found by the library before anything is sent (empty set, duplicate
/// set member, number out of DynamoDB's range, invalid UTF-8, item over 400 KB, nesting deeper
/// than 32, ...) or reported by DynamoDB as ValidationException.
class DDBMAP_API ValidationError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Validation; }
  /// Code "ValidationException"; `http_status` and `request_id` when DynamoDB refused it.
  explicit ValidationError(std::string message, int http_status = 0, std::string request_id = {});
};

/// Input that should be DynamoDB or plain JSON is not: malformed or truncated JSON, an
/// AttributeValue of unknown shape, a number or base64 text that does not parse.
class DDBMAP_API DecodeError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Decode; }
  /// Code "DecodeError".
  explicit DecodeError(std::string message);
};

/// A Value was read as a type it does not hold, or a Number does not fit the requested C++ type.
class DDBMAP_API TypeError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Type; }
  /// Code "TypeError".
  explicit TypeError(std::string message);
};

/// The request did not complete: connection refused or reset, DNS failure, TLS failure, timeout,
/// a truncated response, or a response whose x-amz-crc32 does not match its body. `code()` is
/// "Timeout", "ChecksumMismatch" or "ConnectionError". Retried by the client before it surfaces.
/// `request_sent()` is false only when the request certainly never left this machine (no
/// connection could be made), so the server cannot have acted on it.
class DDBMAP_API NetworkError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Network; }
  /// `code` is "Timeout", "ChecksumMismatch" or "ConnectionError".
  NetworkError(std::string code, std::string message, bool request_sent = true);
  /// False only when the request certainly never left this machine.
  bool request_sent() const noexcept { return request_sent_; }

 private:
  bool request_sent_;
};

/// The call was stopped by ClientConfig::should_stop before it finished (while waiting for an
/// answer or between retries). A write that may already have reached the server is reported as
/// AmbiguousOutcomeError instead, with this as its cause. `request_sent()` as for NetworkError.
class DDBMAP_API CancelledError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Cancelled; }
  /// Code "Cancelled".
  explicit CancelledError(std::string message, bool request_sent = false);
  /// False only when the request certainly never left this machine.
  bool request_sent() const noexcept { return request_sent_; }

 private:
  bool request_sent_;
};

/// No credentials could be found or obtained; the message names every source tried and why each
/// had none. Never contains a secret.
class DDBMAP_API CredentialsError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Credentials; }
  /// Code "CredentialsError".
  explicit CredentialsError(std::string message);
  /// A credential service's refusal (STS "AccessDenied", "ExpiredTokenException"), with its code,
  /// HTTP status and request id.
  CredentialsError(std::string code, std::string message, int http_status, std::string request_id);
};

/// The configuration is unusable: no region anywhere in the chain, an unreadable profile, an
/// invalid endpoint URL in the environment. Found before any request is sent.
class DDBMAP_API ConfigError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Config; }
  /// Code "ConfigError".
  explicit ConfigError(std::string message);
};

/// DynamoDB refused the request for lack of capacity or rate (ThrottlingException,
/// ProvisionedThroughputExceededException, RequestLimitExceeded). Retried before it surfaces.
class DDBMAP_API ThrottlingError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Throttling; }
  /// Error's constructor: the AWS error code, the message, the HTTP status and the request id.
  using Error::Error;
};

/// A 5xx answer (InternalServerError, ServiceUnavailable, ...). Retried before it surfaces.
class DDBMAP_API ServerError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Server; }
  /// Error's constructor: the AWS error code, the message, the HTTP status and the request id.
  using Error::Error;
};

/// The table (or index) does not exist, or is not ACTIVE yet.
class DDBMAP_API ResourceNotFoundError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::ResourceNotFound; }
  /// Error's constructor: the AWS error code, the message, the HTTP status and the request id.
  using Error::Error;
};

/// The table is being created, updated or deleted, or already exists (ResourceInUseException).
class DDBMAP_API ResourceInUseError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::ResourceInUse; }
  /// Error's constructor: the AWS error code, the message, the HTTP status and the request id.
  using Error::Error;
};

/// The credentials were refused: AccessDeniedException, UnrecognizedClientException,
/// InvalidSignatureException, ExpiredTokenException, MissingAuthenticationToken, ... Never retried.
class DDBMAP_API AccessDeniedError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::AccessDenied; }
  /// Error's constructor: the AWS error code, the message, the HTTP status and the request id.
  using Error::Error;
};

/// A condition expression was false. `item()` is the item as it was when DynamoDB returned it
/// (ReturnValuesOnConditionCheckFailure=ALL_OLD), else nullptr.
class DDBMAP_API ConditionalCheckFailedError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::ConditionalCheckFailed; }
  /// Code "ConditionalCheckFailedException"; `item` as returned by DynamoDB, or nullptr.
  ConditionalCheckFailedError(std::string message, int http_status, std::string request_id,
                              std::shared_ptr<const Item> item);
  /// The same failure under another AWS code: "DuplicateItemException", a PartiQL INSERT of a
  /// key that exists (its condition, that there is no such item, was false).
  ConditionalCheckFailedError(std::string code, std::string message, int http_status,
                              std::string request_id, std::shared_ptr<const Item> item);
  /// The stored item when the request asked for it and there was one, else nullptr.
  const Item* item() const noexcept { return item_.get(); }

 private:
  std::shared_ptr<const Item> item_;
};

/// A write whose outcome is unknown. An attempt may have been applied by DynamoDB but its answer
/// was lost (a timeout or a connection reset after the request was sent, a 5xx answer, a body
/// that did not arrive whole), and what the retries saw could not settle what happened: the write
/// may or may not have taken effect. The library throws this instead of reporting a failure, a
/// condition failure or "not found" that its own earlier attempt may have caused. Read the item to
/// find out. `cause()` is the last error seen; `item()`, when set, is the item as it was read
/// before the write (`pop` keeps the value it would have returned there).
class DDBMAP_API AmbiguousOutcomeError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::AmbiguousOutcome; }
  /// Code "AmbiguousOutcome"; `cause` is the last error seen, `item` the item read before.
  AmbiguousOutcomeError(std::string message, std::exception_ptr cause,
                        std::shared_ptr<const Item> item = nullptr);
  /// The last error seen (rethrow it with std::rethrow_exception to look at it).
  const std::exception_ptr& cause() const noexcept { return cause_; }
  /// The item as it was read before the write (`pop`), else nullptr.
  const Item* item() const noexcept { return item_.get(); }

 private:
  std::exception_ptr cause_;
  std::shared_ptr<const Item> item_;
};

/// A wait for a table or index to reach a state (a table ACTIVE after CreateTable, gone after
/// DeleteTable, a new global index ACTIVE) did not end within the caller's timeout. Nothing is
/// undone: the change that was asked for may still complete. `table()` names the table,
/// `awaited()` what was waited for ("table ACTIVE", "index by_email ACTIVE", "table deleted"),
/// `last_status()` the last status seen ("CREATING"). Code "WaitTimeout".
class DDBMAP_API WaitTimeoutError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::WaitTimeout; }
  /// The message names the table, what was awaited, the last status and the timeout.
  WaitTimeoutError(std::string table, std::string awaited, std::string last_status,
                   std::chrono::milliseconds timeout);
  /// What was waited for, such as "table ACTIVE".
  const std::string& awaited() const noexcept { return awaited_; }
  /// The last status seen, such as "CREATING".
  const std::string& last_status() const noexcept { return last_status_; }
  /// The timeout that ran out.
  std::chrono::milliseconds timeout() const noexcept { return timeout_; }

 private:
  std::string awaited_;
  std::string last_status_;
  std::chrono::milliseconds timeout_;
};

/// The server's answer breaks the protocol in a way that is not malformed JSON: a body or headers
/// over the size caps ("ResponseTooLarge"), a page token that repeats, so that pagination would
/// never end ("RepeatedPageToken"), a batch answer whose items lack the table's key attributes
/// ("MissingKeyAttributes"). Never retried.
class DDBMAP_API ProtocolError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::Protocol; }
  /// `code` is "ResponseTooLarge", "RepeatedPageToken" or "MissingKeyAttributes".
  ProtocolError(std::string code, std::string message);
};

/// An item has no attribute of that name (`mapping[key]["attr"]` read on an item without it), a
/// Map Value no member of that name, or a List Value no element at that index: the library's
/// counterpart of std::map::at's std::out_of_range. Code "AttributeNotFound".
class DDBMAP_API AttributeError : public Error {
 public:
  /// Code "AttributeNotFound".
  explicit AttributeError(std::string message);
  ErrorKind kind() const noexcept override { return ErrorKind::AttributeNotFound; }
};

/// Why one action of a cancelled transaction failed: `code` is "None" for actions that were
/// fine, else e.g. "ConditionalCheckFailed", "TransactionConflict", "ValidationError".
struct CancellationReason {
  /// "None", or why the action failed.
  std::string code;
  /// DynamoDB's message, if any.
  std::string message;
  /// The stored item, when the action asked for it (ReturnValuesOnConditionCheckFailure=ALL_OLD,
  /// OnConditionFailure::ReturnItem) and its condition failed on an item that exists; else
  /// nullptr.
  std::shared_ptr<const Item> item;
  /// The action: "Put", "Update", "Delete" or "ConditionCheck" (TransactWriteItems), "Get"
  /// (TransactGetItems); empty when the error comes from Client, which does not fill it in.
  std::string action;
  /// The key attributes of the item the action was on; nullptr when `action` is empty.
  std::shared_ptr<const Item> key;

  /// Whether this action failed (its code is not "None").
  bool failed() const noexcept { return !code.empty() && code != "None"; }
};

/// TransactWriteItems or TransactGetItems was cancelled; `reasons()` has one entry per action,
/// in request order. From DynamoDBMapping's transactions, the reasons also name each action's
/// kind and key, and what() names the actions that failed ("action 1 (Put, key "b") failed:
/// ConditionalCheckFailed: ...").
class DDBMAP_API TransactionCanceledError : public Error {
 public:
  ErrorKind kind() const noexcept override { return ErrorKind::TransactionCanceled; }
  /// Code "TransactionCanceledException", with one reason per action.
  TransactionCanceledError(std::string message, int http_status, std::string request_id,
                           std::vector<CancellationReason> reasons);
  /// One entry per action, in request order.
  const std::vector<CancellationReason>& reasons() const noexcept { return reasons_; }
  /// The positions (in reasons(), and in the request) of the actions that failed.
  std::vector<std::size_t> failed() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < reasons_.size(); ++i) {
      if (reasons_[i].failed()) out.push_back(i);
    }
    return out;
  }

 private:
  std::vector<CancellationReason> reasons_;
};

}  // namespace dynamodb_mapping
