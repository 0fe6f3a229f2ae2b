// PutObject through the S3 front with a real store, driven through on_request / on_body /
// finish as the HTTP transport drives it (256 KiB chunks): which digests are computed and
// checked (signed x-amz-content-sha256, UNSIGNED-PAYLOAD, x-amz-checksum-sha256), and that a
// refused upload leaves nothing behind.

#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/digest.hpp"
#include "core/hex.hpp"
#include "s3/front.hpp"
#include "unit/auth/auth_fixture.hpp"
#include "unit/store/store_fixture.hpp"

namespace presign::s3 {
namespace {

using auth::test::signing_time;

class front_put : public ::testing::Test {
  protected:
    front_put() {
        auto opened = store::store::open(dir_.path(), clock_);
        objects_.emplace(std::move(*opened));
        EXPECT_TRUE(objects_->create_bucket("examplebucket"));
        front_options options;
        options.routing.domain = "s3.amazonaws.com";  // the signer's virtual-hosted URLs
        front_.emplace(*objects_, verifier_, clock_, options);
    }

    http::response send(const auth::test::raw_request& raw, std::string_view body) {
        http::request_head head;
        head.method = raw.method;
        head.target = raw.target;
        for (const auto& [n, v] : raw.headers) head.headers.push_back({n, v});
        head.content_length = body.size();
        auto decision = front_->on_request(head);
        if (auto* res = std::get_if<http::response>(&decision)) return std::move(*res);
        auto& ex = std::get<std::unique_ptr<http::exchange>>(decision);
        for (std::size_t at = 0; at < body.size(); at += 256 * 1024) {
            const std::string_view piece = body.substr(at, 256 * 1024);
            if (auto early = ex->on_body({piece.data(), piece.size()})) return std::move(*early);
        }
        return ex->finish();
    }

    // A PUT of `key` signed with an Authorization header over `payload_hash`.
    http::response put_signed(std::string key, std::string_view body, std::string_view payload_hash,
                              std::vector<sigv4::header> extra = {}) {
        sigv4::request req = auth::test::example_request("PUT", std::move(key));
        req.headers = std::move(extra);
        return send(auth::test::header_signed(req, payload_hash), body);
    }

    // A PUT through a presigned URL (UNSIGNED-PAYLOAD).
    http::response put_presigned(std::string key, std::string_view body) {
        return send(auth::test::presigned(auth::test::example_request("PUT", std::move(key))),
                    body);
    }

    std::optional<std::string> get(std::string_view key) {
        auto reader = objects_->open_object("examplebucket", key);
        if (!reader) return std::nullopt;
        return store::test::read_all(*reader);
    }

    bool no_temp_files() const { return store::test::files_in(dir_.path() / "tmp").empty(); }

    static std::string header(const http::response& res, std::string_view name) {
        for (const auto& h : res.headers)
            if (core::iequals(h.name, name)) return h.value;
        return {};
    }

    static void expect_error(const http::response& res, unsigned status, std::string_view code) {
        EXPECT_EQ(res.status, status) << res.body;
        EXPECT_NE(res.body.find("<Code>" + std::string(code) + "</Code>"), std::string::npos)
            << res.body;
    }

    static std::string base64_sha256(std::string_view data) {
        const auto d = core::sha256_of(data);
        return core::to_base64(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
    }

    store::test::temp_dir dir_;
    core::fixed_clock clock_{signing_time() + std::chrono::minutes(1)};
    auth::verifier verifier_ = auth::test::make_verifier();
    std::optional<store::store> objects_;
    std::optional<front> front_;
};

TEST_F(front_put, refuses_a_multi_mib_put_whose_signed_sha256_differs_and_stores_nothing) {
    const std::string data = store::test::random_bytes(5 * 1024 * 1024 + 3, 11);
    const std::string claimed = core::to_hex(core::sha256_of(data.substr(0, data.size() - 1)));
    expect_error(put_signed("big.bin", data, claimed), 400, "XAmzContentSHA256Mismatch");
    EXPECT_FALSE(get("big.bin"));
    EXPECT_TRUE(no_temp_files());
}

TEST_F(front_put, stores_a_signed_put_with_its_sha256) {
    const std::string data = store::test::random_bytes(1024 * 1024, 12);
    const http::response res = put_signed("s.bin", data, core::to_hex(core::sha256_of(data)));
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_EQ(header(res, "ETag"), "\"" + core::to_hex(core::md5_of(data)) + "\"");
    EXPECT_EQ(objects_->head_object("examplebucket", "s.bin")->sha256, core::sha256_of(data));
}

TEST_F(front_put, stores_an_unsigned_payload_put_with_the_md5_etag_and_no_sha256) {
    const std::string data = store::test::random_bytes(3 * 1024 * 1024 + 5, 13);
    const http::response res = put_presigned("u.bin", data);
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_EQ(header(res, "ETag"), "\"" + core::to_hex(core::md5_of(data)) + "\"");
    EXPECT_EQ(get("u.bin"), data);
    // Nothing asked for the SHA-256, so it was not computed (the field reads all zero).
    EXPECT_EQ(objects_->head_object("examplebucket", "u.bin")->sha256, core::sha256_digest{});
}

TEST_F(front_put, checks_x_amz_checksum_sha256_on_an_unsigned_payload) {
    const std::string data = store::test::random_bytes(2 * 1024 * 1024, 14);
    const auto unsigned_hash = std::string(sigv4::k_unsigned_payload);
    expect_error(put_signed("c.bin", data, unsigned_hash,
                            {{"x-amz-checksum-sha256", base64_sha256("other")}}),
                 400, "BadDigest");
    EXPECT_FALSE(get("c.bin"));
    EXPECT_TRUE(no_temp_files());
    expect_error(
        put_signed("c.bin", data, unsigned_hash, {{"x-amz-checksum-sha256", "bm90IDMyIGJ5dGVz"}}),
        400, "InvalidRequest");
    const http::response res =
        put_signed("c.bin", data, unsigned_hash, {{"x-amz-checksum-sha256", base64_sha256(data)}});
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_EQ(get("c.bin"), data);
    EXPECT_EQ(objects_->head_object("examplebucket", "c.bin")->sha256, core::sha256_of(data));
}

}  // namespace
}  // namespace presign::s3
