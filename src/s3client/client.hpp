#pragma once
// A small S3 client for the calls the API makes itself (multipart create/list/complete/abort,
// listing, delete, readiness), signed with the signing core's header auth. The same code talks
// to the embedded store over loopback and to AWS S3, Ceph RGW, MinIO or R2: API instances keep
// no state of their own, so several behind a load balancer behave as one.
//
// Blocking calls with a deadline each; keep-alive connections are pooled and reused. Safe to
// call from several threads at once.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "sigv4/credentials.hpp"
#include "sigv4/endpoint.hpp"

namespace presign::s3client {

/// Where the backend is and how to reach it.
struct settings {
    std::string endpoint_url;  ///< "http://127.0.0.1:9000", "https://s3.eu-west-1.amazonaws.com"
    std::string region = "us-east-1";
    sigv4::credentials credentials;
    sigv4::addressing style = sigv4::addressing::path;
    std::chrono::milliseconds timeout{10000};  ///< per call: connect + send + whole reply
    std::size_t max_idle_connections = 8;      ///< kept open for reuse
    std::size_t max_reply_bytes = 8 * 1024 * 1024;  ///< a larger reply body is an error
};

/// What went wrong. `status` 0 means no HTTP reply (connect, TLS, timeout, malformed reply);
/// otherwise the reply's status and the S3 error code and message from its XML body.
struct error {
    unsigned status = 0;
    std::string code;     ///< "NoSuchUpload", "AccessDenied", ...; "" when there was no reply
    std::string message;  ///< readable, never containing credentials or signatures
};
template <class T>
using result = core::result<T, error>;

/// One uploaded part (ListParts).
struct part_info {
    int part_number = 0;
    std::string etag;  ///< quoted, as S3 returns it
    std::uint64_t size = 0;
    std::string last_modified;  ///< ISO 8601 as returned
};

/// A part to complete an upload with.
struct completed_part {
    int part_number = 0;
    std::string etag;  ///< quoted or not; sent as given
};

/// One object of a listing.
struct object_info {
    std::string key;
    std::uint64_t size = 0;
    std::string etag;           ///< quoted
    std::string last_modified;  ///< ISO 8601 as returned
};

/// One page of ListObjectsV2.
struct object_page {
    std::vector<object_info> objects;
    std::vector<std::string> common_prefixes;
    bool truncated = false;
    std::string next_continuation_token;
};

/// HeadObject's answer.
struct object_head {
    std::uint64_t size = 0;
    std::string etag;
    std::string content_type;
    std::string last_modified;  ///< as the Last-Modified header gives it
};

/// CompleteMultipartUpload's answer.
struct completed_upload {
    std::string location;
    std::string etag;
};

class client {
  public:
    /// Throws std::invalid_argument for an unusable endpoint, region or credentials (a
    /// start-up failure). `clock` must outlive the client.
    client(settings s, const core::clock& clock);
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    /// HeadBucket: succeeds when the bucket exists and the credentials may use it.
    result<void> head_bucket(std::string_view bucket) const;
    /// CreateMultipartUpload; returns the upload id. `content_type` empty: none sent.
    result<std::string> create_multipart_upload(std::string_view bucket, std::string_view key,
                                                std::string_view content_type) const;
    /// ListParts, every page; parts in part-number order.
    result<std::vector<part_info>> list_parts(std::string_view bucket, std::string_view key,
                                              std::string_view upload_id) const;
    /// CompleteMultipartUpload. A 200 reply carrying an <Error> body is an error, as in S3.
    result<completed_upload> complete_multipart_upload(
        std::string_view bucket, std::string_view key, std::string_view upload_id,
        const std::vector<completed_part>& parts) const;
    /// AbortMultipartUpload.
    result<void> abort_multipart_upload(std::string_view bucket, std::string_view key,
                                        std::string_view upload_id) const;
    /// One page of ListObjectsV2 under `prefix` (max_keys 1..1000).
    result<object_page> list_objects(std::string_view bucket, std::string_view prefix,
                                     std::string_view continuation_token,
                                     int max_keys = 1000) const;
    /// HeadObject.
    result<object_head> head_object(std::string_view bucket, std::string_view key) const;
    /// DeleteObject (S3 answers 204 for a missing key too).
    result<void> delete_object(std::string_view bucket, std::string_view key) const;

    struct impl;

  private:
    std::unique_ptr<impl> impl_;
};

}  // namespace presign::s3client
