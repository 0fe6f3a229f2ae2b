#pragma once
// SHA-256, SHA-1, MD5 and HMAC over them.
//
// Built on OpenSSL's low-level digest functions rather than EVP: EVP looks up a provider and
// allocates per call, which costs more than hashing the few hundred bytes a signature covers.
// The low-level functions still use the CPU's SHA extensions.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include <openssl/sha.h>

namespace presign::core {

using sha256_digest = std::array<std::uint8_t, 32>;
using sha1_digest = std::array<std::uint8_t, 20>;
using md5_digest = std::array<std::uint8_t, 16>;

/// Bytes of any contiguous text as a byte span.
inline std::span<const std::uint8_t> as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// Incremental SHA-256. Copyable, so a state can be saved and resumed (HMAC pads, prefixes).
class sha256 {
  public:
    sha256();
    void update(std::span<const std::uint8_t> bytes);
    void update(std::string_view text) { update(as_bytes(text)); }
    /// Finishes the digest; the object must not be updated afterwards.
    sha256_digest finish();

  private:
    SHA256_CTX ctx_;
};

/// One-shot SHA-256.
sha256_digest sha256_of(std::string_view text);

/// Incremental SHA-1 (SigV2 HMAC, checksum trailers).
class sha1 {
  public:
    sha1();
    void update(std::span<const std::uint8_t> bytes);
    void update(std::string_view text) { update(as_bytes(text)); }
    sha1_digest finish();

  private:
    SHA_CTX ctx_;
};

/// One-shot MD5 (ETags, Content-MD5).
md5_digest md5_of(std::string_view text);

/// An HMAC-SHA256 key with its inner and outer pad states precomputed, so each MAC costs only
/// the message blocks plus one outer block. Wipes its states on destruction.
class hmac_sha256_key {
  public:
    explicit hmac_sha256_key(std::span<const std::uint8_t> key);
    ~hmac_sha256_key();
    hmac_sha256_key(const hmac_sha256_key&) = default;
    hmac_sha256_key& operator=(const hmac_sha256_key&) = default;

    /// HMAC-SHA256(key, message).
    sha256_digest mac(std::string_view message) const;
    /// Starts a MAC whose message is fed with update(); finish with finish_mac().
    sha256 begin() const { return inner_; }
    sha256_digest finish_mac(sha256& inner) const;

  private:
    sha256 inner_;
    sha256 outer_;
};

/// One-shot HMAC-SHA256.
sha256_digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view message);

/// One-shot HMAC-SHA1 (SigV2).
sha1_digest hmac_sha1(std::string_view key, std::string_view message);

}  // namespace presign::core
