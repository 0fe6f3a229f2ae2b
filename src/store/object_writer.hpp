#pragma once
// Streaming an object into the store. The bytes go to a temp file inside the data root while
// MD5 (the ETag) and, unless the caller opts out, SHA-256 are computed; commit() checks the
// digests the client promised, fsyncs, and renames the file into place, so the object appears
// whole or not at all. Memory use does not depend on the object's size.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/digest.hpp"
#include "store/errors.hpp"
#include "store/metadata.hpp"

namespace presign::store {

namespace detail {
struct store_state;
struct bucket_state;
}  // namespace detail

/// What commit() verifies before anything becomes visible.
struct commit_options {
    /// x-amz-content-sha256 as sent: 64 hex digits (either case). A value that is not 64 hex
    /// digits fails with errc::invalid_argument; a different digest with errc::bad_digest
    /// (message naming "SHA-256").
    std::optional<std::string> expected_sha256_hex;
    /// The decoded x-amz-checksum-sha256 header. A different digest fails with errc::bad_digest
    /// (message naming "x-amz-checksum-sha256").
    std::optional<core::sha256_digest> expected_sha256;
    /// The decoded Content-MD5 header. A different digest fails with errc::bad_digest.
    std::optional<core::md5_digest> expected_md5;
    /// A checksum known only once the body has arrived (an aws-chunked trailer), e.g.
    /// {"crc32", "<base64>"}: replaces the value of the checksum of that name given at
    /// begin_put, which must have the same length (a placeholder), so the header keeps its size.
    /// errc::invalid_argument when there is no such placeholder or the lengths differ.
    std::optional<header_pair> late_checksum;
};

/// An upload in progress, from store::begin_put(). Move-only. Destroying a writer that was not
/// committed aborts it. A writer keeps the store's shared state alive, so it may outlive the
/// store object; it is not safe to use one writer from two threads at once.
class object_writer {
  public:
    object_writer(object_writer&&) noexcept;
    object_writer& operator=(object_writer&&) noexcept;
    ~object_writer();

    /// Stops computing the SHA-256 of the data, which costs about a third of an upload's CPU
    /// and is only needed when commit() must check one (a signed payload hash or
    /// x-amz-checksum-sha256); MD5 is always computed, it is the ETag. The object's header then
    /// holds an all-zero SHA-256 (meaning "not computed"), and commit() refuses expected SHA-256
    /// values with errc::invalid_argument. Returns false, and changes nothing, once data has been
    /// written.
    bool skip_sha256() noexcept;

    /// Appends `bytes` to the object (one or more write(2) calls; nothing is buffered). Every
    /// few MiB, writeback of the bytes written so far is started, so that the fsync at commit
    /// is short, and bytes already on disk leave the page cache (a large upload keeps ~16 MiB
    /// cached; smaller objects stay cached whole). This may wait for the disk. On failure
    /// (errc::io_error, e.g. ENOSPC) the upload is aborted and its temp file removed.
    /// errc::writer_closed after commit() or abort().
    result<void> write(std::span<const std::byte> bytes);

    /// Finishes the upload: checks `options` (errc::bad_digest, errc::invalid_argument), stamps
    /// last-modified from the store's clock, fsyncs and renames the file into place. Fails with
    /// errc::precondition_failed when the writer was begun with if_none_match and the key exists
    /// now, errc::no_such_bucket when the bucket was deleted meanwhile, errc::io_error. On any
    /// failure nothing becomes visible (except an io_error from the final directory fsync, after
    /// which the object is visible but may not survive a crash) and the temp file is removed.
    /// The writer is closed afterwards, whatever the outcome.
    result<object_metadata> commit(const commit_options& options = {});

    /// Abandons the upload and removes its temp file. Idempotent; never fails.
    void abort() noexcept;

    /// Data bytes written so far.
    std::uint64_t size() const noexcept;

    /// True until commit() or abort() (or a failed write()).
    bool is_open() const noexcept;

  private:
    friend class store;
    struct state;
    explicit object_writer(std::unique_ptr<state> s) noexcept;
    /// Creates the temp file and writes the placeholder header (store::begin_put's back end).
    static result<object_writer> start(std::shared_ptr<detail::store_state> store,
                                       std::shared_ptr<detail::bucket_state> bucket,
                                       std::string key, object_headers headers, std::string header,
                                       bool if_none_match);

    std::unique_ptr<state> state_;
};

}  // namespace presign::store
