#include "auth/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "dynamodb_mapping/error.hpp"

extern char** environ;

namespace dynamodb_mapping::detail {

namespace {

using Steady = std::chrono::steady_clock;

std::string system_error_text(int error) {
  char buf[256];
  // GNU strerror_r returns the text (possibly not in buf); the XSI one fills buf.
  const auto r = ::strerror_r(error, buf, sizeof buf);
  if constexpr (std::is_same_v<decltype(r), char*>) {
    return r;
  } else {
    return r == 0 ? buf : "error " + std::to_string(error);
  }
}

// The spawned shell and the read end of its stdout. However run_credential_process is left (a
// limit, an error, an exception), the destructor leaves no process of ours running or unreaped.
class Child {
 public:
  Child(pid_t pid, int out) : pid_(pid), out_(out) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    close_out();
    if (pid_ > 0) {
      kill_group();
      // After SIGKILL the exit is prompt, so this blocking wait is short.
      int status;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }

  int out() const { return out_; }
  void close_out() {
    if (out_ >= 0) ::close(out_);
    out_ = -1;
  }

  // The exit status, or nothing when the child is still running at `deadline`.
  std::optional<int> wait_until(Steady::time_point deadline) {
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = 0;
        return status;
      }
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        // ECHILD: someone else reaped it (SIGCHLD ignored by the program, say).
        const int error = errno;
        pid_ = 0;
        throw CredentialsError("credential_process could not be waited for: " +
                               system_error_text(error));
      }
      const auto now = Steady::now();
      if (now >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::min<Steady::duration>(pause, deadline - now));
      pause = std::min(pause * 2, std::chrono::milliseconds(20));
    }
  }

 private:
  // The child leads a process group of its own (POSIX_SPAWN_SETPGROUP, 0), so -pid names that
  // group: the shell and whatever it started. The checks make sure the group signal can never
  // reach our own group, nor (with pid 0 or 1) every process we may signal; failing them, only the
  // child itself is killed.
  void kill_group() {
    if (pid_ > 1 && ::getpgid(pid_) == pid_ && pid_ != ::getpgrp()) {
      ::kill(-pid_, SIGKILL);
    } else {
      ::kill(pid_, SIGKILL);
    }
  }

  pid_t pid_;
  int out_;
};

// Spawns `/bin/sh -c command` with stdout into a new pipe; returns the child.
std::pair<pid_t, int> spawn_shell(const std::string& command) {
  int pipe_fds[2];
  // Close-on-exec, so that processes other threads spawn meanwhile do not hold the write end
  // (which would keep us from ever seeing end-of-file).
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw CredentialsError("credential_process could not be started: " + system_error_text(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawnattr_init(&attr);
  // dup2 before the open: should the write end be fd 0, it is copied before /dev/null replaces it.
  ::posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // A group of its own, so that a timeout can kill the helpers the shell starts as well; the
  // signal mask and ignored signals (SIGPIPE, often) are not inherited from this program.
  ::posix_spawnattr_setflags(
      &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  ::posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  ::posix_spawnattr_setsigmask(&attr, &none);
  ::posix_spawnattr_setsigdefault(&attr, &all);

  std::string sh = "sh", dash_c = "-c", cmd = command;
  char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attr);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    throw CredentialsError("credential_process could not be started: " + system_error_text(rc));
  }
  return {pid, pipe_fds[0]};
}

}  // namespace

std::string run_credential_process(const std::string& command, std::chrono::milliseconds timeout,
                                   std::size_t max_output) {
  const auto deadline = Steady::now() + timeout;
  const auto [pid, out_fd] = spawn_shell(command);
  Child child(pid, out_fd);
  const auto timed_out = [&] {
    return CredentialsError("credential_process did not finish within " +
                            std::to_string(timeout.count()) +
                            " ms and was killed (CredentialsOptions::credential_process_timeout)");
  };

  std::string out;
  char buf[65536];
  for (;;) {
    const auto left = deadline - Steady::now();
    if (left <= Steady::duration::zero()) throw timed_out();
    pollfd p{child.out(), POLLIN, 0};
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<decltype(ms)>(ms, INT_MAX)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      throw CredentialsError("credential_process output could not be read: " +
                             system_error_text(errno));
    }
    if (ready == 0) continue;  // the deadline check above ends the wait
    // Never more than one byte past the cap: enough to know it was exceeded.
    const std::size_t want = std::min(sizeof buf, max_output + 1 - out.size());
    const ssize_t n = ::read(child.out(), buf, want);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) {
      throw CredentialsError("credential_process output could not be read: " +
                             system_error_text(errno));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_output) {
      std::string cap = std::to_string(max_output) + " bytes";
      if (max_output % (std::size_t{1} << 20) == 0) {
        cap += " (" + std::to_string(max_output >> 20) + " MiB)";
      }
      throw CredentialsError("credential_process wrote more than " + cap +
                             " to stdout, the limit, and was killed");
    }
  }
  child.close_out();
  // End of output does not mean the end of the process: it may still linger with stdout closed.
  const std::optional<int> status = child.wait_until(deadline);
  if (!status) throw timed_out();
  if (WIFSIGNALED(*status)) {
    throw CredentialsError("credential_process was killed by signal " +
                           std::to_string(WTERMSIG(*status)));
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    throw CredentialsError("credential_process failed (exit status " +
                           std::to_string(WIFEXITED(*status) ? WEXITSTATUS(*status) : -1) + ")");
  }
  return out;
}

}  // namespace dynamodb_mapping::detail
