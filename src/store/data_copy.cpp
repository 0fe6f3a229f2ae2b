#include "store/data_copy.hpp"

#include <algorithm>
#include <cerrno>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace presign::store::detail {

result<temp_file> temp_file::create(int tmp_fd, std::string_view suffix) {
    for (;;) {
        std::string name = random_hex(16) + "." + std::string(suffix);
        const int fd =
            ::openat(tmp_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) return temp_file(tmp_fd, std::move(name), unique_fd(fd));
        if (errno != EEXIST && errno != EINTR) return io_failure("create temp file", errno);
    }
}

temp_file::temp_file(temp_file&& other) noexcept
    : tmp_fd_(other.tmp_fd_),
      name_(std::move(other.name_)),
      fd_(std::move(other.fd_)),
      armed_(std::exchange(other.armed_, false)) {}

temp_file::~temp_file() {
    fd_.reset();
    if (armed_) ::unlinkat(tmp_fd_, name_.c_str(), 0);
}

namespace {

constexpr std::size_t chunk_size = 1024 * 1024;

// Copies through a buffer, hashing when `md5` is given. Returns errc::io_error on a short
// source.
result<void> copy_through_buffer(int in_fd, std::uint64_t in_offset, int out_fd,
                                 std::uint64_t out_offset, std::uint64_t length, md5_stream* md5) {
    std::vector<std::byte> buffer(
        static_cast<std::size_t>(std::min<std::uint64_t>(length, chunk_size)));
    while (length > 0) {
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(length, buffer.size()));
        auto got = pread_full(in_fd, std::span(buffer).first(want), in_offset);
        if (!got) return core::fail(got.error());
        if (*got != want) return io_failure("copy: source ended early", EIO);
        const auto bytes = std::span<const std::byte>(buffer).first(want);
        if (md5 != nullptr) md5->update(bytes);
        if (auto r = pwrite_all(out_fd, bytes, out_offset); !r) return r;
        in_offset += want;
        out_offset += want;
        length -= want;
    }
    return {};
}

bool kernel_refused(int err) noexcept {
    return err == EXDEV || err == ENOSYS || err == EOPNOTSUPP || err == EINVAL;
}

}  // namespace

result<void> copy_file_bytes(int in_fd, std::uint64_t in_offset, int out_fd,
                             std::uint64_t out_offset, std::uint64_t length) {
    auto in_at = static_cast<loff_t>(in_offset);
    auto out_at = static_cast<loff_t>(out_offset);
    while (length > 0) {
        const auto step = static_cast<std::size_t>(std::min<std::uint64_t>(length, 1ull << 30));
        const ssize_t n = ::copy_file_range(in_fd, &in_at, out_fd, &out_at, step, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (kernel_refused(errno))
                return copy_through_buffer(in_fd, static_cast<std::uint64_t>(in_at), out_fd,
                                           static_cast<std::uint64_t>(out_at), length, nullptr);
            return io_failure("copy_file_range", errno);
        }
        if (n == 0) return io_failure("copy: source ended early", EIO);
        length -= static_cast<std::uint64_t>(n);
    }
    return {};
}

result<void> copy_file_bytes_hashing(int in_fd, std::uint64_t in_offset, int out_fd,
                                     std::uint64_t out_offset, std::uint64_t length,
                                     md5_stream& md5) {
    return copy_through_buffer(in_fd, in_offset, out_fd, out_offset, length, &md5);
}

}  // namespace presign::store::detail
