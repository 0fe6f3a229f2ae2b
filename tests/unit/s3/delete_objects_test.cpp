#include "s3/delete_objects.hpp"

#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/digest.hpp"
#include "s3/body_checksum.hpp"

namespace presign::s3 {
namespace {

std::string objects_xml(std::size_t n) {
    std::string xml = "<Delete>";
    for (std::size_t i = 0; i < n; ++i)
        xml += "<Object><Key>k" + std::to_string(i) + "</Key></Object>";
    return xml + "</Delete>";
}

void expect_code(std::string_view body, code expected) {
    auto r = parse_delete_request(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().which, expected) << body;
}

TEST(delete_request, reads_keys_versions_and_quiet) {
    auto r = parse_delete_request(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
        "  <Object><Key>a.txt</Key></Object>\n"
        "  <Object><Key>dir/b c</Key><VersionId>null</VersionId></Object>\n"
        "  <Quiet>true</Quiet>\n"
        "</Delete>");
    ASSERT_TRUE(r) << r.error().text();
    EXPECT_TRUE(r->quiet);
    ASSERT_EQ(r->objects.size(), 2u);
    EXPECT_EQ(r->objects[0].key, "a.txt");
    EXPECT_FALSE(r->objects[0].version_id);
    EXPECT_EQ(r->objects[1].key, "dir/b c");
    EXPECT_EQ(r->objects[1].version_id, "null");
    EXPECT_FALSE(parse_delete_request(objects_xml(1))->quiet);
}

TEST(delete_request, keeps_key_text_exactly) {
    auto r = parse_delete_request(
        "<Delete><Object><Key>  spaced  </Key></Object><Object><Key> </Key></Object>"
        "<Object><Key>a&amp;b&lt;&#x41;&#13;</Key></Object>"
        "<Object><Key><![CDATA[<raw>]]>+<!-- note -->tail</Key></Object></Delete>");
    ASSERT_TRUE(r) << r.error().text();
    EXPECT_EQ(r->objects[0].key, "  spaced  ");
    EXPECT_EQ(r->objects[1].key, " ");
    EXPECT_EQ(r->objects[2].key, "a&b<A\r");
    EXPECT_EQ(r->objects[3].key, "<raw>+tail");
}

TEST(delete_request, accepts_prefixed_elements_and_quiet_spellings) {
    auto r = parse_delete_request(
        "<s3:Delete xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\"><s3:Quiet>1</s3:Quiet>"
        "<s3:Object><s3:Key>k</s3:Key></s3:Object></s3:Delete>");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->quiet);
    for (const char* quiet : {"false", "False", "0"}) {
        auto q = parse_delete_request(std::string("<Delete><Quiet>") + quiet +
                                      "</Quiet><Object><Key>k</Key></Object></Delete>");
        ASSERT_TRUE(q) << quiet;
        EXPECT_FALSE(q->quiet);
    }
}

TEST(delete_request, takes_up_to_1000_keys) {
    auto r = parse_delete_request(objects_xml(1000));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->objects.size(), 1000u);
    expect_code(objects_xml(1001), code::malformed_xml);
}

TEST(delete_request, refuses_malformed_bodies) {
    for (const char* bad : {
             "",
             "not xml",
             "<Delete>",
             "<Delete></Delete>",                                           // no Object
             "<Remove><Object><Key>k</Key></Object></Remove>",              // wrong root
             "<Delete><Object><Key>k</Key></Object></Delete><Delete/>",     // two roots
             "<Delete><Object><Key>k</Key></Object></Delete>text",          // text after it
             "<Delete><Object></Object></Delete>",                          // no Key
             "<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>",  // two Keys
             "<Delete><Object><Key>a</Key><VersionId>1</VersionId><VersionId>2</VersionId>"
             "</Object></Delete>",
             "<Delete><Object><Key><b>k</b></Key></Object></Delete>",   // markup in Key
             "<Delete><Object><Key>k</Key><Other/></Object></Delete>",  // unknown element
             "<Delete><Extra/><Object><Key>k</Key></Object></Delete>",
             "<Delete>text<Object><Key>k</Key></Object></Delete>",
             "<Delete><Quiet>yes</Quiet><Object><Key>k</Key></Object></Delete>",
             "<Delete><Quiet>true</Quiet><Quiet>true</Quiet><Object><Key>k</Key></Object></Delete>",
         })
        expect_code(bad, code::malformed_xml);
}

