// ddbmap's exit codes, its own error types, and the one function that maps an error to a code.
#pragma once

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>

namespace ddbmap {

/// One table for every subcommand; `kExitCodeHelp` is the same table as text for --help.
enum ExitCode : int {
  kOk = 0,
  kNotFound = 1,         // the item (get, set, del) does not exist
  kUsage = 2,            // bad arguments, bad input, unusable configuration: nothing was sent
  kConditionFailed = 3,  // a condition was false (put --new on an existing item)
  kPartial = 4,          // some items certainly not written (import), none of unknown outcome
  kNetwork = 5,          // no answer: connection refused or reset, timeout
  kServer = 6,           // DynamoDB refused (table missing, access denied...) or answered badly
  kUnknownOutcome = 7,   // a write may or may not have been applied: read it back to know
  kLocalIo = 8,          // reading the input or writing the output failed
  kInterrupted = 130,    // SIGINT or SIGTERM; counts printed
  kBrokenPipe = 141,     // the reader of standard output went away (as 128 + SIGPIPE); silent
};

extern const char* const kExitCodeHelp;

/// Base of ddbmap's own errors: each carries its exit code, decided where it is thrown.
class CliError : public std::runtime_error {
 public:
  CliError(ExitCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

/// Reading an input or writing an output failed; the text names the file, what was done and
/// strerror(errno). Exit 8.
class IoError : public CliError {
 public:
  IoError(const std::string& action, const std::string& file, int err);
};

/// Bad input found by ddbmap itself (a line, an argument): exit 2. The text names the file and
/// line.
class InputError : public CliError {
 public:
  explicit InputError(const std::string& what) : CliError(kUsage, what) {}
};

/// A signal asked us to stop; the command has printed its counts. Exit 130.
class Interrupted : public CliError {
 public:
  explicit Interrupted(const std::string& what = "interrupted") : CliError(kInterrupted, what) {}
};

/// EPIPE on standard output: end quietly. Exit 141.
class BrokenPipe : public CliError {
 public:
  BrokenPipe() : CliError(kBrokenPipe, "broken pipe") {}
};

/// A failure whose code was decided where it happened (a wait that timed out, a table that did
/// not become ACTIVE).
class CodedError : public CliError {
 public:
  using CliError::CliError;
};

/// The exit code for an error, for every subcommand: the only place codes are derived.
ExitCode exit_code_for(const std::exception& e);

/// The message to print for an error (without "ddbmap: "), escaped and capped; empty for errors
/// that end quietly (BrokenPipe).
std::string error_text(const std::exception& e);

}  // namespace ddbmap
