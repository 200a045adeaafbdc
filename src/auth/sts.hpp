// STS, the AWS Security Token Service, over its Query protocol: where it is reached, the three
// calls the credential chain and caller_identity() make, and the reading of its XML answers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "auth/shared_config.hpp"
#include "dynamodb_mapping/credentials.hpp"
#include "http/http_client.hpp"

namespace dynamodb_mapping::detail {

/// Where STS calls go, the region that signs them, and where the choice came from (for messages).
struct StsEndpoint {
  std::string url{};
  std::string signing_region{};
  std::string source{};
};

/// The STS endpoint for `region` ("" when none is known) and `profile`, by botocore's rules: an
/// endpoint configured for STS (configured_endpoint with "STS"/"sts") first; no region: the
/// global https://sts.amazonaws.com (signed for us-east-1), as for region "aws-global"; with
/// AWS_STS_REGIONAL_ENDPOINTS (else the profile's `sts_regional_endpoints`) = "legacy" and a
/// region of botocore's legacy global list, the global endpoint too; else
/// https://sts[-fips].REGION.amazonaws.com (`.amazonaws.com.cn` for cn- regions), or `.api.aws`
/// for dual-stack (AWS_USE_FIPS_ENDPOINT / `use_fips_endpoint`, AWS_USE_DUALSTACK_ENDPOINT /
/// `use_dualstack_endpoint`). Throws CredentialsError for an sts_regional_endpoints value other
/// than "legacy" or "regional". The URL is not checked here (StsClient does).
StsEndpoint sts_endpoint(const Profile& profile, const std::string& region);

/// The parameters of AssumeRole; empty strings and an empty duration are not sent.
struct AssumeRoleParams {
  std::string role_arn{};
  std::string role_session_name{};
  std::string external_id{};
  std::string serial_number{};  // the profile's mfa_serial
  std::string token_code{};     // the MFA device's current code
  std::optional<int> duration_seconds{};
};

/// The parameters of AssumeRoleWithWebIdentity. The token is a secret: never in a message.
struct WebIdentityParams {
  std::string role_arn{};
  std::string role_session_name{};
  std::string web_identity_token{};
};

/// What GetCallerIdentity answers.
struct StsIdentity {
  std::string account{};
  std::string arn{};
  std::string user_id{};
};

/// A role session name for calls that were given none: "dynamodb-mapping-" and the Unix time.
std::string generated_role_session_name();

/// Checks what STS would refuse, before anything is sent: a role ARN that does not start with
/// "arn:" or is not 20 to 2048 characters, a session name not of 2 to 64 characters from
/// [A-Za-z0-9_+=,.@-], an external id not of 2 to 1224 characters from [A-Za-z0-9_+=,.@:/-], an
/// MFA serial without a six-digit code, a duration outside 900..43200 s. Throws
/// CredentialsError that starts with `where` (e.g. "profile \"dev\"") and never holds a secret.
void check_assume_role_params(const AssumeRoleParams& params, const std::string& where);

/// One STS endpoint and the HTTP connection to it. Each call is retried up to three attempts in
/// all on a connection failure, a 5xx, throttling or IDPCommunicationError (the calls change
/// nothing that a second send could undo). Every failure is a CredentialsError: an STS error
/// answer with its code, message (made printable and capped), HTTP status and request id; an
/// answer that is not the XML expected, or over credential_service_http_options()'s cap,
/// without its content. Thread-safe.
class StsClient {
 public:
  /// Checks the endpoint's URL (checked_service_endpoint) and connects lazily with `http`.
  StsClient(StsEndpoint endpoint, HttpOptions http);

  /// AssumeRole, signed with `caller`. Returns the role's credentials with their expiration.
  Credentials assume_role(const AssumeRoleParams& params, const Credentials& caller);
  /// AssumeRoleWithWebIdentity, unsigned (the token is the proof).
  Credentials assume_role_with_web_identity(const WebIdentityParams& params);
  /// GetCallerIdentity, signed with `caller`.
  StsIdentity get_caller_identity(const Credentials& caller);

  /// Where the calls go.
  const StsEndpoint& endpoint() const { return endpoint_; }

 private:
  std::string call(std::string_view action, const std::string& form, const Credentials* caller);

  StsEndpoint endpoint_;
  std::string url_;
  std::string host_header_;
  HttpClient http_;
};

/// The leaf elements of an XML document (parsed with expat), by path from the root without
/// namespace prefixes' meaning: "AssumeRoleResponse/AssumeRoleResult/Credentials/AccessKeyId".
/// nullopt when the text is not well-formed XML, has a DOCTYPE (so no entity can expand), nests
/// deeper than 16 elements or has more than 256 elements. A repeated path keeps its first text.
std::optional<std::map<std::string, std::string>> parse_sts_xml(std::string_view xml);

/// The credentials in a 200 answer of `action` ("AssumeRole", "AssumeRoleWithWebIdentity").
/// Throws CredentialsError (never echoing the answer) when it is malformed or lacks the access
/// key id, the secret, the session token or a readable Expiration.
Credentials read_credentials_answer(std::string_view xml, std::string_view action);

/// The identity in a 200 answer of GetCallerIdentity; throws as read_credentials_answer does.
StsIdentity read_caller_identity_answer(std::string_view xml);

/// An STS error answer: <ErrorResponse><Error><Code/><Message/></Error><RequestId/>.
struct StsErrorAnswer {
  std::string code{};
  std::string message{};
  std::string request_id{};
};

/// The error in an answer, or nullopt when the body is not an STS error document.
std::optional<StsErrorAnswer> read_error_answer(std::string_view xml);

}  // namespace dynamodb_mapping::detail
