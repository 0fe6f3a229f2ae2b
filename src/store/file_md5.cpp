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
// How far the hash may trail the writer before the writer waits: bounds what a large upload
// keeps in the page cache for the read-back.
constexpr std::uint64_t k_max_lag = 16 * 1024 * 1024;
// The read-back buffer: large enough that the reads are few, small enough to stay in cache.
constexpr std::size_t k_buffer_bytes = 64 * 1024;

}  // namespace

void file_md5::start(helper_threads& helpers, int fd, std::uint64_t data_start) noexcept {
    helpers_ = helpers.any() ? &helpers : nullptr;
    fd_ = fd;
    hashed_ = end_ = data_start;
}

void file_md5::appended(std::span<const std::byte> bytes) {
    std::unique_lock lock(mutex_);
    const bool caught_up = !active_ && hashed_ == end_;
    end_ += bytes.size();
    if (helpers_ == nullptr || (caught_up && bytes.size() < k_post_min)) {
        md5_.update(bytes);  // no job is active: md5_ is this thread's
        hashed_ = end_;
        return;
    }
    if (!active_) {
        active_ = true;
        lock.unlock();
        post_job();
        return;
    }
    if (end_ - hashed_ > k_max_lag) {
        lock.unlock();
        // Runs the job here if no helper has taken it yet; else waits for it to catch up.
        helpers_->wait(jobs_[current_]);
        posted_[current_] = false;
    }
}

void file_md5::post_job() {
    if (!buffer_) buffer_ = std::make_unique<std::byte[]>(k_buffer_bytes);
    const int next = posted_[current_] ? current_ ^ 1 : current_;
    auto& job = jobs_[next];
    if (posted_[next]) helpers_->wait(job);  // finished long ago: only its bookkeeping is left
    job.run = &file_md5::run;
    job.arg = this;
    current_ = next;
    posted_[next] = true;
    helpers_->post(job);
}

// Hashes what the writer has appended, in pieces read back from the file, until it has caught
// up; then marks itself inactive (under the lock, so the writer posts a new job for what it
// appends next).
void file_md5::run(void* self) noexcept {
    auto& m = *static_cast<file_md5*>(self);
    std::unique_lock lock(m.mutex_);
    while (m.hashed_ < m.end_ && m.read_errno_ == 0) {
        const std::uint64_t at = m.hashed_;
        const auto want =
            static_cast<std::size_t>(std::min<std::uint64_t>(k_buffer_bytes, m.end_ - at));
        lock.unlock();
        ssize_t n;
        do {
            n = ::pread(m.fd_, m.buffer_.get(), want, static_cast<off_t>(at));
        } while (n < 0 && errno == EINTR);
        const int err = n < 0 ? errno : EIO;  // the bytes were just written: EOF is an error
        if (n > 0) m.md5_.update({m.buffer_.get(), static_cast<std::size_t>(n)});
        lock.lock();
        if (n <= 0)
            m.read_errno_ = err;
        else
            m.hashed_ = at + static_cast<std::uint64_t>(n);
    }
    m.active_ = false;
}

void file_md5::settle() noexcept {
    if (helpers_ == nullptr) return;
    // The current job first: if no helper has taken it, this runs it here.
    for (const int i : {current_, current_ ^ 1}) {
        if (!posted_[i]) continue;
        helpers_->wait(jobs_[i]);
        posted_[i] = false;
    }
}

std::uint64_t file_md5::hashed_end() noexcept {
    std::lock_guard lock(mutex_);
    return hashed_;
}

result<core::md5_digest> file_md5::finish() {
    settle();
    if (read_errno_ != 0) return io_failure("read back for MD5", read_errno_);
    return md5_.finish();
}

}  // namespace presign::store::detail
