#pragma once
// Reading a committed object: its metadata plus an open descriptor on its file. The descriptor
// pins the version that was current when the object was opened, so a concurrent overwrite or
// delete never changes what an open reader sees. A small object's data comes in memory with
// the header (leading_data()); for zero-copy serving of larger ones, sendfile(fd(),
// data_offset() + start, length); otherwise read into caller buffers in chunks.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "store/errors.hpp"
#include "store/file_io.hpp"
#include "store/metadata.hpp"

namespace presign::store {

namespace detail {
struct cached_object;
}

/// An opened object, from store::open_object() (or store::open_object_to_serve(), which may
/// answer from memory: see fd()). Move-only; closes its descriptor when destroyed. Reads do not
/// share state with other readers.
class object_reader {
  public:
    /// `leading_data`: the object's first data bytes, already read (may be empty).
    object_reader(object_metadata metadata, detail::unique_fd fd, std::uint64_t data_offset,
                  std::string leading_data = {})
        : metadata_(std::move(metadata)),
          fd_(std::move(fd)),
          data_offset_(data_offset),
          leading_data_(std::move(leading_data)) {}
    /// A small object held whole in memory (the store's cache): no descriptor.
    explicit object_reader(std::shared_ptr<const detail::cached_object> cached);

    /// The object's metadata as committed.
    const object_metadata& metadata() const noexcept;
    /// Data bytes in the object.
    std::uint64_t size() const noexcept { return metadata().size; }
    /// The open file (read-only); valid while this reader lives. Do not close it. -1 for an
    /// object served from memory (all of its data is in leading_data()), and after
    /// release_fd().
    int fd() const noexcept { return fd_.get(); }
    /// Hands the open file over to the caller, who must close it (a GET response that sends
    /// from it after the reader is gone, without a dup(2) per request). The metadata and
    /// data_offset() stay valid; reads beyond leading_data() fail with errc::io_error
    /// afterwards.
    int release_fd() noexcept { return fd_.release(); }
    /// Byte offset of the object's first data byte in fd().
    std::uint64_t data_offset() const noexcept { return data_offset_; }

    /// The object's first data bytes, read together with its header when it was opened: all
    /// of the data for a small object (store::open_object), so that serving it needs no
    /// further read; a prefix, possibly empty, otherwise. Same version as fd().
    std::string_view leading_data() const noexcept;
    /// leading_data() as a string of its own (moved out when this reader owns it, then empty
    /// here), e.g. for a response body.
    std::string take_leading_data();
    /// For a reader served from memory (fd() is -1): all of the data, shared with the store's
    /// cache rather than copied (it never changes). Null for a reader with a file.
    std::shared_ptr<const std::string> shared_data() const;

    /// Reads data bytes starting at `offset` (relative to the object's data, so 0 is its first
    /// byte) into `out`, from leading_data() when it holds them, else from the file. Returns the
    /// count read: less than out.size() only at the end of the object, 0 at or past it.
    /// errc::io_error on a failed read or a file that shrank.
    result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> out) const;

    /// Reads the next data bytes into `out` (a sequential cursor starting at 0). Returns the
    /// count read; 0 at the end.
    result<std::size_t> read(std::span<std::byte> out);

    /// Position of read()'s cursor.
    std::uint64_t position() const noexcept { return position_; }

  private:
    std::shared_ptr<const detail::cached_object> cached_;  // set: metadata and data live there
    object_metadata metadata_;
    detail::unique_fd fd_;
    std::uint64_t data_offset_ = 0;
    std::uint64_t position_ = 0;
    std::string leading_data_;
};

}  // namespace presign::store
