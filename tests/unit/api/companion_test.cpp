// Uppy Companion's /s3/* contract through the front: the shapes @uppy/aws-s3 reads, with the
// same prefixes and rules as /v1.

#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace presign::api::testing {
namespace {

using nlohmann::json;
using companion = api_fixture;

TEST_F(companion, params_return_a_post_form_answering_201) {
    const json out = expect(
        call("GET",
             "/s3/params?filename=cat%20pic.png&type=image%2Fpng&metadata%5Bname%5D=cat+pic.png"));
    EXPECT_EQ(out["method"], "POST");
    EXPECT_EQ(out["url"], "http://127.0.0.1:9000/uploads");
    EXPECT_EQ(out["expires"], 60);
    const json& fields = out["fields"];
    EXPECT_TRUE(fields["key"].get<std::string>().starts_with("alice/"));
    EXPECT_TRUE(fields["key"].get<std::string>().ends_with("/cat_pic.png"));
    EXPECT_EQ(fields["success_action_status"], "201");
    EXPECT_EQ(fields["Content-Type"], "image/png");
    EXPECT_EQ(fields["x-amz-meta-name"], "cat pic.png");
    EXPECT_EQ(call("GET", "/s3/params?type=image%2Fpng").status, 400u);
    EXPECT_EQ(call("GET", "/s3/params?filename=a.sh&type=text%2Fx-sh").status, 415u);
}

TEST_F(companion, multipart_in_companions_shapes) {
    const json made = expect(
        call("POST", "/s3/multipart", R"({"filename":"v.png","type":"image/png","metadata":{}})"));
    const std::string key = made["key"], id = made["uploadId"];
    EXPECT_EQ(made["bucket"], "uploads");
    const std::string q = "?key=" + key;
    const json batch =
        expect(call("GET", "/s3/multipart/" + id + "/batch" + q + "&partNumbers=1,2"));
    EXPECT_NE(batch["presignedUrls"]["2"].get<std::string>().find("partNumber=2&uploadId=" + id),
              std::string::npos);
    const json one = expect(call("GET", "/s3/multipart/" + id + "/3" + q));
    EXPECT_NE(one["url"].get<std::string>().find("partNumber=3&"), std::string::npos);
    EXPECT_EQ(one["expires"], 60);
    storage.add_part(id, 1, 5 * 1024 * 1024);
    storage.add_part(id, 2, 10);
    const json parts = expect(call("GET", "/s3/multipart/" + id + q));
    ASSERT_TRUE(parts.is_array());
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0]["PartNumber"], 1);
    EXPECT_EQ(parts[0]["ETag"], "\"etag-1\"");
    EXPECT_EQ(parts[1]["Size"], 10);
    const json done = expect(call(
        "POST", "/s3/multipart/" + id + "/complete" + q,
        R"({"parts":[{"PartNumber":1,"ETag":"\"etag-1\""},{"PartNumber":2,"ETag":"\"etag-2\""}]})"));
    EXPECT_EQ(done["key"], key);
    EXPECT_EQ(done["bucket"], "uploads");
    EXPECT_FALSE(done["location"].get<std::string>().empty());
    EXPECT_TRUE(storage.has_object(key));
}

TEST_F(companion, refusals) {
    EXPECT_EQ(call("GET", "/s3/multipart/u/batch?key=alice/a&partNumbers=1,x").status, 400u);
    EXPECT_EQ(call("GET", "/s3/multipart/u/batch?key=alice/a&partNumbers=0").status, 400u);
    EXPECT_EQ(call("GET", "/s3/multipart/u/1").status, 400u);  // no key
    EXPECT_EQ(call("GET", "/s3/multipart/u/1?key=bob/a").status, 403u);
    EXPECT_EQ(call("POST", "/s3/multipart/u/complete?key=alice/a", R"({"parts":[]})").status, 400u);
    EXPECT_EQ(call("DELETE", "/s3/multipart/nope?key=alice/a").status, 404u);
    const json made =
        expect(call("POST", "/s3/multipart", R"({"filename":"v.png","type":"image/png"})"));
    EXPECT_EQ(expect(call("DELETE", "/s3/multipart/" + made["uploadId"].get<std::string>() +
                                        "?key=" + made["key"].get<std::string>())),
              json::object());
}

}  // namespace
}  // namespace presign::api::testing
