#pragma once
// Reading a committed object: its metadata plus an open descriptor on its file. The descriptor
// pins the version that was current when the object was opened, so a concurrent overwrite or
// delete never changes what an open reader sees. For zero-copy serving, sendfile(fd(),
// data_offset() + start, length); otherwise read into caller buffers in chunks.

#include <cstddef>
#include <cstdint>
#include <span>

#include "store/errors.hpp"
#include "store/file_io.hpp"
#include "store/metadata.hpp"

namespace presign::store {

/// An opened object, from store::open_object(). Move-only; closes its descriptor when
/// destroyed. Reads do not share state with other readers.
class object_reader {
  public:
    object_reader(object_metadata metadata, detail::unique_fd fd, std::uint64_t data_offset)
        : metadata_(std::move(metadata)), fd_(std::move(fd)), data_offset_(data_offset) {}

    /// The object's metadata as committed.
    const object_metadata& metadata() const noexcept { return metadata_; }
    /// Data bytes in the object.
    std::uint64_t size() const noexcept { return metadata_.size; }
    /// The open file (read-only); valid while this reader lives. Do not close it.
    int fd() const noexcept { return fd_.get(); }
    /// Hands the open file over to the caller, who must close it (a GET response that sends
    /// from it after the reader is gone, without a dup(2) per request). The metadata and
    /// data_offset() stay valid; reads fail with errc::io_error afterwards.
    int release_fd() noexcept { return fd_.release(); }
    /// Byte offset of the object's first data byte in fd().
    std::uint64_t data_offset() const noexcept { return data_offset_; }

    /// Reads data bytes starting at `offset` (relative to the object's data, so 0 is its first
    /// byte) into `out`. Returns the count read: less than out.size() only at the end of the
    /// object, 0 at or past it. errc::io_error on a failed read or a file that shrank.
    result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> out) const;

    /// Reads the next data bytes into `out` (a sequential cursor starting at 0). Returns the
    /// count read; 0 at the end.
    result<std::size_t> read(std::span<std::byte> out);

    /// Position of read()'s cursor.
    std::uint64_t position() const noexcept { return position_; }

  private:
    object_metadata metadata_;
    detail::unique_fd fd_;
    std::uint64_t data_offset_ = 0;
    std::uint64_t position_ = 0;
};

}  // namespace presign::store
