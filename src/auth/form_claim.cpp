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

result<void> check_structure(std::span<const form_field> fields) {
    for (std::size_t i = 0; i < fields.size(); ++i)
        for (std::size_t j = i + 1; j < fields.size(); ++j)
            if (iequals(fields[i].name, fields[j].name))
                return fail(errc::invalid_argument,
                            "POST form field '" + core::to_lower(fields[i].name) +
                                "' was sent more than once.",
                            {{"ArgumentName", core::to_lower(fields[i].name)}});
    if (find_field(fields, "AWSAccessKeyId") || find_field(fields, "signature"))
        return fail(errc::invalid_argument,
                    "POST forms signed with SigV2 (AWSAccessKeyId, signature) are not supported; "
                    "sign the policy with SigV4 (x-amz-algorithm AWS4-HMAC-SHA256).",
                    {{"ArgumentName", "AWSAccessKeyId"}});
    constexpr std::array<std::string_view, 5> k_auth = {
        "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"};
    bool any = false;
    for (std::string_view name : k_auth) any |= find_field(fields, name) != nullptr;
    // No auth at all: an anonymous upload, which no bucket here allows.
    if (!any) return fail(errc::missing_authentication, "Access Denied");
    if (!find_field(fields, "key")) return missing_field("key");
    for (std::string_view name : k_auth)
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

result<form_claim> read_form_claim(std::span<const form_field> fields) {
    if (auto ok = check_structure(fields); !ok) return core::fail(ok.error());
    if (find_field(fields, "x-amz-algorithm")->value != sigv4::k_algorithm)
        return fail(errc::invalid_request,
                    "The authorization mechanism you have provided is not supported. Please use "
                    "AWS4-HMAC-SHA256.");
    form_claim out;
    signed_claim& claim = out.claim;
    claim.kind = auth_kind::post_form;
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
    claim.signature = find_field(fields, "x-amz-signature")->value;
    if (const form_field* token = find_field(fields, "x-amz-security-token"))
        claim.security_token = token->value;
    // The policy, not the body, is signed.
    claim.payload = payload_mode::unsigned_payload;
    claim.payload_hash = sigv4::k_unsigned_payload;
    out.policy = find_field(fields, "policy")->value;
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
