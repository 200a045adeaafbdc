#include "mapping/resume_token.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "dynamodb_mapping/json.hpp"

namespace dynamodb_mapping::detail {

namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kDigestBytes = 16;
constexpr std::size_t kFixedBytes = 1024;           // version, kind, names, digests
constexpr std::size_t kPerSegmentBytes = 16 << 10;  // one key, generously

// SHA-256 of `data`, cut to kDigestBytes.
std::string digest(std::string_view data) {
  std::array<unsigned char, 32> d{};
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), d.data(), &n, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(d.data()), kDigestBytes);
}

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

// The placeholders of `names` and `values` that `expressions` use, with what they stand for:
// the projection's placeholders (which do not choose items) are left out.
void put_used_placeholders(std::string& out, const std::vector<std::string_view>& expressions,
                           const AttributeNames& names, const Item& values) {
  const auto used = [&](const std::string& placeholder) {
    for (std::string_view e : expressions) {
      for (std::size_t at = e.find(placeholder); at != std::string_view::npos;
           at = e.find(placeholder, at + 1)) {
        const std::size_t end = at + placeholder.size();
        const bool whole =
            end == e.size() || !(std::isalnum(static_cast<unsigned char>(e[end])) || e[end] == '_');
        if (whole) return true;
      }
    }
    return false;
  };
  for (const auto& [k, v] : names) {
    if (used(k)) {
      put_string(out, k);
      put_string(out, v);
    }
  }
  out += '\x01';
  for (const auto& [k, v] : values) {
    if (used(k)) {
      put_string(out, k);
      put_string(out, to_wire_json(v));
    }
  }
}

[[noreturn]] void refuse(const TokenScope& scope, const std::string& why) {
  ValidationError e("resume token refused: " + why);
  set_error_context(e, scope.operation(), scope.table);
  throw e;
}

// Reads the record's fields; every read past the end is a corrupt token.
class Reader {
 public:
  Reader(std::string_view data, const TokenScope& scope) : data_(data), scope_(scope) {}
  std::uint8_t byte() {
    if (pos_ >= data_.size()) corrupt();
    return static_cast<std::uint8_t>(data_[pos_++]);
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = byte();
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    corrupt();
  }
  std::string_view bytes(std::size_t n) {
    if (n > data_.size() - pos_) corrupt();
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view string() { return bytes(varint()); }
  bool at_end() const { return pos_ == data_.size(); }
  [[noreturn]] void corrupt() const { refuse(scope_, "its fields do not parse (altered?)"); }

 private:
  std::string_view data_;
  const TokenScope& scope_;
  std::size_t pos_ = 0;
};

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto at = [&](std::size_t k) { return static_cast<std::uint8_t>(in[k]); };
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 0x3F];
  }
  if (const std::size_t rest = in.size() - i; rest > 0) {
    const std::uint32_t v = (at(i) << 16) | (rest == 2 ? at(i + 1) << 8 : 0);
    out += kAlphabet[(v >> 18) & 0x3F];
    out += kAlphabet[(v >> 12) & 0x3F];
    if (rest == 2) out += kAlphabet[(v >> 6) & 0x3F];
  }
  return out;
}

