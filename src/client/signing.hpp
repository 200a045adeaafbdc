// The signed headers of one DynamoDB JSON-protocol request.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.hpp"
#include "client/endpoint.hpp"

namespace dynamodb_mapping::detail {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// The DynamoDB API version prefix of X-Amz-Target.
inline constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";

/// Every header a DynamoDB request carries besides Content-Length: Host, Content-Type,
/// X-Amz-Target, X-Amz-Date, X-Amz-Security-Token (temporary credentials only) and
/// Authorization. Exactly the first five are signed, none that a proxy may rewrite.
Headers signed_dynamodb_headers(SigV4Signer& signer, const Endpoint& endpoint,
                                std::string_view operation, std::string_view body,
                                const Credentials& credentials, std::string_view region,
                                std::string_view amz_date);

}  // namespace dynamodb_mapping::detail
