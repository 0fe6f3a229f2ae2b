#include "policy/presigned_post.hpp"

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
    for (std::string_view r :
         {"key", "bucket", "policy", "file", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
          "x-amz-signature", "x-amz-security-token", "AWSAccessKeyId", "signature"})
        if (iequals(name, r)) return true;
    return false;
}

// The URL a POST form goes to, for AWS's endpoints (no custom endpoint), kept per thread for
// the last (region, bucket, addressing): resolving it validates the bucket name and builds the
// host, several times the cost of comparing two short strings.
struct origin_memo {
    std::string region;
    std::string bucket;
    sigv4::addressing style = sigv4::addressing::automatic;
    std::string url;  // empty: nothing memoized
};

result<void> append_post_url(std::string& url, const sigv4::signer_options& options,
                             std::string_view bucket) {
    thread_local origin_memo memo;
    const bool cacheable = !options.custom_endpoint;
    if (cacheable && !memo.url.empty() && memo.style == options.style &&
        memo.region == options.region && memo.bucket == bucket) {
        url.append(memo.url);
        return {};
    }
    auto loc = sigv4::locate_bucket(options.custom_endpoint, options.region, bucket, options.style);
    if (!loc) return fail(errc::signing, loc.error().message);
    const std::size_t at = url.size();
    url.append(loc->scheme).append("://").append(loc->url_authority);
    url.append(loc->path_prefix.empty() ? "/" : loc->path_prefix);
    if (cacheable) {
        memo.region = options.region;
        memo.bucket = bucket;
        memo.style = options.style;
        memo.url.assign(url, at);
    }
    return {};
}

// The auth-specific part of a presigned POST: fields that are also exact conditions (written
// before the policy), and `sign(fields, policy_b64)` adding the signature fields after it.
// A template, not std::function: this runs on every presigned POST.
template <class Sign>
result<presigned_post> build(const post_request& req, const sigv4::signer_options& options,
                             field_list& auth_fields, Sign&& sign) {
    if (req.expires_seconds < sigv4::k_min_expires || req.expires_seconds > sigv4::k_max_expires)
        return fail(errc::signing,
                    "expiry must be 1..604800 seconds, got " + std::to_string(req.expires_seconds));
    if (req.key.empty()) return fail(errc::invalid_field, "the object key is empty");
    if (req.key.size() > 1024)
        return fail(errc::invalid_field, "object key longer than 1024 bytes");
    for (const auto& [name, value] : req.fields) {
        if (name.empty()) return fail(errc::invalid_field, "empty form field name");
        if (is_reserved(name))
            return fail(errc::invalid_field, "form field '" + name + "' is set by the signer");
    }
    presigned_post post;
    if (auto ok = append_post_url(post.url, options, req.bucket); !ok)
        return core::fail(ok.error());
    // Fields in boto3's order: the caller's, key, the auth fields, then policy and signature.
    post.fields.reserve(req.fields.size() + auth_fields.size() + 4);
    post.fields.assign(req.fields.begin(), req.fields.end());
    post.fields.emplace_back("key", req.key);
    const std::size_t auth_at = post.fields.size();
    for (auto& f : auth_fields) post.fields.push_back(std::move(f));

    // Conditions in botocore's order: the caller's, covers for uncovered fields, bucket, key,
    // then the auth fields.
    const core::time_point expiration = req.now + std::chrono::seconds(req.expires_seconds);
    post.policy_document.reserve(512);
    policy_writer policy(post.policy_document, expiration);
    for (const condition& c : req.conditions) policy.add(c);
    if (req.cover_fields) {
        for (const auto& [name, value] : req.fields) {
            bool named = false;
            for (const condition& c : req.conditions) named |= iequals(c.field, name);
            if (!named) policy.add_exact(name, value);
        }
    }
    policy.add_exact("bucket", req.bucket);
    if (req.key.ends_with(k_filename_placeholder))
        policy.add_starts_with("key", std::string_view(req.key).substr(
                                          0, req.key.size() - k_filename_placeholder.size()));
    else
        policy.add_exact("key", req.key);
    for (std::size_t i = auth_at; i < post.fields.size(); ++i)
        policy.add_exact(post.fields[i].first, post.fields[i].second);
    if (auto ok = policy.finish(); !ok) return core::fail(ok.error());

    sign(post.fields, core::to_base64(post.policy_document));
    return post;
}
}  // namespace

result<presigned_post> presign_post(const sigv4::signer& signer, const post_request& req) {
    field_list auth_fields;
    auth_fields.reserve(4);
    auth_fields.emplace_back("x-amz-algorithm", "AWS4-HMAC-SHA256");
    auth_fields.emplace_back("x-amz-credential", signer.credential(req.now));
    auth_fields.emplace_back("x-amz-date", core::format_amz_date(req.now));
    if (!signer.session_token().empty())
        auth_fields.emplace_back("x-amz-security-token", signer.session_token());
    // SigV4 POST: the string to sign is the base64 policy itself.
    const auto sign = [&](field_list& fields, std::string policy_b64) {
        std::string signature = signer.sign_string(policy_b64, req.now);
        fields.emplace_back("policy", std::move(policy_b64));
        fields.emplace_back("x-amz-signature", std::move(signature));
    };
    return build(req, signer.options(), auth_fields, sign);
}

result<presigned_post> presign_post_v2(const sigv4::sigv2_signer& signer, const post_request& req) {
    field_list auth_fields;
    if (!signer.session_token().empty())
        auth_fields.emplace_back("x-amz-security-token", signer.session_token());
    const auto sign = [&](field_list& fields, std::string policy_b64) {
        std::string signature = signer.sign_string(policy_b64);
        fields.emplace_back("policy", std::move(policy_b64));
        fields.emplace_back("AWSAccessKeyId", signer.access_key_id());
        fields.emplace_back("signature", std::move(signature));
    };
    return build(req, signer.options(), auth_fields, sign);
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
