#include "store/file_io.hpp"

#include <cerrno>
#include <cstring>
#include <random>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hex.hpp"

namespace presign::store::detail {

static_assert(sizeof(off_t) == 8, "the store needs 64-bit file offsets (objects over 4 GiB)");

unique_fd& unique_fd::operator=(unique_fd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
}

int unique_fd::release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
}

// close(2) is not retried on EINTR: on Linux the descriptor is released even then, and a retry
// could close a descriptor another thread just opened.
void unique_fd::reset(int fd) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

core::failure<error> io_failure(std::string_view operation, int err) {
    std::string message(operation);
    message += ": ";
    message += std::strerror(err);
    return fail(errc::io_error, std::move(message));
}

result<void> write_all(int fd, std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_failure("write", errno);
        }
        if (n == 0) return io_failure("write", EIO);
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

result<void> pwrite_all(int fd, std::span<const std::byte> bytes, std::uint64_t offset) {
    while (!bytes.empty()) {
        const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_failure("pwrite", errno);
        }
        if (n == 0) return io_failure("pwrite", EIO);
        bytes = bytes.subspan(static_cast<std::size_t>(n));
        offset += static_cast<std::uint64_t>(n);
    }
    return {};
}

result<std::size_t> pread_full(int fd, std::span<std::byte> out, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n =
            ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_failure("pread", errno);
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

result<void> sync_fd(int fd, std::string_view operation) {
    while (::fsync(fd) != 0) {
        if (errno != EINTR) return io_failure(operation, errno);
    }
    return {};
}

void start_writeback(int fd, std::uint64_t offset, std::uint64_t length) noexcept {
    // EINTR is not retried either: a missed hint only makes the final fsync longer.
    (void)::sync_file_range(fd, static_cast<off_t>(offset), static_cast<off_t>(length),
                            SYNC_FILE_RANGE_WRITE);
}

void drop_written(int fd, std::uint64_t offset, std::uint64_t length) noexcept {
    constexpr unsigned wait_and_write =
        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
    if (::sync_file_range(fd, static_cast<off_t>(offset), static_cast<off_t>(length),
                          wait_and_write) != 0)
        return;
    (void)::posix_fadvise(fd, static_cast<off_t>(offset), static_cast<off_t>(length),
                          POSIX_FADV_DONTNEED);
}

result<unique_fd> open_dir_at(int dir_fd, const std::string& name) {
    for (;;) {
        const int fd =
            ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) return unique_fd(fd);
        if (errno != EINTR) return io_failure("open directory", errno);
    }
}

result<void> sync_dir_at(int dir_fd, const std::string& name) {
    auto dir = open_dir_at(dir_fd, name);
    if (!dir) return core::fail(dir.error());
    return sync_fd(dir->get(), "fsync directory");
}

result<bool> make_dir_at(int dir_fd, const std::string& name) {
    if (::mkdirat(dir_fd, name.c_str(), 0755) == 0) return true;
    if (errno != EEXIST) return io_failure("mkdir", errno);
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return io_failure("stat", errno);
    if (!S_ISDIR(st.st_mode)) return io_failure("mkdir", ENOTDIR);
    return false;
}

namespace {

entry_kind kind_of(int dir_fd, const dirent& entry) {
    switch (entry.d_type) {
        case DT_REG: return entry_kind::file;
        case DT_DIR: return entry_kind::directory;
        case DT_UNKNOWN: break;  // some file systems do not fill d_type
        default: return entry_kind::other;
    }
    struct stat st {};
    if (::fstatat(dir_fd, entry.d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return entry_kind::other;
    if (S_ISREG(st.st_mode)) return entry_kind::file;
    if (S_ISDIR(st.st_mode)) return entry_kind::directory;
    return entry_kind::other;
}

}  // namespace

result<std::vector<dir_entry>> read_dir(int dir_fd, const std::string& name) {
    auto fd = open_dir_at(dir_fd, name);
    if (!fd) return core::fail(fd.error());
    DIR* dir = ::fdopendir(fd->get());
    if (dir == nullptr) return io_failure("open directory", errno);
    fd->release();  // now owned by `dir`
    std::vector<dir_entry> out;
    for (;;) {
        errno = 0;
        const dirent* entry = ::readdir(dir);
        if (entry == nullptr) break;
        const std::string_view entry_name(entry->d_name);
        if (entry_name == "." || entry_name == "..") continue;
        out.push_back({std::string(entry_name), kind_of(::dirfd(dir), *entry)});
    }
    const int err = errno;
    ::closedir(dir);
    if (err != 0) return io_failure("read directory", err);
    return out;
}

result<void> remove_tree(int dir_fd, const std::string& name) {
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return {};
        return io_failure("stat", errno);
    }
    if (S_ISDIR(st.st_mode)) {
        auto entries = read_dir(dir_fd, name);
        if (!entries) return core::fail(entries.error());
        auto sub = open_dir_at(dir_fd, name);
        if (!sub) return core::fail(sub.error());
        for (const auto& entry : *entries)
            if (auto r = remove_tree(sub->get(), entry.name); !r) return r;
    }
    if (::unlinkat(dir_fd, name.c_str(), S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) != 0 &&
        errno != ENOENT)
        return io_failure("remove", errno);
    return {};
}

std::string random_hex(std::size_t bytes) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::string out;
    out.reserve(bytes * 2);
    while (out.size() < bytes * 2) {
        std::uint64_t word = engine();
        std::uint8_t raw[8];
        std::memcpy(raw, &word, sizeof raw);
        core::append_hex(out, raw);
    }
    out.resize(bytes * 2);
    return out;
}

}  // namespace presign::store::detail
