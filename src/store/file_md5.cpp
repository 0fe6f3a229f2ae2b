#include "store/file_md5.hpp"

#include <algorithm>
#include <cerrno>

#include <unistd.h>

#include "store/file_io.hpp"

namespace presign::store::detail {

namespace {

// Writes smaller than this are hashed from the caller's buffer when the hash has caught up:
// handing them over would cost about as much as hashing them.
constexpr std::size_t k_post_min = 64 * 1024;
// The read-back buffer: large enough that the reads are few, small enough to stay in cache.
constexpr std::size_t k_buffer_bytes = 64 * 1024;

}  // namespace

void file_md5::start(helper_threads& helpers, int fd, std::uint64_t data_start) noexcept {
    helpers_ = helpers.any() ? &helpers : nullptr;
    fd_ = fd;
    hashed_ = end_ = data_start;
}

void file_md5::appended(std::span<const std::byte> bytes) {
    settle();
    const std::uint64_t before = end_;
    end_ += bytes.size();
    if (helpers_ == nullptr || (hashed_ == before && bytes.size() < k_post_min)) {
        md5_.update(bytes);
        hashed_ = end_;
        return;
    }
    if (!buffer_) buffer_ = std::make_unique<std::byte[]>(k_buffer_bytes);
    job_to_ = end_;
    job_.run = &file_md5::run;
    job_.arg = this;
    posted_ = true;
    helpers_->post(job_);
}

void file_md5::settle() noexcept {
    if (!posted_) return;
    if (helpers_) helpers_->wait(job_);
    posted_ = false;
    if (read_errno_ == 0) hashed_ = job_to_;
}

// Hashes [hashed_, job_to_) read back from the file. hashed_ is not moved here: the writer
// moves it in settle(), so it reads it only on its own thread.
void file_md5::run(void* self) noexcept {
    auto& m = *static_cast<file_md5*>(self);
    std::uint64_t at = m.hashed_;
    while (at < m.job_to_ && m.read_errno_ == 0) {
        const auto want =
            static_cast<std::size_t>(std::min<std::uint64_t>(k_buffer_bytes, m.job_to_ - at));
        const ssize_t n = ::pread(m.fd_, m.buffer_.get(), want, static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {  // the bytes were written a moment ago: end of file is an error too
            m.read_errno_ = n < 0 ? errno : EIO;
            break;
        }
        m.md5_.update({m.buffer_.get(), static_cast<std::size_t>(n)});
        at += static_cast<std::uint64_t>(n);
    }
}

result<core::md5_digest> file_md5::finish() {
    settle();
    if (read_errno_ != 0) return io_failure("read back for MD5", read_errno_);
    return md5_.finish();
}

}  // namespace presign::store::detail
