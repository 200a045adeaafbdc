// The default credentials chain: its sources in botocore's order, and the cache in front of the
// chosen one (refreshed ahead of expiry by one thread at a time).
#include "dynamodb_mapping/credentials.hpp"

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "auth/assume_role.hpp"
#include "auth/shared_config.hpp"
#include "auth/sources.hpp"
#include "auth/sso.hpp"
#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping {

namespace {

using Clock = std::chrono::system_clock;

// Refresh this long before expiry, so that no request is signed with credentials about to lapse;
// instance metadata rotates its credentials well ahead of expiry, so it is asked earlier.
constexpr auto kRefreshWindow = std::chrono::minutes(5);
constexpr auto kInstanceMetadataRefreshWindow = std::chrono::minutes(15);

using detail::SourcedCredentials;

// A source says either "here are credentials" or "none, because ...".
using Source = std::function<std::optional<SourcedCredentials>(std::string& why_not)>;

// Wraps a source of plain credentials that describes itself by its name only.
Source plain(std::optional<Credentials> (*f)(std::string&), std::string description) {
  return [f, description](std::string& why_not) -> std::optional<SourcedCredentials> {
    if (auto c = f(why_not)) return SourcedCredentials{std::move(*c), description};
    return std::nullopt;
  };
}

std::string in_files(const std::string& what) {
  return "shared config files (" + what + ")";
}

Source from_assume_role_profile(CredentialsOptions options) {
  return [options](std::string& why_not) -> std::optional<SourcedCredentials> {
    auto c = detail::assume_role_credentials(detail::make_sts_context(options), why_not);
    if (c) c->description = in_files(c->description);
    return c;
  };
}

Source from_web_identity(CredentialsOptions options) {
  return [options](std::string& why_not) {
    const detail::StsContext context = detail::make_sts_context(options);
    return detail::web_identity_credentials(context, context.active, true, why_not);
  };
}

Source from_sso(CredentialsOptions options) {
  return [options](std::string& why_not) -> std::optional<SourcedCredentials> {
    const detail::Profile p =
        detail::load_profile(detail::profile_name(options.profile.value_or("")));
    if (!detail::is_sso_profile(p)) {
      why_not = "profile \"" + p.name + "\" has no sso_session or sso_start_url";
      return std::nullopt;
    }
    return SourcedCredentials{detail::sso_credentials(p),
                              in_files("profile " + p.name + ": IAM Identity Center")};
  };
}

Source from_profile(CredentialsOptions options) {
  return [options](std::string& why_not) -> std::optional<SourcedCredentials> {
    const std::string name = detail::profile_name(options.profile.value_or(""));
    const detail::Profile p = detail::load_profile(name);
    if (!p.found) {
      why_not = "no profile \"" + name + "\" in " + detail::credentials_file_path() + " or " +
                detail::config_file_path();
      return std::nullopt;
    }
    const std::string* id = p.get("aws_access_key_id");
    const std::string* secret = p.get("aws_secret_access_key");
    if (id && secret && !id->empty() && !secret->empty()) {
      const std::string* token = p.get("aws_session_token");
      return SourcedCredentials{Credentials{*id, *secret, token ? *token : std::string(), {}},
                                in_files("profile " + name + ": static keys")};
    }
    if (const std::string* process = p.get("credential_process"); process && !process->empty()) {
      return SourcedCredentials{
          detail::credentials_from_process(*process, options.credential_process_timeout),
          in_files("profile " + name + ": credential_process")};
    }
    why_not = "profile \"" + name +
              "\" has no aws_access_key_id/aws_secret_access_key and no credential_process";
    return std::nullopt;
  };
}

class StaticProvider final : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials c) : c_(std::move(c)) {}
  Credentials get() override { return c_; }

 private:
  Credentials c_;
};

// One source of the chain: its name in "sources tried", how it is asked, and how long before
// expiry its credentials are refreshed.
struct ChainSource {
  std::string name;
  Source fetch;
  Clock::duration refresh_window = kRefreshWindow;
};

// The same error with `prefix` before its message; the code, status and request id are kept.
CredentialsError prefixed(const CredentialsError& e, const std::string& prefix) {
  return CredentialsError(e.code(), prefix + e.message(), e.http_status(), e.request_id());
}

class ChainProvider final : public CredentialsProvider {
 public:
  explicit ChainProvider(std::vector<ChainSource> sources) : sources_(std::move(sources)) {}

