#pragma once
// Issues the presigned URLs and POST forms the API hands out, for one bucket of one backend
// (the embedded store or any S3 endpoint), with the signing core. Pure: the time comes from
// the injected clock, nothing is sent anywhere; each URL or form issued is counted in the
// metrics (ops::count_url).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/errors.hpp"
#include "core/clock.hpp"
#include "policy/presigned_post.hpp"
#include "sigv4/signer.hpp"

namespace presign::api {

/// Where URLs point and how they are signed.
struct backend_settings {
    sigv4::credentials credentials;
    std::string endpoint_url;  ///< as clients reach it, e.g. "http://127.0.0.1:9000"
    std::string region = "us-east-1";
    std::string bucket = "uploads";
    sigv4::addressing style = sigv4::addressing::path;  ///< virtual-hosted for AWS if wanted
};

/// What a POST form binds besides the key (each becomes a policy condition).
struct form_rules {
    std::uint64_t min_size = 0;             ///< content-length-range lower bound, bytes
    std::optional<std::uint64_t> max_size;  ///< content-length-range upper bound, bytes
    std::string content_type;               ///< a Content-Type field, when not empty
    /// More fields, each covered by an exact condition (success_action_status, x-amz-meta-*).
    std::vector<std::pair<std::string, std::string>> fields;
};

/// A presigned PUT: send exactly these headers (they are signed) with the body.
struct put_request {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// How a download is presented (response-content-disposition).
struct download_options {
    std::string filename;      ///< the name the browser saves as; empty: none
    bool inline_view = false;  ///< "inline" instead of "attachment"
};

class url_issuer {
  public:
    /// Throws std::invalid_argument for an unusable endpoint URL, region or credentials (a
    /// start-up failure).
    url_issuer(backend_settings settings, const core::clock& clock);

    /// A presigned POST for `key` (boto3's generate_presigned_post shape), valid `expires`.
    result<policy::presigned_post> upload_form(std::string_view key,
                                               std::chrono::seconds expires) const;

    /// A presigned POST for `key` binding `rules` as policy conditions.
    result<policy::presigned_post> upload_form(std::string_view key, std::chrono::seconds expires,
                                               const form_rules& rules) const;

    /// A presigned PUT URL for `key`; a non-empty `content_type` and a known `content_length`
    /// are signed headers the upload must send unchanged.
    result<put_request> upload_put(std::string_view key, std::chrono::seconds expires,
                                   std::string_view content_type,
                                   std::optional<std::uint64_t> content_length) const;

    /// A presigned UploadPart URL (PUT ?partNumber=N&uploadId=ID), N in 1..10000.
    result<std::string> part_url(std::string_view key, std::string_view upload_id, int part_number,
                                 std::chrono::seconds expires) const;

    /// A presigned GET URL for `key`, valid `expires`.
    result<std::string> download_url(std::string_view key, std::chrono::seconds expires) const;
    /// The same with a response-content-disposition built from `options` (RFC 6266: an ASCII
    /// `filename` fallback and the UTF-8 name as `filename*`).
    result<std::string> download_url(std::string_view key, std::chrono::seconds expires,
                                     const download_options& options) const;

    /// The origin (scheme://host[:port]) the issued URLs of the bucket point at, virtual-hosted
    /// bucket included; empty when it cannot be resolved. Signs nothing.
    std::string bucket_origin() const;

    /// Where the issued URLs point, as clients reach the backend.
    const std::string& endpoint_url() const noexcept { return settings_.endpoint_url; }
    /// The issuer's clock reading (the time URLs are signed at).
    core::time_point now() const { return clock_.now(); }

    const std::string& bucket() const noexcept { return settings_.bucket; }

  private:
    backend_settings settings_;
    const core::clock& clock_;
    sigv4::signer signer_;
};

}  // namespace presign::api
