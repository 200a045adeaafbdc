// caller_identity(): GetCallerIdentity with the credentials, region and profile a Client would use.
#include "auth/service_endpoint.hpp"
#include "auth/sts.hpp"
#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/sts.hpp"

namespace dynamodb_mapping {

namespace {

// The Client's region chain, except that none is not an error: STS has a global endpoint.
std::string region_for(const ClientConfig& config, const detail::Profile& profile) {
  if (!config.region.empty()) {
    detail::check_region(config.region, "ClientConfig::region");
    return config.region;
  }
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string v = detail::env(name); !v.empty()) {
      detail::check_region(v, name);
      return v;
    }
  }
  if (const std::string* r = profile.get("region"); r && !r->empty()) {
    detail::check_region(*r, "the profile's region");
    return *r;
  }
  return {};
}

}  // namespace

CallerIdentity caller_identity(const ClientConfig& config) {
  const detail::Profile profile = detail::load_profile(detail::profile_name(config.profile));
  const std::string region = region_for(config, profile);
  std::shared_ptr<CredentialsProvider> provider;
  if (config.credentials) {
    provider = static_credentials(*config.credentials);
  } else if (config.credentials_provider) {
    provider = config.credentials_provider;
  } else {
    CredentialsOptions options;
    if (!config.profile.empty()) options.profile = config.profile;
    options.region = region;
    provider = default_credentials_chain(options);
  }
  const Credentials credentials = provider->get();
  detail::HttpOptions http = detail::credential_service_http_options();
  http.ca_file = detail::resolve_ca_file(config, profile);
  http.verify_tls = config.verify_tls;
  http.should_stop = config.should_stop;
  detail::StsClient sts(detail::sts_endpoint(profile, region), std::move(http));
  const detail::StsIdentity id = sts.get_caller_identity(credentials);
  const std::string source =
      config.credentials ? std::string("ClientConfig::credentials") : provider->source();
  return CallerIdentity{id.account, id.arn, id.user_id, source};
}

}  // namespace dynamodb_mapping
