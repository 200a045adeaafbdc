// SIGINT and SIGTERM as a flag that long commands check between steps.
#pragma once

namespace ddbmap {

/// Installs the handlers (sigaction, without SA_RESTART, so a blocking call returns EINTR).
/// The first signal sets the flag: the command finishes the request in flight, prints its counts
/// and exits 130. A second one ends the process at once. SIGPIPE is ignored: writes see EPIPE.
void install_signal_handlers();

/// A file to remove if a second signal ends the process at once (export's temporary file);
/// nullptr or "" for none. The path is copied (up to 4 KiB).
void set_file_to_remove_on_kill(const char* path);

/// True once SIGINT or SIGTERM has arrived.
bool interrupted();

/// For ClientConfig::should_stop: true once a signal arrived more than a second ago, so that a
/// request in flight may finish (its answer counted) but no wait inside the library outlasts it.
bool stop_waiting();

/// Throws Interrupted if a signal has arrived.
void check_interrupted();

}  // namespace ddbmap
