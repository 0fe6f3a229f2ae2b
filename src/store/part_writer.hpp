#pragma once
// Streaming one part of a multipart upload into the store (UploadPart). The bytes go to a temp
// file inside the data root while MD5 (the part's ETag) and, unless the caller opts out,
// SHA-256 are computed; commit() checks the digests the client promised, fsyncs the part and
// renames it into its upload's directory, replacing any earlier part with the same number in
// one step. Memory use does not depend on the part's size.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "store/errors.hpp"
#include "store/multipart.hpp"
#include "store/object_writer.hpp"

namespace presign::store {

namespace detail {
struct store_state;
struct bucket_state;
struct upload_state;
}  // namespace detail

/// A part upload in progress, from store::begin_upload_part(). Move-only. Destroying a writer
/// that was not committed aborts it. Like object_writer it keeps the store's shared state
/// alive; it is not safe to use one writer from two threads at once.
class part_writer {
  public:
    part_writer(part_writer&&) noexcept;
    part_writer& operator=(part_writer&&) noexcept;
    ~part_writer();

    /// Stops computing the SHA-256 of the data (only needed when commit() must check a signed
    /// payload hash or x-amz-checksum-sha256; MD5 is always computed, it is the ETag). commit()
    /// then refuses expected SHA-256 values with errc::invalid_argument. Returns false, and
    /// changes nothing, once data has been written.
    bool skip_sha256() noexcept;

    /// Appends `bytes` to the part (write(2) calls; nothing is buffered). On failure
    /// (errc::io_error, e.g. ENOSPC) the part is aborted and its temp file removed.
    /// errc::writer_closed after commit() or abort().
    result<void> write(std::span<const std::byte> bytes);

    /// Finishes the part: checks `options` exactly as object_writer::commit() does
    /// (errc::bad_digest, errc::invalid_argument), stamps the time from the store's clock,
    /// fsyncs the file and renames it into the upload (replacing an earlier version of this
    /// part number atomically), then fsyncs the upload's directory: the part is durable when
    /// this returns. Fails with errc::no_such_upload when the upload was completed or aborted
    /// meanwhile, errc::no_such_bucket when its bucket was deleted, errc::io_error. On failure
    /// nothing changes (except an io_error from the final directory fsync, after which the part
    /// is in place but may not survive a crash) and the temp file is removed. The writer is
    /// closed afterwards.
    result<part_info> commit(const commit_options& options = {});

    /// Abandons the part and removes its temp file. Idempotent; never fails.
    void abort() noexcept;

    /// Data bytes written so far.
    std::uint64_t size() const noexcept;

    /// True until commit() or abort() (or a failed write()).
    bool is_open() const noexcept;

  private:
    friend class store;
    struct state;
    explicit part_writer(std::unique_ptr<state> s) noexcept;
    /// Creates the temp file and writes the placeholder header (begin_upload_part's back end).
    static result<part_writer> start(std::shared_ptr<detail::store_state> store,
                                     std::shared_ptr<detail::bucket_state> bucket,
                                     std::shared_ptr<detail::upload_state> upload, int part_number,
                                     std::string header);

    std::unique_ptr<state> state_;
};

}  // namespace presign::store
