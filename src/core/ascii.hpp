#pragma once
// ASCII-only case handling, as HTTP header names and S3 field names need (never locale-aware).

#include <string>
#include <string_view>

namespace presign::core {

/// 'A'..'Z' to 'a'..'z'; every other byte unchanged.
constexpr char to_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

/// 'A'..'Z', 'a'..'z' or '0'..'9'.
constexpr bool is_alnum(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/// ASCII-lower-cased copy of `text`.
inline std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = to_lower(c);
    return out;
}

/// Case-insensitive ASCII equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

}  // namespace presign::core
