// Ctrl-C during a request (interrupt.hpp).
#include "interrupt.hpp"

#include <csignal>

namespace ddbpy {
namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<unsigned> g_in_flight{0};
struct sigaction g_python_handler {};

// Async-signal-safe: an atomic store, then Python's own handler (which trips its flag).
extern "C" void on_sigint(int sig, siginfo_t* info, void* context) {
  g_interrupted.store(true, std::memory_order_relaxed);
  if (g_python_handler.sa_flags & SA_SIGINFO) {
    g_python_handler.sa_sigaction(sig, info, context);
  } else if (g_python_handler.sa_handler != SIG_DFL && g_python_handler.sa_handler != SIG_IGN) {
    g_python_handler.sa_handler(sig);
  }
}

}  // namespace

void install_interrupt_handler() {
  struct sigaction current {};
  if (sigaction(SIGINT, nullptr, &current) != 0) return;
  const bool python_handler = !(current.sa_flags & SA_SIGINFO) && current.sa_handler != SIG_DFL &&
                              current.sa_handler != SIG_IGN;
  if (!python_handler) return;
  g_python_handler = current;
  struct sigaction ours = current;
  ours.sa_flags = current.sa_flags | SA_SIGINFO;
  ours.sa_sigaction = on_sigint;
  sigaction(SIGINT, &ours, nullptr);
}

bool interrupted() noexcept {
  return g_interrupted.load(std::memory_order_relaxed);
}

Wait::Wait() {
  if (g_in_flight.fetch_add(1) == 0) g_interrupted.store(false);
}

Wait::~Wait() {
  g_in_flight.fetch_sub(1);
}

}  // namespace ddbpy
