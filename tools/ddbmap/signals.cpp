#include "signals.hpp"

#include <time.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>

#include "errors.hpp"

namespace ddbmap {

namespace {

volatile std::sig_atomic_t g_signal = 0;
// When the first signal came (CLOCK_MONOTONIC, ns): set by the handler, lock-free.
std::atomic<long long> g_signal_time{0};
static_assert(std::atomic<long long>::is_always_lock_free);
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
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe
  g_signal_time = static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
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

bool stop_waiting() {
  // A request that answers at once finishes its work after the first signal; one that keeps the
  // program waiting (a stalled server, a retry back-off) is cut short a second later.
  if (!interrupted()) return false;
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const long long now = static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
  return now - g_signal_time.load() >= 1000000000LL;
}

void check_interrupted() {
  if (interrupted()) throw Interrupted();
}

}  // namespace ddbmap
