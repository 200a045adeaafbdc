// STS answers are XML (the Query protocol): read with expat into leaf paths, then into typed
// results. Nothing of an answer is echoed in an error except an error document's code and message.
#include <expat.h>

#include <memory>
#include <vector>

#include "auth/sources.hpp"
#include "auth/sts.hpp"
#include "dynamodb_mapping/error.hpp"
#include "error_text.hpp"

namespace dynamodb_mapping::detail {

namespace {

constexpr std::size_t kMaxDepth = 16;
constexpr std::size_t kMaxElements = 256;

struct Collector {
  XML_Parser parser = nullptr;
  std::vector<std::string> stack;  // element names from the root
  std::string text;                // character data of the innermost open element
  std::size_t elements = 0;
  bool refused = false;  // a DOCTYPE, too deep or too many elements
  std::map<std::string, std::string> leaves;

  void refuse() {
    refused = true;
    XML_StopParser(parser, XML_FALSE);
  }
};

void on_start(void* data, const XML_Char* name, const XML_Char**) {
  auto& c = *static_cast<Collector*>(data);
  if (c.stack.size() >= kMaxDepth || ++c.elements > kMaxElements) return c.refuse();
  c.stack.emplace_back(name);
  c.text.clear();
}

void on_end(void* data, const XML_Char*) {
  auto& c = *static_cast<Collector*>(data);
  if (c.stack.empty()) return;
  std::string path;
  for (const auto& n : c.stack) {
    if (!path.empty()) path += '/';
    path += n;
  }
  // Only leaves keep their text: a parent's text is the whitespace between its children.
  c.leaves.emplace(std::move(path), std::move(c.text));
  c.text.clear();
  c.stack.pop_back();
}

void on_text(void* data, const XML_Char* s, int len) {
  static_cast<Collector*>(data)->text.append(s, static_cast<std::size_t>(len));
}

void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  // STS never sends one; refusing it leaves no entity to expand.
  static_cast<Collector*>(data)->refuse();
}

const std::string* leaf(const std::map<std::string, std::string>& leaves, const std::string& path) {
  const auto it = leaves.find(path);
  return it == leaves.end() || it->second.empty() ? nullptr : &it->second;
}

}  // namespace

std::optional<std::map<std::string, std::string>> parse_sts_xml(std::string_view xml) {
  // XML_Parse takes an int length; STS answers are capped far below that (1 MiB).
  if (xml.size() > (std::size_t{1} << 30)) return std::nullopt;
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"),
                                                                 XML_ParserFree);
  if (!parser) return std::nullopt;
  Collector c;
  c.parser = parser.get();
  XML_SetUserData(parser.get(), &c);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
  const XML_Status status =
      XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE);
  if (status != XML_STATUS_OK || c.refused) return std::nullopt;
  return std::move(c.leaves);
}

Credentials read_credentials_answer(std::string_view xml, std::string_view action) {
  const std::string what = "STS " + std::string(action);
  const auto leaves = parse_sts_xml(xml);
  if (!leaves) throw CredentialsError(what + " returned an answer that is not well-formed XML");
  const std::string base =
      std::string(action) + "Response/" + std::string(action) + "Result/Credentials/";
  const std::string* id = leaf(*leaves, base + "AccessKeyId");
  const std::string* secret = leaf(*leaves, base + "SecretAccessKey");
  const std::string* token = leaf(*leaves, base + "SessionToken");
  const std::string* expiration = leaf(*leaves, base + "Expiration");
  if (!id || !secret || !token || !expiration) {
    throw CredentialsError(
        what +
        " returned an answer without AccessKeyId, SecretAccessKey, SessionToken or Expiration");
  }
  Credentials c{*id, *secret, *token, parse_iso8601(*expiration)};
  if (!c.expiration) throw CredentialsError(what + " returned an unreadable Expiration");
  return c;
}

StsIdentity read_caller_identity_answer(std::string_view xml) {
  const auto leaves = parse_sts_xml(xml);
  if (!leaves) {
    throw CredentialsError("STS GetCallerIdentity returned an answer that is not well-formed XML");
  }
  const std::string base = "GetCallerIdentityResponse/GetCallerIdentityResult/";
  const std::string* account = leaf(*leaves, base + "Account");
  const std::string* arn = leaf(*leaves, base + "Arn");
  const std::string* user_id = leaf(*leaves, base + "UserId");
  if (!account || !arn || !user_id) {
    throw CredentialsError(
        "STS GetCallerIdentity returned an answer without Account, Arn or UserId");
  }
  auto safe = [](const std::string& s) { return printable_text(s, kMaxServerMessageBytes); };
  return StsIdentity{safe(*account), safe(*arn), safe(*user_id)};
}

std::optional<StsErrorAnswer> read_error_answer(std::string_view xml) {
  const auto leaves = parse_sts_xml(xml);
  if (!leaves) return std::nullopt;
  const std::string* code = leaf(*leaves, "ErrorResponse/Error/Code");
  if (!code) return std::nullopt;
  StsErrorAnswer e;
  e.code = printable_text(*code, kMaxServerCodeBytes);
  if (const std::string* m = leaf(*leaves, "ErrorResponse/Error/Message")) {
    e.message = printable_text(*m, kMaxServerMessageBytes);
  }
  if (const std::string* r = leaf(*leaves, "ErrorResponse/RequestId")) {
    e.request_id = printable_text(*r, kMaxServerCodeBytes);
  }
  return e;
}

}  // namespace dynamodb_mapping::detail
