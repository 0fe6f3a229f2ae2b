#pragma once
// The embedded object store: buckets of objects on a local file system, durable on
// acknowledgement, with an in-memory ordered index per bucket for listings. No HTTP here; the S3
// front calls this API from worker threads (every call may block on disk I/O).
//
// The layout under the data root is drawn in layout.hpp and docs/storage.md. One process owns a
// data root at a time (open() takes a lock). Any operations may run concurrently from any threads,
// except moving or destroying the store object itself.

#include <chrono>
#include <cstddef>
#include <cstdint>
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
#include "store/multipart.hpp"
#include "store/object_reader.hpp"
#include "store/object_writer.hpp"
#include "store/part_writer.hpp"
#include "store/settings.hpp"

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
    std::size_t uploads = 0;       ///< multipart uploads in progress loaded
    std::size_t upload_parts = 0;  ///< their parts
    /// Uploads whose object had been published before a crash kept their removal from
    /// happening; removed now.
    std::size_t completed_uploads_removed = 0;
};

/// Settings of an open store.
struct store_options {
    /// Smallest size in bytes of every part of a multipart upload but the last, checked by
    /// complete_multipart_upload() (errc::entity_too_small). S3's is 5 MiB; tests lower it.
    std::uint64_t min_part_size = default_min_part_size;
};

/// Options of begin_put().
struct put_options {
    object_headers headers;      ///< Content-Type and friends, user metadata, checksums
    bool if_none_match = false;  ///< "If-None-Match: *": fail if the key exists (at commit)
};

/// x-amz-metadata-directive of CopyObject.
enum class metadata_directive {
    copy,     ///< the copy keeps the source's headers (S3's default)
    replace,  ///< the copy gets copy_options::headers instead
};

/// Options of copy_object().
struct copy_options {
    metadata_directive directive = metadata_directive::copy;
    /// With metadata_directive::replace: every header of the copy, checksums included (the
    /// front decides whether to carry the source's x-amz-checksum-* over). Ignored with copy.
    object_headers headers;
    bool if_none_match = false;  ///< "If-None-Match: *" on the destination key
    /// The copy's canned ACL, whatever the directive: S3 never copies an object's ACL (the
    /// copy gets the request's x-amz-acl, private by default), so headers.acl is ignored.
    std::string acl;
};

/// An open data root. Movable. Writers from begin_put() and begin_upload_part() share its
/// state, so the data root stays open (and locked) until the store and all its writers are gone.
class store {
  public:
    /// Opens (creating if needed) the store at `root` and recovers it: removes leftovers in
    /// tmp/, quarantines corrupt object files, builds each bucket's index from the object
    /// headers, and reloads multipart uploads (see load_uploads in uploads.hpp). `clock` stamps
    /// last-modified and initiation times and must outlive the store and its writers.
    /// Fails with errc::store_locked if another store has `root` open, errc::unsupported_format
    /// for another layout version, errc::io_error.
    static result<store> open(const std::filesystem::path& root, const core::clock& clock,
                              const store_options& options = {});

    store(store&&) noexcept;
    store& operator=(store&&) noexcept;
    ~store();

    /// What open() found.
    const open_report& report() const noexcept { return report_; }

    /// Creates a bucket (durably: it exists after a crash once this returns). Fails with
    /// errc::invalid_bucket_name, errc::bucket_already_exists, errc::io_error.
    result<bucket_info> create_bucket(std::string_view name);

    /// create_bucket() with initial settings (CreateBucket with x-amz-acl), which are part of
    /// the new bucket from the start (written before it appears). Fails also with
    /// errc::invalid_argument for settings over their size limits (settings.hpp).
    result<bucket_info> create_bucket(std::string_view name, const bucket_settings& settings);

    /// Deletes a bucket without objects. Multipart uploads in progress do not keep it (as in
    /// S3's general purpose buckets): they are removed with it. Fails with
    /// errc::invalid_bucket_name, errc::no_such_bucket, errc::bucket_not_empty, errc::io_error.
    /// Writers still open into it fail at commit with errc::no_such_bucket.
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

    /// Opens an object for reading: one open, fstat and pread of its file, which also brings in
    /// the first data bytes (all of them for objects up to about 16 KiB, see
    /// object_reader::leading_data). Fails with errc::invalid_bucket_name, errc::invalid_key,
    /// errc::no_such_bucket, errc::no_such_key, errc::corrupt_object, errc::io_error.
    result<object_reader> open_object(std::string_view bucket, std::string_view key) const;

    /// open_object() for serving a GET or HEAD: the same version and errors, but an object of
    /// up to 16 KiB of data may come from the store's cache of small objects (kept per bucket,
    /// 8 MiB in all, dropped as soon as its key is written or deleted): the reader then has no
    /// descriptor (fd() is -1) and all of the data in leading_data(), and no file is opened.
    result<object_reader> open_object_to_serve(std::string_view bucket, std::string_view key) const;

