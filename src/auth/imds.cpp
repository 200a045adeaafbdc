#include "auth/imds.hpp"

#include "auth/shared_config.hpp"
#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping::detail {

namespace {

std::string metadata_base() {
  std::string base = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (base.empty()) base = "http://169.254.169.254";
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace

HttpOptions metadata_http_options() {
  HttpOptions o;
  o.connect_timeout = std::chrono::milliseconds(1000);
  o.request_timeout = std::chrono::milliseconds(2000);
  o.max_idle_handles = 1;
  // Credential documents and IMDS answers are a few KiB; anything near these caps is not one.
  o.max_body_bytes = std::size_t{64} << 10;
  o.max_header_bytes = std::size_t{16} << 10;
  return o;
}

InstanceMetadata::InstanceMetadata() : base_(metadata_base()), http_(metadata_http_options()) {}

bool InstanceMetadata::disabled() {
  return env_true("AWS_EC2_METADATA_DISABLED");
}

bool InstanceMetadata::open(std::string& why_not) {
  const auto token = http_.request("PUT", base_ + "/latest/api/token",
                                   {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}, "");
  if (token.status != 200 || token.body.empty() ||
      token.body.find_first_of("\r\n") != std::string::npos) {
    why_not = base_ + " refused an IMDSv2 token (HTTP " + std::to_string(token.status) + ")";
    return false;
  }
  token_ = token.body;
  return true;
}

HttpResponse InstanceMetadata::get(const std::string& path) {
  return http_.request("GET", base_ + path, {{"X-aws-ec2-metadata-token", token_}}, {});
}

std::optional<std::string> region_from_instance_metadata(std::string& why_not) {
  if (InstanceMetadata::disabled()) {
    why_not = "instance metadata is disabled by AWS_EC2_METADATA_DISABLED";
    return std::nullopt;
  }
  InstanceMetadata imds;
  try {
    if (!imds.open(why_not)) return std::nullopt;
    const HttpResponse r = imds.get("/latest/meta-data/placement/region");
    std::string region = r.body;
    while (!region.empty() && (region.back() == '\n' || region.back() == '\r')) region.pop_back();
    if (r.status != 200 || region.empty()) {
      why_not = imds.base() + " has no region (HTTP " + std::to_string(r.status) + ")";
      return std::nullopt;
    }
    return region;
  } catch (const NetworkError& e) {
    why_not = "instance metadata at " + imds.base() + " unreachable (" + e.message() + ")";
  } catch (const ProtocolError& e) {
    why_not = "instance metadata at " + imds.base() + ": " + e.message();
  }
  return std::nullopt;
}

}  // namespace dynamodb_mapping::detail
