#include "auth/sigv4.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <ctime>

#include "common/ascii.hpp"

namespace dynamodb_mapping::detail {

namespace {

using Digest = std::array<std::uint8_t, 32>;

// OpenSSL 3's one-shot SHA256()/HMAC() look the algorithm up on every call, which costs more
// than hashing a small request. The algorithm is fetched once, and each thread keeps its context.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct MdCtx {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~MdCtx() { EVP_MD_CTX_free(ctx); }
};

Digest sha256_parts(std::initializer_list<std::string_view> parts) {
  thread_local MdCtx c;
  EVP_DigestInit_ex(c.ctx, sha256_md(), nullptr);
  for (std::string_view p : parts) EVP_DigestUpdate(c.ctx, p.data(), p.size());
  Digest d;
  EVP_DigestFinal_ex(c.ctx, d.data(), nullptr);
  return d;
}

Digest sha256(std::string_view data) {
  return sha256_parts({data});
}

// HMAC-SHA256 (RFC 2104) from the hash itself: H((K ^ opad) || H((K ^ ipad) || m)).
Digest hmac(const void* key, std::size_t key_len, std::string_view data) {
  constexpr std::size_t kBlock = 64;
  unsigned char k[kBlock] = {};
  if (key_len > kBlock) {
    const Digest hk = sha256({static_cast<const char*>(key), key_len});
    std::copy(hk.begin(), hk.end(), k);
  } else {
    std::copy_n(static_cast<const unsigned char*>(key), key_len, k);
  }
  char ipad[kBlock], opad[kBlock];
  for (std::size_t i = 0; i < kBlock; ++i) {
    ipad[i] = static_cast<char>(k[i] ^ 0x36);
    opad[i] = static_cast<char>(k[i] ^ 0x5c);
  }
  const Digest inner = sha256_parts({{ipad, kBlock}, data});
  return sha256_parts(
      {{opad, kBlock}, {reinterpret_cast<const char*>(inner.data()), inner.size()}});
}

Digest hmac(const Digest& key, std::string_view data) {
  return hmac(key.data(), key.size(), data);
}

void append_hex(std::string& out, const std::uint8_t* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 0xF];
  }
}

// Header values are trimmed and runs of spaces collapsed to one (SigV4 "Trimall").
void append_trimmed(std::string& out, std::string_view v) {
  const auto first = v.find_first_not_of(" \t");
  if (first == std::string_view::npos) return;
  v = v.substr(first, v.find_last_not_of(" \t") - first + 1);
  bool in_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      if (!in_space) out += ' ';
      in_space = true;
    } else {
      out += c;
      in_space = false;
    }
  }
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// RFC 3986 percent-encoding of everything but unreserved characters (and '/' in paths).
void append_uri_encoded(std::string& out, std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c) || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

// Query parameters sorted by name then value; they are taken as already encoded.
void append_canonical_query(std::string& out, std::string_view query) {
  if (query.empty()) return;
  std::vector<std::pair<std::string_view, std::string_view>> params;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view param = query.substr(start, end - start);
    if (!param.empty()) {
      const auto eq = param.find('=');
      params.emplace_back(param.substr(0, eq),
                          eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  bool first = true;
  for (const auto& [k, v] : params) {
    if (!first) out += '&';
    first = false;
    out.append(k);
    out += '=';
    out.append(v);
  }
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  const Digest d = sha256(data);
  std::string out;
  out.reserve(64);
  append_hex(out, d.data(), d.size());
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point now) {
  // Formatting a date is costly next to signing; requests within one second share the text.
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached;
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  if (t == cached_second) return cached;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[17];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  cached_second = t;
  cached = buf;
  return cached;
}

Digest SigV4Signer::signing_key(const Credentials& credentials, std::string_view date,
                                std::string_view region, std::string_view service) {
  std::string scope = credentials.secret_access_key;
  scope += '\n';
  scope.append(date);
  scope += '\n';
  scope.append(region);
  scope += '\n';
  scope.append(service);
  {
    std::lock_guard lock(mutex_);
    if (scope == cached_scope_) return cached_key_;
  }
  const std::string k_secret = "AWS4" + credentials.secret_access_key;
  const Digest k_date = hmac(k_secret.data(), k_secret.size(), date);
  const Digest k_region = hmac(k_date, region);
  const Digest k_service = hmac(k_region, service);
  const Digest k_signing = hmac(k_service, "aws4_request");
  std::lock_guard lock(mutex_);
  cached_scope_ = std::move(scope);
  cached_key_ = k_signing;
  return k_signing;
}

std::string SigV4Signer::authorization(const SigningRequest& request,
                                       const Credentials& credentials, std::string_view region,
                                       std::string_view service, std::string_view amz_date) {
  // Canonical headers: lowercase names, sorted; values of repeated names joined with ','.
  std::vector<std::pair<std::string, std::string_view>> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) headers.emplace_back(ascii_lower(name), value);
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string canonical;
  canonical.reserve(512);
  canonical.append(request.method);
  canonical += '\n';
  append_uri_encoded(canonical, request.path.empty() ? "/" : request.path, true);
  canonical += '\n';
  append_canonical_query(canonical, request.query);
  canonical += '\n';
  std::string signed_headers;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const bool repeat = i > 0 && headers[i].first == headers[i - 1].first;
    if (repeat) {
      canonical.back() = ',';  // replace the previous line's '\n'
    } else {
      if (!signed_headers.empty()) signed_headers += ';';
      signed_headers += headers[i].first;
      canonical += headers[i].first;
      canonical += ':';
    }
    append_trimmed(canonical, headers[i].second);
    canonical += '\n';
  }
  canonical += '\n';
  canonical += signed_headers;
  canonical += '\n';
  canonical += sha256_hex(request.payload);

  const std::string_view date = amz_date.substr(0, 8);
  std::string scope;
  scope.append(date);
  scope += '/';
  scope.append(region);
  scope += '/';
  scope.append(service);
  scope += "/aws4_request";

  std::string to_sign = "AWS4-HMAC-SHA256\n";
  to_sign.append(amz_date);
  to_sign += '\n';
  to_sign += scope;
  to_sign += '\n';
  to_sign += sha256_hex(canonical);

  const Digest signature = hmac(signing_key(credentials, date, region, service), to_sign);
  std::string out = "AWS4-HMAC-SHA256 Credential=";
  out += credentials.access_key_id;
  out += '/';
  out += scope;
  out += ", SignedHeaders=";
  out += signed_headers;
  out += ", Signature=";
  append_hex(out, signature.data(), signature.size());
  return out;
}

}  // namespace dynamodb_mapping::detail
