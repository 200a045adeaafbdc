// AWS credentials and where they come from.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "dynamodb_mapping/export.hpp"

namespace dynamodb_mapping {

/// An AWS access key pair, with a session token for temporary credentials. `expiration` is set for
/// credentials that expire (from STS, SSO, credential_process, container or instance metadata); the
/// library refreshes those before they do. `operator<<` never prints the secret or the token.
struct Credentials {
  /// The access key id (AKIA... or, for temporary credentials, ASIA...).
  std::string access_key_id;
  /// The secret access key.
  std::string secret_access_key;
  /// The session token of temporary credentials; empty for long-term keys.
  std::string session_token;
  /// When temporary credentials expire; empty when they do not.
  std::optional<std::chrono::system_clock::time_point> expiration;

  /// All four fields equal.
  friend bool operator==(const Credentials&, const Credentials&) = default;
};

/// Prints the last four characters of the access key id only, e.g. `Credentials{...MPLE}`.
DDBMAP_API std::ostream& operator<<(std::ostream& os, const Credentials& c);

/// A source of credentials. `get()` is called before each request and must be thread-safe;
/// implementations cache and refresh as needed. Throws CredentialsError when it has none.
class DDBMAP_API CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  /// Credentials to sign the next request with; throws CredentialsError when there are none.
  virtual Credentials get() = 0;
  /// Where the last credentials get() returned came from, for people (`ddbmap whoami`, error
  /// messages), e.g. "shared config files (profile dev: assume role ... from profile base)".
  /// Never holds a secret. The default says only that the provider is the caller's own.
  virtual std::string source() const { return "a caller-supplied provider"; }
};

/// Options that steer the default chain; empty fields mean "from the environment".
struct CredentialsOptions {
  /// Profile name in the shared files; default: AWS_PROFILE, else "default".
  std::optional<std::string> profile;
  /// How long a profile's `credential_process` may run. When it has not exited by then, it is
  /// killed together with every process it started, and get() throws CredentialsError. Its
  /// output to stdout is capped at 1 MiB (a credentials document is a few hundred bytes); more is
  /// a CredentialsError too.
  std::chrono::milliseconds credential_process_timeout{60000};
  /// Region for the STS calls of assume-role and web-identity profiles when the profile names
  /// none (a Client passes the region it resolved). Empty and no profile region: AWS_REGION,
  /// else AWS_DEFAULT_REGION, else the global STS endpoint.
  std::string region{};
  /// Asked for the current code of the MFA device `mfa_serial` when a profile with `role_arn` has
  /// `mfa_serial`; returns the code (six digits). Unset: such a profile is a CredentialsError.
  /// The library never reads a terminal itself; `ddbmap` prompts on one.
  std::function<std::string(const std::string& mfa_serial)> mfa_code{};
};

/// The standard chain, in botocore's order: environment (AWS_ACCESS_KEY_ID,
/// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) > an assume-role profile (`role_arn` with
/// `source_profile` or `credential_source`: STS AssumeRole) > web identity
/// (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, or the profile's `web_identity_token_file`:
/// STS AssumeRoleWithWebIdentity) > IAM Identity Center (SSO) > the profile's static keys or
/// `credential_process` (~/.aws/credentials and ~/.aws/config or AWS_SHARED_CREDENTIALS_FILE and
/// AWS_CONFIG_FILE) > container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI;
/// plain http only to loopback or the container hosts, never with userinfo in the URL) > EC2
/// instance metadata (IMDSv2). The first source that has credentials wins and is remembered;
/// expiring credentials are refreshed from it five minutes before expiry (fifteen for instance
/// metadata) by one thread at a time, while the others keep the old ones if they are still
/// valid (else wait); a failed refresh keeps serving still-valid credentials. When no source has
/// any, get() throws a CredentialsError that names every source tried and why it had none; a
/// source that is set up but broken throws at once. A shared file that is not a regular file (a
/// FIFO, a device) or is over 4 MiB is a ConfigError naming it. source() describes the source,
/// e.g. "shared config files (profile \"dev\": assume role ARN from profile base (static keys))".
DDBMAP_API std::shared_ptr<CredentialsProvider> default_credentials_chain(
    CredentialsOptions options = {});

/// A provider that always returns the same credentials.
DDBMAP_API std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials);

}  // namespace dynamodb_mapping
