// ddbmap export FILE --resume STATE: an export that continues after a crash. The lines go to a
// partial file beside FILE (".FILE.ddbmap-partial"); every kCheckpointLines lines, and when a
// signal or an error stops the export, the partial file is synced and then STATE is replaced
// atomically with the resume token of the last line written and the partial file's size at that
// line. A new run with the same STATE cuts the partial file back to that size (a line half
// written when the process died does not survive) and continues from the token; the completed
// partial file is renamed over FILE and STATE removed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "errors.hpp"
#include "progress.hpp"
#include "resume.hpp"
#include "signals.hpp"
#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

constexpr std::uint64_t kCheckpointLines = 1000;
constexpr std::size_t kBufferBytes = 64 * 1024;
const std::string kKind = "export";

// The partial file: lines appended with checked writes, synced before each checkpoint.
class PartialFile {
 public:
  // Opens `path`; with `keep` (a resume) it must exist and is cut back to `size` bytes.
  PartialFile(const std::string& path, bool keep, std::uint64_t size)
      : path_(path), name_(safe_text(path, 512)), size_(size) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | (keep ? 0 : O_CREAT | O_TRUNC), 0666);
    if (fd_ < 0) {
      if (keep && errno == ENOENT) {
        throw InputError("the partial export " + name_ +
                         " is missing: if the export completed, delete the state file; else "
                         "delete it and start again");
      }
      throw IoError("cannot open", name_, errno);
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw IoError("cannot open", name_, errno);
    if (keep && static_cast<std::uint64_t>(st.st_size) < size) {
      throw InputError("the partial export " + name_ + " is shorter than the state says (" +
                       std::to_string(st.st_size) + " < " + std::to_string(size) +
                       " bytes): delete the state file and start again");
    }
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0 ||
        ::lseek(fd_, static_cast<off_t>(size), SEEK_SET) < 0) {
      throw IoError("cannot write", name_, errno);
    }
  }
  ~PartialFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;

  void line(std::string_view text) {
    buf_.append(text);
    buf_ += '\n';
    if (buf_.size() >= kBufferBytes) flush();
  }
  // Everything written is on the disk; returns the size.
  std::uint64_t sync() {
    flush();
    if (::fsync(fd_) != 0) throw IoError("cannot write", name_, errno);
    return size_;
  }
  // Synced, closed and renamed over `target`.
  void complete(const std::string& target) {
    sync();
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) throw IoError("cannot write", name_, errno);
    if (::rename(path_.c_str(), target.c_str()) != 0) {
      throw IoError("cannot replace", safe_text(target, 512), errno);
    }
  }

 private:
  void flush() {
    std::size_t done = 0;
    while (done < buf_.size()) {
      const ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw IoError("cannot write", name_, errno);
      }
      done += static_cast<std::size_t>(n);
    }
    size_ += buf_.size();
    buf_.clear();
  }

  std::string path_, name_;
  int fd_ = -1;
  std::uint64_t size_;
  std::string buf_;
};

std::string resume_hint(const Args& a) {
  return "to resume: ddbmap export " + safe_text(a.table, 256) + " " + safe_text(a.file, 512) +
         (a.wire ? " --wire" : "") +
         (a.segments > 1 ? " --segments " + std::to_string(a.segments) : "") + " --resume " +
         safe_text(a.resume, 512);
}

}  // namespace

int cmd_export_resumable(const Globals& g, const Args& a) {
  namespace fs = std::filesystem;
  if (a.file == "-") throw InputError("--resume needs an output file, not standard output");
  std::error_code ec;
  const fs::path target = fs::weakly_canonical(fs::absolute(a.file), ec);
  if (ec) throw IoError("cannot open", safe_text(a.file, 512), ec.value());
  if (fs::exists(target, ec) && !fs::is_regular_file(target, ec)) {
    throw InputError("--resume needs a regular output file: " + safe_text(a.file, 512) +
                     " is not one");
  }
  const std::string partial =
      (target.parent_path() / ("." + target.filename().string() + ".ddbmap-partial")).string();

  auto m = open_table(g, a.table);
  ddb::ScanOptions o;
  o.segments = a.segments;
  o.consistent_read = g.consistent;
  o.page_size = a.page_size;
  auto values = m.values(o);

  // Everything a run must agree on with the state it continues; checked before any request.
  const std::optional<ddb::Item> state = load_state(a.resume, kKind);
  std::uint64_t n = 0, bytes = 0;
  if (state) {
    check_state(*state, "table", a.table, a.resume);
    check_state(*state, "file", target.string(), a.resume);
    check_state(*state, "format", a.wire ? "wire" : "plain", a.resume);
    check_state(*state, "segments", std::to_string(a.segments), a.resume);
    n = state_number(*state, "lines", a.resume);
    bytes = state_number(*state, "bytes", a.resume);
    const std::string token = state_text(*state, "token", a.resume);
    try {
      values = values.resume(token);
    } catch (const ddb::ValidationError& e) {
      throw InputError(safe_text(a.resume, 512) + ": " + e.message());
    }
  }
  PartialFile out(partial, state.has_value(), bytes);
  if (state) std::cerr << "ddbmap: resuming after " << n << " items\n";

  const auto checkpoint = [&](const std::string& token) {
    const std::uint64_t size = out.sync();  // the lines first, then the state that counts them
    save_state(a.resume, kKind,
               {{"table", a.table},
                {"file", target.string()},
                {"format", a.wire ? "wire" : "plain"},
                {"segments", std::to_string(a.segments)},
                {"lines", ddb::Number(std::to_string(n))},
                {"bytes", ddb::Number(std::to_string(size))},
                {"token", token}});
  };

  const bool bar = stderr_is_terminal();
  Progress progress(bar, "export", bar ? std::optional<std::uint64_t>(m.size()) : std::nullopt);
  std::string last_token;  // of the last line written; empty: none yet in this run
  try {
    for (auto it = values.begin(); it != values.end(); ++it) {
      out.line(a.wire ? ddb::to_wire_json(*it) : ddb::to_plain_json(*it));
      ++n;
      last_token = it.token();
      progress.update(n, n);
      if (n % kCheckpointLines == 0) checkpoint(last_token);
      if (interrupted()) throw Interrupted();
    }
  } catch (const std::exception& e) {
    progress.finish();
    // Save where we are, so that the next run continues after the last line written.
    if (!last_token.empty()) {
      try {
        checkpoint(last_token);
      } catch (const std::exception& saving) {
        std::cerr << "ddbmap: " << error_text(saving) << '\n';
      }
    }
    const bool signal = dynamic_cast<const Interrupted*>(&e) ||
                        (interrupted() && dynamic_cast<const ddb::CancelledError*>(&e));
    if (signal) {
      std::cerr << "ddbmap: interrupted: " << n << " items written to " << safe_text(partial, 512)
                << "; " << resume_hint(a) << '\n';
      throw Interrupted("interrupted");
    }
    if (const auto text = error_text(e); !text.empty()) std::cerr << "ddbmap: " << text << '\n';
    std::cerr << "ddbmap: export stopped after " << n << " items; " << resume_hint(a) << '\n';
    return exit_code_for(e);
  }
  progress.finish();
  out.complete(target.string());
  remove_state(a.resume);
  std::cerr << "ddbmap: exported " << n << " items\n";
  return kOk;
}

}  // namespace ddbmap
