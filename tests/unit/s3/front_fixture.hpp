#pragma once
// Shared by the front's CORS and ACL tests: a real store with "examplebucket", a front whose
// verifier knows the auth fixture's key (its principal's grants chosen per test), and requests
// sent through on_request / on_body / finish as the transport sends them: signed (header or
// presigned URL, by the auth fixture's signer) or anonymous (no auth at all).

#include <unistd.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ascii.hpp"
#include "s3/front.hpp"
#include "unit/auth/auth_fixture.hpp"
#include "unit/store/store_fixture.hpp"

namespace presign::s3::test {

using auth::test::signing_time;
using header_list = std::vector<std::pair<std::string, std::string>>;

/// A verifier knowing the fixture's access key as "alice" with `grants`.
inline auth::verifier verifier_with(std::shared_ptr<const auth::access_policy> grants) {
    return auth::verifier({}, [grants](std::string_view id) -> std::optional<auth::principal> {
        if (id != auth::test::k_access_key) return std::nullopt;
        return auth::principal{
            "alice", core::secret_string(std::string(auth::test::k_secret)), {}, grants};
    });
}

class front_fixture : public ::testing::Test {
  protected:
    /// Alice may do everything unless a test narrows `grants_` before calling start().
    void SetUp() override { start(); }

    void start(std::optional<cors_rule> default_cors = std::nullopt) {
        front_.reset();
        objects_.reset();
        auto opened = store::store::open(dir_.path(), clock_);
        objects_.emplace(std::move(*opened));
        if (!objects_->bucket_exists("examplebucket")) {
            ASSERT_TRUE(objects_->create_bucket("examplebucket"));
        }
        verifier_.emplace(verifier_with(grants_));
        front_options options;
        options.routing.domain = "s3.amazonaws.com";  // the signer's virtual-hosted URLs
        options.default_cors = std::move(default_cors);
        front_.emplace(*objects_, *verifier_, clock_, options);
    }

    /// Sends a request and its body; the answer (early or final).
    http::response send(std::string method, std::string target, header_list headers,
                        std::string_view body = {}) {
        http::request_head head;
        head.method = std::move(method);
        head.target = std::move(target);
        for (auto& [n, v] : headers) head.headers.push_back({n, v});
        if (!body.empty() || head.method == "PUT" || head.method == "POST")
            head.content_length = body.size();
        auto decision = front_->on_request(head);
        if (auto* res = std::get_if<http::response>(&decision)) return std::move(*res);
        auto& ex = std::get<std::unique_ptr<http::exchange>>(decision);
        for (std::size_t at = 0; at < body.size(); at += 64 * 1024) {
            const std::string_view piece = body.substr(at, 64 * 1024);
            if (auto early = ex->on_body({piece.data(), piece.size()})) return std::move(*early);
        }
        return ex->finish();
    }

    /// An unauthenticated request for `key` in examplebucket (virtual-hosted), plus `extra`.
    http::response anonymous(std::string method, std::string target, header_list extra = {},
                             std::string_view body = {}) {
        extra.emplace_back("Host", "examplebucket.s3.amazonaws.com");
        return send(std::move(method), std::move(target), std::move(extra), body);
    }

    /// `req` signed with an Authorization header over `body`, plus unsigned `extra` headers.
    http::response signed_request(const sigv4::request& req, std::string_view body = {},
                                  header_list extra = {}) {
        const auto raw = auth::test::header_signed(req, core::to_hex(core::sha256_of(body)));
        header_list headers = raw.headers;
        headers.insert(headers.end(), extra.begin(), extra.end());
        return send(raw.method, raw.target, std::move(headers), body);
    }

    /// A presigned-URL request for `req` (its headers signed), plus unsigned `extra` headers.
    http::response presigned_request(const sigv4::request& req, std::string_view body = {},
                                     header_list extra = {}) {
        const auto raw = auth::test::presigned(req);
        header_list headers = raw.headers;
        headers.insert(headers.end(), extra.begin(), extra.end());
        return send(raw.method, raw.target, std::move(headers), body);
    }

    /// A request of examplebucket (or one of its keys) at signing_time().
    static sigv4::request request(std::string method, std::string key = {},
                                  std::vector<sigv4::query_param> query = {},
                                  std::vector<sigv4::header> headers = {}) {
        sigv4::request r = auth::test::example_request(std::move(method), std::move(key));
        r.query = std::move(query);
        r.headers = std::move(headers);
        return r;
    }

    void put(std::string_view key, std::string_view data, std::string acl = {}) {
        store::put_options o;
        o.headers.acl = std::move(acl);
        ASSERT_TRUE(objects_->put_object("examplebucket", key, store::test::bytes_of(data), o));
    }

    static std::string header(const http::response& res, std::string_view name) {
        for (const auto& h : res.headers)
            if (core::iequals(h.name, name)) return h.value;
        return {};
    }

    /// The body a response sends: its text, or the file range it carries.
    static std::string body_of(const http::response& res) {
        if (!res.file) return std::string(res.body_text());
        std::string out(res.file->length, '\0');
        const auto got =
            ::pread(res.file->fd, out.data(), out.size(), static_cast<off_t>(res.file->offset));
        out.resize(got < 0 ? 0 : static_cast<std::size_t>(got));
        return out;
    }

    static void expect_error(const http::response& res, unsigned status, std::string_view code) {
        EXPECT_EQ(res.status, status) << res.body;
        EXPECT_NE(res.body.find("<Code>" + std::string(code) + "</Code>"), std::string::npos)
            << res.body;
    }

    store::test::temp_dir dir_;
    core::fixed_clock clock_{signing_time() + std::chrono::minutes(1)};
    std::shared_ptr<const auth::access_policy> grants_ =
        std::make_shared<const auth::access_policy>(auth::access_policy::allow_all());
    std::optional<auth::verifier> verifier_;
    std::optional<store::store> objects_;
    std::optional<front> front_;
};

}  // namespace presign::s3::test
