#pragma once
// Shared by the s3client tests: the real store served over HTTP on 127.0.0.1:0 in this process
// (a fresh data root, the S3 front, a verifier knowing one key pair allowed everything), and
// clients pointed at it. Store and client read the same fixed clock.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "auth/verifier.hpp"
#include "http/server.hpp"
#include "s3/front.hpp"
#include "s3client/client.hpp"
#include "s3client/transport.hpp"
#include "sigv4/signer.hpp"
#include "unit/store/store_fixture.hpp"

namespace presign::s3client::test {

inline constexpr std::string_view k_access_key = "AKIDS3CLIENTTEST";
inline constexpr std::string_view k_secret = "s3client-test-secret/0123456789abcdefghij";
inline constexpr std::string_view k_bucket = "uploads";

/// The time store and clients agree on.
inline core::time_point test_time() {
    return core::time_point(std::chrono::sys_days(std::chrono::year(2026) / 3 / 14)) +
           std::chrono::hours(9);
}

/// The test key pair, or one with another secret.
inline sigv4::credentials test_credentials(std::string_view secret = k_secret) {
    return {std::string(k_access_key), core::secret_string(std::string(secret)), {}};
}

/// The store on 127.0.0.1:0 with the bucket k_bucket.
class store_server {
  public:
    explicit store_server(http::limits limits = {}) {
        auto opened = store::store::open(dir_.path(), clock_);
        if (!opened) throw std::runtime_error("cannot open the test store");
        objects_.emplace(std::move(*opened));
        if (!objects_->create_bucket(std::string(k_bucket)))
            throw std::runtime_error("cannot create the test bucket");
        const std::string secret(k_secret);
        verifier_.emplace(auth::verifier_options{},
                          [secret](std::string_view id) -> std::optional<auth::principal> {
                              if (id != k_access_key) return std::nullopt;
                              return auth::principal{"tester",
                                                     core::secret_string(secret),
                                                     {},
                                                     std::make_shared<const auth::access_policy>(
                                                         auth::access_policy::allow_all())};
                          });
        auto front =
            std::make_shared<s3::front>(*objects_, *verifier_, clock_, s3::front_options{});
        server_.emplace(front, "127.0.0.1", 0, limits, 2);
    }

    std::uint16_t port() const { return server_->port(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
    const core::fixed_clock& clock() const { return clock_; }

    /// Client settings for this store (path-style, the test key pair).
    settings client_settings() const {
        settings s;
        s.endpoint_url = url();
        s.credentials = test_credentials();
        s.timeout = std::chrono::seconds(10);
        return s;
    }

  private:
    store::test::temp_dir dir_;
    core::fixed_clock clock_{test_time()};
    std::optional<store::store> objects_;
    std::optional<auth::verifier> verifier_;
    std::optional<http::server> server_;
};

/// A presigned-URL request sent through `through`: what an uploading browser does with the
/// URLs the API hands out (a part PUT, a whole object PUT).
inline result<http_reply> send_presigned(const transport& through, const store_server& store,
                                         sigv4::request req, std::string body) {
    sigv4::signer_options options;
    options.custom_endpoint = *sigv4::parse_endpoint(store.url());
    options.style = sigv4::addressing::path;
    auto signer = sigv4::signer::create(test_credentials(), options);
    req.now = store.clock().now();
    auto url = signer->presign_url(req, 900);
    if (!url) return fail(0, "", "presign: " + url.error().message);
    return through.send({req.method, std::move(*url), {}, std::move(body)});
}

/// PUTs part `number` of `upload_id`; the part's ETag.
inline std::string put_part(const transport& through, const store_server& store,
                            std::string_view key, std::string_view upload_id, int number,
                            std::string body) {
    sigv4::request req;
    req.method = "PUT";
    req.bucket = std::string(k_bucket);
    req.key = std::string(key);
    req.query = {{"partNumber", std::to_string(number)}, {"uploadId", std::string(upload_id)}};
    auto reply = send_presigned(through, store, std::move(req), std::move(body));
    EXPECT_TRUE(reply) << (reply ? "" : reply.error().message);
    if (!reply) return {};
    EXPECT_EQ(reply->status, 200u) << reply->body;
    return std::string(reply->header("etag"));
}

/// PUTs a whole object.
inline void put_object(const transport& through, const store_server& store, std::string_view key,
                       std::string body) {
    sigv4::request req;
    req.method = "PUT";
    req.bucket = std::string(k_bucket);
    req.key = std::string(key);
    auto reply = send_presigned(through, store, std::move(req), std::move(body));
    ASSERT_TRUE(reply) << reply.error().message;
    ASSERT_EQ(reply->status, 200u) << reply->body;
}

}  // namespace presign::s3client::test
