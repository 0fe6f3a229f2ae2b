#include "auth/payload.hpp"

#include "core/hex.hpp"
#include "sigv4/canonical.hpp"

namespace presign::auth {

std::optional<payload_mode> classify_payload_hash(std::string_view value) noexcept {
    if (value == sigv4::k_unsigned_payload) return payload_mode::unsigned_payload;
    if (value == k_streaming_signed) return payload_mode::streaming_signed;
    if (value == k_streaming_signed_trailer) return payload_mode::streaming_signed_trailer;
    if (value == k_streaming_unsigned_trailer) return payload_mode::streaming_unsigned_trailer;
    if (value.size() != 64) return std::nullopt;
    for (char c : value)
        if (core::hex_value(c) < 0) return std::nullopt;
    return payload_mode::signed_hash;
}

std::string_view to_string(payload_mode mode) noexcept {
    switch (mode) {
        case payload_mode::signed_hash: return "signed_hash";
        case payload_mode::unsigned_payload: return "unsigned_payload";
        case payload_mode::streaming_signed: return "streaming_signed";
        case payload_mode::streaming_signed_trailer: return "streaming_signed_trailer";
        case payload_mode::streaming_unsigned_trailer: return "streaming_unsigned_trailer";
    }
    return "unknown";
}

}  // namespace presign::auth
