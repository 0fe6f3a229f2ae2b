#include "store/object_reader.hpp"

#include <algorithm>
#include <cerrno>

namespace presign::store {

result<std::size_t> object_reader::read_at(std::uint64_t offset, std::span<std::byte> out) const {
    if (offset >= size()) return std::size_t{0};
    const auto wanted =
        static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), size() - offset));
    auto got = detail::pread_full(fd_.get(), out.first(wanted), data_offset_ + offset);
    if (!got) return got;
    if (*got != wanted) return detail::io_failure("read object", EIO);
    return got;
}

result<std::size_t> object_reader::read(std::span<std::byte> out) {
    auto got = read_at(position_, out);
    if (got) position_ += *got;
    return got;
}

}  // namespace presign::store
