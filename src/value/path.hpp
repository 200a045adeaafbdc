// An attribute path ("a.b[2].c") kept as a chain of stack frames during a recursive walk and
// rendered into text only when an error message needs it, so valid input costs no allocations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "error_text.hpp"

namespace dynamodb_mapping::detail {

/// How deep the decoders follow nested Lists and Maps. DynamoDB stores at most 32 levels; the
/// bound keeps hostile input from exhausting the stack of the recursive decoders.
inline constexpr int kMaxDecodeDepth = 64;

// The root Path (default-constructed) stands for the item or document itself and renders as
// nothing; a child must not outlive the Path it was made from.
struct Path {
  const Path* parent = nullptr;
  std::string_view name;  // a Map key or attribute name; data() == nullptr for a List element
  std::size_t index = 0;
  int depth = 0;  // Lists and Maps between the root and here

  Path child(std::string_view n) const { return Path{this, n, 0, depth + 1}; }
  Path element(std::size_t i) const { return Path{this, {}, i, depth + 1}; }

  std::string render() const {
    // Iterative, so that a deep path cannot exhaust the stack while an error is reported.
    std::vector<const Path*> chain;
    for (const Path* p = this; p->parent != nullptr; p = p->parent) chain.push_back(p);
    std::string text;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const Path& p = **it;
      if (p.name.data() != nullptr) {
        if (!text.empty()) text += '.';
        // Names may come from a server or a file: escaped and capped, like any text from outside
        // that reaches an exception.
        text += printable_text(p.name, 128);
      } else {
        text += '[' + std::to_string(p.index) + ']';
      }
    }
    return text.empty() ? "(top)" : text;
  }
};

}  // namespace dynamodb_mapping::detail
