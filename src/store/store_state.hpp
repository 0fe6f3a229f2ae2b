#pragma once
// The shared state behind a store, its writers and its buckets, and publish_object(), where a
// written object becomes visible (store::delete_object is its counterpart). Internal to the store.
//
// Locks, taken in this order and never the reverse:
//   bucket_ddl      serialises create_bucket / delete_bucket (held across their I/O)
//   upload mutex    per multipart upload (uploads.hpp): part commits, complete, abort
//   key stripe      one of 64 mutexes chosen by the object's file name: serialises commits and
//                   deletes of one key, so "If-None-Match: *" is checked and the rename done as
//                   one step, and the index always ends up agreeing with the last rename
//   lifecycle       per bucket; shared by commits and deletes, exclusive while deleting the bucket
//   index_mutex     per bucket; shared by listings, exclusive for the brief index update
// Bucket settings have their own pair, taken in this order: settings_write (per bucket,
// serialises changes, held across their I/O), then lifecycle (shared, so the settings file is
// renamed into a bucket that is not being deleted), then settings_mutex (exclusive only to swap
// the snapshot pointer).
// buckets_mutex (the bucket map) and uploads_mutex (a bucket's upload index) are only held to
// look up, insert, erase or copy out, never while waiting for another lock; so is the mutex of
// a bucket's object_cache, and object_cache::invalidate (called under the key stripe) takes no
// lock at all.

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "store/errors.hpp"
#include "store/file_io.hpp"
#include "store/helper_threads.hpp"
#include "store/object_cache.hpp"
#include "store/object_index.hpp"
#include "store/settings.hpp"
#include "store/uploads.hpp"

namespace presign::store {
struct open_report;
}

namespace presign::store::detail {

/// One bucket of an open store.
struct bucket_state {
    /// `budget`: the store's budget for caching small objects (store_state::cache_budget).
    explicit bucket_state(std::shared_ptr<cache_budget> budget) : cache(std::move(budget)) {}

    std::string name;
    core::time_point created;
    unique_fd objects_fd;  ///< buckets/<name>/objects

    std::shared_mutex lifecycle;  ///< see the lock order above
    bool deleted = false;         ///< guarded by lifecycle

    mutable std::shared_mutex index_mutex;
    object_index index;  ///< guarded by index_mutex

    unique_fd uploads_fd;  ///< buckets/<name>/uploads
    mutable std::mutex uploads_mutex;
    upload_index uploads;  ///< guarded by uploads_mutex

    unique_fd dir_fd;  ///< buckets/<name>, where the settings file lives
    std::mutex settings_write;
    mutable std::shared_mutex settings_mutex;
    std::shared_ptr<const settings_snapshot> settings;  ///< guarded by settings_mutex; never null

    /// Small objects served from memory (object_cache.hpp); every change to an object file
    /// calls cache.invalidate(key).
    object_cache cache;
};

/// Everything an open store shares with its writers (which keep it alive).
struct store_state {
    const core::clock* clock = nullptr;
    std::uint64_t min_part_size = 0;  ///< store_options::min_part_size
    unique_fd root_fd, lock_fd, tmp_fd, buckets_fd, quarantine_fd;

    std::mutex bucket_ddl;
    mutable std::shared_mutex buckets_mutex;
    std::map<std::string, std::shared_ptr<bucket_state>, std::less<>> buckets;

    std::array<std::mutex, 64> key_stripes;

    /// What all buckets' object caches may hold together.
    std::shared_ptr<cache_budget> object_cache_budget =
        std::make_shared<cache_budget>(8 * 1024 * 1024);

    /// Threads that hash a writer's chunk while it writes (helper_threads.hpp).
    helper_threads helpers{helper_threads::default_count()};

    /// The last settings_snapshot::version handed out.
    std::atomic<std::uint64_t> settings_versions{0};

    /// A new snapshot of `settings` with a version no other snapshot has.
    std::shared_ptr<const settings_snapshot> snapshot(bucket_settings settings) {
        return std::make_shared<const settings_snapshot>(
            settings_snapshot{std::move(settings), ++settings_versions});
    }

    /// The stripe mutex for an object file name.
    std::mutex& stripe_for(std::string_view file_name) {
        return key_stripes[std::hash<std::string_view>{}(file_name) % key_stripes.size()];
    }

    /// Validates `name` and returns its bucket; errc::invalid_bucket_name or no_such_bucket.
    result<std::shared_ptr<bucket_state>> find_bucket(std::string_view name) const;

    /// Validates `name` and `key` and returns the bucket: errc::invalid_bucket_name,
    /// errc::invalid_key, errc::no_such_bucket.
    result<std::shared_ptr<bucket_state>> find_bucket_for_key(std::string_view name,
                                                              std::string_view key) const;
};

/// Makes the complete, fsynced temp file `temp_name` (in tmp/) the object `key` of `bucket`:
/// under the key's stripe lock, checks the bucket still exists (else no_such_bucket) and, when
/// `if_none_match`, that the key does not (else precondition_failed); renames the file into
/// place, updates the index, then fsyncs the fan-out directory. On failure before the rename
/// the temp file is left for the caller to remove.
result<void> publish_object(store_state& store, bucket_state& bucket, const std::string& temp_name,
                            const std::string& key, const index_entry& entry, bool if_none_match);

/// Loads every bucket under buckets/ and its index (store::open's recovery of buckets): object
/// files that fail their checks are moved to quarantine/, unexpected entries are reported and
/// left alone. Fails only on I/O errors that make the data root unusable.
result<void> load_buckets(store_state& store, open_report& report);

}  // namespace presign::store::detail
