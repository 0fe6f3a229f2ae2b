#include "ops/line_writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace presign::ops {

namespace {
constexpr std::size_t k_eager_bytes = 64 * 1024;  // write out without waiting for the tick
constexpr auto k_tick = std::chrono::milliseconds(200);
constexpr auto k_stop_grace = std::chrono::seconds(1);

std::uint64_t count_lines(std::string_view text) {
    const auto n = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
    return n > 0 ? n : 1;
}
}  // namespace

line_writer::line_writer(int fd, bool owned, counter* dropped, std::size_t max_buffered)
    : fd_(fd), owned_(owned), external_dropped_(dropped), max_buffered_(max_buffered) {
    struct stat st {};
    regular_file_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    thread_ = std::thread([this] { run(); });
}

std::unique_ptr<line_writer> line_writer::open(const std::string& where, counter* dropped) {
    if (where == "stderr") return std::make_unique<line_writer>(STDERR_FILENO, false, dropped);
    const int fd = ::open(where.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        throw std::runtime_error("cannot open the log file " + where + ": " + std::strerror(errno));
    return std::make_unique<line_writer>(fd, true, dropped);
}

line_writer::~line_writer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        stop_deadline_ = std::chrono::steady_clock::now() + k_stop_grace;
    }
    wake_.notify_all();
    thread_.join();
    if (owned_) ::close(fd_);
}

void line_writer::write(std::string_view text) noexcept {
    if (text.empty()) return;
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        if (pending_.size() + text.size() > max_buffered_) {
            const std::uint64_t lines = count_lines(text);
            dropped_.add(lines);
            if (external_dropped_) external_dropped_->add(lines);
            return;
        }
        try {
            pending_.append(text);
        } catch (...) {  // out of memory: drop the line rather than fail the request
            return;
        }
        queued_ += text.size();
        wake = pending_.size() >= k_eager_bytes;
    }
    if (wake) wake_.notify_one();
}

bool line_writer::flush(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = queued_;
    flush_wanted_ = true;
    wake_.notify_one();
    return done_.wait_for(lock, limit, [&] { return handled_ >= target; });
}

void line_writer::run() {
    std::string writing;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait_for(lock, k_tick, [&] {
            return stopping_ || flush_wanted_ || pending_.size() >= k_eager_bytes;
        });
        flush_wanted_ = false;
        if (pending_.empty()) {
            if (stopping_) return;
            continue;
        }
        writing.swap(pending_);
        lock.unlock();
        if (!write_out(writing)) {
            const std::uint64_t lines = count_lines(writing);
            dropped_.add(lines);
            if (external_dropped_) external_dropped_->add(lines);
        }
        lock.lock();
        handled_ += writing.size();
        writing.clear();
        done_.notify_all();
    }
}

bool line_writer::write_out(std::string_view data) {
    while (!data.empty()) {
        if (!regular_file_) {
            // A pipe or terminal: wait until it takes more, without blocking past the deadline.
            pollfd p{fd_, POLLOUT, 0};
            const int ready = ::poll(&p, 1, 100);
            if (ready < 0 && errno != EINTR) return false;
            if (ready <= 0) {
                std::lock_guard lock(mutex_);
                if (stopping_ && std::chrono::steady_clock::now() >= stop_deadline_) return false;
                continue;
            }
            if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) return false;
        }
        // At most a pipe's atomic write size when the output may block, so that a write the
        // poll allowed does not wait for room.
        const std::size_t step =
            regular_file_ ? data.size() : std::min<std::size_t>(data.size(), 4096);
        const ssize_t n = ::write(fd_, data.data(), step);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace presign::ops
