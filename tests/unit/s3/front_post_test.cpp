// The S3 front with a real store: PostObject forms (presigned by presign_post) and
// DeleteObjects (header-signed), driven through on_request / on_body / finish as the HTTP
// transport drives them, in chunks of any size.

#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/digest.hpp"
#include "core/hex.hpp"
#include "policy/presigned_post.hpp"
#include "s3/front.hpp"
#include "unit/auth/auth_fixture.hpp"
#include "unit/store/store_fixture.hpp"

namespace presign::s3 {
namespace {

using auth::test::signing_time;
using fields = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view k_boundary = "------------------------d74496d66958873e";

std::string multipart(const fields& before, std::string_view file, const fields& after = {},
                      std::string_view filename = "cat.jpg") {
    std::string b;
    auto part = [&](std::string_view name, std::string_view value, bool is_file) {
        b.append("--").append(k_boundary).append("\r\nContent-Disposition: form-data; name=\"");
        b.append(name).append("\"");
        if (is_file)
            b.append("; filename=\"").append(filename).append("\"\r\nContent-Type: image/jpeg");
        b.append("\r\n\r\n").append(value).append("\r\n");
    };
    for (const auto& [n, v] : before) part(n, v, false);
    part("file", file, true);
    for (const auto& [n, v] : after) part(n, v, false);
    return b.append("--").append(k_boundary).append("--\r\n");
}

class front_post : public ::testing::Test {
  protected:
    front_post() {
        auto opened = store::store::open(dir_.path(), clock_);
        objects_.emplace(std::move(*opened));
        EXPECT_TRUE(objects_->create_bucket("examplebucket"));
        front_options options;
        options.routing.domain = "s3.amazonaws.com";  // the signer's virtual-hosted URLs
        front_.emplace(*objects_, verifier_, clock_, options);
    }

    // The fields of a presigned POST for `key`, plus `extra` fields, and `conditions`.
    fields presigned(std::string key, fields extra = {}, std::vector<policy::condition> c = {}) {
        policy::post_request req;
        req.bucket = "examplebucket";
        req.key = std::move(key);
        req.fields = std::move(extra);
        req.conditions = std::move(c);
        req.now = signing_time();
        return policy::presign_post(auth::test::make_signer(), req).value().fields;
    }

    // Sends a request and its body in `chunk`-byte pieces; the answer (early or final).
    http::response send(std::string method, std::string target,
                        std::vector<http::header_field> headers, std::string_view body,
                        std::size_t chunk = 64 * 1024, std::size_t* chunks_read = nullptr) {
        http::request_head head;
        head.method = std::move(method);
        head.target = std::move(target);
        head.headers = std::move(headers);
        head.content_length = body.size();
        auto decision = front_->on_request(head);
        if (auto* res = std::get_if<http::response>(&decision)) return std::move(*res);
        auto& ex = std::get<std::unique_ptr<http::exchange>>(decision);
        std::size_t n = 0;
        for (std::size_t at = 0; at < body.size(); at += chunk, ++n) {
            const std::string_view piece = body.substr(at, chunk);
            if (auto early = ex->on_body({piece.data(), piece.size()})) {
                if (chunks_read) *chunks_read = n + 1;
                return std::move(*early);
            }
        }
        if (chunks_read) *chunks_read = n;
        return ex->finish();
    }

    http::response post(std::string_view body, std::size_t chunk = 64 * 1024,
                        std::size_t* chunks_read = nullptr) {
        return send("POST", "/",
                    {{"Host", "examplebucket.s3.amazonaws.com"},
                     {"Content-Type", "multipart/form-data; boundary=" + std::string(k_boundary)}},
                    body, chunk, chunks_read);
    }

    std::optional<std::string> get(std::string_view key) {
        auto reader = objects_->open_object("examplebucket", key);
        if (!reader) return std::nullopt;
        return store::test::read_all(*reader);
    }

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

