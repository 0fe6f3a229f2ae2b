#pragma once
// The XML the client reads from S3 replies (error documents, InitiateMultipartUploadResult,
// ListPartsResult, ListBucketResult of ListObjectsV2, CompleteMultipartUploadResult) and the
// one body it writes (CompleteMultipartUpload). Private to src/s3client; pugixml stays in the
// .cpp.
//
// Replies are parsed without DTD processing, element names compared without a namespace
// prefix, and text kept exactly as decoded: white space and carriage returns are part of
// object keys, so neither is trimmed nor normalised.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s3client/client.hpp"

namespace presign::s3client::xml {

/// The Code and Message of an S3 <Error> document.
struct error_body {
    std::string code;
    std::string message;
};

/// The error a body carries: nullopt unless it is well-formed XML whose root is <Error> with a
/// non-empty <Code> (<Message> may be missing).
std::optional<error_body> parse_error(std::string_view body);

/// InitiateMultipartUploadResult's UploadId; nullopt when the body is not that document or the
/// id is empty.
std::optional<std::string> parse_upload_id(std::string_view body);

/// One page of ListPartsResult.
struct parts_page {
    std::vector<part_info> parts;
    bool truncated = false;
    int next_part_number_marker = 0;  ///< 0 when absent
};

/// A ListPartsResult page; nullopt when the body is not that document or a part lacks its
/// number, a valid size or its ETag.
std::optional<parts_page> parse_parts_page(std::string_view body);

/// A ListBucketResult page (ListObjectsV2, keys not URL-encoded); nullopt when the body is not
/// that document or an object lacks its key or has an invalid size.
std::optional<object_page> parse_object_page(std::string_view body);

/// CompleteMultipartUploadResult; nullopt when the body is not that document (an <Error>
/// document included: check parse_error first). The ETag may be empty: Ceph RGW 16 answers
/// `<ETag></ETag>`.
std::optional<completed_upload> parse_complete_result(std::string_view body);

/// The CompleteMultipartUpload request body: one <Part> per entry, in the order given, with
/// PartNumber and ETag (text escaped).
std::string build_complete_body(const std::vector<completed_part>& parts);

}  // namespace presign::s3client::xml
