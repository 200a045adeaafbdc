// A Client's configuration: region, endpoint, CA bundle, attempts and credentials, each from its
// chain (ClientConfig, then the environment, then the shared config files).
#include <cstdlib>
#include <iostream>

#include "auth/imds.hpp"
#include "client/client_impl.hpp"

namespace dynamodb_mapping {

namespace {

using detail::env;

const std::string& valid_region(const std::string& region, const char* source) {
  detail::check_region(region, source);
  return region;
}

std::string resolve_region(const ClientConfig& c, const detail::Profile& profile) {
  if (!c.region.empty()) return valid_region(c.region, "ClientConfig::region");
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string v = env(name); !v.empty()) return valid_region(v, name);
  }
  if (const std::string* r = profile.get("region"); r && !r->empty()) {
    return valid_region(*r, "the profile's region");
  }
  // On EC2, the instance's own region (botocore's IMDSRegionProvider), after everything the user
  // set. Off EC2 this costs one connection attempt, up to a second, and only when nothing else
  // names a region; AWS_EC2_METADATA_DISABLED=true skips it.
  std::string why_not;
  if (auto r = detail::region_from_instance_metadata(why_not)) {
    return valid_region(*r, "the instance metadata's region");
  }
  throw ConfigError(
      "no AWS region: set ClientConfig::region, AWS_REGION or AWS_DEFAULT_REGION, or `region` "
      "in profile \"" +
      profile.name + "\" of " + detail::config_file_path() + " (" + why_not + ")");
}

// The endpoint URL and, for error messages, where it came from.
struct EndpointSetting {
  std::string url;
  std::string source;
};

EndpointSetting resolve_endpoint(const ClientConfig& c, const detail::Profile& profile,
                                 const std::string& region) {
  if (!c.endpoint_url.empty()) return {c.endpoint_url, "ClientConfig::endpoint_url"};
  if (!detail::env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    for (const char* name : {"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"}) {
      if (std::string v = env(name); !v.empty()) return {v, name};
    }
    for (const char* key : {"services.dynamodb.endpoint_url", "endpoint_url"}) {
      if (const std::string* v = profile.get(key); v && !v->empty()) {
        return {*v, std::string(key) + " in profile \"" + profile.name + "\""};
      }
    }
  }
  const bool china = region.rfind("cn-", 0) == 0;
  return {"https://dynamodb." + region + (china ? ".amazonaws.com.cn" : ".amazonaws.com"),
          "the default for region " + region};
}

bool resolve_allow_insecure_http(const ClientConfig& c) {
  return c.allow_insecure_http || detail::env_true("DYNAMODB_MAPPING_ALLOW_INSECURE_HTTP");
}

int resolve_max_attempts(const ClientConfig& c, const detail::Profile& profile) {
  auto parse = [](const std::string& s, const char* where) {
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || v < 1 || v > 100) {
      throw ConfigError(std::string(where) + " must be a whole number from 1 to 100");
    }
    return static_cast<int>(v);
  };
  if (c.max_attempts < 0) throw ConfigError("ClientConfig::max_attempts must not be negative");
  if (c.max_attempts > 0) return c.max_attempts;
  if (std::string v = env("AWS_MAX_ATTEMPTS"); !v.empty()) return parse(v, "AWS_MAX_ATTEMPTS");
  if (const std::string* v = profile.get("max_attempts")) return parse(*v, "profile max_attempts");
  return 3;
}

detail::HttpOptions http_options(const ClientConfig& c) {
  detail::HttpOptions o;
  o.connect_timeout = c.connect_timeout;
  o.read_timeout = c.read_timeout;
  o.request_timeout = c.request_timeout;
  o.max_body_bytes = c.max_response_bytes;
  o.verify_tls = c.verify_tls;
  o.should_stop = c.should_stop;
  o.ca_file = c.ca_file;  // resolved: ClientConfig, AWS_CA_BUNDLE, the profile's ca_bundle
  return o;
}

}  // namespace

Client::Impl::Impl(ClientConfig c) : config(std::move(c)) {
  const detail::Profile profile = detail::load_profile(detail::profile_name(config.profile));
  region = resolve_region(config, profile);
  const EndpointSetting setting = resolve_endpoint(config, profile, region);
  try {
    endpoint = detail::parse_endpoint(setting.url);
  } catch (const ValidationError& e) {
    throw ConfigError(e.message() + " (from " + setting.source + ")");
  }
  const bool insecure_allowed = resolve_allow_insecure_http(config);
  detail::check_transport_security(endpoint, insecure_allowed, "from " + setting.source);
  // The bundle matters only where it is used: botocore ignores it for http:// and without
  // verification too, so a stale AWS_CA_BUNDLE does not break a local test server.
  config.ca_file = detail::resolve_ca_file(config, profile);
  if (endpoint.scheme == "https" && config.verify_tls && !config.ca_file.empty()) {
    detail::check_ca_file(config.ca_file);
  }
  http = std::make_unique<detail::HttpClient>(http_options(config));
  max_attempts = resolve_max_attempts(config, profile);
  if (config.credentials) {
    credentials = static_credentials(*config.credentials);
  } else if (config.credentials_provider) {
    credentials = config.credentials_provider;
  } else {
    CredentialsOptions options;
    if (!config.profile.empty()) options.profile = config.profile;
    options.region = region;  // for STS when the profile names none
    credentials = default_credentials_chain(options);
  }
  if (!config.verify_tls) {
    std::cerr << "dynamodb-mapping: TLS certificate verification is OFF for " << endpoint.url
              << " (ClientConfig::verify_tls = false)\n";
  }
  if (endpoint.scheme == "http" && !endpoint.loopback) {
    std::cerr << "dynamodb-mapping: plain http:// to " << endpoint.url
              << " is allowed (ClientConfig::allow_insecure_http or "
                 "DYNAMODB_MAPPING_ALLOW_INSECURE_HTTP); requests travel unencrypted\n";
  }
}

}  // namespace dynamodb_mapping
