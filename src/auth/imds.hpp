// The EC2 instance metadata service, version 2: a session token first, then GETs that carry it.
#pragma once

#include <optional>
#include <string>

#include "http/http_client.hpp"

namespace dynamodb_mapping::detail {

/// Options for the instance metadata and container credential endpoints, both on the local
/// network: 1 s to connect, 2 s an answer, answers capped at 64 KiB and headers at 16 KiB.
HttpOptions metadata_http_options();

/// One conversation with the instance metadata service at AWS_EC2_METADATA_SERVICE_ENDPOINT (else
/// http://169.254.169.254): 1 s to connect, 2 s an answer, answers capped at 64 KiB.
class InstanceMetadata {
 public:
  InstanceMetadata();

  /// Whether AWS_EC2_METADATA_DISABLED=true turns the service off.
  static bool disabled();

  /// The service's base URL, without a trailing slash.
  const std::string& base() const { return base_; }

  /// Gets an IMDSv2 session token. Returns false, with `why_not` set, when the service refuses
  /// one. Throws NetworkError when it cannot be reached, ProtocolError for an oversized answer.
  bool open(std::string& why_not);

  /// GET `path` (from "/latest/...") with the session token; any HTTP status is returned.
  /// Throws as open() does. open() must have returned true.
  HttpResponse get(const std::string& path);

 private:
  std::string base_;
  std::string token_;
  HttpClient http_;
};

/// The instance's region from /latest/meta-data/placement/region, or nullopt (with `why_not`)
/// when the service is disabled, unreachable or has none. Never throws for an unreachable service.
std::optional<std::string> region_from_instance_metadata(std::string& why_not);

}  // namespace dynamodb_mapping::detail
