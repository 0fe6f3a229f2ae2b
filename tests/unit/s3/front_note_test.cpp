// What the S3 front tells the transport's observer: the operation and the authenticated caller
// on every answer (uploads' included), and refusals counted by S3 error code.

#include "core/hex.hpp"
#include "ops/metrics.hpp"
#include "unit/s3/front_fixture.hpp"

namespace presign::s3 {
namespace {

using test::front_fixture;

class front_note : public front_fixture {
  protected:
    void SetUp() override {
        front_fixture::SetUp();
        ops::install(&registry_);
    }
    void TearDown() override { ops::install(nullptr); }
    ops::metrics registry_;
};

TEST_F(front_note, an_upload_names_its_operation_and_caller) {
    const std::string body = "hello";
    const auto res = signed_request(request("PUT", "note.txt"), body);
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_EQ(res.note.operation, "PutObject");
    EXPECT_EQ(res.note.identity, "alice");
}

TEST_F(front_note, a_read_names_its_operation_and_caller) {
    put("r.txt", "data");
    const auto res = presigned_request(request("GET", "r.txt"));
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_EQ(res.note.operation, "GetObject");
    EXPECT_EQ(res.note.identity, "alice");
}

TEST_F(front_note, an_anonymous_refusal_names_the_operation_only_and_counts) {
    const auto res = anonymous("GET", "/secret.txt");
    EXPECT_EQ(res.status, 403u);
    EXPECT_EQ(res.note.operation, "GetObject");
    EXPECT_EQ(res.note.identity, "");
    EXPECT_NE(registry_.render().find(
                  "presign_rejections_total{server=\"store\",reason=\"AccessDenied\"} 1\n"),
              std::string::npos);
}

TEST_F(front_note, a_preflight_is_named_too) {
    const auto res =
        anonymous("OPTIONS", "/k",
                  {{"Origin", "https://a.example"}, {"Access-Control-Request-Method", "PUT"}});
    EXPECT_EQ(res.note.operation, "Preflight");
}

}  // namespace
}  // namespace presign::s3
