#pragma once
// Presigned POST: a policy document, signed, returned as the URL and form fields a browser
// sends (file last). Shaped like boto3's generate_presigned_post.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "policy/errors.hpp"
#include "policy/post_policy.hpp"
#include "sigv4/signer.hpp"
#include "sigv4/sigv2.hpp"

namespace presign::policy {

/// The substitution S3 makes in a POST form's `key` field with the uploaded file's name.
inline constexpr std::string_view k_filename_placeholder = "${filename}";

/// What to presign.
struct post_request {
    std::string bucket;
    std::string key;  ///< may end with ${filename}: the condition becomes starts-with the rest
    /// Extra form fields (acl, Content-Type, success_action_status, x-amz-meta-*, ...), in order.
    /// Each needs a covering condition: with `cover_fields` one {"field": "value"} is added for
    /// every field no condition already names.
    std::vector<std::pair<std::string, std::string>> fields;
    std::vector<condition> conditions;  ///< extra conditions, first in the document
    bool cover_fields = true;
    std::int64_t expires_seconds = 3600;  ///< 1..604800
    core::time_point now;
};

/// The result: POST the fields as multipart/form-data to `url`, with the file as the last part.
struct presigned_post {
    std::string url;
    std::vector<std::pair<std::string, std::string>> fields;
    std::string policy_document;  ///< the JSON before base64 (for inspection and tests)
};

/// Presigns with SigV4 (x-amz-algorithm, x-amz-credential, x-amz-date, policy, x-amz-signature).
result<presigned_post> presign_post(const sigv4::signer& signer, const post_request& req);

/// Presigns with SigV2 (AWSAccessKeyId, policy, signature: HMAC-SHA1), for legacy stores.
result<presigned_post> presign_post_v2(const sigv4::sigv2_signer& signer, const post_request& req);

/// `{"url": "...", "fields": {...}}`, the JSON shape boto3 returns and browsers consume.
std::string to_json(const presigned_post& post);

}  // namespace presign::policy
