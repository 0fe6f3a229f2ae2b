#include "api/auth_throttle.hpp"

#include <functional>

namespace presign::api {

auth_throttle::auth_throttle(auth_throttle_settings settings, const core::clock& clock)
    : settings_(settings), clock_(clock), sets_(std::make_unique<set[]>(k_sets)) {}

auth_throttle::set& auth_throttle::set_of(std::string_view address) const {
    return sets_[std::hash<std::string_view>{}(address) % k_sets];
}

std::optional<std::chrono::seconds> auth_throttle::blocked(std::string_view address) const {
    if (!enabled()) return std::nullopt;
    set& s = set_of(address);
    if (s.live.load(std::memory_order_acquire) == 0) return std::nullopt;  // the common case
    const core::time_point now = clock_.now();
    std::lock_guard guard(s.lock);
    for (entry& e : s.entries)
        if (e.used && e.address == address) {
            if (now >= e.window_end) {  // the window passed: forget the address
                e.used = false;
                e.failures = 0;
                s.live.fetch_sub(1, std::memory_order_release);
                return std::nullopt;
            }
            if (e.failures < settings_.max_failures) return std::nullopt;
            return std::chrono::seconds(e.window_end - now);
        }
    return std::nullopt;
}

void auth_throttle::record_failure(std::string_view address) {
    if (!enabled()) return;
    set& s = set_of(address);
    const core::time_point now = clock_.now();
    std::lock_guard guard(s.lock);
    entry* slot = nullptr;
    for (entry& e : s.entries)
        if (e.used && e.address == address) slot = &e;
    if (!slot) {
        // A free or expired entry, else the one with the fewest failures.
        for (entry& e : s.entries) {
            if (!e.used || now >= e.window_end) {
                slot = &e;
                break;
            }
            if (!slot || e.failures < slot->failures) slot = &e;
        }
        if (!slot->used) s.live.fetch_add(1, std::memory_order_release);
        slot->used = true;
        slot->address.assign(address);
        slot->failures = 0;
        slot->window_end = now;
    }
    if (now >= slot->window_end) {  // a new window from this failure
        slot->window_end = now + settings_.window;
        slot->failures = 0;
    }
    ++slot->failures;
}

std::size_t auth_throttle::tracked() const {
    const core::time_point now = clock_.now();
    std::size_t n = 0;
    for (std::size_t i = 0; i < k_sets; ++i) {
        std::lock_guard guard(sets_[i].lock);
        for (const entry& e : sets_[i].entries)
            if (e.used && now < e.window_end) ++n;
    }
    return n;
}

}  // namespace presign::api
