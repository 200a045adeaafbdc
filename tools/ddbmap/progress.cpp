#include "progress.hpp"

#include <cstdio>

namespace ddbmap {

namespace {
std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string clock_text(double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}
}  // namespace

Progress::Progress(bool enabled, std::string label, std::optional<std::uint64_t> total)
    : enabled_(enabled),
      label_(std::move(label)),
      total_(total && *total > 0 ? total : std::nullopt),
      start_(std::chrono::steady_clock::now()) {}

std::string Progress::render(const std::string& label, std::uint64_t items, std::uint64_t done,
                             std::optional<std::uint64_t> total, double seconds) {
  std::string line = label + " ";
  const double rate = seconds > 0 ? static_cast<double>(items) / seconds : 0.0;
  if (total) {
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(*total));
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(fraction * kWidth);
    line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(kWidth - filled), '.') + "] ";
    line += std::to_string(static_cast<int>(fraction * 100)) + "% ";
  }
  line +=
      with_commas(items) + " items, " + with_commas(static_cast<std::uint64_t>(rate)) + " items/s";
  if (total && done > 0 && seconds > 0) {
    const double remaining = seconds * (static_cast<double>(*total) - static_cast<double>(done)) /
                             static_cast<double>(done);
    line += ", ETA " + clock_text(std::max(0.0, remaining));
  }
  line += ", " + clock_text(seconds) + " elapsed";
  return line;
}

void Progress::update(std::uint64_t items, std::uint64_t done) {
  items_ = items;
  done_ = done;
  draw(false);
}

void Progress::draw(bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  // \r returns to the line start; ESC[K clears what a longer previous line left.
  std::fprintf(stderr, "\r%s\x1b[K", render(label_, items_, done_, total_, seconds).c_str());
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_) return;
  draw(true);
  std::fputc('\n', stderr);
}

}  // namespace ddbmap
