#include "store/digests.hpp"

#include <new>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/hex.hpp"

namespace presign::store::detail {

md5_stream::md5_stream() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_md5(), nullptr) != 1) {
        EVP_MD_CTX_free(ctx_);
        throw std::bad_alloc();
    }
}

md5_stream::md5_stream(md5_stream&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

md5_stream& md5_stream::operator=(md5_stream&& other) noexcept {
    if (this != &other) {
        EVP_MD_CTX_free(ctx_);
        ctx_ = std::exchange(other.ctx_, nullptr);
    }
    return *this;
}

md5_stream::~md5_stream() {
    EVP_MD_CTX_free(ctx_);
}

void md5_stream::update(std::span<const std::byte> bytes) {
    // EVP_DigestUpdate only fails for a context in a wrong state, which would be a bug here.
    (void)EVP_DigestUpdate(ctx_, bytes.data(), bytes.size());
}

core::md5_digest md5_stream::finish() {
    core::md5_digest out{};
    unsigned int length = 0;
    (void)EVP_DigestFinal_ex(ctx_, out.data(), &length);
    return out;
}

namespace {

bool same(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

result<void> check_expected_digests(const commit_options& options, const core::md5_digest& md5,
                                    const std::optional<core::sha256_digest>& sha256) {
    if ((options.expected_sha256_hex || options.expected_sha256) && !sha256)
        return fail(errc::invalid_argument, "a SHA-256 was expected but not computed");
    if (options.expected_sha256_hex) {
        const auto expected = core::from_hex(*options.expected_sha256_hex);
        if (!expected || expected->size() != sha256->size())
            return fail(errc::invalid_argument, "expected SHA-256 is not 64 hex digits");
        if (!same(*expected, *sha256))
            return fail(errc::bad_digest, "the data's SHA-256 does not match the expected one");
    }
    if (options.expected_sha256 && !same(*options.expected_sha256, *sha256))
        return fail(errc::bad_digest, "the data's SHA-256 does not match x-amz-checksum-sha256");
    if (options.expected_md5 && !same(*options.expected_md5, md5))
        return fail(errc::bad_digest, "the data's MD5 does not match Content-MD5");
    return {};
}

}  // namespace presign::store::detail
