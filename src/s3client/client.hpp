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
#include "s3client/error.hpp"
#include "sigv4/credentials.hpp"
#include "sigv4/endpoint.hpp"

namespace presign::s3client {

/// Where the backend is and how to reach it.
struct settings {
    std::string endpoint_url;  ///< "http://127.0.0.1:9000", "https://s3.eu-west-1.amazonaws.com"
    std::string region = "us-east-1";
    sigv4::credentials credentials;
    sigv4::addressing style = sigv4::addressing::path;
    /// Per request: connect, TLS handshake, send and the whole reply (a call made of several
    /// requests, ListParts pages or HeadBucket's follow-up, gives each its own). Looking up a
    /// host name is bounded only by the system resolver's timeouts.
    std::chrono::milliseconds timeout{10000};
    std::size_t max_idle_connections = 8;           ///< kept open for reuse; 0: none
    std::size_t max_reply_bytes = 8 * 1024 * 1024;  ///< a larger reply body is an error
    /// PEM file of the certificate authorities trusted for https; empty: the system's default
    /// paths. Peers are always verified, and their name (or IP address) checked.
    std::string ca_file;
};

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

/// The S3 calls, each signed with SigV4 header auth (the payload's SHA-256 signed) at the
/// clock's time, sent and answered within settings.timeout. Every failure is an `error` (see
/// error.hpp): S3's own code and message for an error reply, status 0 when no reply came.
class client {
  public:
    /// Throws std::invalid_argument for an unusable endpoint, region or credentials, a
    /// non-positive timeout or an unreadable CA file (start-up failures). `clock` must outlive
    /// the client.
    client(settings s, const core::clock& clock);
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    /// HeadBucket: succeeds when the bucket exists and the credentials may use it. A HEAD
    /// reply has no body to name the error, so on failure the same credentials ask once more
    /// with a GET (ListObjectsV2, max-keys=0) whose XML error gives the code (NoSuchBucket,
    /// SignatureDoesNotMatch, InvalidAccessKeyId, ...).
    result<void> head_bucket(std::string_view bucket) const;
    /// CreateMultipartUpload; returns the upload id. `content_type` empty: none sent.
    result<std::string> create_multipart_upload(std::string_view bucket, std::string_view key,
                                                std::string_view content_type) const;
    /// ListParts, following PartNumberMarker / NextPartNumberMarker over every page; parts in
    /// part-number order. A truncated page that would not advance the marker (or leaves it
    /// at 10000, the last part number) is an error with the reply's status.
    result<std::vector<part_info>> list_parts(std::string_view bucket, std::string_view key,
                                              std::string_view upload_id) const;
    /// CompleteMultipartUpload. A 200 reply carrying an <Error> body is an error, as in S3.
    /// A reply with an empty ETag (Ceph RGW 16) is completed with the ETag of a HeadObject.
    result<completed_upload> complete_multipart_upload(
        std::string_view bucket, std::string_view key, std::string_view upload_id,
        const std::vector<completed_part>& parts) const;
    /// AbortMultipartUpload.
    result<void> abort_multipart_upload(std::string_view bucket, std::string_view key,
                                        std::string_view upload_id) const;
    /// One page of ListObjectsV2 under `prefix` (max_keys 1..1000, otherwise an error with
    /// status 0), continuing after `continuation_token` when it is not empty. Keys come back
    /// as stored (no encoding-type is requested). A truncated page without a continuation
    /// token is an error.
    result<object_page> list_objects(std::string_view bucket, std::string_view prefix,
                                     std::string_view continuation_token,
                                     int max_keys = 1000) const;
    /// HeadObject: the object's size (Content-Length), ETag, Content-Type and Last-Modified.
    /// Errors carry a code named after the status ("NotFound", "Forbidden", ...): a HEAD reply
    /// has no body.
    result<object_head> head_object(std::string_view bucket, std::string_view key) const;
    /// DeleteObject (S3 answers 204 for a missing key too).
    result<void> delete_object(std::string_view bucket, std::string_view key) const;

    struct impl;  ///< the signer and the transport (client.cpp)

  private:
    std::unique_ptr<impl> impl_;
};

}  // namespace presign::s3client
