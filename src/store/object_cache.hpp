#pragma once
// Small objects kept in memory: the parsed header and all the data of objects up to
// object_cache::max_object_bytes, per bucket, so that serving a hot small object opens no file
// (nginx's open_file_cache keeps descriptors; this keeps the bytes, which for a small object
// cost less than the descriptor's open, stat, read and close). Internal to the store.
//
// Validity, without a lock held across any file system call: every key hashes to one of
// k_generations counters. Whatever changes the file at a key's path (publish_object,
// store::delete_object, the ACL swap) calls invalidate(key) after the change and before
// acknowledging it, which bumps the key's counter. Whoever fills the cache reads the counter
// with generation(key) *before* opening the file and inserts the entry with that value; an
// entry is served only while its counter still holds it. So once a change to a key has been
// acknowledged, no entry read before it is served, even one whose read raced with the change
// (its counter moved on after the entry's value was taken). A deleted bucket takes its cache
// with it (bucket_state).

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/metadata.hpp"

namespace presign::store::detail {

/// The bytes every object_cache of one store may hold together.
struct cache_budget {
    explicit cache_budget(std::size_t limit_bytes) : limit(limit_bytes) {}
    const std::size_t limit;
    std::atomic<std::size_t> used{0};
};

/// A cached object: what object_reader needs to serve it without its file.
struct cached_object {
    object_metadata metadata;
    std::uint64_t data_offset = 0;  ///< where the data starts in the file (as it was)
    std::string data;               ///< all of the object's data
    std::uint64_t generation = 0;   ///< the key's counter when the file was opened
};

/// One bucket's cache of small objects. Thread-safe.
class object_cache {
  public:
    /// Objects with more data bytes are never cached.
    static constexpr std::size_t max_object_bytes = 16 * 1024;

    /// `budget`: shared by all the caches of one store (null: cache nothing).
    explicit object_cache(std::shared_ptr<cache_budget> budget);
    ~object_cache();
    object_cache(const object_cache&) = delete;
    object_cache& operator=(const object_cache&) = delete;

    /// The current value of `key`'s counter (see above): read it before opening the file whose
    /// contents are then offered to insert().
    std::uint64_t generation(std::string_view key) const noexcept;

    /// The file at `key`'s path has changed (replaced or removed): no entry read before this
    /// call is served after it.
    void invalidate(std::string_view key) noexcept;

    /// The valid entry of `key`, or null.
    std::shared_ptr<const cached_object> find(std::string_view key) const;

    /// Offers an object read from its file (object.generation from generation() before the
    /// file was opened). Kept if it is small enough, still valid and fits the budget (entries
    /// of this bucket are dropped to make room).
    void insert(std::shared_ptr<const cached_object> object);

    /// Entries held (some may be stale).
    std::size_t size() const;

  private:
    static constexpr std::size_t k_generations = 256;
    struct key_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view key) const noexcept {
            return std::hash<std::string_view>{}(key);
        }
    };
    static std::size_t cost(const cached_object& object) noexcept;
    const std::atomic<std::uint64_t>& counter(std::string_view key) const noexcept;
    // Drops `it` and returns its bytes to the budget; exclusive lock held.
    void erase_locked(std::unordered_map<std::string, std::shared_ptr<const cached_object>,
                                         key_hash, std::equal_to<>>::iterator it);

    std::shared_ptr<cache_budget> budget_;
    std::array<std::atomic<std::uint64_t>, k_generations> generations_{};
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const cached_object>, key_hash,
                       std::equal_to<>>
        entries_;            // guarded by mutex_
    std::size_t bytes_ = 0;  // guarded by mutex_: this cache's share of the budget
};

}  // namespace presign::store::detail
