#include "errors.hpp"

#include <cstring>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "signals.hpp"
#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

const char* const kExitCodeHelp =
    "Exit codes (every command):\n"
    "  0    ok\n"
    "  1    not found (get, set, del: no such item)\n"
    "  2    usage, invalid input or configuration (nothing was sent)\n"
    "  3    condition failed (put --new: the item exists)\n"
    "  4    partial failure: some items certainly not written (counts printed)\n"
    "  5    network: no answer (refused, reset, timeout)\n"
    "  6    DynamoDB refused the request or answered badly (missing table, access denied,\n"
    "       throttling, 5xx, malformed answer); create-table, delete-table: not done in time\n"
    "  7    outcome unknown: a write may or may not have been applied (read it back)\n"
    "  8    local I/O error reading the input or writing the output\n"
    "  130  interrupted (SIGINT, SIGTERM); counts printed\n"
    "  141  standard output closed by its reader (as with SIGPIPE); nothing printed";

IoError::IoError(const std::string& action, const std::string& file, int err)
    : CliError(kLocalIo, action + " " + file + ": " + std::strerror(err)) {}

ExitCode exit_code_for(const std::exception& e) {
  if (const auto* c = dynamic_cast<const CliError*>(&e)) return c->code();
  const auto* error = dynamic_cast<const ddb::Error*>(&e);
  if (!error) return kServer;  // not the library's, not ours (bad_alloc, ...)
  switch (error->kind()) {
    case ddb::ErrorKind::KeyNotFound:
      return kNotFound;
    case ddb::ErrorKind::Cancelled:
      return kInterrupted;
    case ddb::ErrorKind::Batch:
      // A batch cut short by the signal: interrupted, with its exact counts printed.
      if (interrupted()) return kInterrupted;
      if (const auto* b = dynamic_cast<const ddb::BatchError*>(error)) {
        return b->unknown().empty() ? kPartial : kUnknownOutcome;
      }
      return kServer;
    case ddb::ErrorKind::AmbiguousOutcome:
      return kUnknownOutcome;
    case ddb::ErrorKind::ConditionalCheckFailed:
    case ddb::ErrorKind::TransactionCanceled:
      return kConditionFailed;
    case ddb::ErrorKind::Network:
      return kNetwork;
    case ddb::ErrorKind::WaitTimeout:  // create-table, delete-table: not there in time
      return kServer;
    // Refused before sending, or a request DynamoDB found invalid: the input is at fault. A
    // DecodeError is not here: ddbmap turns the ones from its own input into InputError, so what
    // remains is a malformed answer.
    case ddb::ErrorKind::Validation:
    case ddb::ErrorKind::Type:
    case ddb::ErrorKind::Config:
    case ddb::ErrorKind::Credentials:
      return kUsage;
    default:
      return kServer;
  }
}

std::string error_text(const std::exception& e) {
  if (dynamic_cast<const BrokenPipe*>(&e)) return {};
  std::string prefix;
  if (const auto* error = dynamic_cast<const ddb::Error*>(&e)) {
    if (error->kind() == ddb::ErrorKind::AmbiguousOutcome) {
      prefix = "outcome unknown, the write may have been applied: ";
    } else if (error->kind() == ddb::ErrorKind::Network) {
      prefix = "network: ";
    }
  }
  // The credentials chain lists the sources it tried one a line, each line starting "\n  - ":
  // those breaks are kept; any other control character is shown escaped.
  constexpr std::string_view kListItem = "\n  - ";
  const std::string text = prefix + e.what();
  std::string out;
  for (std::size_t from = 0;;) {
    const std::size_t at = text.find(kListItem, from);
    out += safe_text(std::string_view(text).substr(from, at == std::string::npos ? at : at - from));
    if (at == std::string::npos) return out;
    out += kListItem;
    from = at + kListItem.size();
  }
}

}  // namespace ddbmap
