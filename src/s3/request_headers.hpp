#pragma once
// The object headers a request sets (PutObject, CreateMultipartUpload, CopyObject with
// REPLACE): Content-Type and friends and x-amz-meta-*, as the store keeps them. Private to
// src/s3.

#include "http/message.hpp"
#include "store/metadata.hpp"

namespace presign::s3::detail {

/// The headers to store from `head`, x-amz-checksum-* included (as {"crc32", value}).
/// `aws-chunked` is dropped from Content-Encoding: it describes the upload's framing, not the
/// object (S3 stores the rest, e.g. "gzip").
store::object_headers stored_headers(const http::request_head& head);

}  // namespace presign::s3::detail
