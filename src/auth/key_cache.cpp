#include "auth/key_cache.hpp"

#include <algorithm>

namespace presign::auth {

key_cache::key_cache(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

std::shared_ptr<const sigv4::signing_key> key_cache::get(std::string_view access_key_id,
                                                         const core::secret_string& secret,
                                                         std::string_view date,
                                                         std::string_view region,
                                                         std::string_view service) const {
    // Access key ids and scope parts never contain '/' (the credential is split on it).
    std::string id;
    id.reserve(access_key_id.size() + date.size() + region.size() + service.size() + 3);
    id.append(access_key_id).append("/").append(date).append("/").append(region);
    id.append("/").append(service);

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
    recency_.push_front(id);
    entries_.emplace(std::move(id), entry{secret, key, recency_.begin()});
    return key;
}

std::size_t key_cache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace presign::auth
