#pragma once
// The SigV4 signing key and its cache.
//
//   kDate    = HMAC("AWS4" + secret, YYYYMMDD)
//   kRegion  = HMAC(kDate, region)
//   kService = HMAC(kRegion, service)
//   kSigning = HMAC(kService, "aws4_request")
//
// Deriving it costs four HMACs; it changes only with the date, so it is derived once per
// (secret, date, region, service) and reused. Derived keys are wiped when dropped.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/secret.hpp"

namespace presign::sigv4 {

/// kSigning, with its HMAC pad states precomputed.
class signing_key {
  public:
    /// Derives kSigning. `date` is YYYYMMDD.
    static signing_key derive(std::string_view secret, std::string_view date,
                              std::string_view region, std::string_view service);
    ~signing_key();
    signing_key(const signing_key&) = default;
    signing_key& operator=(const signing_key&) = default;

    /// The 32 key bytes (for chunk signatures and tests).
    const core::sha256_digest& bytes() const noexcept { return bytes_; }
    /// The HMAC key with its pad states (to sign a message fed in pieces).
    const core::hmac_sha256_key& hmac() const noexcept { return hmac_; }
    /// HMAC-SHA256(kSigning, message) as 64 lower-case hex characters, appended to `out`.
    void append_signature(std::string& out, std::string_view string_to_sign) const;
    std::string signature(std::string_view string_to_sign) const;

  private:
    explicit signing_key(const core::sha256_digest& bytes);
    core::sha256_digest bytes_;
    core::hmac_sha256_key hmac_;
};

/// Derived keys of one secret, by scope. Thread-safe; holds at most a few entries (a new date
/// evicts the oldest). The secret itself is kept (wiped on destruction) to derive new dates.
class signing_key_cache {
  public:
    explicit signing_key_cache(core::secret_string secret) : secret_(std::move(secret)) {}

    /// The key for (date, region, service), derived on first use.
    std::shared_ptr<const signing_key> get(std::string_view date, std::string_view region,
                                           std::string_view service) const;

  private:
    struct entry {
        std::string scope;  // "date/region/service"
        std::shared_ptr<const signing_key> key;
    };
    static constexpr std::size_t k_max_entries = 8;

    core::secret_string secret_;
    mutable std::mutex mutex_;
    mutable std::vector<entry> entries_;  // most recently derived last
};

}  // namespace presign::sigv4
