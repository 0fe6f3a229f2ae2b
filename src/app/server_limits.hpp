#pragma once
// What `presign store` and `presign serve` set on their listeners from the configuration: the
// transport timeouts, and the process's open-file limit, which bounds how many connections can
// be held at all (each is a file descriptor).

#include <cstddef>
#include <string>

#include "config/timeouts.hpp"
#include "http/handler.hpp"

namespace presign::app {

/// Sets the timeouts `settings` gives on `limits`; unset ones keep their values.
void apply_timeouts(http::limits& limits, const config::timeout_settings& settings);

/// Raises the soft RLIMIT_NOFILE to the hard limit (as nginx's worker_rlimit_nofile or Go's
/// runtime do: the distribution's default soft limit, often 1024, would cap the connections far
/// below max_connections). Returns a warning to print when the limit leaves fewer descriptors
/// than `connections` plus a reserve for data files and listeners (connections past it are
/// refused by accept(2), EMFILE, instead of by the connection limit), or when it cannot be
/// raised; an empty string otherwise. The caller prints it after its start-up line, which
/// scripts read first.
std::string raise_open_file_limit(std::size_t connections);

}  // namespace presign::app