    store::test::temp_dir dir_;
    core::fixed_clock clock_{signing_time() + std::chrono::minutes(1)};
    auth::verifier verifier_ = auth::test::make_verifier();
    std::optional<store::store> objects_;
    std::optional<front> front_;
};

TEST_F(front_post, stores_a_presigned_post_in_any_chunking_and_answers_204) {
    const std::string data = store::test::random_bytes(100'000, 7);
    const auto form = presigned("uploads/${filename}",
                                {{"Content-Type", "image/jpeg"}, {"x-amz-meta-owner", "ann"}});
    const std::string body = multipart(form, data);
    for (std::size_t chunk : {std::size_t{1} << 20, std::size_t{4096}, std::size_t{997}}) {
        ASSERT_TRUE(objects_->delete_object("examplebucket", "uploads/cat.jpg"));
        const http::response res = post(body, chunk);
        ASSERT_EQ(res.status, 204u) << res.body;
        EXPECT_EQ(header(res, "ETag"), "\"" + core::to_hex(core::md5_of(data)) + "\"");
        EXPECT_EQ(header(res, "Location"), "http://examplebucket.s3.amazonaws.com/uploads/cat.jpg");
        EXPECT_EQ(get("uploads/cat.jpg"), data);
    }
    const auto meta = objects_->head_object("examplebucket", "uploads/cat.jpg").value();
    EXPECT_EQ(meta.headers.content_type, "image/jpeg");
    ASSERT_EQ(meta.headers.user_metadata.size(), 1u);
    EXPECT_EQ(meta.headers.user_metadata[0], (store::header_pair{"owner", "ann"}));
}

TEST_F(front_post, stops_reading_as_soon_as_the_file_passes_the_maximum) {
    const auto form = presigned("big.bin", {}, {policy::condition::length_range(0, 1000)});
    std::size_t chunks_read = 0;
    const http::response res = post(multipart(form, std::string(100'000, 'x')), 1024, &chunks_read);
    expect_error(res, 400, "EntityTooLarge");
    EXPECT_NE(res.body.find("<MaxSizeAllowed>1000</MaxSizeAllowed>"), std::string::npos);
    EXPECT_LT(chunks_read, 5u);
    EXPECT_FALSE(get("big.bin"));
    EXPECT_TRUE(store::test::files_in(dir_.path() / "tmp").empty());
}

TEST_F(front_post, refuses_a_file_below_the_minimum_and_stores_nothing) {
    const auto form = presigned("small.bin", {}, {policy::condition::length_range(10, 1000)});
    const http::response res = post(multipart(form, "tiny"));
    expect_error(res, 400, "EntityTooSmall");
    EXPECT_NE(res.body.find("<ProposedSize>4</ProposedSize>"), std::string::npos);
    EXPECT_FALSE(get("small.bin"));
    // The exact bounds are allowed.
    EXPECT_EQ(post(multipart(form, std::string(10, 'x'))).status, 204u);
    EXPECT_EQ(post(multipart(form, std::string(1000, 'x'))).status, 204u);
}

TEST_F(front_post, bounds_the_bytes_before_the_file) {
    auto form = presigned("a.txt");
    form.emplace_back("x-ignore-padding", std::string(20 * 1024, 'p'));
    const http::response res = post(multipart(form, "data"));
    expect_error(res, 400, "MaxPostPreDataLengthExceeded");
    EXPECT_NE(res.body.find("<MaxPostPreDataLengthBytes>20480</MaxPostPreDataLengthBytes>"),
              std::string::npos);
    auto fits = presigned("a.txt");
    fits.emplace_back("x-ignore-padding", std::string(15 * 1024, 'p'));
    EXPECT_EQ(post(multipart(fits, "data")).status, 204u);
}

TEST_F(front_post, ignores_fields_after_the_file) {
    const auto form = presigned("late.txt");
    const http::response res =
        post(multipart(form, "data", {{"x-amz-meta-late", "1"}, {"file", "second"}}));
    ASSERT_EQ(res.status, 204u) << res.body;
    EXPECT_EQ(get("late.txt"), "data");
    EXPECT_TRUE(objects_->head_object("examplebucket", "late.txt")->headers.user_metadata.empty());
}

TEST_F(front_post, needs_a_file_and_a_multipart_body) {
    const auto form = presigned("a.txt");
    std::string no_file;
    for (const auto& [n, v] : form)
        no_file += "--" + std::string(k_boundary) + "\r\nContent-Disposition: form-data; name=\"" +
                   n + "\"\r\n\r\n" + v + "\r\n";
    no_file += "--" + std::string(k_boundary) + "--\r\n";
    const http::response res = post(no_file);
    expect_error(res, 400, "InvalidArgument");
    EXPECT_NE(res.body.find("POST requires exactly one file upload per request."),
              std::string::npos);
    expect_error(post(no_file.substr(0, no_file.size() - 4)), 400, "MalformedPOSTRequest");
    const http::response urlencoded = send("POST", "/",
                                           {{"Host", "examplebucket.s3.amazonaws.com"},
                                            {"Content-Type", "application/x-www-form-urlencoded"}},
                                           "key=a.txt");
    expect_error(urlencoded, 412, "PreconditionFailed");
    EXPECT_NE(urlencoded.body.find("<Condition>Bucket POST must be of the enclosure-type "
                                   "multipart/form-data</Condition>"),
              std::string::npos);
}

TEST_F(front_post, answers_auth_and_policy_failures_before_storing) {
    auto form = presigned("a.txt");
    for (auto& [n, v] : form)
        if (n == "x-amz-signature") v[0] = v[0] == 'a' ? 'b' : 'a';
    expect_error(post(multipart(form, "data")), 403, "SignatureDoesNotMatch");
    auto extra = presigned("a.txt");
    extra.emplace_back("acl", "public-read");
    const http::response res = post(multipart(extra, "data"));
    expect_error(res, 403, "AccessDenied");
    EXPECT_NE(res.body.find("Invalid according to Policy: Extra input fields: acl"),
              std::string::npos);
    EXPECT_FALSE(get("a.txt"));
    clock_.set(signing_time() + std::chrono::hours(2));
    const http::response expired = post(multipart(presigned("a.txt"), "data"));
    expect_error(expired, 403, "AccessDenied");
    EXPECT_NE(expired.body.find("Policy expired."), std::string::npos);
}

TEST_F(front_post, answers_201_with_xml_or_redirects_with_303) {
    const auto created = presigned("dir/a b.txt", {{"success_action_status", "201"}});
    const http::response res = post(multipart(created, "data"));
    ASSERT_EQ(res.status, 201u) << res.body;
    const std::string etag = "&quot;" + core::to_hex(core::md5_of("data")) + "&quot;";
    EXPECT_EQ(res.body,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>"
              "http://examplebucket.s3.amazonaws.com/dir/a%20b.txt</Location>"
              "<Bucket>examplebucket</Bucket><Key>dir/a b.txt</Key><ETag>" +
                  etag + "</ETag></PostResponse>");
    EXPECT_EQ(post(multipart(presigned("s.txt", {{"success_action_status", "200"}}), "x")).status,
              200u);
    EXPECT_EQ(post(multipart(presigned("s.txt", {{"success_action_status", "302"}}), "x")).status,
              204u);

    const auto redirect =
        presigned("r.txt", {{"success_action_redirect", "https://app.example/done?x=1"}});
    const http::response moved = post(multipart(redirect, "data"));
    ASSERT_EQ(moved.status, 303u) << moved.body;
    EXPECT_EQ(header(moved, "Location"),
              "https://app.example/done?x=1&bucket=examplebucket&key=r.txt&etag=%22" +
                  core::to_hex(core::md5_of("data")) + "%22");
    // A value S3 cannot use as a URL is ignored.
    const auto bad = presigned("r2.txt", {{"success_action_redirect", "not a url"}});
    EXPECT_EQ(post(multipart(bad, "data")).status, 204u);
}

// DeleteObjects, header-signed with a body hash as boto3 does over HTTP.
class front_delete : public front_post {
  protected:
    http::response remove(const std::string& body, std::vector<sigv4::header> extra) {
        sigv4::request req = auth::test::example_request("POST", "");
        req.bucket = "examplebucket";
        req.query = {{"delete", ""}};
        req.headers = std::move(extra);
        const auto hash = core::to_hex(core::sha256_of(body));
        const auto signed_req = auth::test::make_signer().sign_headers(req, hash).value();
        auto raw = auth::test::from_signed("POST", signed_req);
        std::vector<http::header_field> headers;
        for (auto& [n, v] : raw.headers) headers.push_back({n, v});
        return send("POST", raw.target, headers, body);
    }
    static std::string md5_b64(std::string_view body) {
        const auto d = core::md5_of(body);
        return core::to_base64(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
    }
};

TEST_F(front_delete, deletes_keys_and_reports_each) {
    for (const char* k : {"a", "b"}) ASSERT_TRUE(objects_->put_object("examplebucket", k, {}));
    clock_.set(signing_time());
    const std::string body =
        "<Delete><Object><Key>a</Key></Object><Object><Key>missing</Key></Object>"
        "<Object><Key>b</Key><VersionId>v2</VersionId></Object></Delete>";
    const http::response res = remove(body, {{"Content-MD5", md5_b64(body)}});
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_NE(res.body.find("<Deleted><Key>a</Key></Deleted><Deleted><Key>missing</Key></Deleted>"
                            "<Error><Key>b</Key><VersionId>v2</VersionId><Code>InvalidArgument"),
              std::string::npos)
        << res.body;
    EXPECT_FALSE(get("a"));
    EXPECT_TRUE(get("b"));
}

TEST_F(front_delete, reports_a_key_too_long_for_that_key_only) {
    clock_.set(signing_time());
    const std::string body = "<Delete><Quiet>true</Quiet><Object><Key>" + std::string(1025, 'k') +
                             "</Key></Object><Object><Key>ok</Key></Object></Delete>";
    const http::response res = remove(body, {{"Content-MD5", md5_b64(body)}});
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_NE(res.body.find("<Code>KeyTooLongError</Code>"), std::string::npos) << res.body;
    EXPECT_EQ(res.body.find("<Deleted>"), std::string::npos) << res.body;
}

TEST_F(front_delete, needs_an_integrity_header_and_a_matching_body) {
    clock_.set(signing_time());
    const std::string body = "<Delete><Object><Key>a</Key></Object></Delete>";
    expect_error(remove(body, {}), 400, "InvalidRequest");
    expect_error(remove(body, {{"Content-MD5", md5_b64("other")}}), 400, "BadDigest");
    expect_error(remove("<Delete/>", {{"Content-MD5", md5_b64("<Delete/>")}}), 400, "MalformedXML");
}

}  // namespace
}  // namespace presign::s3
