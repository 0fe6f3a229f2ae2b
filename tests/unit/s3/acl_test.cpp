#include "s3/acl.hpp"

#include <gtest/gtest.h>

namespace presign::s3 {
namespace {

using auth::action;

TEST(acl, parses_canned_names_and_keeps_owner_only_ones_private) {
    EXPECT_EQ(parse_canned_acl("public-read"), canned_acl::public_read);
    EXPECT_EQ(parse_canned_acl("public-read-write"), canned_acl::public_read_write);
    EXPECT_EQ(parse_canned_acl("authenticated-read"), canned_acl::authenticated_read);
    EXPECT_EQ(parse_canned_acl("bucket-owner-full-control"), canned_acl::private_acl);
    EXPECT_EQ(parse_canned_acl("private"), canned_acl::private_acl);
    EXPECT_FALSE(parse_canned_acl("Public-Read"));
    EXPECT_FALSE(parse_canned_acl("world-writable"));
}

TEST(acl, object_acls_grant_reads_only) {
    EXPECT_TRUE(object_acl_allows(canned_acl::public_read, requester::anonymous, action::get));
    EXPECT_FALSE(object_acl_allows(canned_acl::public_read, requester::anonymous, action::put));
    EXPECT_FALSE(object_acl_allows(canned_acl::public_read_write, requester::anonymous,
                                   action::delete_object));
    EXPECT_FALSE(object_acl_allows(canned_acl::private_acl, requester::authenticated, action::get));
    EXPECT_FALSE(
        object_acl_allows(canned_acl::authenticated_read, requester::anonymous, action::get));
    EXPECT_TRUE(
        object_acl_allows(canned_acl::authenticated_read, requester::authenticated, action::get));
}

TEST(acl, bucket_acls_grant_listing_and_for_public_read_write_writes) {
    EXPECT_TRUE(bucket_acl_allows(canned_acl::public_read, requester::anonymous, action::list));
    EXPECT_FALSE(bucket_acl_allows(canned_acl::public_read, requester::anonymous, action::put));
    EXPECT_TRUE(
        bucket_acl_allows(canned_acl::public_read_write, requester::anonymous, action::put));
    EXPECT_TRUE(bucket_acl_allows(canned_acl::public_read_write, requester::anonymous,
                                  action::delete_object));
    EXPECT_FALSE(bucket_acl_allows(canned_acl::public_read_write, requester::anonymous,
                                   action::delete_bucket));
    EXPECT_FALSE(
        bucket_acl_allows(canned_acl::authenticated_read, requester::anonymous, action::list));
    EXPECT_TRUE(
        bucket_acl_allows(canned_acl::authenticated_read, requester::authenticated, action::list));
    EXPECT_FALSE(
        bucket_acl_allows(canned_acl::private_acl, requester::authenticated, action::list));
}

TEST(acl, every_canned_acl_survives_its_own_xml) {
    for (auto acl : {canned_acl::private_acl, canned_acl::public_read,
                     canned_acl::public_read_write, canned_acl::authenticated_read}) {
        const std::string xml = build_acl_xml(acl, "owner-id", "presign");
        auto back = parse_acl_xml(xml);
        ASSERT_TRUE(back) << canned_acl_name(acl) << ": " << back.error().message;
        EXPECT_EQ(*back, acl) << xml;
    }
}

TEST(acl, grant_lists_no_canned_acl_spells_are_not_implemented) {
    const std::string head = "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList>";
    const std::string tail = "</AccessControlList></AccessControlPolicy>";
    auto user_read = parse_acl_xml(head +
                                   "<Grant><Grantee><ID>someone-else</ID></Grantee>"
                                   "<Permission>READ</Permission></Grant>" +
                                   tail);
    EXPECT_EQ(user_read.error().which, code::not_implemented);
    auto write_only =
        parse_acl_xml(head +
                      "<Grant><Grantee><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>"
                      "</Grantee><Permission>WRITE</Permission></Grant>" +
                      tail);
    EXPECT_EQ(write_only.error().which, code::not_implemented);
    EXPECT_EQ(parse_acl_xml("<Other/>").error().which, code::malformed_xml);
    EXPECT_EQ(
        parse_acl_xml(head + "<Grant><Permission>READ</Permission></Grant>" + tail).error().which,
        code::malformed_xml);
}

}  // namespace
}  // namespace presign::s3
