#pragma once
// The transport timeouts a listener takes from the config file, the same three keys in [store]
// (the store, also the one `presign serve` starts) and in [serve] (the API):
//
//   header_timeout_seconds = 30      # to receive a whole request head (slow-header bound)
//   body_idle_timeout_seconds = 60   # longest wait for more body bytes, or for the client to
//                                    # take more response bytes
//   keep_alive_timeout_seconds = 60  # idle time between requests on one connection
//
// Each is an integer 1..3600 seconds; unset keeps the transport's default (http::limits).

#include <optional>
#include <string>
#include <string_view>

namespace presign::config {

/// The bounds every timeout is checked against, in seconds.
inline constexpr long k_min_timeout_seconds = 1;
inline constexpr long k_max_timeout_seconds = 3600;

/// The three timeouts as the file (or a flag) gives them, in seconds; unset: the default.
struct timeout_settings {
    std::optional<long> header_timeout_seconds;
    std::optional<long> body_idle_timeout_seconds;
    std::optional<long> keep_alive_timeout_seconds;
};

/// Whether `key` is one of the three timeout keys.
bool is_timeout_key(std::string_view key) noexcept;

/// Sets the timeout `key` names (is_timeout_key) to `seconds` (nullopt: the value was not an
/// integer). Returns the complaint for a value outside k_min..k_max_timeout_seconds
/// ("must be an integer 1..3600"), or nullopt when it was set.
std::optional<std::string> set_timeout(timeout_settings& timeouts, std::string_view key,
                                       std::optional<long long> seconds);

}  // namespace presign::config
