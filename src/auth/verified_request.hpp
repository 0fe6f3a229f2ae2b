#pragma once
// The proof that a request was authenticated. Only the verifier constructs one (verify, and
// verify_post_form inside a verified_post), so a handler that takes a
// `const verified_request&` cannot be reached without authentication.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/access.hpp"
#include "auth/authorization.hpp"
#include "auth/payload.hpp"
#include "core/clock.hpp"
#include "sigv4/signing_key.hpp"

namespace presign::auth {

class verifier;

/// A request whose signature, scope, time window and token were verified. Copyable (copies
/// of a genuine one stay genuine), but not constructible outside verifier.
class verified_request {
  public:
    /// The principal's identity name, as the principal lookup gave it.
    const std::string& identity() const noexcept { return identity_; }
    /// The access key id the request was signed with.
    const std::string& access_key_id() const noexcept { return access_key_id_; }
    /// Header, query (presigned URL) or POST form auth (the latter inside a verified_post).
    auth_kind kind() const noexcept { return kind_; }
    /// 4 (SigV4) or 2 (legacy SigV2: no credential scope, no signing key, the payload never
    /// signed).
    int signature_version() const noexcept { return signature_version_; }
    /// How the body is authenticated. Handlers must go by this, never by the
    /// x-amz-content-sha256 header itself (an unsigned one is ignored on presigned URLs).
    payload_mode payload() const noexcept { return payload_; }
    /// For payload_mode::signed_hash, the lower-case hex SHA-256 the body must have (the store
    /// refuses the body otherwise, XAmzContentSHA256Mismatch); empty for the other modes.
    const std::string& payload_sha256() const noexcept { return payload_sha256_; }
    /// The signing time as it went into the string to sign, YYYYMMDDTHHMMSSZ.
    const std::string& amz_date() const noexcept { return amz_date_; }
    /// The signing time.
    core::time_point signed_at() const noexcept { return signed_at_; }
    /// `YYYYMMDD/region/service/aws4_request` (chunk signatures repeat it).
    const std::string& credential_scope() const noexcept { return credential_scope_; }
    /// The request's verified signature: the seed of aws-chunked chunk signatures. Not to be
    /// logged.
    const std::string& seed_signature() const noexcept { return signature_; }
    /// The signed header names, lower-case and ascending.
    const std::vector<std::string>& signed_headers() const noexcept { return signed_headers_; }
    /// Query auth: X-Amz-Date + X-Amz-Expires, the last second the URL is valid. Header auth:
    /// nullopt.
    std::optional<core::time_point> expires_at() const noexcept { return expires_at_; }
    /// The derived signing key (kSigning), for verifying aws-chunked chunk and trailer
    /// signatures later. Wiped when the last holder drops it.
    const std::shared_ptr<const sigv4::signing_key>& signing_key() const noexcept {
        return signing_key_;
    }
    /// What the principal may do (an empty policy, allowing nothing, when it has none).
    const access_policy& access() const noexcept;

  private:
    friend class verifier;
    verified_request() = default;

    std::string identity_;
    std::string access_key_id_;
    auth_kind kind_ = auth_kind::header;
    int signature_version_ = 4;
    payload_mode payload_ = payload_mode::unsigned_payload;
    std::string payload_sha256_;
    std::string amz_date_;
    core::time_point signed_at_{};
    std::string credential_scope_;
    std::string signature_;
    std::vector<std::string> signed_headers_;
    std::optional<core::time_point> expires_at_;
    std::shared_ptr<const sigv4::signing_key> signing_key_;
    std::shared_ptr<const access_policy> access_;
};

}  // namespace presign::auth
