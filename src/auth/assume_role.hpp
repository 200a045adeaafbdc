// Credentials that come from STS: assume-role profiles (role_arn with source_profile, chains of
// any length, or credential_source) and web identity (environment or profile).
#pragma once

#include <optional>
#include <string>

#include "auth/shared_config.hpp"
#include "dynamodb_mapping/credentials.hpp"
#include "http/http_client.hpp"

namespace dynamodb_mapping::detail {

/// Credentials and, for CredentialsProvider::source(), where they came from (never a secret).
struct SourcedCredentials {
  Credentials credentials{};
  std::string description{};
};

/// What STS calls need besides the profile being resolved: the caller's options (MFA callback,
/// credential_process timeout), the active profile (its region and endpoint settings hold for
/// every STS call of a chain, as in botocore), the STS region and the HTTP settings.
struct StsContext {
  CredentialsOptions options{};
  Profile active{};
  /// The active profile's region, else CredentialsOptions::region, else AWS_REGION, else
  /// AWS_DEFAULT_REGION; "" for the global endpoint.
  std::string region{};
  HttpOptions http{};
};

/// The context for `options`: loads the active profile (ConfigError for an unreadable file),
/// settles the region (ConfigError unless one DNS label) and the CA bundle (AWS_CA_BUNDLE, else
/// the profile's `ca_bundle`).
StsContext make_sts_context(const CredentialsOptions& options);

/// The assume-role source of the chain: the active profile has `role_arn` and no
/// `web_identity_token_file`. nullopt with `why_not` otherwise. The source credentials come from
/// `credential_source` (Environment, Ec2InstanceMetadata, EcsContainer) or `source_profile`,
/// itself resolved as botocore does (static keys, web identity, SSO, credential_process, or
/// another role); a cycle is a CredentialsError naming it ("a -> b -> a"), except a profile that
/// is its own source_profile and has static keys. Throws CredentialsError for a broken
/// configuration, an MFA serial without CredentialsOptions::mfa_code, or a refusal by STS.
std::optional<SourcedCredentials> assume_role_credentials(const StsContext& context,
                                                          std::string& why_not);

/// The web-identity source: AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME
/// (each, when `use_environment`, before the profile's web_identity_token_file, role_arn,
/// role_session_name). The token file is read on every call (capped at 64 KiB). nullopt with
/// `why_not` when no token file is configured; CredentialsError when it is but something else is
/// wrong.
std::optional<SourcedCredentials> web_identity_credentials(const StsContext& context,
                                                           const Profile& profile,
                                                           bool use_environment,
                                                           std::string& why_not);

}  // namespace dynamodb_mapping::detail
