// Path: an attribute, or a place inside one (a Map member, a List element), as used by conditions,
// updates and projections: `Path("order")["lines"][3]["price"]`.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "dynamodb_mapping/export.hpp"

namespace dynamodb_mapping {

/// A document path: a top-level attribute, then Map keys and List indexes. Every name is sent
/// as an expression attribute name placeholder, so reserved words (`size`, `name`), dots,
/// brackets and any other characters in names are taken as they are: `Path("a.b")` is the
/// attribute named "a.b", `Path("a")["b"]` is member "b" of Map "a".
class DDBMAP_API Path {
 public:
  /// One step of a path: a Map key (or the attribute name), or a List index.
  struct Step {
    /// The name, for a Map key or the attribute; empty for a List index.
    std::string name;
    /// The index, for a List element.
    long long index = 0;
    /// Whether this step is a List element (`index`) rather than a name.
    bool element = false;
    /// The same step.
    friend bool operator==(const Step&, const Step&) = default;
  };

  /// The top-level attribute `attribute` (any non-empty name, taken as it is).
  Path(std::string attribute) : steps_{Step{std::move(attribute), 0, false}} {}
  /// The top-level attribute `attribute`.
  Path(const char* attribute) : Path(std::string(attribute)) {}

  /// Member `key` of this Map.
  [[nodiscard]] Path operator[](std::string key) const& {
    Path p = *this;
    p.steps_.push_back(Step{std::move(key), 0, false});
    return p;
  }
  /// Member `key` of this Map (rvalue: reuses the steps).
  [[nodiscard]] Path operator[](std::string key) && {
    steps_.push_back(Step{std::move(key), 0, false});
    return std::move(*this);
  }
  /// Member `key` of this Map.
  [[nodiscard]] Path operator[](const char* key) const& { return (*this)[std::string(key)]; }
  /// Member `key` of this Map.
  [[nodiscard]] Path operator[](const char* key) && { return std::move(*this)[std::string(key)]; }
  /// Element `index` of this List (a literal 0 means the first element, not a null name).
  /// A negative index is refused (ValidationError) when the path is used.
  template <std::integral I>
  requires(!std::same_as<I, bool> && !std::same_as<I, char>) [[nodiscard]] Path operator[](
      I index) const& {
    Path p = *this;
    return std::move(p)[index];
  }
  /// Element `index` of this List (rvalue: reuses the steps).
  template <std::integral I>
  requires(!std::same_as<I, bool> && !std::same_as<I, char>) [[nodiscard]] Path operator[](
      I index) && {
    steps_.push_back(Step{{}, static_cast<long long>(index), true});
    return std::move(*this);
  }

  /// The steps, the attribute first.
  const std::vector<Step>& steps() const noexcept { return steps_; }
  /// The top-level attribute's name.
  const std::string& attribute() const noexcept { return steps_.front().name; }
  /// Whether this is a top-level attribute (no Map key or List index after it).
  bool top_level() const noexcept { return steps_.size() == 1; }
  /// The path as text for messages: `a.b[3]` (names as they are, not escaped).
  [[nodiscard]] std::string to_string() const;

  /// The same steps. (Comparing a Path with a value builds a Condition instead: see
  /// condition.hpp.)
  [[nodiscard]] bool same_as(const Path& other) const { return steps_ == other.steps_; }

 private:
  std::vector<Step> steps_;
};

}  // namespace dynamodb_mapping
