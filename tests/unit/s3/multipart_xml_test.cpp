#include "s3/multipart_xml.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"

namespace presign::s3 {
namespace {

TEST(multipart_xml, parses_the_part_list_as_boto3_sends_it) {
    auto parts = parse_complete_multipart(
        "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<Part><ETag>\"aaa\"</ETag><PartNumber>1</PartNumber></Part>"
        "<Part><ChecksumCRC32>AAAAAA==</ChecksumCRC32><ETag>bbb</ETag><PartNumber>2</PartNumber></"
        "Part>"
        "</CompleteMultipartUpload>");
    ASSERT_TRUE(parts) << parts.error().message;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].part_number, 1);
    EXPECT_EQ((*parts)[0].etag, "\"aaa\"");
    EXPECT_EQ((*parts)[1].part_number, 2);
    EXPECT_EQ((*parts)[1].etag, "bbb");
}

TEST(multipart_xml, refuses_malformed_part_lists) {
    for (std::string_view bad :
         {"", "<CompleteMultipartUpload/>", "<Other><Part/></Other>",
          "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></"
          "CompleteMultipartUpload>",
          "<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>",
          "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></"
          "CompleteMultipartUpload>",
          "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag><Size>1</Size></"
          "Part>"
          "</CompleteMultipartUpload>"}) {
        auto r = parse_complete_multipart(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().which, code::malformed_xml) << bad;
    }
    auto range = parse_complete_multipart(
        "<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>a</ETag></Part>"
        "</CompleteMultipartUpload>");
    EXPECT_EQ(range.error().which, code::invalid_argument);
}

TEST(multipart_xml, result_documents_carry_escaped_values_and_quoted_etags) {
    const std::string init = build_initiate_result("b", "a&b<c", "id1");
    EXPECT_NE(init.find("<Key>a&amp;b&lt;c</Key>"), std::string::npos);
    EXPECT_NE(init.find("<UploadId>id1</UploadId>"), std::string::npos);
    const std::string done = build_complete_result("http://h/b/k", "b", "k", "abc-2");
    EXPECT_NE(done.find("<ETag>&quot;abc-2&quot;</ETag>"), std::string::npos);
    const auto t = *core::parse_amz_date("20240102T030405Z");
    const std::string copy = build_copy_result("e", t, true);
    EXPECT_NE(copy.find("<CopyPartResult"), std::string::npos);
    EXPECT_NE(copy.find("<LastModified>2024-01-02T03:04:05.000Z</LastModified>"),
              std::string::npos);
}

}  // namespace
}  // namespace presign::s3
