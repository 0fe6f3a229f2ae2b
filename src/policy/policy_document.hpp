#pragma once
// Reading a POST policy document the way S3 does when a form arrives
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html):
//
//   {"expiration": "2007-12-01T12:00:00.000Z",
//    "conditions": [{"field": "value"}, ["eq" | "starts-with", "$field", "value"],
//                   ["content-length-range", min, max], ...]}
//
// Strict: duplicate keys anywhere are refused (two readers keeping different duplicates would
// check different policies), so are unknown top-level members and malformed conditions.

#include <optional>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "policy/errors.hpp"
#include "policy/post_policy.hpp"

namespace presign::policy {

/// A parsed POST policy.
struct policy_document {
    /// The last valid second (fractions of a second are dropped: the policy ends no later than
    /// it says).
    core::time_point expiration{};
    std::vector<condition> conditions;  ///< in document order
};

/// Parses an ISO 8601 UTC time as S3 takes it in `expiration`: `YYYY-MM-DDTHH:MM:SSZ`, or with
/// a fraction of 1 to 9 digits before the `Z` (`...:SS.000Z`, as JavaScript writes it).
/// Nullopt for anything else (offsets other than Z, invalid calendar dates or times).
std::optional<core::time_point> parse_expiration(std::string_view text);

/// Parses the policy JSON (the `policy` form field after base64 decoding). Fails with
/// errc::invalid_policy and S3's "Invalid Policy: ..." message for text that is not JSON, a
/// repeated key, a document that is not an object of exactly `expiration` (a string for
/// parse_expiration) and `conditions` (an array), or a malformed condition. Conditions are
/// {"field": "string"} with exactly one member, ["eq" | "starts-with", "$field", "string"], or
/// ["content-length-range", min, max] with 0 <= min <= max < 2^63 written as integers or
/// decimal-digit strings.
result<policy_document> parse_policy_document(std::string_view json);

}  // namespace presign::policy
