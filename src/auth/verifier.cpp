#include "auth/verifier.hpp"

#include <stdexcept>

#include "auth/canonical_request.hpp"
#include "auth/sigv2_claim.hpp"
#include "core/ascii.hpp"
#include "core/time_format.hpp"
#include "sigv4/canonical.hpp"
#include "sigv4/endpoint.hpp"

namespace presign::auth {

namespace {
std::string join(const std::vector<std::string>& names, std::string_view separator) {
    std::string out;
    for (const std::string& n : names) {
        if (!out.empty()) out.append(separator);
        out.append(n);
    }
    return out;
}

}  // namespace

result<void> check_token(const signed_claim& claim, const principal& who) {
    if (who.session_token.empty()) {
        if (claim.security_token)
            return fail(errc::invalid_token,
                        "The provided token is malformed or otherwise invalid.");
        return {};
    }
    // Temporary credentials without their token: S3 does not know the key on its own.
    if (!claim.security_token)
        return fail(errc::invalid_access_key_id,
                    "The AWS Access Key Id you provided does not exist in our records.",
                    {{"AWSAccessKeyId", claim.cred.access_key_id}});
    if (!core::constant_time_equal(*claim.security_token, who.session_token.reveal()))
        return fail(errc::invalid_token, "The provided token is malformed or otherwise invalid.");
    return {};
}

verifier::verifier(verifier_options options, principal_lookup lookup)
    : options_(std::move(options)),
      lookup_(std::move(lookup)),
      keys_(std::make_unique<key_cache>(options_.key_cache_capacity)) {
    if (!sigv4::is_valid_region(options_.region))
        throw std::invalid_argument("verifier: invalid region '" + options_.region + "'");
    if (!sigv4::is_valid_region(options_.service))
        throw std::invalid_argument("verifier: invalid service '" + options_.service + "'");
    if (options_.max_skew.count() < 0) throw std::invalid_argument("verifier: negative clock skew");
    if (!lookup_) throw std::invalid_argument("verifier: no principal lookup");
}

result<verified_request> verifier::verify(const request_view& req, core::time_point now) const {
    if (req.target.empty() || req.target.front() != '/')
        return fail(errc::invalid_uri, "Couldn't parse the specified URI.");
    const std::string_view raw_path = req.target.substr(0, req.target.find('?'));
    // The caller's decoding when it made one (request_view::decoded_query), else our own.
    std::vector<sigv4::query_param> decoded;
    if (!req.decoded_query) {
        auto own = decode_target_query(req.target);
        if (!own) return core::fail(std::move(own).error());
        decoded = std::move(*own);
    }
    const std::span<const sigv4::query_param> query =
        req.decoded_query ? *req.decoded_query : std::span<const sigv4::query_param>(decoded);
    if (is_sigv2_request(req, query)) return verify_sigv2(req, raw_path, query, now);
    auto claim = read_claim(req, query);
    if (!claim) return core::fail(std::move(claim).error());
    if (auto ok = check_scope(claim->cred, claim->amz_date, claim->kind, options_.region,
                              options_.service);
        !ok)
        return core::fail(ok.error());
    if (const auto unsigned_names = find_unsigned_headers(req.headers, claim->signed_headers);
        !unsigned_names.empty())
        return fail(errc::access_denied,
                    "There were headers present in the request which were not signed",
                    {{"HeadersNotSigned", join(unsigned_names, ", ")}});
    if (auto ok = check_time(*claim, now); !ok) return core::fail(ok.error());
    const std::optional<principal> who = lookup_(claim->cred.access_key_id);
    if (!who)
        return fail(errc::invalid_access_key_id,
                    "The AWS Access Key Id you provided does not exist in our records.",
                    {{"AWSAccessKeyId", claim->cred.access_key_id}});
    if (auto ok = check_token(*claim, *who); !ok) return core::fail(ok.error());
    return check_signature(req, raw_path, query, std::move(*claim), *who);
}

result<verified_post> verifier::verify_post_form(const post_form& form,
                                                 core::time_point now) const {
    auto read = read_form_claim(form.fields);
    if (!read) return core::fail(std::move(read).error());
    auto v = read->sigv2 ? verify_sigv2_form(*read, now) : verify_sigv4_form(*read);
    if (!v) return core::fail(std::move(v).error());
    // Only an authentic policy is read.
    auto grant = check_form_policy(read->policy, form, now);
    if (!grant) return core::fail(std::move(grant).error());
    v->expires_at_ = grant->expiration;
    return verified_post(std::move(*v), std::move(grant->key), grant->sizes);
}

result<verified_request> verifier::verify_sigv4_form(const form_claim& read) const {
    const signed_claim& claim = read.claim;
    const credential& cred = claim.cred;
    if (auto ok = check_scope(cred, claim.amz_date, claim.kind, options_.region, options_.service);
        !ok)
        return core::fail(ok.error());
    const std::optional<principal> who = lookup_(cred.access_key_id);
    if (!who)
        return fail(errc::invalid_access_key_id,
                    "The AWS Access Key Id you provided does not exist in our records.",
                    {{"AWSAccessKeyId", cred.access_key_id}});
    if (auto ok = check_token(claim, *who); !ok) return core::fail(ok.error());

    // SigV4 POST: the string to sign is the policy field exactly as sent.
    auto key = keys_->get(cred.access_key_id, who->secret_access_key, cred.date, cred.region,
                          cred.service);
    std::string expected = key->signature(read.policy);
    const bool match = core::constant_time_equal(expected, claim.signature);
    core::secure_zero(expected.data(), expected.size());
    if (!match)
        return fail(errc::signature_does_not_match, std::string(k_message_signature_mismatch),
                    {{"AWSAccessKeyId", cred.access_key_id},
                     {"StringToSign", read.policy},
                     {"SignatureProvided", claim.signature}});
    verified_request v;
    v.identity_ = who->identity;
    v.access_ = who->access;
    v.access_key_id_ = cred.access_key_id;
    v.kind_ = auth_kind::post_form;
    v.payload_ = payload_mode::unsigned_payload;
    v.amz_date_ = claim.amz_date;
    v.signed_at_ = claim.signed_at;
    v.credential_scope_ = sigv4::build_credential_scope(cred.date, cred.region, cred.service);
    v.signature_ = claim.signature;
    v.signing_key_ = std::move(key);
    return v;
}

result<void> verifier::check_time(const signed_claim& claim, core::time_point now) const {
    const auto skew = options_.max_skew;
    if (claim.kind == auth_kind::header) {
        if (claim.signed_at > now + skew || claim.signed_at < now - skew)
            return fail(errc::request_time_too_skewed,
                        "The difference between the request time and the current time is too "
                        "large.",
                        {{"RequestTime", claim.amz_date},
                         {"ServerTime", core::format_iso8601(now)},
                         {"MaxAllowedSkewMilliseconds", std::to_string(skew.count() * 1000)}});
        return {};
    }
    // A presigned URL is valid from X-Amz-Date (less the skew) to X-Amz-Date + X-Amz-Expires.
    if (claim.signed_at > now + skew)
        return fail(errc::not_yet_valid, std::string(k_message_not_yet_valid),
                    {{"X-Amz-Date", claim.amz_date}, {"ServerTime", core::format_iso8601(now)}});
    const core::time_point expires = claim.signed_at + std::chrono::seconds(claim.expires_seconds);
    if (now > expires)
        return fail(errc::expired, std::string(k_message_expired),
                    {{"X-Amz-Expires", std::to_string(claim.expires_seconds)},
                     {"Expires", core::format_iso8601(expires)},
                     {"ServerTime", core::format_iso8601(now)}});
    return {};
}

// StringToSign = "AWS4-HMAC-SHA256" \n X-Amz-Date \n CredentialScope \n
//                hex(SHA256(CanonicalRequest))
// Signature    = hex(HMAC-SHA256(kSigning, StringToSign)), compared in constant time.
// Each string is built in storage reserved for its final size, and the claim's strings move
// into the proof: this runs for every request.
result<verified_request> verifier::check_signature(const request_view& req,
                                                   std::string_view raw_path,
                                                   std::span<const sigv4::query_param> query,
                                                   signed_claim&& claim,
                                                   const principal& who) const {
    auto canonical = build_canonical_request(req, raw_path, query, claim);
    if (!canonical) return core::fail(std::move(canonical).error());
    credential& cred = claim.cred;
    std::string scope;
    scope.reserve(cred.date.size() + cred.region.size() + cred.service.size() + 15);
    sigv4::append_credential_scope(scope, cred.date, cred.region, cred.service);
    std::string string_to_sign;
    string_to_sign.reserve(sigv4::k_algorithm.size() + claim.amz_date.size() + scope.size() + 67);
    sigv4::append_string_to_sign(string_to_sign, claim.amz_date, scope, *canonical);
    auto key =
        keys_->get(cred.access_key_id, who.secret_access_key, cred.date, cred.region, cred.service);
    std::string expected;
    expected.reserve(64);
    key->append_signature(expected, string_to_sign);
    const bool match = core::constant_time_equal(expected, claim.signature);
    // The expected signature would authorise this exact request: never let it out.
    core::secure_zero(expected.data(), expected.size());
    if (!match)
        return fail(errc::signature_does_not_match, std::string(k_message_signature_mismatch),
                    {{"AWSAccessKeyId", cred.access_key_id},
                     {"StringToSign", string_to_sign},
                     {"SignatureProvided", claim.signature},
                     {"CanonicalRequest", *canonical}});

    verified_request v;
    v.identity_ = who.identity;
    v.access_ = who.access;
    v.access_key_id_ = std::move(cred.access_key_id);
    v.kind_ = claim.kind;
    v.payload_ = claim.payload;
    if (claim.payload == payload_mode::signed_hash)
        v.payload_sha256_ = core::to_lower(claim.payload_hash);
    v.amz_date_ = std::move(claim.amz_date);
    v.signed_at_ = claim.signed_at;
    v.credential_scope_ = std::move(scope);
    v.signature_ = std::move(claim.signature);
    v.signed_headers_ = std::move(claim.signed_headers);
    if (claim.kind == auth_kind::query)
        v.expires_at_ = claim.signed_at + std::chrono::seconds(claim.expires_seconds);
    v.signing_key_ = std::move(key);
    return v;
}

}  // namespace presign::auth
