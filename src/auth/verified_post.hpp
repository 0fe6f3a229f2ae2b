#pragma once
// The proof that a POST form was authenticated and that its policy admits the form. Only
// verifier::verify_post_form constructs one, so the upload path cannot store a file without it.

#include <string>
#include <utility>

#include "auth/verified_request.hpp"
#include "policy/form_check.hpp"

namespace presign::auth {

class verifier;

/// An authenticated POST form: who signed it, and what its policy grants.
class verified_post {
  public:
    /// The signer's identity and credential scope (kind() is auth_kind::post_form, payload()
    /// unsigned_payload, expires_at() the policy's expiration).
    const verified_request& request() const noexcept { return request_; }
    /// The object key to write: the key field with ${filename} substituted.
    const std::string& key() const noexcept { return key_; }
    /// The file's admitted sizes (content-length-range), bytes inclusive: the upload must stop
    /// as soon as max is passed and must not be stored below min.
    policy::length_range sizes() const noexcept { return sizes_; }

  private:
    friend class verifier;
    verified_post(verified_request request, std::string key, policy::length_range sizes)
        : request_(std::move(request)), key_(std::move(key)), sizes_(sizes) {}

    verified_request request_;
    std::string key_;
    policy::length_range sizes_;
};

}  // namespace presign::auth
