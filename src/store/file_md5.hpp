#pragma once
// The MD5 (the ETag) of a file being appended to, computed one step behind the writer. MD5
// cannot be split (each block depends on the one before) and runs at ~600 MB/s on this class of
// machine, under half the speed of the rest of an upload's path, so a single upload goes at
// MD5's pace unless the digest runs on another core. After each large write the new range is
// posted to a helper thread (helper_threads.hpp), which reads it back from the page cache (a
// copy that costs a few percent of the MD5) and hashes it while the writer receives and writes
// the next chunk; the writer collects the job before posting the next one, so the hash trails
// by at most one chunk. The writer's buffer is never read after write() returns: the transport
// reuses it. Small writes that catch the hash up, or a store without helpers, hash inline.
// Internal to the store; not thread-safe (one writer thread drives it).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "core/digest.hpp"
#include "store/digests.hpp"
#include "store/errors.hpp"
#include "store/helper_threads.hpp"

namespace presign::store::detail {

class file_md5 {
  public:
    file_md5() = default;
    /// Waits for a job in flight.
    ~file_md5() { settle(); }
    file_md5(const file_md5&) = delete;  // a posted job points at this object
    file_md5& operator=(const file_md5&) = delete;

    /// Reads back from `fd` (which must be open for reading) through `helpers`, for data that
    /// starts at file offset `data_start`. Without a call to start(), everything is hashed
    /// inline.
    void start(helper_threads& helpers, int fd, std::uint64_t data_start) noexcept;

    /// Adds `bytes`, which were just appended to the file (they are its last bytes).
    void appended(std::span<const std::byte> bytes);

    /// Waits for a job in flight: afterwards nothing reads the file. Call before closing it.
    void settle() noexcept;

    /// The file offset below which every byte has been hashed, as of the last settle() (pages
    /// below it may leave the page cache).
    std::uint64_t hashed_end() const noexcept { return hashed_; }

    /// Hashes what is left and returns the digest; errc::io_error when reading the file back
    /// failed. The object must not be used afterwards.
    result<core::md5_digest> finish();

  private:
    static void run(void* self) noexcept;

    md5_stream md5_;
    helper_threads* helpers_ = nullptr;
    int fd_ = -1;
    std::uint64_t hashed_ = 0;  // hashed up to here (file offset); writer side only
    std::uint64_t end_ = 0;     // the file's written end (file offset)
    helper_threads::job job_;
    bool posted_ = false;
    std::uint64_t job_to_ = 0;             // the end of the range the posted job hashes
    int read_errno_ = 0;                   // set by a job whose read-back failed
    std::unique_ptr<std::byte[]> buffer_;  // the read-back buffer, allocated with the first job
};

}  // namespace presign::store::detail
