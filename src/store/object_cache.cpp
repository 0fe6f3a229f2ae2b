#include "store/object_cache.hpp"

#include <mutex>

namespace presign::store::detail {

object_cache::object_cache(std::shared_ptr<cache_budget> budget) : budget_(std::move(budget)) {}

object_cache::~object_cache() {
    if (budget_) budget_->used -= bytes_;
}

const std::atomic<std::uint64_t>& object_cache::counter(std::string_view key) const noexcept {
    return generations_[key_hash{}(key) % k_generations];
}

std::uint64_t object_cache::generation(std::string_view key) const noexcept {
    return counter(key).load();
}

void object_cache::invalidate(std::string_view key) noexcept {
    const_cast<std::atomic<std::uint64_t>&>(counter(key)).fetch_add(1);
}

std::size_t object_cache::cost(const cached_object& object) noexcept {
    // The data and the key twice (map key, metadata), plus a flat allowance for the other
    // metadata and the allocations' overhead.
    return object.data.size() + 2 * object.metadata.key.size() + 512;
}

std::shared_ptr<const cached_object> object_cache::find(std::string_view key) const {
    std::shared_ptr<const cached_object> found;
    {
        std::shared_lock lock(mutex_);
        const auto it = entries_.find(key);
        if (it == entries_.end()) return nullptr;
        found = it->second;
    }
    // Read after the entry: a change acknowledged before this request makes them differ.
    if (found->generation != generation(key)) return nullptr;
    return found;
}

void object_cache::erase_locked(
    std::unordered_map<std::string, std::shared_ptr<const cached_object>, key_hash,
                       std::equal_to<>>::iterator it) {
    const std::size_t n = cost(*it->second);
    bytes_ -= n;
    budget_->used -= n;
    entries_.erase(it);
}

void object_cache::insert(std::shared_ptr<const cached_object> object) {
    if (!budget_ || object->data.size() > max_object_bytes ||
        object->data.size() != object->metadata.size)
        return;
    const std::size_t n = cost(*object);
    if (n > budget_->limit) return;
    std::unique_lock lock(mutex_);
    // Checked under the lock: an entry is never replaced by an older read of the same key.
    if (object->generation != generation(object->metadata.key)) return;
    if (const auto it = entries_.find(std::string_view(object->metadata.key)); it != entries_.end())
        erase_locked(it);
    while (budget_->used + n > budget_->limit && !entries_.empty()) erase_locked(entries_.begin());
    if (budget_->used + n > budget_->limit) return;  // other buckets hold the budget
    bytes_ += n;
    budget_->used += n;
    std::string key = object->metadata.key;
    entries_.emplace(std::move(key), std::move(object));
}

std::size_t object_cache::size() const {
    std::shared_lock lock(mutex_);
    return entries_.size();
}

}  // namespace presign::store::detail
