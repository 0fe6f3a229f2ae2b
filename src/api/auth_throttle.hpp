#pragma once
// Slows down key and token guessing: failed caller authentications are counted per client
// address, and an address with too many failures in a window is refused (429
// too_many_requests, with Retry-After) before any key comparison until its window ends.
//
// Memory is bounded: a fixed table of k_sets sets of k_ways entries, the set chosen by a hash
// of the address. A new address takes a free or expired entry of its set, else the one with
// the fewest failures; a flood of addresses can push out entries, never grow the table.
// Requests from addresses without failures take no lock: each set keeps an atomic count of
// its live entries, and a set without any is skipped.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace presign::api {

/// How many failures an address may have in how long a window.
struct auth_throttle_settings {
    unsigned max_failures = 10;       ///< failures allowed in a window; 0: no throttling
    std::chrono::seconds window{60};  ///< counted from an address's first failure (1..3600)
};

class auth_throttle {
  public:
    static constexpr std::size_t k_sets = 1024;
    static constexpr std::size_t k_ways = 4;  ///< k_sets * k_ways addresses are tracked at most

    /// `clock` must outlive the throttle.
    auth_throttle(auth_throttle_settings settings, const core::clock& clock);

    bool enabled() const noexcept { return settings_.max_failures > 0; }

    /// Seconds until `address` may try again (at least 1), or nullopt when it may try now.
    std::optional<std::chrono::seconds> blocked(std::string_view address) const;

    /// Counts a failed authentication from `address`.
    void record_failure(std::string_view address);

    /// Addresses with failures in their current window (for tests and metrics).
    std::size_t tracked() const;

  private:
    struct entry {
        bool used = false;  ///< false: free
        std::string address;
        core::time_point window_end;  ///< the window opened by the first failure ends here
        unsigned failures = 0;
    };
    struct set {
        mutable std::mutex lock;
        std::atomic<unsigned> live{0};  ///< entries with an address, read without the lock
        std::array<entry, k_ways> entries;
    };

    set& set_of(std::string_view address) const;

    auth_throttle_settings settings_;
    const core::clock& clock_;
    std::unique_ptr<set[]> sets_;
};

}  // namespace presign::api
