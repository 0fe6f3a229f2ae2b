#pragma once
// Moving bytes from one open file to another inside the store: assembling a multipart object
// from its parts and copying objects. Internal to the store.

#include <cstdint>
#include <string>
#include <string_view>

#include "store/digests.hpp"
#include "store/errors.hpp"
#include "store/file_io.hpp"

namespace presign::store::detail {

/// A file being written in tmp/ (O_EXCL, named <32 hex>.<suffix>): the guard that removes it on
/// every early exit. Call keep() once it has been renamed away. Move-only.
class temp_file {
  public:
    /// Creates tmp/<random>.<suffix> for writing in the directory `tmp_fd`. errc::io_error.
    static result<temp_file> create(int tmp_fd, std::string_view suffix);

    temp_file(temp_file&& other) noexcept;
    temp_file& operator=(temp_file&&) = delete;
    ~temp_file();

    /// The file's name in tmp/.
    const std::string& name() const noexcept { return name_; }
    /// The open descriptor (write-only), or -1 after close().
    int fd() const noexcept { return fd_.get(); }
    /// Closes the descriptor (the file stays).
    void close() noexcept { fd_.reset(); }
    /// The file was renamed away: do not remove it.
    void keep() noexcept { armed_ = false; }

  private:
    temp_file(int tmp_fd, std::string name, unique_fd fd) noexcept
        : tmp_fd_(tmp_fd), name_(std::move(name)), fd_(std::move(fd)) {}

    int tmp_fd_ = -1;
    std::string name_;
    unique_fd fd_;
    bool armed_ = true;
};

/// Copies `length` bytes from `in_fd` at `in_offset` to `out_fd` at `out_offset` in the kernel
/// with copy_file_range(2) (which may share extents on XFS or btrfs instead of copying), falling
/// back to pread/pwrite in 1 MiB chunks where the kernel or file system refuses (EXDEV, ENOSYS,
/// EOPNOTSUPP, EINVAL). Neither descriptor's file position moves, so a reader's descriptor may
/// be used. errc::io_error on failure, also when `in_fd` ends before `length` bytes.
result<void> copy_file_bytes(int in_fd, std::uint64_t in_offset, int out_fd,
                             std::uint64_t out_offset, std::uint64_t length);

/// As copy_file_bytes, but through a 1 MiB user-space buffer, adding the bytes to `md5` on the
/// way: when the bytes must be hashed anyway this reads them once, where copy_file_range plus
/// a hashing pass would read them twice.
result<void> copy_file_bytes_hashing(int in_fd, std::uint64_t in_offset, int out_fd,
                                     std::uint64_t out_offset, std::uint64_t length,
                                     md5_stream& md5);

}  // namespace presign::store::detail
