// "Who am I": the identity behind the credentials a Client would use (STS GetCallerIdentity).
#pragma once

#include <string>

#include "dynamodb_mapping/client_config.hpp"
#include "dynamodb_mapping/export.hpp"

namespace dynamodb_mapping {

/// The AWS identity that signs requests, as STS GetCallerIdentity reports it, and where its
/// credentials came from.
struct CallerIdentity {
  /// The 12-digit account id.
  std::string account{};
  /// The ARN of the user or assumed role, e.g. "arn:aws:sts::123456789012:assumed-role/r/s".
  std::string arn{};
  /// The unique id of the user, or "ROLEID:session" for an assumed role.
  std::string user_id{};
  /// CredentialsProvider::source() of the credentials used, e.g. "environment" or
  /// "shared config files (profile dev: assume role ... from profile base (static keys))".
  std::string credentials_source{};
};

/// Calls STS GetCallerIdentity with the credentials a Client made from `config` would use
/// (ClientConfig::credentials, else credentials_provider, else the default chain for the
/// profile). The STS endpoint follows the STS settings (AWS_ENDPOINT_URL_STS, the profile's
/// `services` section, AWS_STS_REGIONAL_ENDPOINTS, ...; README, "Credentials"); the region is
/// ClientConfig::region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's, and with
/// none the global endpoint is used. ClientConfig::endpoint_url, the DynamoDB endpoint, is not.
/// Throws CredentialsError when there are no credentials or STS refuses them (with STS's code,
/// e.g. "InvalidClientTokenId"), ConfigError for an unusable region or config file.
DDBMAP_API CallerIdentity caller_identity(const ClientConfig& config = {});

}  // namespace dynamodb_mapping
