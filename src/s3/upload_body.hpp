#pragma once
// The body of a PutObject or UploadPart on its way into a store writer: as sent
// (Content-Length bytes) or aws-chunked (decoded; each signed chunk verified before it is
// written; the trailer checksum compared before commit), then checked against
// x-amz-content-sha256, x-amz-checksum-sha256 and Content-MD5, and committed. Private to
// src/s3.

#include <optional>

#include "s3/aws_chunked.hpp"
#include "s3/call.hpp"
#include "store/part_writer.hpp"

namespace presign::s3::detail {

/// What a request's body must be and prove.
struct body_plan {
    store::commit_options checks;
    /// The bytes the object (or part) will hold: Content-Length, or for aws-chunked bodies
    /// x-amz-decoded-content-length.
    std::uint64_t object_bytes = 0;
    /// Set for aws-chunked bodies.
    std::optional<chunked_options> chunked;
    /// SHA-256 needed by a check (a signed payload hash, x-amz-checksum-sha256); writers skip
    /// it otherwise (a third of an upload's CPU).
    bool needs_sha256 = false;
    /// An x-amz-checksum-* header other than SHA-256 (which the store checks): computed over
    /// the body and compared before commit.
    std::optional<std::pair<checksum_algorithm, std::string>> header_checksum;
};

/// The placeholder stored for a checksum that arrives in a trailer ({"crc32", "AAAAAAAA"}),
/// replaced by the real value at commit (commit_options::late_checksum): the object's header
/// is written before the data, so it must keep its size.
store::header_pair trailer_placeholder(checksum_algorithm a);

/// Reads the plan from the request. Fails with MissingContentLength (no Content-Length, or an
/// aws-chunked body without x-amz-decoded-content-length), NotImplemented (Transfer-Encoding:
/// chunked), InvalidDigest (Content-MD5 not base64 of 16 bytes), InvalidRequest (a malformed
/// x-amz-checksum-*, two of them, an unknown x-amz-trailer).
core::result<body_plan, error> plan_body(const call& c);

/// The exchange streaming the body into `writer`; answers 200 with the ETag (and the trailer's
/// x-amz-checksum-* when there was one) once committed.
outcome start_upload(const call& c, store::object_writer writer, body_plan plan);
outcome start_upload(const call& c, store::part_writer writer, body_plan plan);

}  // namespace presign::s3::detail
