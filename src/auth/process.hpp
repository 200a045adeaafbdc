// Running a profile's credential_process, bounded in time and in output.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace dynamodb_mapping::detail {

/// What a credential_process may write to stdout. A credentials document is a few hundred bytes;
/// 1 MiB leaves room for any honest helper and stops one that streams without end.
constexpr std::size_t kMaxCredentialProcessOutput = std::size_t{1} << 20;

/// Runs `/bin/sh -c command` in a process group of its own, stdin from /dev/null, stderr shared
/// with ours, and returns what it wrote to stdout once it has exited with status 0. When it has not
/// finished within `timeout`, or writes more than `max_output` bytes, the whole group (helpers the
/// shell started included) is killed with SIGKILL and reaped, and a CredentialsError says which
/// limit was hit. A non-zero exit status or a death by signal is a CredentialsError too. Error
/// messages never contain the output, which may hold secrets.
std::string run_credential_process(const std::string& command, std::chrono::milliseconds timeout,
                                   std::size_t max_output = kMaxCredentialProcessOutput);

}  // namespace dynamodb_mapping::detail
