// Where the services that hand out credentials (STS, IAM Identity Center, its OIDC service and
// the EC2 instance metadata service) are reached, and how far their answers are trusted in size.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "auth/shared_config.hpp"
#include "client/endpoint.hpp"
#include "http/http_client.hpp"

namespace dynamodb_mapping::detail {

/// Options for one call to a credential service: 3 s to connect, 10 s without a byte, 30 s in all;
/// an answer over 1 MiB (STS and SSO answers are a few KiB) or headers over 16 KiB are a
/// ProtocolError "ResponseTooLarge". One idle connection kept.
HttpOptions credential_service_http_options();

/// An endpoint URL set by the user for one service, and where it was set (for messages).
struct ConfiguredEndpoint {
  std::string url;
  std::string source;
};

/// The endpoint configured for a service, by botocore's precedence: the environment variable
/// AWS_ENDPOINT_URL_<env_suffix> (e.g. "STS", "SSO", "SSO_OIDC"), then AWS_ENDPOINT_URL, then the
/// profile's `services` section key `<services_key>.endpoint_url` (e.g. "sts", "sso", "sso-oidc"),
/// then the profile's `endpoint_url`. nullopt when none is set or
/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true.
std::optional<ConfiguredEndpoint> configured_endpoint(const Profile& profile,
                                                      std::string_view env_suffix,
                                                      std::string_view services_key);

/// Parses a credential service's URL and applies the transport rule of DynamoDB endpoints: plain
/// http only to this machine (loopback), since the answer carries secrets. Throws
/// CredentialsError naming `source` (never echoing the URL's query) when it is malformed or not
/// allowed.
Endpoint checked_service_endpoint(const std::string& url, const std::string& source);

}  // namespace dynamodb_mapping::detail