TEST(delete_request, conditional_deletes_are_not_implemented) {
    expect_code("<Delete><Object><Key>k</Key><ETag>\"x\"</ETag></Object></Delete>",
                code::not_implemented);
}

TEST(delete_result, lists_deleted_keys_and_errors_in_order) {
    const std::vector<delete_outcome> outcomes{
        {"a&b", std::nullopt, std::nullopt},
        {"bad", "v1", error{code::invalid_argument, "Invalid version id specified", {}}},
        {"c", "null", std::nullopt}};
    EXPECT_EQ(build_delete_result(outcomes, false),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
              "<Deleted><Key>a&amp;b</Key></Deleted>"
              "<Error><Key>bad</Key><VersionId>v1</VersionId><Code>InvalidArgument</Code>"
              "<Message>Invalid version id specified</Message></Error>"
              "<Deleted><Key>c</Key><VersionId>null</VersionId></Deleted></DeleteResult>");
    EXPECT_EQ(build_delete_result(outcomes, true),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
              "<Error><Key>bad</Key><VersionId>v1</VersionId><Code>InvalidArgument</Code>"
              "<Message>Invalid version id specified</Message></Error></DeleteResult>");
}

http::request_head head_with(std::vector<http::header_field> headers) {
    http::request_head h;
    h.method = "POST";
    h.target = "/b?delete";
    h.headers = std::move(headers);
    return h;
}

std::string b64(const std::string& raw) {
    return core::to_base64(raw);
}

TEST(body_checksum, requires_content_md5_or_a_checksum) {
    const std::string body = "<Delete/>";
    auto none = check_body_checksums(head_with({}), body, true);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().which, code::invalid_request);
    EXPECT_EQ(none.error().text(),
              "Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
    EXPECT_TRUE(check_body_checksums(head_with({}), body, false));

    const auto md5 = core::md5_of(body);
    const std::string md5_b64 = b64(std::string(reinterpret_cast<const char*>(md5.data()), 16));
    EXPECT_TRUE(check_body_checksums(head_with({{"Content-MD5", md5_b64}}), body, true));
    EXPECT_EQ(
        check_body_checksums(head_with({{"Content-MD5", md5_b64}}), body + " ", true).error().which,
        code::bad_digest);
    EXPECT_EQ(check_body_checksums(head_with({{"Content-MD5", "nope"}}), body, true).error().which,
              code::invalid_digest);
}

TEST(body_checksum, checks_the_additional_checksums) {
    const std::string body = "123456789";
    const std::string crc = b64(std::string("\xCB\xF4\x39\x26", 4));
    EXPECT_TRUE(check_body_checksums(head_with({{"x-amz-checksum-crc32", crc}}), body, true));
    const std::string crc64 = b64(std::string("\xAE\x8B\x14\x86\x0A\x79\x98\x88", 8));
    EXPECT_TRUE(check_body_checksums(head_with({{"X-Amz-Checksum-CRC64NVME", crc64}}), body, true));
    const auto sha = core::sha256_of(body);
    EXPECT_TRUE(check_body_checksums(
        head_with({{"x-amz-checksum-sha256",
                    b64(std::string(reinterpret_cast<const char*>(sha.data()), 32))}}),
        body, true));

    auto wrong = check_body_checksums(head_with({{"x-amz-checksum-crc32c", crc}}), body, true);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().which, code::bad_digest);
    EXPECT_EQ(wrong.error().text(),
              "The CRC32C you specified did not match the calculated checksum.");
    auto malformed =
        check_body_checksums(head_with({{"x-amz-checksum-crc32", "AAAA"}}), body, true);
    EXPECT_EQ(malformed.error().which, code::invalid_request);
    auto two = check_body_checksums(
        head_with({{"x-amz-checksum-crc32", crc}, {"x-amz-checksum-crc32c", crc}}), body, true);
    EXPECT_EQ(two.error().which, code::invalid_request);
}

}  // namespace
}  // namespace presign::s3