// Strict: only the alphabet, no padding, no length that base64url cannot produce, and no stray
// bits in the last character (so exactly one text stands for one record).
std::string unbase64url(std::string_view in, const TokenScope& scope) {
  if (in.size() % 4 == 1) refuse(scope, "its length is impossible (truncated?)");
  std::string out;
  out.reserve(in.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    const char* p = c ? std::strchr(kAlphabet, c) : nullptr;
    if (!p) {
      refuse(scope, "character " + std::to_string(i + 1) +
                        " is not base64url (a token is letters, digits, '-' and '_')");
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(p - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) refuse(scope, "its last character is altered");
  return out;
}

bool is_key_value(const Value& v) {
  return v.is_string() || v.is_number() || v.is_binary();
}

}  // namespace

TokenScope scope_of(const ScanRequest& r, int segments) {
  std::string shape = "Scan";
  put_string(shape, r.index_name);
  put_string(shape, r.filter_expression);
  put_used_placeholders(shape, {r.filter_expression}, r.expression_attribute_names,
                        r.expression_attribute_values);
  return {false, r.table_name, r.index_name, digest(shape), segments};
}

TokenScope scope_of(const QueryRequest& r) {
  std::string shape = "Query";
  put_string(shape, r.index_name);
  put_string(shape, r.key_condition_expression);
  put_string(shape, r.filter_expression);
  shape += r.scan_index_forward ? 'F' : 'B';
  put_used_placeholders(shape, {r.key_condition_expression, r.filter_expression},
                        r.expression_attribute_names, r.expression_attribute_values);
  return {true, r.table_name, r.index_name, digest(shape), 1};
}

std::size_t max_token_size(const TokenScope& scope) {
  return kFixedBytes + static_cast<std::size_t>(scope.segments) * kPerSegmentBytes;
}

std::string encode_token(const TokenScope& scope, const std::vector<SegmentPosition>& positions) {
  std::string rec;
  rec += static_cast<char>(kVersion);
  rec += static_cast<char>(scope.query ? 1 : 0);
  put_string(rec, scope.table);
  put_string(rec, scope.index);
  rec += scope.digest;
  put_varint(rec, positions.size());
  for (const SegmentPosition& p : positions) {
    rec += static_cast<char>(p.state);
    if (p.state == SegmentPosition::State::After) put_string(rec, to_wire_json(p.key));
  }
  rec += digest(rec);
  return base64url(rec);
}

std::vector<SegmentPosition> decode_token(std::string_view token, const TokenScope& scope) {
  // The size first: an oversized text is refused before any work is spent on it.
  if (token.size() > max_token_size(scope)) {
    refuse(scope, "it is " + std::to_string(token.size()) +
                      " characters long, more than any token of this " + scope.operation() +
                      " (at most " + std::to_string(max_token_size(scope)) + ")");
  }
  const std::string rec = unbase64url(token, scope);
  if (rec.size() < 2 + 2 * kDigestBytes) refuse(scope, "it is too short (truncated?)");
  const std::string_view body(rec.data(), rec.size() - kDigestBytes);
  if (digest(body) != std::string_view(rec).substr(body.size())) {
    refuse(scope, "its integrity digest does not match (truncated or altered)");
  }
  Reader in(body, scope);
  if (const auto v = in.byte(); v != kVersion) {
    refuse(scope, "version " + std::to_string(v) + " is not supported (this library writes " +
                      std::to_string(kVersion) + ")");
  }
  const bool query = in.byte() == 1;
  const std::string table(in.string());
  const std::string index(in.string());
  if (table != scope.table) {
    refuse(scope, "it belongs to table \"" + table + "\", not to table \"" + scope.table + "\"");
  }
  if (index != scope.index) {
    const auto name = [](const std::string& i) {
      return i.empty() ? std::string("the table itself") : "index \"" + i + "\"";
    };
    refuse(scope, "it belongs to " + name(index) + ", not to " + name(scope.index));
  }
  if (query != scope.query) {
    refuse(scope, std::string("it continues a ") + (query ? "Query" : "Scan") + ", not a " +
                      scope.operation());
  }
  if (in.bytes(kDigestBytes) != scope.digest) {
    refuse(scope, std::string("it was made for another ") + scope.operation() +
                      " of this table (a different key condition, filter or order)");
  }
  const std::uint64_t segments = in.varint();
  if (segments != static_cast<std::uint64_t>(scope.segments)) {
    refuse(scope, "it continues a scan of " + std::to_string(segments) + " segment(s), not of " +
                      std::to_string(scope.segments));
  }
  std::vector<SegmentPosition> positions(segments);
  for (SegmentPosition& p : positions) {
    const std::uint8_t state = in.byte();
    if (state > 2) in.corrupt();
    p.state = static_cast<SegmentPosition::State>(state);
    if (p.state != SegmentPosition::State::After) continue;
    try {
      p.key = item_from_wire_json(in.string());
    } catch (const DecodeError&) {
      in.corrupt();
    }
    if (p.key.empty() || p.key.size() > 4 ||
        !std::all_of(p.key.begin(), p.key.end(),
                     [](const auto& kv) { return is_key_value(kv.second); })) {
      refuse(scope, "its key is not a key (altered?)");
    }
  }
  if (!in.at_end()) in.corrupt();
  return positions;
}

bool finished(const std::vector<SegmentPosition>& positions) {
  return std::all_of(positions.begin(), positions.end(), [](const SegmentPosition& p) {
    return p.state == SegmentPosition::State::Done;
  });
}

}  // namespace dynamodb_mapping::detail
