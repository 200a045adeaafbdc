// Conversions between Value/Item and the two JSON forms people use with DynamoDB.
//
// Wire JSON is DynamoDB's typed form, as the HTTP API and `aws dynamodb` use it:
//   {"price": {"N": "123"}, "tags": {"SS": ["a", "b"]}}
// Plain JSON is the untyped form of the JavaScript DocumentClient and of most exports:
//   {"price": 123, "tags": ["a", "b"]}
// Plain JSON cannot tell a set from a list or binary from a string: to_plain_json writes sets as
// arrays and binary as base64 strings, and the *_from_plain_json functions read arrays as Lists
// and strings as Strings. Numbers keep their exact decimal text in both directions.
#pragma once

#include <string>
#include <string_view>

#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// The wire JSON of one AttributeValue, e.g. {"N":"1.5"}.
DDBMAP_API std::string to_wire_json(const Value& value);
/// The wire JSON of an item, e.g. {"id":{"S":"a"},"n":{"N":"1"}}.
DDBMAP_API std::string to_wire_json(const Item& item);
/// Parses one wire AttributeValue. Throws DecodeError on malformed JSON, an unknown or missing
/// type tag, a tag holding the wrong JSON type, a bad number or bad base64.
DDBMAP_API Value value_from_wire_json(std::string_view json);
/// Parses a wire item (a JSON object of AttributeValues); errors as value_from_wire_json.
DDBMAP_API Item item_from_wire_json(std::string_view json);

/// The plain JSON of one value (see the file comment for sets and binary).
DDBMAP_API std::string to_plain_json(const Value& value);
/// The plain JSON object of an item.
DDBMAP_API std::string to_plain_json(const Item& item);
/// Parses plain JSON into a Value. Throws DecodeError on malformed JSON and ValidationError on a
/// number DynamoDB cannot store.
DDBMAP_API Value value_from_plain_json(std::string_view json);
/// Parses a plain JSON object into an Item; errors as value_from_plain_json, and DecodeError when
/// the document is not an object.
DDBMAP_API Item item_from_plain_json(std::string_view json);

/// Standard base64 (RFC 4648, with padding) of bytes, as DynamoDB's wire form of Binary.
DDBMAP_API std::string base64_encode(const Binary& data);
/// Decodes strict standard base64; throws DecodeError on any other character, bad padding or a
/// length that is not a multiple of 4.
DDBMAP_API Binary base64_decode(std::string_view text);

}  // namespace dynamodb_mapping
