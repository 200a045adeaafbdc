#include "auth/sso.hpp"

#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping::detail {

bool is_sso_profile(const Profile& profile) {
  return profile.get("sso_session") != nullptr || profile.get("sso_start_url") != nullptr;
}

Credentials sso_credentials(const Profile& profile) {
  throw CredentialsError("profile \"" + profile.name +
                         "\" uses IAM Identity Center (SSO), which is not supported yet");
}

}  // namespace dynamodb_mapping::detail
