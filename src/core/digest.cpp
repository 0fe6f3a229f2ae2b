// The low-level SHA functions are deprecated in OpenSSL 3 in favour of EVP, but they remain
// supported and are several times faster for short messages (see digest.hpp).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/digest.hpp"

#include <bit>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/md5.h>

namespace presign::core {

sha256::sha256() {
    SHA256_Init(&ctx_);
}

void sha256::update(std::span<const std::uint8_t> bytes) {
    SHA256_Update(&ctx_, bytes.data(), bytes.size());
}

// SHA-256 padding written here instead of SHA256_Final: Final also zeroes its buffer with
// OPENSSL_cleanse and goes through a generic length-encoding path, together about a third of
// the non-hashing work of a presigned URL (which finishes three digests). The buffered tail
// is message text (canonical request, string to sign, inner digest), never key material, so
// the stack copy needs no wiping. Layout relied on: SHA256_CTX keeps the bit count in
// Nh:Nl, the unprocessed bytes in `data` (in message order) and their count in `num`.
static_assert(std::endian::native == std::endian::little, "finish() byte-swaps big-endian words");

sha256_digest sha256::finish() {
    alignas(16) std::uint8_t block[128];
    const std::size_t n = ctx_.num;
    std::memcpy(block, ctx_.data, n);
    block[n] = 0x80;
    const std::size_t end = n + 9 <= 64 ? 64 : 128;
    std::memset(block + n + 1, 0, end - 8 - (n + 1));
    const std::uint64_t bits = __builtin_bswap64((std::uint64_t{ctx_.Nh} << 32) | ctx_.Nl);
    std::memcpy(block + end - 8, &bits, 8);
    SHA256_Transform(&ctx_, block);
    if (end == 128) SHA256_Transform(&ctx_, block + 64);
    sha256_digest out;
    for (int i = 0; i < 8; ++i) {
        const std::uint32_t w = __builtin_bswap32(ctx_.h[i]);
        std::memcpy(out.data() + 4 * i, &w, 4);
    }
    return out;
}

sha256_digest sha256_of(std::string_view text) {
    sha256 h;
    h.update(text);
    return h.finish();
}

sha1::sha1() {
    SHA1_Init(&ctx_);
}

void sha1::update(std::span<const std::uint8_t> bytes) {
    SHA1_Update(&ctx_, bytes.data(), bytes.size());
}

sha1_digest sha1::finish() {
    sha1_digest out;
    SHA1_Final(out.data(), &ctx_);
    return out;
}

md5_digest md5_of(std::string_view text) {
    md5_digest out;
    MD5(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
    return out;
}

// HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)), K0 = K padded (or hashed) to 64 bytes.
hmac_sha256_key::hmac_sha256_key(std::span<const std::uint8_t> key) {
    std::uint8_t block[64] = {};
    if (key.size() > sizeof block) {
        const auto d = sha256_of({reinterpret_cast<const char*>(key.data()), key.size()});
        std::memcpy(block, d.data(), d.size());
    } else {
        std::memcpy(block, key.data(), key.size());
    }
    std::uint8_t pad[64];
    for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x36;
    inner_.update(pad);
    for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x5c;
    outer_.update(pad);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
}

hmac_sha256_key::~hmac_sha256_key() {
    OPENSSL_cleanse(&inner_, sizeof inner_);
    OPENSSL_cleanse(&outer_, sizeof outer_);
}

// The per-call copies of the pad states need no wiping: finishing a digest runs the
// compression over the buffered input, so afterwards they hold only the inner digest and the
// MAC, not the key-equivalent pad states.
sha256_digest hmac_sha256_key::finish_mac(sha256& inner) const {
    const sha256_digest inner_digest = inner.finish();
    sha256 outer = outer_;
    outer.update(inner_digest);
    return outer.finish();
}

sha256_digest hmac_sha256_key::mac(std::string_view message) const {
    sha256 inner = inner_;
    inner.update(message);
    return finish_mac(inner);
}

sha256_digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view message) {
    return hmac_sha256_key(key).mac(message);
}

sha1_digest hmac_sha1(std::string_view key, std::string_view message) {
    std::uint8_t block[64] = {};
    if (key.size() > sizeof block) {
        sha1 h;
        h.update(key);
        const auto d = h.finish();
        std::memcpy(block, d.data(), d.size());
    } else {
        std::memcpy(block, key.data(), key.size());
    }
    std::uint8_t pad[64];
    for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x36;
    sha1 inner;
    inner.update(pad);
    inner.update(message);
    const sha1_digest inner_digest = inner.finish();
    for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x5c;
    sha1 outer;
    outer.update(pad);
    outer.update(inner_digest);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
    return outer.finish();
}

}  // namespace presign::core
