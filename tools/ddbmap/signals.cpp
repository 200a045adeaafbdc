#include "signals.hpp"

#include <csignal>

#include "errors.hpp"

namespace ddbmap {

namespace {

volatile std::sig_atomic_t g_signal = 0;

void on_signal(int signo) {
  if (g_signal != 0) {
    // A second signal: the user does not want to wait for the request in flight.
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

bool interrupted() {
  return g_signal != 0;
}

void check_interrupted() {
  if (interrupted()) throw Interrupted();
}

}  // namespace ddbmap
