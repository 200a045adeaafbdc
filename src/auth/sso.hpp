// IAM Identity Center (SSO) profiles: the token cache `aws sso login` writes, its refresh through
// SSO-OIDC CreateToken, and GetRoleCredentials.
#pragma once

#include "auth/shared_config.hpp"
#include "dynamodb_mapping/credentials.hpp"

namespace dynamodb_mapping::detail {

/// Whether the profile is an IAM Identity Center profile: it has `sso_session` or the legacy
/// `sso_start_url`.
bool is_sso_profile(const Profile& profile);

/// Role credentials for an IAM Identity Center profile (is_sso_profile), with their expiration.
/// Throws CredentialsError when the profile's SSO settings are incomplete, when there is no
/// usable cached login ("run aws sso login --profile NAME"), or when the service refuses.
Credentials sso_credentials(const Profile& profile);

}  // namespace dynamodb_mapping::detail
