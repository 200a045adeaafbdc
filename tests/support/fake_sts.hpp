// A fake STS for tests: the Query protocol's form bodies read back into parameters, and answers
// in the shapes of the STS API reference (AssumeRole, AssumeRoleWithWebIdentity,
// GetCallerIdentity, ErrorResponse).
#pragma once

#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "support/http_server.hpp"

namespace ddbtest {

/// The secret and token the default FakeSts answer hands out (tests check they never leak).
inline constexpr const char* kStsRoleSecret = "RoleSecretzzK7MDENGbPxRfiCYzzROLESECRET";
inline constexpr const char* kStsRoleToken = "IQoJb3JpZ2luX2VjEXAMPLEzzROLETOKENzz";

/// The parameters of a form-encoded body ("Action=AssumeRole&RoleArn=arn%3A...").
inline std::map<std::string, std::string> form_params(const std::string& body) {
  std::map<std::string, std::string> params;
  auto decode = [](const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += s[i] == '+' ? ' ' : s[i];
      }
    }
    return out;
  };
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find('&', pos);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(pos, end - pos);
    const auto eq = pair.find('=');
    params[decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : decode(pair.substr(eq + 1));
    pos = end + 1;
  }
  return params;
}

/// ISO 8601 UTC, as STS writes Expiration.
inline std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// A 200 answer of `action` (AssumeRole or AssumeRoleWithWebIdentity) with these credentials,
/// expiring `valid_for` from now (negative: already expired).
inline Action sts_credentials_answer(const std::string& action, const std::string& key_id,
                                     const std::string& secret, const std::string& token,
                                     std::chrono::seconds valid_for) {
  const std::string expiration = iso8601_utc(std::chrono::system_clock::now() + valid_for);
  std::string xml = "<" + action +
                    "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
                    "  <" +
                    action +
                    "Result>\n"
                    "    <AssumedRoleUser>\n"
                    "      <Arn>arn:aws:sts::123456789012:assumed-role/demo/session</Arn>\n"
                    "      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:session</AssumedRoleId>\n"
                    "    </AssumedRoleUser>\n"
                    "    <Credentials>\n"
                    "      <AccessKeyId>" +
                    key_id +
                    "</AccessKeyId>\n"
                    "      <SecretAccessKey>" +
                    secret +
                    "</SecretAccessKey>\n"
                    "      <SessionToken>" +
                    token +
                    "</SessionToken>\n"
                    "      <Expiration>" +
                    expiration +
                    "</Expiration>\n"
                    "    </Credentials>\n"
                    "    <PackedPolicySize>6</PackedPolicySize>\n"
                    "  </" +
                    action +
                    "Result>\n"
                    "  <ResponseMetadata>\n"
                    "    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
                    "  </ResponseMetadata>\n"
                    "</" +
                    action + "Response>\n";
  return Action::respond({200, {{"Content-Type", "text/xml"}}, xml});
}

/// An STS ErrorResponse with HTTP `status`.
inline Action sts_error_answer(int status, const std::string& code, const std::string& message) {
  const std::string xml =
      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
      "  <Error>\n    <Type>Sender</Type>\n    <Code>" +
      code +
      "</Code>\n"
      "    <Message>" +
      message +
      "</Message>\n  </Error>\n"
      "  <RequestId>4b5a1c2d-0000-4000-8000-000000000000</RequestId>\n"
      "</ErrorResponse>\n";
  return Action::respond({status, {{"Content-Type", "text/xml"}}, xml});
}

/// A GetCallerIdentity answer.
inline Action sts_identity_answer(const std::string& account, const std::string& arn,
                                  const std::string& user_id) {
  const std::string xml =
      "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
      "  <GetCallerIdentityResult>\n    <Arn>" +
      arn + "</Arn>\n    <UserId>" + user_id + "</UserId>\n    <Account>" + account +
      "</Account>\n  </GetCallerIdentityResult>\n"
      "  <ResponseMetadata>\n    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n"
      "  </ResponseMetadata>\n</GetCallerIdentityResponse>\n";
  return Action::respond({200, {{"Content-Type", "text/xml"}}, xml});
}

// A fake STS that records every request and answers through `answer` (by default: role
// credentials named after the role's last path element, valid for an hour).
class FakeSts {
 public:
  using Answer = std::function<ddbtest::Action(const ddbtest::HttpRequest&, int call)>;
  explicit FakeSts(Answer answer = {})
      : answer_(answer ? std::move(answer) : default_answer()),
        server_([this](const ddbtest::HttpRequest& r) {
          int call;
          {
            std::lock_guard lock(mutex_);
            requests_.push_back(r);
            call = static_cast<int>(requests_.size());
          }
          return answer_(r, call);
        }) {}

  std::string url() const { return server_.url(); }
  std::vector<ddbtest::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::map<std::string, std::string> params(std::size_t i) const {
    return form_params(requests()[i].body);
  }
  int count() const { return server_.requests(); }

  static Answer default_answer() {
    return [](const ddbtest::HttpRequest& r, int) {
      const auto p = form_params(r.body);
      const std::string action = p.count("Action") ? p.at("Action") : "";
      const std::string arn = p.count("RoleArn") ? p.at("RoleArn") : "";
      const std::string role = "ASIA" + arn.substr(arn.rfind('/') + 1);
      return ddbtest::sts_credentials_answer(action, role, kStsRoleSecret, kStsRoleToken,
                                             std::chrono::hours(1));
    };
  }

 private:
  Answer answer_;
  mutable std::mutex mutex_;
  std::vector<ddbtest::HttpRequest> requests_;
  ddbtest::TestHttpServer server_;
};

}  // namespace ddbtest
