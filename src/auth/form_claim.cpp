#include "auth/form_claim.hpp"

#include <array>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "policy/policy_document.hpp"
#include "sigv4/canonical.hpp"

namespace presign::auth {

namespace {
using core::iequals;
using policy::form_field;

const form_field* find_field(std::span<const form_field> fields, std::string_view name) {
    for (const form_field& f : fields)
        if (iequals(f.name, name)) return &f;
    return nullptr;
}

// S3's wording for a form without a required field; fields after the file are ignored, hence
// the hint about their order.
core::failure<error> missing_field(std::string_view name) {
    return fail(errc::invalid_argument,
                "Bucket POST must contain a field named '" + std::string(name) +
                    "'.  If it is specified, please check the order of the fields.",
                {{"ArgumentName", std::string(name)}, {"ArgumentValue", ""}});
}

result<void> check_structure(std::span<const form_field> fields, bool sigv2) {
    for (std::size_t i = 0; i < fields.size(); ++i)
        for (std::size_t j = i + 1; j < fields.size(); ++j)
            if (iequals(fields[i].name, fields[j].name))
                return fail(errc::invalid_argument,
                            "POST form field '" + core::to_lower(fields[i].name) +
                                "' was sent more than once.",
                            {{"ArgumentName", core::to_lower(fields[i].name)}});
    constexpr std::array<std::string_view, 5> k_v4 = {
        "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"};
    constexpr std::array<std::string_view, 3> k_v2 = {"AWSAccessKeyId", "policy", "signature"};
    const std::span<const std::string_view> needed =
        sigv2 ? std::span<const std::string_view>(k_v2) : std::span<const std::string_view>(k_v4);
    if (sigv2 && (find_field(fields, "x-amz-signature") || find_field(fields, "x-amz-credential")))
        return fail(errc::invalid_argument,
                    "Only one auth mechanism allowed; a POST form carries either SigV2 "
                    "(AWSAccessKeyId, signature) or SigV4 (x-amz-credential, x-amz-signature)",
                    {{"ArgumentName", "AWSAccessKeyId"}});
    bool any = false;
    for (std::string_view name : needed) any |= find_field(fields, name) != nullptr;
    // No auth at all: an anonymous upload, which no bucket here allows.
    if (!any) return fail(errc::missing_authentication, "Access Denied");
    if (!find_field(fields, "key")) return missing_field("key");
    for (std::string_view name : needed)
        if (!find_field(fields, name)) return missing_field(name);
    return {};
}

// The policy as sent, without the line breaks and spaces some SDKs wrap base64 with.
std::string unwrapped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text)
        if (c != '\r' && c != '\n' && c != ' ' && c != '\t') out.push_back(c);
    return out;
}
}  // namespace

// What both versions share: the signature field, the token, the policy; the body unsigned
// (the policy, not the body, is signed).
form_claim common_claim(std::span<const form_field> fields, std::string_view signature_field) {
    form_claim out;
    signed_claim& claim = out.claim;
    claim.kind = auth_kind::post_form;
    claim.signature = find_field(fields, signature_field)->value;
    if (const form_field* token = find_field(fields, "x-amz-security-token"))
        claim.security_token = token->value;
    claim.payload = payload_mode::unsigned_payload;
    claim.payload_hash = sigv4::k_unsigned_payload;
    out.policy = find_field(fields, "policy")->value;
    return out;
}

// SigV2: AWSAccessKeyId, policy, signature = Base64(HMAC-SHA1(secret, policy as sent)).
form_claim read_sigv2_form(std::span<const form_field> fields) {
    form_claim out = common_claim(fields, "signature");
    out.sigv2 = true;
    out.claim.cred.access_key_id = find_field(fields, "AWSAccessKeyId")->value;
    return out;
}

result<form_claim> read_form_claim(std::span<const form_field> fields) {
    const bool sigv2 = find_field(fields, "AWSAccessKeyId") || find_field(fields, "signature");
    if (auto ok = check_structure(fields, sigv2); !ok) return core::fail(ok.error());
    if (sigv2) return read_sigv2_form(fields);
    if (find_field(fields, "x-amz-algorithm")->value != sigv4::k_algorithm)
        return fail(errc::invalid_request,
                    "The authorization mechanism you have provided is not supported. Please use "
                    "AWS4-HMAC-SHA256.");
    form_claim out = common_claim(fields, "x-amz-signature");
    signed_claim& claim = out.claim;
    auto cred =
        parse_credential(find_field(fields, "x-amz-credential")->value, auth_kind::post_form);
    if (!cred) return core::fail(std::move(cred).error());
    claim.cred = std::move(*cred);
    const std::string& date = find_field(fields, "x-amz-date")->value;
    const auto at = core::parse_amz_date(date);
    if (!at)
        return fail(errc::authorization_query_parameters_error,
                    "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    claim.signed_at = *at;
    claim.amz_date = date;
    return out;
}

result<form_grant> check_form_policy(std::string_view policy_b64, const post_form& form,
                                     core::time_point now) {
    const auto text = core::from_base64(unwrapped(policy_b64));
    if (!text)
        return fail(errc::invalid_policy_document,
                    "Invalid Policy: Invalid Base64 Encoding of the policy.");
    auto doc = policy::parse_policy_document(*text);
    if (!doc) return fail(errc::invalid_policy_document, doc.error().message);

    form_grant grant;
    grant.key = policy::substitute_filename(find_field(form.fields, "key")->value, form.filename);
    if (grant.key.empty())
        return fail(errc::invalid_argument, "User key must have a length greater than 0.",
                    {{"ArgumentName", "key"}, {"ArgumentValue", ""}});
    auto sizes = policy::check_post_form(*doc, {form.bucket, grant.key, form.fields}, now);
    if (!sizes) return fail(errc::access_denied, sizes.error().message);
    grant.sizes = *sizes;
    grant.expiration = doc->expiration;
    return grant;
}

}  // namespace presign::auth
