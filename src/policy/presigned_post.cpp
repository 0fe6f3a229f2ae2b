#include "policy/presigned_post.hpp"

#include <functional>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "policy/json_text.hpp"

namespace presign::policy {

namespace {
using field_list = std::vector<std::pair<std::string, std::string>>;

using core::iequals;

// Fields the signer writes itself; a caller may not set them.
bool is_reserved(std::string_view name) {
    for (std::string_view r : {"key", "bucket", "policy", "file", "x-amz-algorithm",
                               "x-amz-credential", "x-amz-date", "x-amz-signature",
                               "x-amz-security-token", "AWSAccessKeyId", "signature"})
        if (iequals(name, r)) return true;
    return false;
}

// The auth-specific part of a presigned POST: conditions and fields added before the policy
// is written, and the signature fields added after.
struct auth_scheme {
    field_list fields;  // added as fields and as exact conditions
    std::function<void(field_list&, const std::string& policy_b64)> sign;
};

result<presigned_post> build(const post_request& req, const sigv4::signer_options& options,
                             const auth_scheme& auth) {
    if (req.expires_seconds < sigv4::k_min_expires || req.expires_seconds > sigv4::k_max_expires)
        return fail(errc::signing, "expiry must be 1..604800 seconds, got " +
                                       std::to_string(req.expires_seconds));
    if (req.key.empty()) return fail(errc::invalid_field, "the object key is empty");
    if (req.key.size() > 1024) return fail(errc::invalid_field, "object key longer than 1024 bytes");
    for (const auto& [name, value] : req.fields) {
        if (name.empty()) return fail(errc::invalid_field, "empty form field name");
        if (is_reserved(name))
            return fail(errc::invalid_field, "form field '" + name + "' is set by the signer");
    }
    auto loc = sigv4::locate_bucket(options.custom_endpoint, options.region, req.bucket,
                                    options.style);
    if (!loc) return fail(errc::signing, loc.error().message);

    presigned_post post;
    post.url = loc->scheme + "://" + loc->url_authority + (loc->path_prefix.empty() ? "/" : loc->path_prefix);

    std::vector<condition> conditions = req.conditions;
    if (req.cover_fields) {
        for (const auto& [name, value] : req.fields) {
            bool named = false;
            for (const condition& c : req.conditions) named |= iequals(c.field, name);
            if (!named) conditions.push_back(condition::exact(name, value));
        }
    }
    conditions.push_back(condition::exact("bucket", req.bucket));
    if (req.key.ends_with(k_filename_placeholder))
        conditions.push_back(condition::starts_with(
            "key", req.key.substr(0, req.key.size() - k_filename_placeholder.size())));
    else
        conditions.push_back(condition::exact("key", req.key));
    for (const auto& [name, value] : auth.fields) conditions.push_back(condition::exact(name, value));

    const core::time_point expiration = req.now + std::chrono::seconds(req.expires_seconds);
    if (auto ok = append_policy_document(post.policy_document, expiration, conditions); !ok)
        return core::fail(ok.error());

    post.fields = req.fields;
    post.fields.emplace_back("key", req.key);
    for (const auto& f : auth.fields) post.fields.push_back(f);
    std::string policy_b64 = core::to_base64(post.policy_document);
    auth.sign(post.fields, policy_b64);
    return post;
}
}  // namespace

result<presigned_post> presign_post(const sigv4::signer& signer, const post_request& req) {
    auth_scheme auth;
    auth.fields = {{"x-amz-algorithm", "AWS4-HMAC-SHA256"},
                   {"x-amz-credential", signer.credential(req.now)},
                   {"x-amz-date", core::format_amz_date(req.now)}};
    if (!signer.session_token().empty())
        auth.fields.emplace_back("x-amz-security-token", signer.session_token());
    // SigV4 POST: the string to sign is the base64 policy itself.
    auth.sign = [&](field_list& fields, const std::string& policy_b64) {
        fields.emplace_back("policy", policy_b64);
        fields.emplace_back("x-amz-signature", signer.sign_string(policy_b64, req.now));
    };
    return build(req, signer.options(), auth);
}

result<presigned_post> presign_post_v2(const sigv4::sigv2_signer& signer, const post_request& req) {
    auth_scheme auth;
    if (!signer.session_token().empty())
        auth.fields.emplace_back("x-amz-security-token", signer.session_token());
    auth.sign = [&](field_list& fields, const std::string& policy_b64) {
        fields.emplace_back("policy", policy_b64);
        fields.emplace_back("AWSAccessKeyId", signer.access_key_id());
        fields.emplace_back("signature", signer.sign_string(policy_b64));
    };
    return build(req, signer.options(), auth);
}

std::string to_json(const presigned_post& post) {
    std::string out = "{\"url\": ";
    append_json_string(out, post.url);
    out.append(", \"fields\": {");
    bool first = true;
    for (const auto& [name, value] : post.fields) {
        if (!first) out.append(", ");
        first = false;
        append_json_string(out, name);
        out.append(": ");
        append_json_string(out, value);
    }
    out.append("}}");
    return out;
}

}  // namespace presign::policy
