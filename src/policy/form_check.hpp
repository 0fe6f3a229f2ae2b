#pragma once
// Holding a received POST form against its (already authenticated) policy, strictly in both
// directions as S3 does: every condition must be met, and every form field must be named by a
// condition (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html).
// Field names compare ASCII case-insensitively, values exactly. The file's size is not known
// here: check_post_form returns the size range, which the upload enforces while it streams.

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "policy/errors.hpp"
#include "policy/policy_document.hpp"

namespace presign::policy {

/// One form field as received: the name as sent, the value's bytes.
struct form_field {
    std::string name;
    std::string value;
};

/// The sizes the file may have, in bytes, both inclusive: the intersection of every
/// content-length-range condition (all of them must hold); 0..max without one.
struct length_range {
    std::uint64_t min = 0;
    std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
};

/// What a policy is held against.
struct form_subject {
    std::string_view bucket;  ///< the bucket of the request URL: $bucket conditions apply to it
    std::string_view key;     ///< the key field with ${filename} substituted (substitute_filename)
    /// Every field before the file, as received, names unique case-insensitively. A `bucket`
    /// field must be covered like any other, but conditions are held against `bucket` above.
    std::span<const form_field> fields;
};

/// True for the fields S3 does not require a condition for: policy, x-amz-signature, SigV2's
/// AWSAccessKeyId and signature, file and names starting with x-ignore- (any case).
bool is_exempt_field(std::string_view name) noexcept;

/// `key` with every `${filename}` replaced by the file's name without any path: the text after
/// the last '/' or '\' ("C:\dir\a.txt" gives "a.txt"), as S3 does for browsers that send paths.
std::string substitute_filename(std::string_view key, std::string_view filename);

/// Checks `form` against `doc` at `now`, in S3's order, failing with its AccessDenied message:
///   1. now after the expiration               errc::policy_expired
///      "Invalid according to Policy: Policy expired."
///   2. each condition in document order       errc::condition_failed
///      "Invalid according to Policy: Policy Condition failed: ["eq", "$key", "a.txt"]"
///      {"f": "v"} and eq: the value equals; starts-with: the value starts with the prefix (""
///      accepts any value; for Content-Type each comma-separated type must); a field that was
///      not sent has the value "".
///   3. each non-exempt field named by some condition     errc::extra_input_fields
///      "Invalid according to Policy: Extra input fields: <name in lower case>"
/// Returns the size range of the content-length-range conditions (errc::condition_failed
/// when they cannot all hold: no size would do).
result<length_range> check_post_form(const policy_document& doc, const form_subject& form,
                                     core::time_point now);

}  // namespace presign::policy
