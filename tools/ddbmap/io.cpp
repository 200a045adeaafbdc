#include "io.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "errors.hpp"
#include "signals.hpp"
#include "text.hpp"

namespace ddbmap {

namespace {

constexpr std::size_t kBlock = 64 * 1024;

}  // namespace

LineReader::LineReader(const std::string& path, std::size_t max_line)
    : max_line_(max_line), buf_(kBlock) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
    name_ = "standard input";
  } else {
    name_ = safe_text(path, 512);
    // O_NONBLOCK: opening a FIFO would otherwise wait, unseen by signals, for a writer.
    do {
      fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    } while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0) throw IoError("cannot open", name_, errno);
    owned_ = true;
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) size_ = static_cast<std::uint64_t>(st.st_size);
}

LineReader::~LineReader() {
  if (owned_) ::close(fd_);
}

bool LineReader::fill() {
  for (;;) {
    check_interrupted();
    // Wait in slices, so that a signal on an idle pipe is seen even if it came just before poll.
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, 200);
    if (ready < 0 && errno != EINTR) throw IoError("cannot wait for", name_, errno);
    if (ready <= 0) continue;
    const ssize_t n = ::read(fd_, buf_.data(), buf_.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      throw IoError("read error in", name_ + " at line " + std::to_string(line_no_), errno);
    }
    pos_ = 0;
    end_ = static_cast<std::size_t>(n);
    return n > 0;
  }
}

LineReader::Status LineReader::next(std::string& line) {
  line.clear();
  ++line_no_;  // the line being read, also when a read error or a signal stops it
  bool too_long = false, any = false;
  for (;;) {
    if (pos_ == end_ && !fill()) {
      if (any) break;  // a last line without '\n'
      --line_no_;
      return Status::End;
    }
    any = true;
    const char* start = buf_.data() + pos_;
    const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const std::size_t take = nl ? static_cast<std::size_t>(nl - start) : end_ - pos_;
    if (!too_long && line.size() + take > max_line_) {
      too_long = true;
      line.clear();
      line.shrink_to_fit();  // the point of the cap: never hold the whole line
    }
    if (!too_long) line.append(start, take);
    pos_ += take + (nl ? 1 : 0);
    bytes_ += take + (nl ? 1 : 0);
    if (nl) break;
  }
  if (too_long) return Status::TooLong;
  if (line_no_ == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  return Status::Line;
}

Output::Output(const std::string& path) {
  if (path == "-") {
    fd_ = STDOUT_FILENO;
    name_ = "standard output";
    return;
  }
  name_ = safe_text(path, 512);
  namespace fs = std::filesystem;
  std::error_code ec;
  // Replace what a symlink points to, not the link.
  fs::path target =
      fs::is_symlink(fs::symlink_status(path, ec)) ? fs::canonical(path, ec) : fs::path(path);
  if (ec) target = path;
  struct stat st {};
  const bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    fd_ = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) throw IoError("cannot open", name_, errno);
    owned_ = true;
    return;
  }
  target_ = target.string();
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + target.filename().string() + ".ddbmap-XXXXXX")).string();
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0) throw IoError("cannot create a temporary file for", name_, errno);
  owned_ = true;
  temp_ = pattern;
  set_file_to_remove_on_kill(temp_.c_str());
  // The new file gets the old one's permissions, or the usual ones for a new file.
  mode_t mode = 0666;
  if (exists) {
    mode = st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  ::fchmod(fd_, mode);
}

Output::~Output() {
  if (owned_ && fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) {
    ::unlink(temp_.c_str());
    set_file_to_remove_on_kill(nullptr);
  }
}

void Output::flush() {
  std::size_t done = 0;
  while (done < buf_.size()) {
    const ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) throw BrokenPipe();
      throw IoError("cannot write", name_, errno);
    }
    done += static_cast<std::size_t>(n);
  }
  buf_.clear();
}

void Output::line(std::string_view text) {
  buf_.append(text);
  buf_ += '\n';
  if (buf_.size() >= kBlock) flush();
}

void Output::commit() {
  flush();
  // fsync: the rename must not reach the disk before the data. Pipes and terminals cannot sync.
  if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP) {
    throw IoError("cannot write", name_, errno);
  }
  if (owned_) {
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) throw IoError("cannot write", name_, errno);
  }
  if (!temp_.empty()) {
    if (::rename(temp_.c_str(), target_.c_str()) != 0)
      throw IoError("cannot replace", name_, errno);
    temp_.clear();
    set_file_to_remove_on_kill(nullptr);
    // The rename itself is made durable by syncing the directory.
    const auto dir = std::filesystem::path(target_).parent_path();
    const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
}

}  // namespace ddbmap
