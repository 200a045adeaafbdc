#include "auth/assume_role.hpp"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "auth/service_endpoint.hpp"
#include "auth/sources.hpp"
#include "auth/sso.hpp"
#include "auth/sts.hpp"
#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping::detail {

namespace {

// A web identity token is a JWT of a few KiB (STS takes up to 20,000 characters).
constexpr std::size_t kMaxTokenFileBytes = std::size_t{64} << 10;

std::string profile_text(const std::string& profile) {
  return "profile \"" + profile + "\"";
}

const std::string* setting(const Profile& p, const char* key) {
  const std::string* v = p.get(key);
  return v && !v->empty() ? v : nullptr;
}

bool has_static_keys(const Profile& p) {
  return p.get("aws_access_key_id") != nullptr || p.get("aws_secret_access_key") != nullptr;
}

// botocore's test for an assume-role profile: role_arn, and no web identity token file (such a
// profile is a web identity profile).
bool is_role_profile(const Profile& p) {
  return setting(p, "role_arn") != nullptr && p.get("web_identity_token_file") == nullptr;
}

std::string read_token_file(const std::string& path, const std::string& from) {
  std::optional<std::string> text;
  try {
    text = read_small_file(path, kMaxTokenFileBytes, "web identity token file");
  } catch (const ConfigError& e) {
    throw CredentialsError(e.message() + " (from " + from + ")");
  }
  if (!text) {
    throw CredentialsError("web identity token file " + path + " (from " + from +
                           ") does not exist");
  }
  const auto first = text->find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    throw CredentialsError("web identity token file " + path + " (from " + from + ") is empty");
  }
  return text->substr(first, text->find_last_not_of(" \t\r\n") - first + 1);
}

class RoleResolver {
 public:
  RoleResolver(const StsContext& context, std::string first_profile)
      : visited_{std::move(first_profile)}, context_(context) {}

  // Assumes the role of `p` (a role profile); `visited_` holds the profiles on the way here.
  SourcedCredentials assume(const Profile& p) {
    const std::string& role_arn = *setting(p, "role_arn");
    const std::string* source_profile = setting(p, "source_profile");
    const std::string* credential_source = setting(p, "credential_source");
    if (source_profile && credential_source) {
      throw CredentialsError(profile_text(p.name) +
                             " has both source_profile and credential_source");
    }
    if (!source_profile && !credential_source) {
      throw CredentialsError(profile_text(p.name) +
                             " has role_arn but neither source_profile nor credential_source");
    }
    SourcedCredentials source = credential_source ? from_credential_source(*credential_source, p)
                                                  : from_source_profile(*source_profile, p);
    AssumeRoleParams params;
    params.role_arn = role_arn;
    const std::string* name = setting(p, "role_session_name");
    params.role_session_name = name ? *name : generated_role_session_name();
    if (const std::string* v = setting(p, "external_id")) params.external_id = *v;
    if (const std::string* v = setting(p, "duration_seconds")) {
      char* end = nullptr;
      const long seconds = std::strtol(v->c_str(), &end, 10);
      if (*end != '\0' || seconds < 900 || seconds > 43200) {
        throw CredentialsError(profile_text(p.name) +
                               ": duration_seconds must be a whole number from 900 to 43200");
      }
      params.duration_seconds = static_cast<int>(seconds);
    }
    if (const std::string* serial = setting(p, "mfa_serial")) {
      if (!context_.options.mfa_code) {
        throw CredentialsError(profile_text(p.name) + " has mfa_serial " + *serial +
                               ", but no MFA code can be asked for (CredentialsOptions::mfa_code "
                               "is not set)");
      }
      params.serial_number = *serial;
      params.token_code = context_.options.mfa_code(*serial);
    }
    check_assume_role_params(params, profile_text(p.name));
    StsClient sts(sts_endpoint(context_.active, context_.region), context_.http);
    return {sts.assume_role(params, source.credentials),
            "assume role " + role_arn + " from " + source.description};
  }

 private:
  SourcedCredentials from_credential_source(const std::string& name, const Profile& p) {
    std::string why_not;
    std::optional<Credentials> c;
    if (name == "Environment") {
      c = credentials_from_environment(why_not);
    } else if (name == "Ec2InstanceMetadata") {
      c = credentials_from_instance_metadata(why_not);
    } else if (name == "EcsContainer") {
      c = credentials_from_container(why_not);
    } else {
      throw CredentialsError(profile_text(p.name) + ": credential_source \"" + name +
                             "\" is not one of Environment, Ec2InstanceMetadata, EcsContainer");
    }
    if (!c) {
      throw CredentialsError("credential_source " + name + " of " + profile_text(p.name) +
                             " has no credentials: " + why_not);
    }
    return {std::move(*c), "credential_source " + name};
  }

