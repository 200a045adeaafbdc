#include "client/signing.hpp"

namespace dynamodb_mapping::detail {

Headers signed_dynamodb_headers(SigV4Signer& signer, const Endpoint& endpoint,
                                std::string_view operation, std::string_view body,
                                const Credentials& credentials, std::string_view region,
                                std::string_view amz_date) {
  std::string target(kTargetPrefix);
  target.append(operation);
  Headers headers{{"Host", endpoint.host_header},
                  {"Content-Type", "application/x-amz-json-1.0"},
                  {"X-Amz-Target", std::move(target)},
                  {"X-Amz-Date", std::string(amz_date)}};
  if (!credentials.session_token.empty()) {
    headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  SigningRequest request{"POST", endpoint.path, "", {}, body};
  request.headers.reserve(headers.size());
  for (const auto& [name, value] : headers) request.headers.emplace_back(name, value);
  headers.emplace_back("Authorization",
                       signer.authorization(request, credentials, region, "dynamodb", amz_date));
  return headers;
}

}  // namespace dynamodb_mapping::detail
