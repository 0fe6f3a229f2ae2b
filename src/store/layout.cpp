#include "store/layout.hpp"

#include <cstdint>

#include "core/digest.hpp"
#include "core/hex.hpp"

namespace presign::store::detail {

std::string object_file_name(std::string_view key) {
    return core::to_hex(core::sha256_of(key));
}

std::string fan_out_name(int index) {
    const std::uint8_t byte = static_cast<std::uint8_t>(index);
    return core::to_hex(std::span(&byte, 1));
}

bool is_object_file_name(std::string_view name) noexcept {
    if (name.size() != 64) return false;
    for (char c : name)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace presign::store::detail
