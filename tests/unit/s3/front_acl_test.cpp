// Canned ACLs through the front: Get/Put*Acl, x-amz-acl on CreateBucket and PutObject, and
// what ACLs let in that the caller's grants do not (anonymous and authenticated callers).

#include "core/base64.hpp"
#include "core/digest.hpp"
#include "core/hex.hpp"
#include "front_fixture.hpp"
#include "s3/acl_front.hpp"

namespace presign::s3::test {
namespace {

using auth::action;

class front_acl : public front_fixture {
  protected:
    void set_bucket_acl(std::string acl) {
        ASSERT_TRUE(objects_->set_bucket_acl("examplebucket", acl));
    }
    std::string object_acl(std::string_view key) {
        return objects_->head_object("examplebucket", key).value().headers.acl;
    }
};

TEST_F(front_acl, put_and_get_bucket_acl_with_a_header_or_a_body) {
    const http::response set =
        signed_request(request("PUT", "", {{"acl", ""}}, {{"x-amz-acl", "public-read"}}));
    ASSERT_EQ(set.status, 200u) << set.body;
    EXPECT_EQ(objects_->bucket_settings_of("examplebucket").value()->settings.acl, "public-read");
    const http::response got = signed_request(request("GET", "", {{"acl", ""}}));
    ASSERT_EQ(got.status, 200u);
    EXPECT_NE(got.body.find("global/AllUsers</URI></Grantee><Permission>READ"), std::string::npos);
    EXPECT_EQ(got.body, build_acl_xml(canned_acl::public_read, "alice", "alice"));
    // The same document back as a body is the same ACL; private clears it.
    const std::string body = build_acl_xml(canned_acl::private_acl, "alice", "alice");
    ASSERT_EQ(signed_request(request("PUT", "", {{"acl", ""}}), body).status, 200u);
    EXPECT_EQ(objects_->bucket_settings_of("examplebucket").value()->settings.acl, "");
}

TEST_F(front_acl, put_acl_refuses_unknown_names_header_and_body_together_and_user_grants) {
    expect_error(signed_request(request("PUT", "", {{"acl", ""}}, {{"x-amz-acl", "everyone"}})),
                 400, "InvalidArgument");
    expect_error(signed_request(request("PUT", "", {{"acl", ""}}, {{"x-amz-acl", "public-read"}}),
                                build_acl_xml(canned_acl::public_read, "a", "a")),
                 400, "UnexpectedContent");
    expect_error(
        signed_request(request("PUT", "", {{"acl", ""}},
                               {{"x-amz-acl", "public-read"}, {"x-amz-grant-read", "uri=\"x\""}})),
        400, "InvalidRequest");
    expect_error(signed_request(request("PUT", "", {{"acl", ""}},
                                        {{"x-amz-grant-full-control", "id=\"1234\""}})),
                 501, "NotImplemented");
    EXPECT_EQ(objects_->bucket_settings_of("examplebucket").value()->settings.acl, "");
}

TEST_F(front_acl, grant_headers_spelling_a_canned_acl_are_that_acl) {
    const http::response set = signed_request(request(
        "PUT", "", {{"acl", ""}},
        {{"x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""},
         {"x-amz-grant-write", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""}}));
    ASSERT_EQ(set.status, 200u) << set.body;
    EXPECT_EQ(objects_->bucket_settings_of("examplebucket").value()->settings.acl,
              "public-read-write");
}

TEST_F(front_acl, object_acls_are_set_at_put_and_changed_by_put_object_acl) {
    const http::response put = presigned_request(
        request("PUT", "shared.txt", {}, {{"x-amz-acl", "public-read"}}), "hello");
    ASSERT_EQ(put.status, 200u) << put.body;
    EXPECT_EQ(object_acl("shared.txt"), "public-read");
    const http::response got = signed_request(request("GET", "shared.txt", {{"acl", ""}}));
    EXPECT_EQ(got.body, build_acl_xml(canned_acl::public_read, "alice", "alice"));
    ASSERT_EQ(signed_request(request("PUT", "shared.txt", {{"acl", ""}},
                                     {{"x-amz-acl", "authenticated-read"}}))
                  .status,
              200u);
    EXPECT_EQ(object_acl("shared.txt"), "authenticated-read");
    expect_error(
        signed_request(request("PUT", "nope.txt", {{"acl", ""}}, {{"x-amz-acl", "public-read"}})),
        404, "NoSuchKey");
    expect_error(presigned_request(request("PUT", "bad.txt", {}, {{"x-amz-acl", "everyone"}}), "x"),
                 400, "InvalidArgument");
    EXPECT_FALSE(objects_->head_object("examplebucket", "bad.txt"));
}

TEST_F(front_acl, create_bucket_takes_x_amz_acl) {
    sigv4::request r = request("PUT", "", {}, {{"x-amz-acl", "public-read-write"}});
    r.bucket = "shared";
    ASSERT_EQ(signed_request(r).status, 200u);
    EXPECT_EQ(objects_->bucket_settings_of("shared").value()->settings.acl, "public-read-write");
}

TEST_F(front_acl, anonymous_reads_need_a_public_object_acl) {
    put("private.txt", "secret");
    put("public.txt", "for all", "public-read");
    expect_error(anonymous("GET", "/private.txt"), 403, "AccessDenied");
    EXPECT_EQ(anonymous("HEAD", "/private.txt").status, 403u);
    const http::response ok = anonymous("GET", "/public.txt");
    ASSERT_EQ(ok.status, 200u) << ok.body;
    EXPECT_EQ(body_of(ok), "for all");
    EXPECT_EQ(anonymous("HEAD", "/public.txt").status, 200u);
    // A public bucket does not make its objects public.
    set_bucket_acl("public-read");
    expect_error(anonymous("GET", "/private.txt"), 403, "AccessDenied");
    // Nor does a public object open its ACL to anyone.
    expect_error(anonymous("GET", "/public.txt?acl"), 403, "AccessDenied");
    expect_error(anonymous("PUT", "/public.txt?acl", {{"x-amz-acl", "private"}}), 403,
                 "AccessDenied");
}

TEST_F(front_acl, a_missing_key_is_not_revealed_to_callers_who_may_not_list) {
    expect_error(anonymous("GET", "/missing.txt"), 403, "AccessDenied");
    set_bucket_acl("public-read");
    expect_error(anonymous("GET", "/missing.txt"), 404, "NoSuchKey");
}

TEST_F(front_acl, anonymous_listing_needs_a_public_bucket) {
    put("a.txt", "1");
    expect_error(anonymous("GET", "/"), 403, "AccessDenied");
    set_bucket_acl("public-read");
    const http::response listed = anonymous("GET", "/?list-type=2");
    ASSERT_EQ(listed.status, 200u) << listed.body;
    EXPECT_NE(listed.body.find("<Key>a.txt</Key>"), std::string::npos);
    set_bucket_acl("authenticated-read");
    expect_error(anonymous("GET", "/"), 403, "AccessDenied");
}

TEST_F(front_acl, anonymous_writes_need_a_public_read_write_bucket) {
    expect_error(anonymous("PUT", "/drop.txt", {}, "data"), 403, "AccessDenied");
    set_bucket_acl("public-read");
    expect_error(anonymous("PUT", "/drop.txt", {}, "data"), 403, "AccessDenied");
    set_bucket_acl("public-read-write");
    const http::response put =
        anonymous("PUT", "/drop.txt", {{"x-amz-acl", "public-read"}}, "data");
    ASSERT_EQ(put.status, 200u) << put.body;
    EXPECT_EQ(object_acl("drop.txt"), "public-read");
    EXPECT_EQ(anonymous("DELETE", "/drop.txt").status, 204u);
    EXPECT_FALSE(objects_->head_object("examplebucket", "drop.txt"));
    // Still no bucket configuration for anonymous callers.
    expect_error(anonymous("PUT", "/?acl", {{"x-amz-acl", "private"}}), 403, "AccessDenied");
    expect_error(anonymous("DELETE", "/?cors"), 403, "AccessDenied");
    expect_error(anonymous("DELETE", "/"), 403, "AccessDenied");
    expect_error(anonymous("GET", "/?versioning"), 403, "AccessDenied");  // not NotImplemented
}

TEST_F(front_acl, a_bad_signature_is_never_treated_as_anonymous) {
    set_bucket_acl("public-read-write");
    put("public.txt", "for all", "public-read");
    auto raw = auth::test::presigned(request("GET", "public.txt"));
    raw.target = auth::test::replaced(raw.target, "X-Amz-Signature=", "X-Amz-Signature=0");
    header_list headers = raw.headers;
    expect_error(send("GET", raw.target, headers), 403, "SignatureDoesNotMatch");
}

class front_acl_limited : public front_acl {
  protected:
    // Alice may only put under incoming/.
    void SetUp() override {
        grants_ = std::make_shared<const auth::access_policy>(
            std::vector<auth::grant>{{auth::bit(action::put), "examplebucket", "incoming/"}});
        start();
    }
};

TEST_F(front_acl_limited, authenticated_read_admits_any_authenticated_caller_only) {
    put("team.txt", "team", "authenticated-read");
    const http::response ok = signed_request(request("GET", "team.txt"));
    ASSERT_EQ(ok.status, 200u) << ok.body;
    EXPECT_EQ(body_of(ok), "team");
    expect_error(anonymous("GET", "/team.txt"), 403, "AccessDenied");
    set_bucket_acl("authenticated-read");
    EXPECT_EQ(signed_request(request("GET", "", {{"list-type", "2"}})).status, 200u);
    expect_error(anonymous("GET", "/"), 403, "AccessDenied");
}

TEST_F(front_acl_limited, grants_or_the_bucket_acl_admit_writes) {
    expect_error(signed_request(request("PUT", "outside.txt"), "x"), 403, "AccessDenied");
    set_bucket_acl("public-read-write");
    EXPECT_EQ(signed_request(request("PUT", "outside.txt"), "x").status, 200u);
    // ... but never ACL changes beyond the caller's grants.
    expect_error(signed_request(
                     request("PUT", "outside.txt", {{"acl", ""}}, {{"x-amz-acl", "public-read"}})),
                 403, "AccessDenied");
}

// A multipart/form-data body: `fields`, then the file part.
std::string form(const header_list& fields, std::string_view file) {
    constexpr std::string_view boundary = "b0undary";
    std::string b;
    for (const auto& [name, value] : fields)
        b.append("--")
            .append(boundary)
            .append("\r\nContent-Disposition: form-data; name=\"")
            .append(name)
            .append("\"\r\n\r\n")
            .append(value)
            .append("\r\n");
    b.append("--").append(boundary).append(
        "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n\r\n");
    b.append(file).append("\r\n--").append(boundary).append("--\r\n");
    return b;
}

TEST_F(front_acl, anonymous_forms_upload_only_into_public_read_write_buckets) {
    const header_list type = {{"Content-Type", "multipart/form-data; boundary=b0undary"}};
    const std::string body = form({{"key", "drop/${filename}"}, {"acl", "public-read"}}, "hi");
    expect_error(anonymous("POST", "/", type, body), 403, "AccessDenied");
    set_bucket_acl("public-read");
    expect_error(anonymous("POST", "/", type, body), 403, "AccessDenied");
    set_bucket_acl("public-read-write");
    const http::response ok = anonymous("POST", "/", type, body);
    ASSERT_EQ(ok.status, 204u) << ok.body;
    EXPECT_EQ(object_acl("drop/f.txt"), "public-read");
    expect_error(anonymous("POST", "/", type, form({{"acl", "public-read"}}, "hi")), 400,
                 "InvalidArgument");  // no key field
    expect_error(anonymous("POST", "/", type, form({{"key", "k"}, {"acl", "open"}}, "hi")), 400,
                 "InvalidArgument");
    EXPECT_FALSE(objects_->head_object("examplebucket", "k"));
    // A form with a signature field is a signed form, never an anonymous one.
    expect_error(anonymous("POST", "/", type, form({{"key", "k"}, {"policy", "e30="}}, "hi")), 400,
                 "InvalidArgument");
}

TEST(requested_acl, reads_x_amz_acl_and_canned_grant_headers) {
    http::request_head head;
    EXPECT_EQ(detail::requested_acl(head).value(), std::nullopt);
    head.headers = {{"X-Amz-Acl", "bucket-owner-full-control"}};
    EXPECT_EQ(detail::requested_acl(head).value(), canned_acl::private_acl);
    head.headers = {
        {"x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AuthenticatedUsers\""}};
    EXPECT_EQ(detail::requested_acl(head).value(), canned_acl::authenticated_read);
    head.headers = {{"x-amz-grant-read", "id=\"abc\""}};
    EXPECT_EQ(detail::requested_acl(head).error().which, code::not_implemented);
    head.headers = {{"x-amz-acl", "Public-Read"}};
    const auto bad = detail::requested_acl(head);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().which, code::invalid_argument);
    EXPECT_EQ(bad.error().details[1].second, "Public-Read");
}

TEST(requested_acl, stored_names_are_empty_for_private) {
    EXPECT_EQ(detail::stored_acl_name(canned_acl::private_acl), "");
    EXPECT_EQ(detail::stored_acl_name(canned_acl::public_read), "public-read");
    EXPECT_EQ(detail::stored_acl(""), canned_acl::private_acl);
    EXPECT_EQ(detail::stored_acl("from-the-future"), canned_acl::private_acl);
    EXPECT_EQ(detail::stored_acl("public-read-write"), canned_acl::public_read_write);
}

}  // namespace
}  // namespace presign::s3::test
