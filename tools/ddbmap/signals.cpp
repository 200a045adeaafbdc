#include "signals.hpp"

#include <unistd.h>

#include <csignal>
#include <cstring>

#include "errors.hpp"

namespace ddbmap {

namespace {

volatile std::sig_atomic_t g_signal = 0;
// Read by the handler: a fixed buffer, as nothing may be allocated there. Written with the
// signals blocked, so the handler never sees half a path.
char g_remove_on_kill[4096] = "";

void on_signal(int signo) {
  if (g_signal != 0) {
    // A second signal: the user does not want to wait for the request in flight.
    if (g_remove_on_kill[0] != '\0') ::unlink(g_remove_on_kill);  // async-signal-safe
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigaction(signo, &dfl, nullptr);
    raise(signo);
    return;
  }
  g_signal = signo;
}

}  // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking read or poll returns EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, nullptr);
}

void set_file_to_remove_on_kill(const char* path) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &old);
  const std::size_t n = path ? std::strlen(path) : 0;
  if (n < sizeof g_remove_on_kill) {
    std::memcpy(g_remove_on_kill, path ? path : "", n);
    g_remove_on_kill[n] = '\0';
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
}

bool interrupted() {
  return g_signal != 0;
}

void check_interrupted() {
  if (interrupted()) throw Interrupted();
}

}  // namespace ddbmap
