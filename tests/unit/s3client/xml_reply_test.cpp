// The XML of replies as S3 writes them, and the CompleteMultipartUpload body.

#include "s3client/xml_reply.hpp"

#include <gtest/gtest.h>

#include <pugixml.hpp>

namespace presign::s3client::xml {
namespace {

constexpr std::string_view k_ns = R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/")";

std::string doc(std::string_view root, std::string_view inner) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + std::string(root) + std::string(k_ns) +
           ">" + std::string(inner) + "</" + std::string(root) + ">";
}

TEST(xml_reply, reads_an_s3_error) {
    auto e = parse_error(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchUpload</Code>"
        "<Message>The specified upload does not exist.</Message><RequestId>1</RequestId></Error>");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, "NoSuchUpload");
    EXPECT_EQ(e->message, "The specified upload does not exist.");
}

TEST(xml_reply, an_error_needs_a_code) {
    EXPECT_FALSE(parse_error("<Error><Message>m</Message></Error>"));
    EXPECT_FALSE(parse_error("<html><body>502 Bad Gateway</body></html>"));
    EXPECT_FALSE(parse_error(""));
    EXPECT_FALSE(parse_error("<Error><Code>x</Code>"));  // not well-formed
}

TEST(xml_reply, reads_the_upload_id) {
    EXPECT_EQ(parse_upload_id(doc("InitiateMultipartUploadResult",
                                  "<Bucket>b</Bucket><Key>k</Key><UploadId>u-1</UploadId>")),
              "u-1");
    EXPECT_FALSE(parse_upload_id(doc("InitiateMultipartUploadResult", "<UploadId></UploadId>")));
    EXPECT_FALSE(parse_upload_id(doc("Other", "<UploadId>u</UploadId>")));
}

TEST(xml_reply, reads_a_parts_page) {
    auto page = parse_parts_page(
        doc("ListPartsResult",
            "<PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker>"
            "<MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>"
            "<Part><PartNumber>1</PartNumber><LastModified>2026-03-14T09:00:00.000Z</LastModified>"
            "<ETag>&quot;aa&quot;</ETag><Size>5242880</Size></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>\"bb\"</ETag><Size>3</Size></Part>"));
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->truncated);
    EXPECT_EQ(page->next_part_number_marker, 2);
    ASSERT_EQ(page->parts.size(), 2u);
    EXPECT_EQ(page->parts[0].part_number, 1);
    EXPECT_EQ(page->parts[0].etag, "\"aa\"");
    EXPECT_EQ(page->parts[0].size, 5242880u);
    EXPECT_EQ(page->parts[0].last_modified, "2026-03-14T09:00:00.000Z");
    EXPECT_EQ(page->parts[1].size, 3u);
}

TEST(xml_reply, refuses_a_part_without_number_size_or_etag) {
    EXPECT_FALSE(
        parse_parts_page(doc("ListPartsResult", "<Part><ETag>\"a\"</ETag><Size>1</Size></Part>")));
    EXPECT_FALSE(parse_parts_page(
        doc("ListPartsResult", "<Part><PartNumber>1</PartNumber><ETag>\"a\"</ETag></Part>")));
    EXPECT_FALSE(parse_parts_page(
        doc("ListPartsResult",
            "<Part><PartNumber>1</PartNumber><Size>-1</Size><ETag>a</ETag></Part>")));
    EXPECT_FALSE(parse_parts_page(
        doc("ListPartsResult", "<Part><PartNumber>1</PartNumber><Size>1</Size></Part>")));
}

TEST(xml_reply, reads_an_object_page_with_keys_exactly_as_stored) {
    auto page = parse_object_page(
        doc("ListBucketResult",
            "<Name>b</Name><Prefix></Prefix><NextContinuationToken>tok+/=</NextContinuationToken>"
            "<KeyCount>4</KeyCount><MaxKeys>4</MaxKeys><IsTruncated>true</IsTruncated>"
            "<Contents><Key>a b+c&amp;d</Key><LastModified>t</LastModified><ETag>\"e\"</ETag>"
            "<Size>7</Size></Contents>"
            "<Contents><Key> </Key><Size>0</Size></Contents>"
            "<Contents><Key>line\r\nbreak</Key><Size>0</Size></Contents>"
            "<Contents><Key>\xc3\xa9t\xc3\xa9</Key><Size>1</Size></Contents>"
            "<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>"));
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->truncated);
    EXPECT_EQ(page->next_continuation_token, "tok+/=");
    ASSERT_EQ(page->objects.size(), 4u);
    EXPECT_EQ(page->objects[0].key, "a b+c&d");
    EXPECT_EQ(page->objects[0].size, 7u);
    EXPECT_EQ(page->objects[0].etag, "\"e\"");
    EXPECT_EQ(page->objects[0].last_modified, "t");
    EXPECT_EQ(page->objects[1].key, " ");
    EXPECT_EQ(page->objects[2].key, "line\r\nbreak");
    EXPECT_EQ(page->objects[3].key, "\xc3\xa9t\xc3\xa9");
    ASSERT_EQ(page->common_prefixes.size(), 1u);
    EXPECT_EQ(page->common_prefixes[0], "dir/");
}

TEST(xml_reply, refuses_an_object_without_key_or_size) {
    EXPECT_FALSE(parse_object_page(doc("ListBucketResult", "<Contents><Size>1</Size></Contents>")));
    EXPECT_FALSE(parse_object_page(doc("ListBucketResult", "<Contents><Key>k</Key></Contents>")));
    EXPECT_FALSE(parse_object_page(doc("ListAllMyBucketsResult", "")));
}

TEST(xml_reply, reads_the_complete_result_but_not_an_error_in_its_place) {
    auto done =
        parse_complete_result(doc("CompleteMultipartUploadResult",
                                  "<Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key>"
                                  "<ETag>\"abc-2\"</ETag>"));
    ASSERT_TRUE(done);
    EXPECT_EQ(done->location, "http://h/b/k");
    EXPECT_EQ(done->etag, "\"abc-2\"");
    const std::string error_body =
        "<Error><Code>InternalError</Code><Message>try again</Message></Error>";
    EXPECT_FALSE(parse_complete_result(error_body));
    EXPECT_TRUE(parse_error(error_body));
}

TEST(xml_reply, reads_a_complete_result_with_an_empty_etag_as_ceph_rgw_sends_it) {
    auto done = parse_complete_result(
        doc("CompleteMultipartUploadResult",
            "<Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag></ETag>"));
    ASSERT_TRUE(done);
    EXPECT_EQ(done->location, "http://h/b/k");
    EXPECT_EQ(done->etag, "");
}

TEST(xml_reply, builds_the_complete_body_with_escaped_etags) {
    const std::string body = build_complete_body({{1, "\"a&b<c>\""}, {2, "it's"}});
    EXPECT_NE(body.find("<Part><PartNumber>1</PartNumber><ETag>&quot;a&amp;b&lt;c&gt;&quot;"
                        "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>it&apos;s</ETag>"
                        "</Part></CompleteMultipartUpload>"),
              std::string::npos)
        << body;
    // And it reads back as the same values.
    pugi::xml_document parsed;
    ASSERT_TRUE(parsed.load_string(body.c_str()));
    EXPECT_STREQ(parsed.document_element().first_child().child("ETag").text().get(), "\"a&b<c>\"");
}

}  // namespace
}  // namespace presign::s3client::xml
