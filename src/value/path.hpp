// An attribute path ("a.b[2].c") kept as a chain of stack frames during a recursive walk and
// rendered into text only when an error message needs it, so valid input costs no allocations.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

// The root Path (default-constructed) stands for the item or document itself and renders as
// nothing; a child must not outlive the Path it was made from.
struct Path {
  const Path* parent = nullptr;
  std::string_view name;  // a Map key or attribute name; data() == nullptr for a List element
  std::size_t index = 0;

  Path child(std::string_view n) const { return Path{this, n, 0}; }
  Path element(std::size_t i) const { return Path{this, {}, i}; }

  std::string render() const {
    const std::string text = render_from_root();
    return text.empty() ? "(top)" : text;
  }

 private:
  std::string render_from_root() const {
    if (parent == nullptr) return {};
    std::string head = parent->render_from_root();
    if (name.data() != nullptr) {
      if (!head.empty()) head += '.';
      // A name that is not valid UTF-8 would make the message itself invalid text.
      head.append(simdjson::validate_utf8(name.data(), name.size()) ? name : "<invalid UTF-8>");
    } else {
      head += '[' + std::to_string(index) + ']';
    }
    return head;
  }
};

}  // namespace dynamodb_mapping::detail
