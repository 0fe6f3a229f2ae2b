#include "auth/chunk_signature.hpp"

#include <stdexcept>

#include "core/hex.hpp"
#include "core/secret.hpp"
#include "sigv4/canonical.hpp"

namespace presign::auth {

namespace {
std::string hex_of(const core::sha256_digest& d) {
    std::string out;
    core::append_hex(out, d);
    return out;
}
}  // namespace

chunk_signature_chain::chunk_signature_chain(const verified_request& seed)
    : seed_(seed), previous_(seed.seed_signature()) {
    const payload_mode m = seed.payload();
    if ((m != payload_mode::streaming_signed && m != payload_mode::streaming_signed_trailer) ||
        !seed.signing_key())
        throw std::invalid_argument("chunk_signature_chain: not a signed streaming request");
}

bool chunk_signature_chain::check(std::string string_to_sign, std::string_view signature) {
    std::string expected = seed_.signing_key()->signature(string_to_sign);
    const bool match = core::constant_time_equal(expected, signature);
    if (match) previous_.assign(signature);
    core::secure_zero(expected.data(), expected.size());
    return match;
}

bool chunk_signature_chain::next_chunk(const core::sha256_digest& data_sha256,
                                       std::string_view signature) {
    std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n";
    sts.append(seed_.amz_date()).append("\n").append(seed_.credential_scope()).append("\n");
    sts.append(previous_).append("\n").append(sigv4::k_empty_payload_sha256).append("\n");
    sts.append(hex_of(data_sha256));
    return check(std::move(sts), signature);
}

bool chunk_signature_chain::trailer(std::string_view trailing_headers, std::string_view signature) {
    std::string sts = "AWS4-HMAC-SHA256-TRAILER\n";
    sts.append(seed_.amz_date()).append("\n").append(seed_.credential_scope()).append("\n");
    sts.append(previous_).append("\n").append(hex_of(core::sha256_of(trailing_headers)));
    return check(std::move(sts), signature);
}

}  // namespace presign::auth
