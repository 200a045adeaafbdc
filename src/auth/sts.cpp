// STS over the Query protocol: the endpoint, form-encoded requests (SigV4 for AssumeRole and
// GetCallerIdentity), bounded retries, and error answers turned into CredentialsError.
#include "auth/sts.hpp"

#include <algorithm>
#include <array>
#include <thread>

#include "auth/service_endpoint.hpp"
#include "auth/sigv4.hpp"
#include "common/backoff.hpp"
#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping::detail {

namespace {

using Clock = std::chrono::system_clock;

constexpr int kMaxAttempts = 3;
constexpr std::string_view kGlobalUrl = "https://sts.amazonaws.com";

// botocore's LEGACY_GLOBAL_STS_REGIONS: the regions that `sts_regional_endpoints = legacy` sends
// to the global endpoint.
constexpr std::array<std::string_view, 16> kLegacyGlobalRegions = {
    "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
    "aws-global",     "ca-central-1", "eu-central-1",   "eu-north-1",
    "eu-west-1",      "eu-west-2",    "eu-west-3",      "sa-east-1",
    "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2"};

// A boolean setting: the environment variable when set, else the profile key.
bool setting_true(const Profile& profile, const char* env_name, const char* key) {
  if (!env(env_name).empty()) return env_true(env_name);
  const std::string* v = profile.get(key);
  if (!v) return false;
  std::string lower = *v;
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return lower == "true";
}

// RFC 3986 percent-encoding of everything but the unreserved characters, as the Query protocol
// and SigV4 expect.
std::string form_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void add_param(std::string& form, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  form += '&';
  form += name;
  form += '=';
  form += form_encode(value);
}

bool all_of_chars(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

bool retryable_code(std::string_view code) {
  for (std::string_view c :
       {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
        "IDPCommunicationError", "RequestTimeout", "RequestTimeoutException"}) {
    if (code == c) return true;
  }
  return false;
}

}  // namespace

StsEndpoint sts_endpoint(const Profile& profile, const std::string& region) {
  const std::string signing = region.empty() || region == "aws-global" ? "us-east-1" : region;
  if (auto configured = configured_endpoint(profile, "STS", "sts")) {
    return {configured->url, signing, configured->source};
  }
  std::string mode = env("AWS_STS_REGIONAL_ENDPOINTS");
  std::string mode_source = "AWS_STS_REGIONAL_ENDPOINTS";
  if (mode.empty()) {
    const std::string* v = profile.get("sts_regional_endpoints");
    mode = v ? *v : std::string();
    mode_source = "sts_regional_endpoints in profile \"" + profile.name + "\"";
  }
  if (!mode.empty() && mode != "legacy" && mode != "regional") {
    throw CredentialsError(mode_source + " must be \"legacy\" or \"regional\"");
  }
  if (region.empty() || region == "aws-global") {
    return {std::string(kGlobalUrl), signing, "the global endpoint (no region)"};
  }
  const bool fips = setting_true(profile, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
  const bool dualstack =
      setting_true(profile, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
  const bool legacy_region = std::find(kLegacyGlobalRegions.begin(), kLegacyGlobalRegions.end(),
                                       region) != kLegacyGlobalRegions.end();
  if (mode == "legacy" && legacy_region && !fips && !dualstack) {
    return {std::string(kGlobalUrl), "us-east-1", "the global endpoint (" + mode_source + ")"};
  }
  const bool china = region.rfind("cn-", 0) == 0;
  const char* domain = dualstack ? (china ? ".api.amazonwebservices.com.cn" : ".api.aws")
                                 : (china ? ".amazonaws.com.cn" : ".amazonaws.com");
  return {"https://" + std::string(fips ? "sts-fips." : "sts.") + region + domain, signing,
          "the regional endpoint of " + region};
}

std::string generated_role_session_name() {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
  return "dynamodb-mapping-" + std::to_string(seconds);
}

void check_assume_role_params(const AssumeRoleParams& p, const std::string& where) {
  auto fail = [&](const std::string& what) { throw CredentialsError(where + ": " + what); };
  if (p.role_arn.rfind("arn:", 0) != 0 || p.role_arn.size() < 20 || p.role_arn.size() > 2048) {
    fail("role_arn must be an ARN (arn:...) of 20 to 2048 characters");
  }
  const std::string& name = p.role_session_name;
  if (name.size() < 2 || name.size() > 64 || !all_of_chars(name, "_+=,.@-")) {
    fail("role_session_name must be 2 to 64 characters from A-Z a-z 0-9 _+=,.@-");
  }
  const std::string& ext = p.external_id;
  if (!ext.empty() && (ext.size() < 2 || ext.size() > 1224 || !all_of_chars(ext, "_+=,.@:/-"))) {
    fail("external_id must be 2 to 1224 characters from A-Z a-z 0-9 _+=,.@:/-");
  }
  if (!p.serial_number.empty()) {
    if (p.serial_number.size() < 9 || p.serial_number.size() > 256 ||
        !all_of_chars(p.serial_number, "_+=/:,.@-")) {
      fail("mfa_serial must be 9 to 256 characters from A-Z a-z 0-9 _+=/:,.@-");
    }
    const std::string& code = p.token_code;
    if (code.size() != 6 ||
        !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      fail("the MFA code for " + p.serial_number + " must be six digits");
    }
  }
  if (p.duration_seconds && (*p.duration_seconds < 900 || *p.duration_seconds > 43200)) {
    fail("duration_seconds must be from 900 to 43200");
  }
}

StsClient::StsClient(StsEndpoint endpoint, HttpOptions http)
    : endpoint_(std::move(endpoint)), http_(std::move(http)) {
  const Endpoint e = checked_service_endpoint(endpoint_.url, endpoint_.source);
  url_ = e.url;
  host_header_ = e.host_header;
}

std::string StsClient::call(std::string_view action, const std::string& form,
                            const Credentials* caller) {
  const std::string what = "STS " + std::string(action) + " at " + url_;
  SigV4Signer signer;
  for (int attempt = 1;; ++attempt) {
    std::vector<std::pair<std::string, std::string>> headers{
        {"Host", host_header_},
        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    if (caller) {
      const std::string date = amz_date(Clock::now());
      headers.emplace_back("X-Amz-Date", date);
      if (!caller->session_token.empty()) {
        headers.emplace_back("X-Amz-Security-Token", caller->session_token);
      }
      SigningRequest request{"POST", "/", "", {}, form};
      for (const auto& [name, value] : headers) request.headers.emplace_back(name, value);
      headers.emplace_back(
          "Authorization",
          signer.authorization(request, *caller, endpoint_.signing_region, "sts", date));
    }
    std::string failure;
    try {
      // The calls are reads as far as a re-send goes: a second AssumeRole only mints another
      // session.
      const HttpResponse r = http_.post(url_, headers, form, true);
      if (r.status == 200) return r.body;
      const auto error = read_error_answer(r.body);
      const bool retry = r.status >= 500 || (error && retryable_code(error->code));
      if (!retry || attempt == kMaxAttempts) {
        if (error) {
          throw CredentialsError(error->code, what + " refused: " + error->message,
                                 static_cast<int>(r.status), error->request_id);
        }
        throw CredentialsError(what + " answered HTTP " + std::to_string(r.status));
      }
    } catch (const NetworkError& e) {
      if (attempt == kMaxAttempts) {
        throw CredentialsError(what + " failed after " + std::to_string(attempt) +
                               " attempts: " + e.code() + ": " + e.message());
      }
    } catch (const ProtocolError& e) {
      throw CredentialsError(what + ": " + e.code() + ": " + e.message());
    }
    std::this_thread::sleep_for(
        full_jitter(attempt - 1, std::chrono::milliseconds(100), std::chrono::milliseconds(2000)));
  }
}

Credentials StsClient::assume_role(const AssumeRoleParams& p, const Credentials& caller) {
  std::string form = "Action=AssumeRole&Version=2011-06-15";
  add_param(form, "RoleArn", p.role_arn);
  add_param(form, "RoleSessionName", p.role_session_name);
  add_param(form, "ExternalId", p.external_id);
  add_param(form, "SerialNumber", p.serial_number);
  add_param(form, "TokenCode", p.token_code);
  if (p.duration_seconds) add_param(form, "DurationSeconds", std::to_string(*p.duration_seconds));
  return read_credentials_answer(call("AssumeRole", form, &caller), "AssumeRole");
}

Credentials StsClient::assume_role_with_web_identity(const WebIdentityParams& p) {
  std::string form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15";
  add_param(form, "RoleArn", p.role_arn);
  add_param(form, "RoleSessionName", p.role_session_name);
  add_param(form, "WebIdentityToken", p.web_identity_token);
  return read_credentials_answer(call("AssumeRoleWithWebIdentity", form, nullptr),
                                 "AssumeRoleWithWebIdentity");
}

StsIdentity StsClient::get_caller_identity(const Credentials& caller) {
  return read_caller_identity_answer(
      call("GetCallerIdentity", "Action=GetCallerIdentity&Version=2011-06-15", &caller));
}

}  // namespace dynamodb_mapping::detail
