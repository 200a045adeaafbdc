// `ddbmap whoami` and the credentials ddbmap uses: the standard chain, with the MFA code of an
// assume-role profile asked for on the terminal.
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <mutex>

#include "commands.hpp"
#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/sts.hpp"
#include "errors.hpp"
#include "io.hpp"
#include "signals.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

// Closes the terminal and puts its echo back on every path out of the prompt.
class Terminal {
 public:
  Terminal() : fd_(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {
    if (fd_ >= 0 && ::tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      restore_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~Terminal() {
    if (restore_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    if (fd_ >= 0) ::close(fd_);
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
  termios saved_{};
  bool restore_ = false;
};

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR && !interrupted()) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::string prompt_mfa_code(const std::string& mfa_serial) {
  // One prompt at a time, should two threads need credentials at once.
  static std::mutex one_prompt;
  std::lock_guard lock(one_prompt);
  Terminal tty;
  if (tty.fd() < 0) {
    throw ddb::CredentialsError("the profile's role needs an MFA code from " + mfa_serial +
                                " and there is no terminal to ask for it on");
  }
  write_all(tty.fd(), "Enter MFA code for " + mfa_serial + ": ");
  std::string code;
  for (;;) {
    char c = 0;
    const ssize_t n = ::read(tty.fd(), &c, 1);
    if (n < 0 && errno == EINTR) {
      if (interrupted()) write_all(tty.fd(), "\n");
      check_interrupted();
      continue;
    }
    if (n <= 0 || c == '\n' || c == '\r') break;
    // An MFA code is six digits; a line longer than this is not one (and is not kept growing).
    if (code.size() < 64) code += c;
  }
  write_all(tty.fd(), "\n");
  while (!code.empty() && code.back() == ' ') code.pop_back();
  while (!code.empty() && code.front() == ' ') code.erase(code.begin());
  return code;
}

std::shared_ptr<ddb::CredentialsProvider> ddbmap_credentials(const Globals& g) {
  // One chain for the whole run, so that an assumed role (and its MFA prompt) is asked for once
  // however many clients a command makes.
  static std::mutex m;
  static std::shared_ptr<ddb::CredentialsProvider> chain;
  std::lock_guard lock(m);
  if (!chain) {
    ddb::CredentialsOptions o;
    if (!g.profile.empty()) o.profile = g.profile;
    o.region = g.region;
    o.mfa_code = prompt_mfa_code;
    chain = ddb::default_credentials_chain(o);
  }
  return chain;
}

int cmd_whoami(const Globals& g, const Args&) {
  const ddb::CallerIdentity id = ddb::caller_identity(client_config(g));
  Output out("-");
  out.line("account  " + id.account);
  out.line("arn      " + id.arn);
  out.line("user id  " + id.user_id);
  out.line("source   " + id.credentials_source);
  out.commit();
  return kOk;
}

}  // namespace ddbmap
