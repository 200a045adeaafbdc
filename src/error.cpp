#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping {

namespace {
std::string what_text(const std::string& code, const std::string& message) {
  return code.empty() ? message : code + ": " + message;
}
}  // namespace

Error::Error(std::string code, std::string message, int http_status, std::string request_id)
    : std::runtime_error(what_text(code, message)),
      code_(std::move(code)),
      message_(std::move(message)),
      http_status_(http_status),
      request_id_(std::move(request_id)) {}

ValidationError::ValidationError(std::string message, int http_status, std::string request_id)
    : Error("ValidationException", std::move(message), http_status, std::move(request_id)) {}

DecodeError::DecodeError(std::string message) : Error("DecodeError", std::move(message)) {}

TypeError::TypeError(std::string message) : Error("TypeError", std::move(message)) {}

NetworkError::NetworkError(std::string code, std::string message, bool request_sent)
    : Error(std::move(code), std::move(message)), request_sent_(request_sent) {}

CredentialsError::CredentialsError(std::string message)
    : Error("CredentialsError", std::move(message)) {}

ConfigError::ConfigError(std::string message) : Error("ConfigError", std::move(message)) {}

ConditionalCheckFailedError::ConditionalCheckFailedError(std::string message, int http_status,
                                                         std::string request_id,
                                                         std::shared_ptr<const Item> item)
    : Error("ConditionalCheckFailedException", std::move(message), http_status,
            std::move(request_id)),
      item_(std::move(item)) {}

AmbiguousOutcomeError::AmbiguousOutcomeError(std::string message, std::exception_ptr cause,
                                             std::shared_ptr<const Item> item)
    : Error("AmbiguousOutcome", std::move(message)),
      cause_(std::move(cause)),
      item_(std::move(item)) {}

ProtocolError::ProtocolError(std::string code, std::string message)
    : Error(std::move(code), std::move(message)) {}

TransactionCanceledError::TransactionCanceledError(std::string message, int http_status,
                                                   std::string request_id,
                                                   std::vector<CancellationReason> reasons)
    : Error("TransactionCanceledException", std::move(message), http_status, std::move(request_id)),
      reasons_(std::move(reasons)) {}

}  // namespace dynamodb_mapping
