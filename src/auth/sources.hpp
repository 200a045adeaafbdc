// The credential sources that need no STS call: the environment, credential_process, the
// container endpoint and EC2 instance metadata; shared by the default chain and by assume-role
// profiles' `credential_source`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "dynamodb_mapping/credentials.hpp"

namespace dynamodb_mapping::detail {

/// ISO 8601 UTC times as AWS writes them: 2026-11-24T12:00:00Z, with optional fractional seconds
/// and "z", "+00:00", "+0000" or "UTC" for Z. nullopt for anything else, for fields out of range
/// and for times before 1970 or after kLatestExpirationSeconds.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(const std::string& s);

/// The latest expiration taken from any source, 2200-01-01T00:00:00Z in seconds since the epoch:
/// std::chrono::system_clock counts nanoseconds in 64 bits, which end in 2262, and a later date
/// is not a credential's anyway.
constexpr std::int64_t kLatestExpirationSeconds = 7258118400;

/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; nullopt with `why_not` when
/// the pair is not set.
std::optional<Credentials> credentials_from_environment(std::string& why_not);

/// Runs `command` (credential_process) and reads its Version 1 document; CredentialsError when it
/// fails, times out or prints something else.
Credentials credentials_from_process(const std::string& command, std::chrono::milliseconds timeout);

/// The container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI);
/// nullopt with `why_not` when neither is set or it is unreachable, CredentialsError when it is
/// set but broken.
std::optional<Credentials> credentials_from_container(std::string& why_not);

/// The EC2 instance role's credentials through IMDSv2; nullopt with `why_not` when disabled,
/// unreachable or without a role, CredentialsError for a broken answer.
std::optional<Credentials> credentials_from_instance_metadata(std::string& why_not);

}  // namespace dynamodb_mapping::detail