  SourcedCredentials from_source_profile(const std::string& name, const Profile& parent) {
    const bool seen = std::find(visited_.begin(), visited_.end(), name) != visited_.end();
    Profile p = load_profile(name);
    if (!p.found) {
      throw CredentialsError("source_profile \"" + name + "\" of " + profile_text(parent.name) +
                             " does not exist");
    }
    // A profile may name itself to take its own static keys; any other return is a cycle.
    if (seen && !(name == parent.name && has_static_keys(p))) {
      std::string cycle;
      for (const auto& v : visited_) cycle += v + " -> ";
      throw CredentialsError("source_profile cycle: " + cycle + name);
    }
    visited_.push_back(name);
    SourcedCredentials c = from_profile(p);
    c.description = "profile " + name + " (" + c.description + ")";
    return c;
  }

  // A source profile's credentials, as botocore finds them: a role profile without static keys
  // assumes its role; any other profile is tried for web identity (its own keys only), SSO,
  // static keys and credential_process.
  SourcedCredentials from_profile(const Profile& p) {
    if (!has_static_keys(p) && is_role_profile(p)) return assume(p);
    std::string why_not;
    if (auto w = web_identity_credentials(context_, p, false, why_not)) return std::move(*w);
    if (is_sso_profile(p)) return {sso_credentials(p), "IAM Identity Center"};
    if (has_static_keys(p)) {
      const std::string* id = setting(p, "aws_access_key_id");
      const std::string* secret = setting(p, "aws_secret_access_key");
      if (!id || !secret) {
        throw CredentialsError(profile_text(p.name) +
                               " has only one of aws_access_key_id and aws_secret_access_key");
      }
      const std::string* token = setting(p, "aws_session_token");
      return {Credentials{*id, *secret, token ? *token : std::string(), {}}, "static keys"};
    }
    if (const std::string* process = setting(p, "credential_process")) {
      return {credentials_from_process(*process, context_.options.credential_process_timeout),
              "credential_process"};
    }
    throw CredentialsError("source profile \"" + p.name + "\" has no credentials");
  }

  std::vector<std::string> visited_;  // the profiles on the way, for cycles
  const StsContext& context_;
};

}  // namespace

StsContext make_sts_context(const CredentialsOptions& options) {
  StsContext c;
  c.options = options;
  c.active = load_profile(profile_name(options.profile.value_or("")));
  std::string source;
  if (const std::string* r = setting(c.active, "region")) {
    c.region = *r;
    source = "the region of " + profile_text(c.active.name);
  } else if (!options.region.empty()) {
    c.region = options.region;
    source = "CredentialsOptions::region";
  } else {
    for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      if (std::string v = env(name); !v.empty()) {
        c.region = v;
        source = name;
        break;
      }
    }
  }
  if (!c.region.empty()) check_region(c.region, source);
  c.http = credential_service_http_options();
  c.http.ca_file = resolve_ca_file(ClientConfig{}, c.active);
  return c;
}

std::optional<SourcedCredentials> assume_role_credentials(const StsContext& context,
                                                          std::string& why_not) {
  const Profile& p = context.active;
  if (!is_role_profile(p)) {
    why_not = profile_text(p.name) + " has no role_arn";
    if (p.get("role_arn")) why_not = profile_text(p.name) + " is a web identity profile";
    return std::nullopt;
  }
  RoleResolver resolver(context, p.name);
  SourcedCredentials c = resolver.assume(p);
  c.description = profile_text(p.name) + ": " + c.description;
  return c;
}

std::optional<SourcedCredentials> web_identity_credentials(const StsContext& context,
                                                           const Profile& profile,
                                                           bool use_environment,
                                                           std::string& why_not) {
  // Each setting from the environment when allowed and set, else from the profile.
  auto get = [&](const char* env_name, const char* key, std::string& from) -> std::string {
    if (use_environment) {
      if (std::string v = env(env_name); !v.empty()) {
        from = env_name;
        return v;
      }
    }
    if (const std::string* v = setting(profile, key)) {
      from = std::string(key) + " in " + profile_text(profile.name);
      return *v;
    }
    return {};
  };
  std::string token_from, arn_from, name_from;
  const std::string token_file =
      get("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file", token_from);
  if (token_file.empty()) {
    why_not = (use_environment ? "AWS_WEB_IDENTITY_TOKEN_FILE is not set and " : "") +
              profile_text(profile.name) + " has no web_identity_token_file";
    return std::nullopt;
  }
  WebIdentityParams params;
  params.role_arn = get("AWS_ROLE_ARN", "role_arn", arn_from);
  if (params.role_arn.empty()) {
    throw CredentialsError("a web identity token file is set (" + token_from +
                           ") but no role: set AWS_ROLE_ARN or role_arn in " +
                           profile_text(profile.name));
  }
  params.role_session_name = get("AWS_ROLE_SESSION_NAME", "role_session_name", name_from);
  if (params.role_session_name.empty()) params.role_session_name = generated_role_session_name();
  // The same checks as AssumeRole's for the parameters both calls share.
  AssumeRoleParams shared;
  shared.role_arn = params.role_arn;
  shared.role_session_name = params.role_session_name;
  check_assume_role_params(shared, "web identity (" + arn_from + ")");
  params.web_identity_token = read_token_file(token_file, token_from);
  StsClient sts(sts_endpoint(context.active, context.region), context.http);
  return SourcedCredentials{
      sts.assume_role_with_web_identity(params),
      "web identity: role " + params.role_arn + ", token file from " + token_from};
}

}  // namespace dynamodb_mapping::detail
