#pragma once
// Thin, checked wrappers over the POSIX calls the store makes: every call retries EINTR, loops
// over short reads and writes, and turns errno into errc::io_error. Internal to the store.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/errors.hpp"

namespace presign::store::detail {

/// An owned file descriptor, closed on destruction. Move-only.
class unique_fd {
  public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
    unique_fd& operator=(unique_fd&& other) noexcept;
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    /// The descriptor, or -1.
    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    /// Gives up ownership without closing.
    int release() noexcept;
    /// Closes the held descriptor (if any) and holds `fd` instead.
    void reset(int fd = -1) noexcept;

  private:
    int fd_ = -1;
};

/// errc::io_error "<operation>: <strerror(err)>". `operation` must not contain key-derived paths.
core::failure<error> io_failure(std::string_view operation, int err);

/// Writes all of `bytes` at the file position (retrying EINTR and short writes).
result<void> write_all(int fd, std::span<const std::byte> bytes);

/// Writes all of `bytes` at `offset` without moving the file position.
result<void> pwrite_all(int fd, std::span<const std::byte> bytes, std::uint64_t offset);

/// Reads up to `out.size()` bytes at `offset`, looping until `out` is full or end of file.
/// Returns the number of bytes read (less than `out.size()` only at end of file).
result<std::size_t> pread_full(int fd, std::span<std::byte> out, std::uint64_t offset);

/// fsync(2), retrying EINTR.
result<void> sync_fd(int fd, std::string_view operation);

/// Asks the kernel to start writing `length` bytes at `offset` of `fd` to disk now
/// (sync_file_range(SYNC_FILE_RANGE_WRITE)), without waiting for the writes and without any
/// durability promise. A writer calls it every few MiB so that the fsync at commit finds little
/// left to flush. Failures are ignored: the fsync that follows is what guarantees durability
/// and reports write errors.
void start_writeback(int fd, std::uint64_t offset, std::uint64_t length) noexcept;

/// Waits until `length` bytes at `offset` of `fd` have been written to disk (not durably: the
/// disk's cache is flushed by the fsync at commit) and drops those pages from the page cache
/// (posix_fadvise(POSIX_FADV_DONTNEED)); partial pages at either end stay. Failures are ignored
/// for the same reason as start_writeback's; the pages then stay cached.
void drop_written(int fd, std::uint64_t offset, std::uint64_t length) noexcept;

/// Opens the directory `name` relative to `dir_fd` (O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC).
result<unique_fd> open_dir_at(int dir_fd, const std::string& name);

/// Opens and fsyncs the directory `name` relative to `dir_fd`, so entries created or renamed in
/// it are durable.
result<void> sync_dir_at(int dir_fd, const std::string& name);

/// mkdir(2) relative to `dir_fd`; an existing directory is not an error. Returns true when this
/// call created it (the caller then fsyncs the parent).
result<bool> make_dir_at(int dir_fd, const std::string& name);

/// What a directory entry is, as far as the store cares (symlinks are `other`).
enum class entry_kind { file, directory, other };

/// One directory entry.
struct dir_entry {
    std::string name;
    entry_kind kind = entry_kind::other;
};

/// The entries of directory `name` relative to `dir_fd`, without "." and "..", unordered.
result<std::vector<dir_entry>> read_dir(int dir_fd, const std::string& name);

/// Removes `name` relative to `dir_fd`: a file, or a directory with everything below it
/// (symlinks are removed, never followed). A missing entry is not an error.
result<void> remove_tree(int dir_fd, const std::string& name);

/// `bytes` random bytes as lower-case hex (temp file names; not a secret).
std::string random_hex(std::size_t bytes);

/// Views text as bytes.
inline std::span<const std::byte> as_byte_span(std::string_view text) noexcept {
    return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

}  // namespace presign::store::detail