  // Single flight: one thread fetches; meanwhile the others keep the cached credentials while
  // they are valid, else wait for its outcome (and share its error rather than asking again).
  Credentials get() override {
    std::unique_lock lock(mutex_);
    for (;;) {
      const auto now = Clock::now();
      if (cached_ && !due(*cached_, now)) return cached_->credentials;
      if (!fetching_) break;
      if (cached_ && valid(*cached_, now)) return cached_->credentials;
      const std::uint64_t round = round_;
      fetched_.wait(lock, [&] { return round_ != round; });
      // The fetch waited for is over: its credentials (or the old ones, still valid), or its error.
      if (cached_ && valid(*cached_, Clock::now())) return cached_->credentials;
      if (failure_) std::rethrow_exception(failure_);
    }
    fetching_ = true;
    lock.unlock();
    std::optional<SourcedCredentials> fresh;
    std::exception_ptr failure;
    try {
      fresh = fetch();
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    fetching_ = false;
    ++round_;
    failure_ = failure;
    if (fresh) {
      cached_ = std::move(fresh);
      description_ = cached_->description;
    }
    fetched_.notify_all();
    if (failure) {
      // A failed refresh keeps serving credentials that are still valid.
      if (cached_ && valid(*cached_, Clock::now())) return cached_->credentials;
      std::rethrow_exception(failure);
    }
    return cached_->credentials;
  }

  std::string source() const override {
    std::lock_guard lock(mutex_);
    return description_.empty() ? "the default credentials chain (no credentials yet)"
                                : description_;
  }

 private:
  bool due(const SourcedCredentials& c, Clock::time_point now) const {
    const auto& expiration = c.credentials.expiration;
    return expiration && now >= *expiration - sources_[*chosen_].refresh_window;
  }
  static bool valid(const SourcedCredentials& c, Clock::time_point now) {
    return !c.credentials.expiration || now < *c.credentials.expiration;
  }

  // Runs without the lock; only the fetching thread touches chosen_ meanwhile.
  std::optional<SourcedCredentials> fetch() {
    if (chosen_) {
      // Refresh from the source that gave the credentials.
      const ChainSource& source = sources_[*chosen_];
      std::string why_not;
      try {
        if (auto c = source.fetch(why_not)) return c;
      } catch (const CredentialsError& e) {
        throw prefixed(e, "refreshing credentials from " + source.name + ": ");
      }
      throw CredentialsError("credentials from " + source.name +
                             " could not be refreshed: " + why_not);
    }
    std::string tried;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
      std::string why_not;
      std::optional<SourcedCredentials> c;
      try {
        c = sources_[i].fetch(why_not);
      } catch (const CredentialsError& e) {
        // The source is configured but broken: say so rather than silently trying the next.
        throw prefixed(e, sources_[i].name + ": ");
      }
      if (c) {
        chosen_ = i;
        return c;
      }
      tried += "\n  - " + sources_[i].name + ": " + why_not;
    }
    throw CredentialsError("no AWS credentials found; sources tried:" + tried);
  }

  const std::vector<ChainSource> sources_;
  mutable std::mutex mutex_;
  std::condition_variable fetched_;
  bool fetching_ = false;
  std::uint64_t round_ = 0;  // fetches finished, for the waiters
  std::exception_ptr failure_;
  std::optional<std::size_t> chosen_;
  std::optional<SourcedCredentials> cached_;
  std::string description_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials) {
  return std::make_shared<StaticProvider>(std::move(credentials));
}

std::shared_ptr<CredentialsProvider> default_credentials_chain(CredentialsOptions options) {
  // botocore's order: environment, assume-role profile, web identity, SSO, the profile's keys or
  // credential_process, container, instance metadata.
  std::vector<ChainSource> sources;
  sources.push_back({"environment", plain(detail::credentials_from_environment, "environment")});
  sources.push_back({"assume-role profile", from_assume_role_profile(options)});
  sources.push_back({"web identity", from_web_identity(options)});
  sources.push_back({"IAM Identity Center (SSO)", from_sso(options)});
  sources.push_back({"shared config files", from_profile(options)});
  sources.push_back({"container credentials",
                     plain(detail::credentials_from_container, "container credentials")});
  sources.push_back(
      {"EC2 instance metadata (IMDSv2)",
       plain(detail::credentials_from_instance_metadata, "EC2 instance metadata (IMDSv2)"),
       kInstanceMetadataRefreshWindow});
  return std::make_shared<ChainProvider>(std::move(sources));
}

}  // namespace dynamodb_mapping