    /// An object's metadata (its file's header), from the cache of small objects when it holds
    /// the object. Errors as open_object().
    result<object_metadata> head_object(std::string_view bucket, std::string_view key) const;

    /// Deletes an object. Deleting a key that does not exist succeeds, as in S3. Fails with
    /// errc::invalid_bucket_name, errc::invalid_key, errc::no_such_bucket, errc::io_error.
    result<void> delete_object(std::string_view bucket, std::string_view key);

    /// One page of the bucket's listing (ListObjectsV2 / V1, see list_request). Served from the
    /// in-memory index. Fails with errc::invalid_bucket_name, errc::no_such_bucket,
    /// errc::invalid_argument (a continuation token this store did not issue).
    result<list_page> list_objects(std::string_view bucket, const list_request& request) const;

    // ---- CopyObject (store_copy.cpp) ----

    /// CopyObject from an object the caller has opened: the copy is made from exactly the
    /// version `source` holds, so the front can check x-amz-copy-source-if-* against
    /// source.metadata() and no concurrent overwrite can slip in between. `source_bucket` is
    /// the bucket `source` was opened from (for the self-copy check). The data moves in the
    /// kernel (copy_file_range(2), falling back to read/write).
    ///
    /// The copy is an object written in one piece, as S3's "GET then PUT": for a source written
    /// in one piece it keeps the ETag, MD5 and SHA-256; for a multipart source the bytes are
    /// hashed on the way (one read/write pass instead of copy_file_range) and the copy's ETag
    /// is their MD5, without "-N". Headers per options.directive; last-modified is now.
    /// Copying an object onto its own key needs metadata_directive::replace (that is how
    /// clients change metadata) and fails with errc::copy_onto_itself otherwise. Fails also
    /// with errc::invalid_bucket_name, errc::invalid_key, errc::no_such_bucket (destination),
    /// errc::metadata_too_large, errc::precondition_failed (options.if_none_match and the key
    /// exists), errc::io_error (also when `source` gave its descriptor away).
    result<object_metadata> copy_object(std::string_view source_bucket, const object_reader& source,
                                        std::string_view bucket, std::string_view key,
                                        const copy_options& options = {});

    /// open_object(source_bucket, source_key) then the copy above. Errors of both.
    result<object_metadata> copy_object(std::string_view source_bucket, std::string_view source_key,
                                        std::string_view bucket, std::string_view key,
                                        const copy_options& options = {});

    // ---- Multipart uploads (store_multipart.cpp, store_complete.cpp; types in multipart.hpp)

    /// CreateMultipartUpload: starts an upload of `key` into `bucket`; the object will carry
    /// `headers`. The upload exists durably when this returns. Fails with
    /// errc::invalid_bucket_name, errc::invalid_key, errc::no_such_bucket,
    /// errc::metadata_too_large, errc::io_error.
    result<upload_info> create_multipart_upload(std::string_view bucket, std::string_view key,
                                                object_headers headers = {});

    /// UploadPart: starts writing part `part_number` of an upload (see part_writer). Fails with
    /// errc::invalid_bucket_name, errc::invalid_key, errc::no_such_bucket,
    /// errc::invalid_argument (part number outside 1..10000), errc::no_such_upload (id
    /// malformed, unknown, ended, or of another bucket or key), errc::io_error.
    result<part_writer> begin_upload_part(std::string_view bucket, std::string_view key,
                                          std::string_view upload_id, int part_number);

    /// begin_upload_part + write(data) + commit(checks) in one call, for small parts.
    result<part_info> upload_part(std::string_view bucket, std::string_view key,
                                  std::string_view upload_id, int part_number,
                                  std::span<const std::byte> data,
                                  const commit_options& checks = {});

    /// UploadPartCopy: writes part `part_number` from the bytes [first, first + length) of the
    /// object `source` holds (the version the front checked its conditions against). The part
    /// is hashed on the way (its ETag is the MD5 of those bytes). Fails with
    /// errc::invalid_argument when the range does not lie within the source, and the errors
    /// of begin_upload_part() and part_writer::commit().
    result<part_info> upload_part_copy(const object_reader& source, std::uint64_t first,
                                       std::uint64_t length, std::string_view bucket,
                                       std::string_view key, std::string_view upload_id,
                                       int part_number);

