#include "auth/service_endpoint.hpp"

#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping::detail {

HttpOptions credential_service_http_options() {
  HttpOptions o;
  o.connect_timeout = std::chrono::milliseconds(3000);
  o.read_timeout = std::chrono::milliseconds(10000);
  o.request_timeout = std::chrono::milliseconds(30000);
  o.max_idle_handles = 1;
  o.max_body_bytes = std::size_t{1} << 20;
  o.max_header_bytes = std::size_t{16} << 10;
  return o;
}

std::optional<ConfiguredEndpoint> configured_endpoint(const Profile& profile,
                                                      std::string_view env_suffix,
                                                      std::string_view services_key) {
  if (env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) return std::nullopt;
  const std::string specific = "AWS_ENDPOINT_URL_" + std::string(env_suffix);
  for (const std::string& name : {specific, std::string("AWS_ENDPOINT_URL")}) {
    if (std::string v = env(name.c_str()); !v.empty()) return ConfiguredEndpoint{v, name};
  }
  const std::string service_key = "services." + std::string(services_key) + ".endpoint_url";
  for (const std::string& key : {service_key, std::string("endpoint_url")}) {
    if (const std::string* v = profile.get(key); v && !v->empty()) {
      return ConfiguredEndpoint{*v, key + " in profile \"" + profile.name + "\""};
    }
  }
  return std::nullopt;
}

Endpoint checked_service_endpoint(const std::string& url, const std::string& source) {
  try {
    Endpoint e = parse_endpoint(url);
    check_transport_security(e, false, "from " + source);
    return e;
  } catch (const Error& e) {
    throw CredentialsError(e.message() + " (the endpoint from " + source + ")");
  }
}

}  // namespace dynamodb_mapping::detail
