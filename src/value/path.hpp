// An attribute path ("a.b[2].c") kept as a chain of stack frames during a recursive walk and
// rendered into text only when an error message needs it, so valid input costs no allocations.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

struct Path {
  const Path* parent = nullptr;
  std::string_view name;  // a Map key or attribute name; data() == nullptr for a List element
  std::size_t index = 0;

  Path child(std::string_view n) const { return Path{this, n, 0}; }
  Path element(std::size_t i) const { return Path{this, {}, i}; }

  std::string render() const {
    std::string head = parent ? parent->render() : std::string();
    if (name.data() != nullptr) {
      if (!head.empty()) head += '.';
      // A name that is not valid UTF-8 would make the message itself invalid text.
      head.append(simdjson::validate_utf8(name.data(), name.size()) ? name : "<invalid UTF-8>");
    } else {
      head += '[' + std::to_string(index) + ']';
    }
    return head.empty() ? "(top)" : head;
  }
};

}  // namespace dynamodb_mapping::detail
