#pragma once
// Signing keys derived for verification, cached by access key and scope.
//
// kSigning depends only on (secret, date, region, service), so a server verifying many
// requests of one key on one day derives it once instead of four HMACs per request. Unlike
// sigv4::signing_key_cache (one secret, a signer's own), this cache serves every principal:
// entries are keyed by access key id + scope and remember the secret they were derived from,
// so a rotated secret is never answered with a key derived from the old one.

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/secret.hpp"
#include "sigv4/signing_key.hpp"

namespace presign::auth {

/// A bounded, thread-safe cache of derived signing keys (least recently used evicted first).
/// Secrets held for comparison are wiped when their entry goes.
class key_cache {
  public:
    /// `capacity` entries at most (at least 1).
    explicit key_cache(std::size_t capacity = 1024);

    /// The signing key of `access_key_id` with `secret` for (date, region, service): the
    /// cached one when it was derived from the same secret (compared in constant time),
    /// otherwise derived now and cached. `date` is YYYYMMDD.
    std::shared_ptr<const sigv4::signing_key> get(std::string_view access_key_id,
                                                  const core::secret_string& secret,
                                                  std::string_view date, std::string_view region,
                                                  std::string_view service) const;

    /// The number of cached keys.
    std::size_t size() const;

  private:
    struct entry {
        core::secret_string secret;
        std::shared_ptr<const sigv4::signing_key> key;
        std::list<std::string>::iterator position;  // in recency_
    };

    std::size_t capacity_;
    mutable std::mutex mutex_;
    mutable std::list<std::string> recency_;  // cache keys, most recently used first
    struct id_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view id) const noexcept {
            return std::hash<std::string_view>{}(id);
        }
    };
    // Looked up by a view: a hit builds no string.
    mutable std::unordered_map<std::string, entry, id_hash, std::equal_to<>> entries_;
};

}  // namespace presign::auth
