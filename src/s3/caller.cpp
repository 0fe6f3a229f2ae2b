#include "s3/caller.hpp"

namespace presign::s3::detail {

namespace {
const std::string k_anonymous = "anonymous";
const std::string k_no_digest;
const auth::access_policy k_no_grants;
}  // namespace

const std::string& caller::identity() const noexcept {
    return proof_ ? proof_->identity() : k_anonymous;
}

auth::payload_mode caller::payload() const noexcept {
    return proof_ ? proof_->payload() : auth::payload_mode::unsigned_payload;
}

const std::string& caller::payload_sha256() const noexcept {
    return proof_ ? proof_->payload_sha256() : k_no_digest;
}

const auth::access_policy& caller::access() const noexcept {
    if (widened_) return *widened_;
    return proof_ ? proof_->access() : k_no_grants;
}

void caller::widen(const std::vector<auth::grant>& acl_grants) {
    const auth::access_policy& own = access();
    if (own.allows_everything() || acl_grants.empty()) return;
    std::vector<auth::grant> grants = own.grants();
    grants.insert(grants.end(), acl_grants.begin(), acl_grants.end());
    widened_ = std::make_shared<const auth::access_policy>(std::move(grants));
}

}  // namespace presign::s3::detail
