#include "app/server_limits.hpp"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace presign::app {

namespace {
// Descriptors besides the connections: listeners, the data root, files being read or written,
// the log, the metrics listener.
constexpr rlim_t k_reserved_descriptors = 64;
}  // namespace

void apply_timeouts(http::limits& limits, const config::timeout_settings& settings) {
    if (settings.header_timeout_seconds)
        limits.header_timeout = std::chrono::seconds(*settings.header_timeout_seconds);
    if (settings.body_idle_timeout_seconds)
        limits.body_idle_timeout = std::chrono::seconds(*settings.body_idle_timeout_seconds);
    if (settings.keep_alive_timeout_seconds)
        limits.keep_alive_timeout = std::chrono::seconds(*settings.keep_alive_timeout_seconds);
}

std::string raise_open_file_limit(std::size_t connections) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
    std::string warning;
    if (limit.rlim_cur != limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
        else
            warning = "cannot raise the open-file limit from " + std::to_string(limit.rlim_cur) +
                      ": " + std::strerror(errno) + "; ";
    }
    const rlim_t wanted = static_cast<rlim_t>(connections) + k_reserved_descriptors;
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted)
        warning += "the open-file limit (" + std::to_string(limit.rlim_cur) +
                   ") is below max_connections (" + std::to_string(connections) + ") plus " +
                   std::to_string(k_reserved_descriptors) +
                   " for files and listeners: connections past it are refused (raise "
                   "LimitNOFILE= or ulimit -n)";
    return warning;
}

}  // namespace presign::app
