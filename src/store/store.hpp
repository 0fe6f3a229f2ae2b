#pragma once
// The embedded object store: buckets of objects on a local file system, durable on
// acknowledgement, with an in-memory ordered index per bucket for listings. No HTTP here; the S3
// front calls this API from worker threads (every call may block on disk I/O).
//
// The layout under the data root is drawn in layout.hpp and docs/storage.md. One process owns a
// data root at a time (open() takes a lock). Any operations may run concurrently from any threads,
// except moving or destroying the store object itself.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "store/errors.hpp"
#include "store/listing.hpp"
#include "store/metadata.hpp"
#include "store/object_reader.hpp"
#include "store/object_writer.hpp"

namespace presign::store {

namespace detail {
struct store_state;
}

/// A bucket and when it was created.
struct bucket_info {
    std::string name;
    core::time_point created;
};

/// What open() found and did while recovering the data root.
struct open_report {
    std::size_t buckets = 0;               ///< buckets loaded
    std::size_t objects = 0;               ///< objects indexed
    std::size_t temp_entries_removed = 0;  ///< leftovers of interrupted writes removed from tmp/
    /// Object files that failed their checks and were moved to quarantine/, as
    /// "<bucket>/<file name>: <reason>" (file names are key hashes, never keys).
    std::vector<std::string> quarantined;
    /// Entries that are not part of the layout, left untouched, relative to the data root.
    std::vector<std::string> ignored;
};

/// Options of begin_put().
struct put_options {
    object_headers headers;      ///< Content-Type and friends, user metadata, checksums
    bool if_none_match = false;  ///< "If-None-Match: *": fail if the key exists (at commit)
};

/// An open data root. Movable. Writers from begin_put() share its state, so the data root stays
/// open (and locked) until the store and all its writers are gone.
class store {
  public:
    /// Opens (creating if needed) the store at `root` and recovers it: removes leftovers in
    /// tmp/, quarantines corrupt object files, and builds each bucket's index from the object
    /// headers. `clock` stamps last-modified times and must outlive the store and its writers.
    /// Fails with errc::store_locked if another store has `root` open, errc::unsupported_format
    /// for another layout version, errc::io_error.
    static result<store> open(const std::filesystem::path& root, const core::clock& clock);

    store(store&&) noexcept;
    store& operator=(store&&) noexcept;
    ~store();

    /// What open() found.
    const open_report& report() const noexcept { return report_; }

    /// Creates a bucket (durably: it exists after a crash once this returns). Fails with
    /// errc::invalid_bucket_name, errc::bucket_already_exists, errc::io_error.
    result<bucket_info> create_bucket(std::string_view name);

    /// Deletes an empty bucket. Fails with errc::invalid_bucket_name, errc::no_such_bucket,
    /// errc::bucket_not_empty, errc::io_error. Uploads still in progress into it fail at commit.
    result<void> delete_bucket(std::string_view name);

    /// The bucket's info. Fails with errc::invalid_bucket_name, errc::no_such_bucket.
    result<bucket_info> head_bucket(std::string_view name) const;

    /// True when `name` is an existing bucket.
    bool bucket_exists(std::string_view name) const;

    /// Every bucket, ordered by name.
    std::vector<bucket_info> list_buckets() const;

    /// Starts an upload of `key` into `bucket`: see object_writer. Fails with
    /// errc::invalid_bucket_name, errc::invalid_key, errc::no_such_bucket,
    /// errc::metadata_too_large, errc::precondition_failed (if_none_match and the key exists
    /// already; checked again at commit), errc::io_error.
    result<object_writer> begin_put(std::string_view bucket, std::string_view key,
                                    put_options options = {});

    /// begin_put + write(data) + commit(checks) in one call, for small objects.
    result<object_metadata> put_object(std::string_view bucket, std::string_view key,
                                       std::span<const std::byte> data, put_options options = {},
                                       const commit_options& checks = {});

    /// Opens an object for reading. Fails with errc::invalid_bucket_name, errc::invalid_key,
    /// errc::no_such_bucket, errc::no_such_key, errc::corrupt_object, errc::io_error.
    result<object_reader> open_object(std::string_view bucket, std::string_view key) const;

    /// An object's metadata (its file's header). Errors as open_object().
    result<object_metadata> head_object(std::string_view bucket, std::string_view key) const;

    /// Deletes an object. Deleting a key that does not exist succeeds, as in S3. Fails with
    /// errc::invalid_bucket_name, errc::invalid_key, errc::no_such_bucket, errc::io_error.
    result<void> delete_object(std::string_view bucket, std::string_view key);

    /// One page of the bucket's listing (ListObjectsV2 / V1, see list_request). Served from the
    /// in-memory index. Fails with errc::invalid_bucket_name, errc::no_such_bucket,
    /// errc::invalid_argument (a continuation token this store did not issue).
    result<list_page> list_objects(std::string_view bucket, const list_request& request) const;

  private:
    store(std::shared_ptr<detail::store_state> state, open_report report);

    std::shared_ptr<detail::store_state> state_;
    open_report report_;
};

}  // namespace presign::store
