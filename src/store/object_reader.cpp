#include "store/object_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "store/object_cache.hpp"

namespace presign::store {

object_reader::object_reader(std::shared_ptr<const detail::cached_object> cached)
    : cached_(std::move(cached)), data_offset_(cached_->data_offset) {}

const object_metadata& object_reader::metadata() const noexcept {
    return cached_ ? cached_->metadata : metadata_;
}

std::string_view object_reader::leading_data() const noexcept {
    return cached_ ? std::string_view(cached_->data) : std::string_view(leading_data_);
}

std::string object_reader::take_leading_data() {
    if (cached_) return cached_->data;  // shared with other readers: a copy
    return std::move(leading_data_);
}

std::shared_ptr<const std::string> object_reader::shared_data() const {
    if (!cached_) return nullptr;
    return std::shared_ptr<const std::string>(cached_, &cached_->data);  // keeps cached_ alive
}

result<std::size_t> object_reader::read_at(std::uint64_t offset, std::span<std::byte> out) const {
    if (offset >= size()) return std::size_t{0};
    const auto wanted =
        static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), size() - offset));
    if (const std::string_view held = leading_data(); offset + wanted <= held.size()) {
        std::memcpy(out.data(), held.data() + offset, wanted);
        return wanted;
    }
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
