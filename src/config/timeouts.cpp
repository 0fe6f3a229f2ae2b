#include "config/timeouts.hpp"

namespace presign::config {

bool is_timeout_key(std::string_view key) noexcept {
    return key == "header_timeout_seconds" || key == "body_idle_timeout_seconds" ||
           key == "keep_alive_timeout_seconds";
}

std::optional<std::string> set_timeout(timeout_settings& timeouts, std::string_view key,
                                       std::optional<long long> seconds) {
    if (!seconds || *seconds < k_min_timeout_seconds || *seconds > k_max_timeout_seconds)
        return "must be an integer " + std::to_string(k_min_timeout_seconds) + ".." +
               std::to_string(k_max_timeout_seconds) + " (seconds)";
    std::optional<long>& field = key == "header_timeout_seconds" ? timeouts.header_timeout_seconds
                                 : key == "body_idle_timeout_seconds"
                                     ? timeouts.body_idle_timeout_seconds
                                     : timeouts.keep_alive_timeout_seconds;
    field = static_cast<long>(*seconds);
    return std::nullopt;
}

}  // namespace presign::config
