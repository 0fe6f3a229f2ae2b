#pragma once
// The MD5 (the ETag) of a file being appended to, computed behind the writer. MD5 cannot be
// split (each block depends on the one before) and runs at ~500–600 MB/s on this class of
// machine, under half the speed of the rest of an upload's path, so a single upload goes at
// MD5's pace unless the digest runs on another core. A large write is handed to a helper thread
// (helper_threads.hpp), which reads the new bytes back from the page cache (a copy that costs
// about a tenth of the MD5) and hashes them while the writer receives and writes the next
// chunks; a job that finds more written when it is done goes on, so a busy helper never sleeps
// between chunks. The writer waits only when the hash trails by more than 16 MiB, or at the
// end. The writer's buffer is never read after the write returns: the transport reuses it.
// Small writes while the hash is caught up, or a store without helpers, hash inline.
// Internal to the store; driven by one writer thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>

#include "core/digest.hpp"
#include "store/digests.hpp"
#include "store/errors.hpp"
#include "store/helper_threads.hpp"

namespace presign::store::detail {

class file_md5 {
  public:
    file_md5() = default;
    /// Waits for the helpers to be done with this object.
    ~file_md5() { settle(); }
    file_md5(const file_md5&) = delete;  // posted jobs point at this object
    file_md5& operator=(const file_md5&) = delete;

    /// Reads back from `fd` (which must be open for reading) through `helpers`, for data that
    /// starts at file offset `data_start`. Without a call to start(), everything is hashed
    /// inline.
    void start(helper_threads& helpers, int fd, std::uint64_t data_start) noexcept;

    /// Adds `bytes`, which were just appended to the file (they are its last bytes).
    void appended(std::span<const std::byte> bytes);

    /// Waits until everything appended is hashed and no helper touches this object or the
    /// file any more. Call before closing the file.
    void settle() noexcept;

    /// The file offset below which every byte has been hashed (pages below it may leave the
    /// page cache).
    std::uint64_t hashed_end() noexcept;

    /// Hashes what is left and returns the digest; errc::io_error when reading the file back
    /// failed. The object must not be used afterwards.
    result<core::md5_digest> finish();

  private:
    static void run(void* self) noexcept;
    void post_job();

    md5_stream md5_;  // the job's while one is active, else the writer's
    helper_threads* helpers_ = nullptr;
    int fd_ = -1;
    std::unique_ptr<std::byte[]> buffer_;  // the read-back buffer, allocated with the first job

    std::mutex mutex_;
    std::uint64_t end_ = 0;     // the file's written end (file offset); guarded by mutex_
    std::uint64_t hashed_ = 0;  // hashed up to here (file offset); guarded by mutex_
    bool active_ = false;       // a job is queued or running; guarded by mutex_
    int read_errno_ = 0;        // a read-back failed; guarded by mutex_

    // Two job objects, used in turn: the helper_threads bookkeeping of the one that just
    // finished may still be running when the next has to be posted.
    helper_threads::job jobs_[2];
    bool posted_[2] = {false, false};  // writer side
    int current_ = 0;                  // the job posted last; writer side
};

}  // namespace presign::store::detail
