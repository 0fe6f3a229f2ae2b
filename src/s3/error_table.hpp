#pragma once
// The one table of S3 errors: every error the store answers with maps to its S3 code, HTTP
// status and default message here, and nowhere else. Handlers return s3::error values; the
// front turns them into the XML body (xml.hpp) with this table's status.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace presign::s3 {

/// The S3 error codes presign answers with (names as in the S3 API reference).
enum class code {
    access_denied,
    access_forbidden,
    authorization_header_malformed,
    authorization_query_parameters_error,
    bad_digest,
    bad_request,
    bucket_already_exists,
    bucket_already_owned_by_you,
    bucket_not_empty,
    entity_too_large,
    entity_too_small,
    incomplete_body,
    internal_error,
    invalid_access_key_id,
    invalid_argument,
    invalid_bucket_name,
    invalid_digest,
    invalid_part,
    invalid_part_order,
    invalid_part_number,
    invalid_policy_document,
    invalid_range,
    invalid_request,
    invalid_token,
    invalid_uri,
    key_too_long,
    malformed_post_request,
    malformed_xml,
    max_message_length_exceeded,
    max_post_pre_data_length_exceeded,
    metadata_too_large,
    method_not_allowed,
    missing_content_length,
    missing_security_header,
    no_such_bucket,
    no_such_cors_configuration,
    no_such_key,
    no_such_upload,
    not_implemented,
    precondition_failed,
    request_header_section_too_large,
    request_time_too_skewed,
    request_timeout,
    service_unavailable,
    signature_does_not_match,
    slow_down,
    unexpected_content,
    x_amz_content_sha256_mismatch,
};

/// One row of the table.
struct error_info {
    std::string_view name;     ///< the S3 code, e.g. "NoSuchKey"
    unsigned http_status;      ///< e.g. 404
    std::string_view message;  ///< S3's default message
};

/// The row for `c`.
const error_info& info(code c) noexcept;

/// An S3 error to answer with: the code, a message (the table's default when empty), and the
/// extra elements S3 adds to some error bodies (<Region>, <HeadersNotSigned>, <ServerTime>...).
struct error {
    code which;
    std::string message;
    std::vector<std::pair<std::string, std::string>> details;

    /// The message to send: `message`, or the table's default.
    std::string_view text() const noexcept {
        return message.empty() ? info(which).message : std::string_view(message);
    }
    unsigned http_status() const noexcept { return info(which).http_status; }
    std::string_view name() const noexcept { return info(which).name; }
};

}  // namespace presign::s3