    /// CompleteMultipartUpload: makes the listed parts, in order, the object `key`, atomically
    /// and durably (as a PUT). `parts` must be in strictly ascending part order
    /// (errc::invalid_part_order) and non-empty (errc::invalid_argument); each must have been
    /// uploaded with that ETag (errc::invalid_part, also for a part replaced while completing);
    /// every part but the last must hold at least store_options::min_part_size bytes
    /// (errc::entity_too_small). Unlisted parts are dropped. The object's ETag is
    /// multipart_etag() of the part MD5s, its headers those given at creation, and it keeps its
    /// part sizes (object_part_range()); its md5/sha256 are zero (see object_metadata). The
    /// data is assembled with copy_file_range(2), never hashed again. Afterwards the upload
    /// and its parts are gone.
    ///
    /// A retry after success (the same id and part list) returns the object's metadata again
    /// as long as the key still holds that object; once it was overwritten or deleted, the
    /// retry fails with errc::no_such_upload. Also errc::no_such_upload for ids that are
    /// malformed, unknown, aborted, or of another bucket or key; errc::precondition_failed
    /// (options.if_none_match and the key exists; the upload stays), errc::no_such_bucket,
    /// errc::invalid_bucket_name, errc::invalid_key, errc::io_error.
    result<object_metadata> complete_multipart_upload(std::string_view bucket, std::string_view key,
                                                      std::string_view upload_id,
                                                      std::span<const completed_part> parts,
                                                      const complete_options& options = {});

    /// AbortMultipartUpload: removes the upload and its parts. Part writers still open for it
    /// fail at commit with errc::no_such_upload. Fails with errc::no_such_upload (also when it
    /// completed or was aborted already), errc::invalid_bucket_name, errc::invalid_key,
    /// errc::no_such_bucket, errc::io_error.
    result<void> abort_multipart_upload(std::string_view bucket, std::string_view key,
                                        std::string_view upload_id);

    /// ListParts: one page of an upload's parts in part-number order, from memory (with
    /// max_parts = 0, just the upload's info). Fails with errc::no_such_upload,
    /// errc::invalid_bucket_name, errc::invalid_key, errc::no_such_bucket.
    result<list_parts_page> list_parts(std::string_view bucket, std::string_view key,
                                       std::string_view upload_id,
                                       const list_parts_request& request = {}) const;

    /// ListMultipartUploads: one page of a bucket's uploads in progress, from memory (see
    /// list_uploads_request). Fails with errc::invalid_bucket_name, errc::no_such_bucket.
    result<list_uploads_page> list_multipart_uploads(
        std::string_view bucket, const list_uploads_request& request = {}) const;

    /// Aborts every upload, in every bucket, initiated more than `max_age` ago (strictly before
    /// clock.now() - max_age), as S3's AbortIncompleteMultipartUpload lifecycle rule does; the
    /// application calls it periodically. Returns how many were removed. Uploads that fail to
    /// be removed are skipped and the first such errc::io_error is returned after trying all.
    result<std::size_t> remove_abandoned_uploads(std::chrono::seconds max_age);

    // ---- Bucket settings and object ACLs (store_settings.cpp, object_acl.cpp) ----

    /// The bucket's current settings, from memory (a lookup under a lock held only to copy a
    /// pointer: cheap enough for every request). Fails with errc::invalid_bucket_name,
    /// errc::no_such_bucket.
    result<std::shared_ptr<const settings_snapshot>> bucket_settings_of(
        std::string_view bucket) const;

    /// Sets the bucket's canned ACL name (empty: private), durably: the settings file is
    /// replaced by rename before this returns, and the new snapshot published. Fails with
    /// errc::invalid_bucket_name, errc::no_such_bucket (also when the bucket is deleted
    /// meanwhile), errc::invalid_argument (over max_acl_name_size), errc::io_error.
    result<void> set_bucket_acl(std::string_view bucket, std::string_view acl);

    /// Sets the bucket's CORS document (empty: removes it), durably, as set_bucket_acl().
    /// errc::invalid_argument over max_cors_document_size.
    result<void> set_bucket_cors(std::string_view bucket, std::string_view cors);

    /// Sets an object's canned ACL name (empty: private), atomically and durably: a new object
    /// file (same data, same header but for the ACL record, same last-modified and ETag) is
    /// written in tmp/ and renamed over the object, if the object is still the version that
    /// was read (else the read is retried). The data is copied with copy_file_range(2), in the
    /// kernel. `expected_etag` (unquoted): only change the object if it has this ETag, else
    /// errc::precondition_failed. Returns the object's metadata with the new ACL. Fails with
    /// errc::invalid_bucket_name, errc::invalid_key, errc::no_such_bucket, errc::no_such_key,
    /// errc::invalid_argument (ACL name too long), errc::corrupt_object, errc::io_error.
    result<object_metadata> set_object_acl(std::string_view bucket, std::string_view key,
                                           std::string_view acl,
                                           std::string_view expected_etag = {});

  private:
    store(std::shared_ptr<detail::store_state> state, open_report report);

    std::shared_ptr<detail::store_state> state_;
    open_report report_;
};

}  // namespace presign::store
