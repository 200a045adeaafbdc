// SIGINT and SIGTERM as a flag that long commands check between steps.
#pragma once

namespace ddbmap {

/// Installs the handlers (sigaction, without SA_RESTART, so a blocking call returns EINTR).
/// The first signal sets the flag: the command finishes the request in flight, prints its counts
/// and exits 130. A second one ends the process at once. SIGPIPE is ignored: writes see EPIPE.
void install_signal_handlers();

/// True once SIGINT or SIGTERM has arrived.
bool interrupted();

/// Throws Interrupted if a signal has arrived.
void check_interrupted();

}  // namespace ddbmap
