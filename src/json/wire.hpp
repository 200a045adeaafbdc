// Wire-JSON encoding and decoding for the library's own request and response code.
#pragma once

#include <simdjson.h>

#include <string>

#include "dynamodb_mapping/value.hpp"
#include "value/path.hpp"

namespace dynamodb_mapping::detail {

/// Appends the base64 of `b` as a JSON string.
void append_quoted_base64(std::string& out, const Binary& b);
/// Appends the wire JSON of `v` ({"S":"x"}, ...) to `out`.
void append_wire_value(std::string& out, const Value& v);
/// Appends the wire JSON object of `item` to `out`.
void append_wire_item(std::string& out, const Item& item);

/// Decodes one AttributeValue. Throws DecodeError naming `where` (an attribute path) on any
/// malformed or unexpected content; simdjson errors are turned into DecodeError too.
Value decode_wire_value(simdjson::ondemand::value v, const Path& where);
/// Decodes an object of AttributeValues (an item, a key, ExpressionAttributeValues).
Item decode_wire_item(simdjson::ondemand::object obj, const Path& where);

/// Runs `parse` over `json` with a simdjson parser and turns simdjson's errors into DecodeError
/// prefixed with `what`. Checks that nothing but whitespace follows the document.
template <class F>
auto with_document(std::string_view json, const char* what, F&& parse) {
  thread_local simdjson::ondemand::parser parser;

  const simdjson::padded_string padded(json);
  try {
    simdjson::ondemand::document doc = parser.iterate(padded);
    // simdjson itself rejects content after a scalar root; after an object or array root the
    // check is ours.
    const bool scalar = doc.is_scalar();
    auto result = parse(doc);
    if (!scalar && doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
      throw DecodeError(std::string(what) + ": unexpected content after the JSON document");
    return result;
  } catch (const simdjson::simdjson_error& e) {
    throw DecodeError(std::string(what) + ": malformed JSON (" + e.what() + ")");
  }
}

}  // namespace dynamodb_mapping::detail
