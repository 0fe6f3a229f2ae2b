#include "auth/key_cache.hpp"

#include <algorithm>

namespace presign::auth {

key_cache::key_cache(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

std::shared_ptr<const sigv4::signing_key> key_cache::get(std::string_view access_key_id,
                                                         const core::secret_string& secret,
                                                         std::string_view date,
                                                         std::string_view region,
                                                         std::string_view service) const {
    // Access key ids and scope parts never contain '/' (the credential is split on it). The id
    // is put together on the stack when it fits (every real one does).
    const std::size_t length =
        access_key_id.size() + date.size() + region.size() + service.size() + 3;
    char on_stack[192];
    std::string on_heap;
    char* at = on_stack;
    if (length > sizeof on_stack) {
        on_heap.resize(length);
        at = on_heap.data();
    }
    const std::string_view id(at, length);
    bool first = true;
    for (const std::string_view part : {access_key_id, date, region, service}) {
        if (!first) *at++ = '/';
        first = false;
        at = std::copy(part.begin(), part.end(), at);
    }

    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(id); it != entries_.end()) {
        if (core::constant_time_equal(it->second.secret.reveal(), secret.reveal())) {
            recency_.splice(recency_.begin(), recency_, it->second.position);
            return it->second.key;
        }
        recency_.erase(it->second.position);  // the secret was rotated: derive afresh
        entries_.erase(it);
    }
    auto key = std::make_shared<const sigv4::signing_key>(
        sigv4::signing_key::derive(secret.reveal(), date, region, service));
    if (entries_.size() >= capacity_) {
        entries_.erase(recency_.back());
        recency_.pop_back();
    }
    recency_.emplace_front(id);
    entries_.emplace(std::string(id), entry{secret, key, recency_.begin()});
    return key;
}

std::size_t key_cache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace presign::auth
