#include "s3/error_table.hpp"

#include <set>

#include <gtest/gtest.h>

#include "s3/xml.hpp"

namespace presign::s3 {
namespace {

TEST(error_table, every_code_has_a_unique_name_a_status_and_a_message) {
    std::set<std::string_view> names;
    for (int i = 0; i <= static_cast<int>(code::x_amz_content_sha256_mismatch); ++i) {
        const error_info& row = info(static_cast<code>(i));
        EXPECT_FALSE(row.name.empty()) << i;
        EXPECT_FALSE(row.message.empty()) << row.name;
        EXPECT_GE(row.http_status, 400u) << row.name;
        EXPECT_LT(row.http_status, 600u) << row.name;
        EXPECT_TRUE(names.insert(row.name).second) << "duplicate " << row.name;
    }
}

TEST(error_table, codes_carry_s3s_statuses) {
    EXPECT_EQ(info(code::no_such_key).name, "NoSuchKey");
    EXPECT_EQ(info(code::no_such_key).http_status, 404u);
    EXPECT_EQ(info(code::signature_does_not_match).http_status, 403u);
    EXPECT_EQ(info(code::access_denied).name, "AccessDenied");
    EXPECT_EQ(info(code::invalid_range).http_status, 416u);
    EXPECT_EQ(info(code::precondition_failed).http_status, 412u);
    EXPECT_EQ(info(code::bucket_not_empty).http_status, 409u);
    EXPECT_EQ(info(code::missing_content_length).http_status, 411u);
    EXPECT_EQ(info(code::not_implemented).http_status, 501u);
}

TEST(error_table, error_uses_its_message_or_the_default) {
    EXPECT_EQ((error{code::access_denied, "Request has expired", {}}).text(),
              "Request has expired");
    EXPECT_EQ((error{code::access_denied, "", {}}).text(), "Access Denied");
}

TEST(xml, error_body_is_escaped_and_complete) {
    const std::string body =
        build_error_xml({code::no_such_key, "", {}}, "/bucket/a<b>&\"c'", "4442587FB7D0A2F9");
    EXPECT_EQ(body,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
              "<Message>The specified key does not exist.</Message>"
              "<Resource>/bucket/a&lt;b&gt;&amp;&quot;c&apos;</Resource>"
              "<RequestId>4442587FB7D0A2F9</RequestId></Error>");
}

TEST(xml, control_characters_become_references) {
    std::string out;
    append_xml_text(out, std::string("a\x01z\tb", 5));
    EXPECT_EQ(out, "a&#x01;z\tb");
}

}  // namespace
}  // namespace presign::s3
