// A one-line progress bar on stderr, for terminals only.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace ddbmap {

class Progress {
 public:
  /// Draws only when `enabled` (stderr is a terminal). `total` is the amount of work in the
  /// units passed to update() (bytes of an input file, estimated items of a table), when known.
  Progress(bool enabled, std::string label, std::optional<std::uint64_t> total);
  /// Records `items` done and `done` units of `total`; redraws at most ten times a second.
  void update(std::uint64_t items, std::uint64_t done);
  /// Draws the final state and ends the line.
  void finish();

  /// The line for the given state (without '\r'): for tests and for drawing.
  static std::string render(const std::string& label, std::uint64_t items, std::uint64_t done,
                            std::optional<std::uint64_t> total, double seconds);

 private:
  void draw(bool force);

  bool enabled_;
  std::string label_;
  std::optional<std::uint64_t> total_;
  std::uint64_t items_ = 0, done_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

}  // namespace ddbmap
