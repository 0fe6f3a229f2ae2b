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

std::string part_file_name(int part_number) {
    std::string digits = std::to_string(part_number);
    return std::string(digits.size() < 5 ? 5 - digits.size() : 0, '0') + digits + ".part";
}

int parse_part_file_name(std::string_view name) noexcept {
    if (name.size() != 10 || !name.ends_with(".part")) return 0;
    int number = 0;
    for (char c : name.substr(0, 5)) {
        if (c < '0' || c > '9') return 0;
        number = number * 10 + (c - '0');
    }
    return number >= 1 && number <= 10000 ? number : 0;
}

}  // namespace presign::store::detail
