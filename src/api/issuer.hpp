#pragma once
// Issues the presigned URLs and POST forms the API hands out, for one bucket of one backend
// (the embedded store or any S3 endpoint), with the signing core. Pure: the time comes from
// the injected clock, nothing is sent anywhere; each URL or form issued is counted in the
// metrics (ops::count_url).

#include <chrono>
#include <string>
#include <string_view>

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
};

class url_issuer {
  public:
    /// Throws std::invalid_argument for an unusable endpoint URL, region or credentials (a
    /// start-up failure).
    url_issuer(backend_settings settings, const core::clock& clock);

    /// A presigned POST for `key` (boto3's generate_presigned_post shape), valid `expires`.
    result<policy::presigned_post> upload_form(std::string_view key,
                                               std::chrono::seconds expires) const;

    /// A presigned GET URL for `key`, valid `expires`.
    result<std::string> download_url(std::string_view key, std::chrono::seconds expires) const;

    const std::string& bucket() const noexcept { return settings_.bucket; }

  private:
    backend_settings settings_;
    const core::clock& clock_;
    sigv4::signer signer_;
};

}  // namespace presign::api
