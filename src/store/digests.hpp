#pragma once
// Digests the store computes while data streams through it: an incremental MD5 (the ETag of
// objects and parts; the writers use it through file_md5.hpp) and the check of the digests a
// client promised. Internal to the store.

#include <cstddef>
#include <optional>
#include <span>

#include "core/digest.hpp"
#include "store/errors.hpp"
#include "store/object_writer.hpp"

struct evp_md_ctx_st;

namespace presign::store::detail {

/// Incremental MD5 over OpenSSL's EVP interface. Move-only.
class md5_stream {
  public:
    /// Starts a digest. Throws std::bad_alloc if OpenSSL cannot allocate its context.
    md5_stream();
    md5_stream(md5_stream&& other) noexcept;
    md5_stream& operator=(md5_stream&& other) noexcept;
    md5_stream(const md5_stream&) = delete;
    md5_stream& operator=(const md5_stream&) = delete;
    ~md5_stream();

    /// Adds `bytes` to the digest.
    void update(std::span<const std::byte> bytes);
    /// Finishes the digest; the stream must not be used afterwards.
    core::md5_digest finish();

  private:
    evp_md_ctx_st* ctx_ = nullptr;
};

/// Checks the digests a client promised (commit_options) against the ones computed:
/// errc::invalid_argument for an expected SHA-256 that is not 64 hex digits or that cannot be
/// checked because `sha256` was not computed; errc::bad_digest (message naming "SHA-256",
/// "x-amz-checksum-sha256" or "Content-MD5") for a mismatch. Digests compare in constant time.
result<void> check_expected_digests(const commit_options& options, const core::md5_digest& md5,
                                    const std::optional<core::sha256_digest>& sha256);

}  // namespace presign::store::detail
