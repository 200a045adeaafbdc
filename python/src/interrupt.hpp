// Ctrl-C during a request. The GIL is released while a request waits, so Python cannot run its
// SIGINT handler until the call returns (read_timeout later, or a whole bulk load later). A C
// handler chained in front of Python's own sets a flag that every client's should_stop reads;
// the call then ends with CancelledError (AmbiguousOutcomeError for a write that may have been
// sent), which is raised as the KeyboardInterrupt Python's handler makes.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>

namespace ddbpy {

/// Chains the flag-setting handler in front of Python's SIGINT handler, if Python's is the one
/// installed (a program that set its own keeps it untouched). Called once, at import.
void install_interrupt_handler();

/// For ClientConfig::should_stop: whether Ctrl-C was pressed while a call was in flight.
bool interrupted() noexcept;

/// Releases the GIL for a call that may wait on the network, and counts it in flight: the first
/// call to start after a quiet spell forgets a Ctrl-C that Python itself has already handled.
class Wait {
 public:
  Wait();
  ~Wait();
  Wait(const Wait&) = delete;
  Wait& operator=(const Wait&) = delete;

 private:
  pybind11::gil_scoped_release release_;
};

}  // namespace ddbpy
