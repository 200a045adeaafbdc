// A file descriptor closed on every path out of its scope.
#pragma once

#include <unistd.h>

namespace dynamodb_mapping::detail {

/// Owns `fd` (negative: none) and closes it when destroyed.
struct UniqueFd {
  int fd;
  explicit UniqueFd(int owned) : fd(owned) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace dynamodb_mapping::detail
