#pragma once
// POST policy documents
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html):
//
//   {"expiration": "YYYY-MM-DDTHH:MM:SSZ",
//    "conditions": [{"field": "value"}, ["eq" | "starts-with", "$field", "value"],
//                   ["content-length-range", min, max], ...]}
//
// Written exactly as botocore writes them (json.dumps: ", " and ": " separators, ASCII only).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "policy/errors.hpp"

namespace presign::policy {

/// One policy condition.
struct condition {
    enum class kind {
        exact,                 ///< {"field": "value"}
        eq,                    ///< ["eq", "$field", "value"]
        starts_with,           ///< ["starts-with", "$field", "prefix"]
        content_length_range,  ///< ["content-length-range", min, max] (bytes, 64-bit)
    };
    kind op = kind::exact;
    std::string field;  ///< without the '$'
    std::string value;
    std::int64_t min = 0;
    std::int64_t max = 0;

    static condition exact(std::string field, std::string value);
    static condition eq(std::string field, std::string value);
    static condition starts_with(std::string field, std::string prefix);
    static condition length_range(std::int64_t min, std::int64_t max);
};

/// Parses one condition from its JSON form (as `presign post --condition` takes it).
/// Strict: an object with exactly one string member, or an array of exactly three elements
/// whose operator is "eq", "starts-with" or "content-length-range" (non-negative integers,
/// min <= max). Duplicate object keys are refused. Reads conditions exactly as
/// parse_policy_document does (policy_document.hpp), except that size bounds must be integers.
result<condition> parse_condition(std::string_view json);

/// Writes a policy document into a string condition by condition, without building condition
/// objects first (the presigned POST path writes straight from its inputs).
class policy_writer {
  public:
    /// Starts `{"expiration": "...", "conditions": [` at the end of `out`.
    policy_writer(std::string& out, core::time_point expiration);

    void add(const condition& c);
    void add_exact(std::string_view field, std::string_view value);
    void add_starts_with(std::string_view field, std::string_view prefix);

    /// Closes the document. Fails with invalid_text if any text was not valid UTF-8.
    result<void> finish();

  private:
    void add_operator(std::string_view op, std::string_view field, std::string_view value);
    void next();
    std::string& out_;
    bool first_ = true;
    bool ok_ = true;
};

/// Appends the policy document for `expiration` and `conditions`.
/// Fails with invalid_text when a field or value is not valid UTF-8.
result<void> append_policy_document(std::string& out, core::time_point expiration,
                                    std::span<const condition> conditions);

}  // namespace presign::policy
