#include "resume.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/json.hpp"
#include "errors.hpp"
#include "io.hpp"
#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

constexpr std::size_t kMaxStateBytes = 1 << 20;  // a token of 1000 segments fits many times

void write_all(int fd, const std::string& data, const std::string& name) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError("cannot write", name, errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

void sync_directory_of(const std::string& path) {
  const auto dir = std::filesystem::path(path).parent_path();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace

std::optional<ddb::Item> load_state(const std::string& path, const std::string& kind) {
  const std::string name = safe_text(path, 512);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw IoError("cannot open", name, errno);
  }
  struct stat st {};
  std::string text;
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular && static_cast<std::size_t>(st.st_size) <= kMaxStateBytes) {
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < text.size()) {
      const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = n < 0 ? errno : EIO;
        ::close(fd);
        throw IoError("cannot read", name, err);
      }
      got += static_cast<std::size_t>(n);
    }
  }
  ::close(fd);
  if (!regular || static_cast<std::size_t>(st.st_size) > kMaxStateBytes) {
    throw InputError(name + " is not a ddbmap " + kind + " state file");
  }
  ddb::Item state;
  try {
    state = ddb::item_from_plain_json(text);
  } catch (const ddb::Error&) {
    throw InputError(name + " is not a ddbmap " + kind +
                     " state file (not the JSON ddbmap writes)");
  }
  const auto it = state.find("kind");
  if (it == state.end() || !it->second.is_string() ||
      it->second.as_string() != "ddbmap " + kind + " state 1") {
    throw InputError(name + " is not a ddbmap " + kind + " state file");
  }
  return state;
}

void save_state(const std::string& path, const std::string& kind, ddb::Item state) {
  state["kind"] = "ddbmap " + kind + " state 1";
  const std::string text = ddb::to_plain_json(state) + "\n";
  const std::string name = safe_text(path, 512);
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw IoError("cannot write", name, errno);
  try {
    write_all(fd, text, name);
    if (::fsync(fd) != 0) throw IoError("cannot write", name, errno);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  if (::close(fd) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw IoError("cannot write", name, err);
  }
  sync_directory_of(path);
}

void remove_state(const std::string& path) {
  ::unlink(path.c_str());
  sync_directory_of(path);
}

std::string state_text(const ddb::Item& s, const std::string& field, const std::string& path) {
  const auto it = s.find(field);
  if (it == s.end() || !it->second.is_string()) {
    throw InputError(safe_text(path, 512) + ": the state has no \"" + field + "\"");
  }
  return it->second.as_string();
}

std::uint64_t state_number(const ddb::Item& s, const std::string& field, const std::string& path) {
  const auto it = s.find(field);
  try {
    if (it != s.end() && it->second.is_number()) return it->second.as<std::uint64_t>();
  } catch (const ddb::Error&) {
    // not a whole number: reported below
  }
  throw InputError(safe_text(path, 512) + ": the state has no whole number \"" + field + "\"");
}

void check_state(const ddb::Item& s, const std::string& field, const std::string& expected,
                 const std::string& path) {
  const std::string found = state_text(s, field, path);
  if (found != expected) {
    throw InputError(safe_text(path, 512) + " is the state of another run: its " + field +
                     " is \"" + safe_text(found, 512) + "\", not \"" + safe_text(expected, 512) +
                     "\" (use another state file, or delete this one to start over)");
  }
}

}  // namespace ddbmap
