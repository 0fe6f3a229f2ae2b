#pragma once
// Who sent a request, as the operations see it: an authenticated principal, holding the
// verifier's proof (auth::verified_request, which only the verifier can make), or nobody, for
// an anonymous request that a canned ACL lets in. An anonymous caller has no proof to show and
// no grants of its own, so it can do only what the ACLs add (widen()), and the front lets it
// reach only the operations an ACL can allow (public_access.hpp). Private to src/s3.

#include <memory>
#include <string>
#include <vector>

#include "auth/access.hpp"
#include "auth/payload.hpp"
#include "auth/verified_request.hpp"
#include "s3/acl.hpp"

namespace presign::s3::detail {

/// The sender of one request. Holds a pointer to the proof: the caller must not outlive it.
class caller {
  public:
    /// An authenticated caller.
    explicit caller(const auth::verified_request& proof) noexcept : proof_(&proof) {}
    /// An anonymous caller: no proof, no grants.
    static caller anonymous() noexcept { return caller(); }

    /// The verifier's proof, or nullptr for an anonymous caller.
    const auth::verified_request* proof() const noexcept { return proof_; }
    bool is_anonymous() const noexcept { return proof_ == nullptr; }
    /// For ACL decisions (acl.hpp).
    requester kind() const noexcept {
        return proof_ ? requester::authenticated : requester::anonymous;
    }
    /// The principal's identity name; "anonymous" without one.
    const std::string& identity() const noexcept;
    /// How the body is authenticated. Anonymous: unsigned_payload (no signature vouches for
    /// it; the request's own x-amz-content-sha256 header is not trusted either).
    auth::payload_mode payload() const noexcept;
    /// The signed body digest for payload_mode::signed_hash; empty otherwise.
    const std::string& payload_sha256() const noexcept;

    /// What the caller may do: the principal's grants (none when anonymous), plus whatever
    /// widen() added.
    const auth::access_policy& access() const noexcept;
    /// Adds grants a canned ACL gives this caller (public_access.cpp), on top of its own.
    void widen(const std::vector<auth::grant>& acl_grants);

  private:
    caller() = default;

    const auth::verified_request* proof_ = nullptr;
    std::shared_ptr<const auth::access_policy> widened_;
};

}  // namespace presign::s3::detail
