// The verifier's SigV2 half: header and query auth (sigv2_claim.hpp) and SigV2 POST forms.
// Same order of checks as SigV4, fewer of them: SigV2 has no credential scope and never signs
// the payload.

#include "auth/sigv2_claim.hpp"
#include "auth/verifier.hpp"
#include "core/time_format.hpp"
#include "sigv4/sigv2.hpp"

namespace presign::auth {

namespace {
// SigV2 query auth names an absolute Expires; S3 sets no upper bound, presign holds it to the
// same seven days as SigV4 so that no URL it accepts lives longer than one it could sign.
constexpr std::chrono::seconds k_max_expiry{604800};

result<void> check_v2_time(const sigv2_claim& claim, core::time_point now,
                           std::chrono::seconds skew) {
    if (claim.kind == auth_kind::header) {
        if (claim.at > now + skew || claim.at < now - skew)
            return fail(errc::request_time_too_skewed,
                        "The difference between the request time and the current time is too "
                        "large.",
                        {{"RequestTime", core::format_http_date(claim.at)},
                         {"ServerTime", core::format_iso8601(now)},
                         {"MaxAllowedSkewMilliseconds", std::to_string(skew.count() * 1000)}});
        return {};
    }
    const std::string expires = std::to_string(claim.at.time_since_epoch().count());
    if (now > claim.at)
        return fail(errc::expired, std::string(k_message_expired),
                    {{"Expires", core::format_iso8601(claim.at)},
                     {"ServerTime", core::format_iso8601(now)}});
    if (claim.at > now + k_max_expiry + skew)
        return fail(errc::authorization_query_parameters_error,
                    "Expires must be at most 604800 seconds (one week) in the future",
                    {{"Expires", expires}});
    return {};
}

// Base64(HMAC-SHA1(secret, string_to_sign)) == `provided`, in constant time.
bool v2_signature_matches(const principal& who, std::string_view string_to_sign,
                          std::string_view provided) {
    std::string expected = sigv4::sigv2_signature(who.secret_access_key.reveal(), string_to_sign);
    const bool match = core::constant_time_equal(expected, provided);
    // The expected signature would authorise this exact request: never let it out.
    core::secure_zero(expected.data(), expected.size());
    return match;
}

core::failure<error> unknown_key(const std::string& id) {
    return fail(errc::invalid_access_key_id,
                "The AWS Access Key Id you provided does not exist in our records.",
                {{"AWSAccessKeyId", id}});
}

// The token check of SigV4, on a SigV2 claim's fields.
result<void> check_v2_token(const std::string& id, const std::optional<std::string>& token,
                            const principal& who) {
    signed_claim as_claim;
    as_claim.cred.access_key_id = id;
    as_claim.security_token = token;
    return check_token(as_claim, who);
}
}  // namespace

result<verified_request> verifier::verify_sigv2(const request_view& req, std::string_view raw_path,
                                                std::span<const sigv4::query_param> query,
                                                core::time_point now) const {
    auto claim = read_sigv2_claim(req, raw_path, query);
    if (!claim) return core::fail(std::move(claim).error());
    if (auto ok = check_v2_time(*claim, now, options_.max_skew); !ok) return core::fail(ok.error());
    const std::optional<principal> who = lookup_(claim->access_key_id);
    if (!who) return unknown_key(claim->access_key_id);
    if (auto ok = check_v2_token(claim->access_key_id, claim->security_token, *who); !ok)
        return core::fail(ok.error());
    const bool match =
        v2_signature_matches(*who, claim->string_to_sign, claim->signature) ||
        (claim->alternate_string_to_sign &&
         v2_signature_matches(*who, *claim->alternate_string_to_sign, claim->signature));
    if (!match)
        return fail(errc::signature_does_not_match, std::string(k_message_signature_mismatch),
                    {{"AWSAccessKeyId", claim->access_key_id},
                     {"StringToSign", claim->string_to_sign},
                     {"SignatureProvided", claim->signature}});

    verified_request v;
    v.identity_ = who->identity;
    v.access_ = who->access;
    v.access_key_id_ = claim->access_key_id;
    v.kind_ = claim->kind;
    v.signature_version_ = 2;
    v.payload_ = payload_mode::unsigned_payload;
    const core::time_point signed_at = claim->kind == auth_kind::header ? claim->at : now;
    v.amz_date_ = core::format_amz_date(signed_at);
    v.signed_at_ = signed_at;
    v.signature_ = claim->signature;
    if (claim->kind == auth_kind::query) v.expires_at_ = claim->at;
    return v;
}

result<verified_request> verifier::verify_sigv2_form(const form_claim& read,
                                                     core::time_point now) const {
    const signed_claim& claim = read.claim;
    const std::string& id = claim.cred.access_key_id;
    const std::optional<principal> who = lookup_(id);
    if (!who) return unknown_key(id);
    if (auto ok = check_v2_token(id, claim.security_token, *who); !ok)
        return core::fail(ok.error());
    // The string to sign is the policy field exactly as sent.
    if (!v2_signature_matches(*who, read.policy, claim.signature))
        return fail(errc::signature_does_not_match, std::string(k_message_signature_mismatch),
                    {{"AWSAccessKeyId", id},
                     {"StringToSign", read.policy},
                     {"SignatureProvided", claim.signature}});
    verified_request v;
    v.identity_ = who->identity;
    v.access_ = who->access;
    v.access_key_id_ = id;
    v.kind_ = auth_kind::post_form;
    v.signature_version_ = 2;
    v.payload_ = payload_mode::unsigned_payload;
    v.amz_date_ = core::format_amz_date(now);
    v.signed_at_ = now;
    v.signature_ = claim.signature;
    return v;
}

}  // namespace presign::auth
