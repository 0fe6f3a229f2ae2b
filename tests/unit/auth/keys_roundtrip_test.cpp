// Object keys and query values that canonicalisation can get wrong survive sign -> verify, by
// header and by query, virtual-hosted and path-style; and a changed byte in them is caught.

#include <gtest/gtest.h>

#include "auth_fixture.hpp"

namespace presign::auth {
namespace {

using test::signing_time;

const std::string k_keys[] = {
    "plain.txt",
    "with space/and  two",
    "plus+sign",
    "100%/percent%25",
    "dots/../up/./here",
    "//double//slashes//",
    "unicode/été 2024/日本語.jpg",
    "reserved !*'();:@&=+$,?#[]",
    "tilde~under_score-dash.",
    "a",
};

sigv4::signer path_style_signer() {
    sigv4::signer_options o;
    o.custom_endpoint = sigv4::parse_endpoint("http://127.0.0.1:9000").value();
    o.style = sigv4::addressing::path;
    return sigv4::signer::create({std::string(test::k_access_key),
                                  core::secret_string(std::string(test::k_secret)), ""},
                                 o)
        .value();
}

sigv4::request tricky(const std::string& key) {
    sigv4::request r = test::example_request("PUT", key);
    r.query = {{"response-content-disposition", "attachment; filename=\"" + key + "\""},
               {"x", "a+b c/d%"}};
    return r;
}

TEST(key_roundtrip, verifies_presigned_urls_for_awkward_keys) {
    const sigv4::signer path_style = path_style_signer();
    for (const std::string& key : k_keys) {
        test::raw_request virtual_hosted = test::presigned(tricky(key));
        EXPECT_EQ(test::verify_error(virtual_hosted), std::nullopt) << virtual_hosted.target;
        test::raw_request path = test::presigned(tricky(key), 3600, path_style);
        EXPECT_EQ(test::verify_error(path), std::nullopt) << path.target;
    }
}

TEST(key_roundtrip, verifies_header_signed_requests_for_awkward_keys) {
    const sigv4::signer path_style = path_style_signer();
    for (const std::string& key : k_keys) {
        test::raw_request virtual_hosted = test::header_signed(tricky(key));
        EXPECT_EQ(test::verify_error(virtual_hosted), std::nullopt) << virtual_hosted.target;
        test::raw_request path =
            test::header_signed(tricky(key), sigv4::k_empty_payload_sha256, path_style);
        EXPECT_EQ(test::verify_error(path), std::nullopt) << path.target;
    }
}

TEST(key_roundtrip, accepts_lower_case_escapes_and_unescaped_unreserved_bytes) {
    // Different bytes on the wire, same decoded key: S3 canonicalises from the decoded form.
    test::raw_request r = test::presigned(test::example_request("GET", "é~x"));
    r.target = test::replaced(r.target, "/%C3%A9~x", "/%c3%a9%7Ex");
    EXPECT_EQ(test::verify_error(r), std::nullopt) << r.target;
}

TEST(key_roundtrip, catches_any_change_to_the_encoded_key) {
    for (const std::string& key : k_keys) {
        test::raw_request r = test::presigned(test::example_request("GET", key));
        const auto query_at = r.target.find('?');
        // An extra "/" (normalisation is not equivalence), or any extra byte.
        for (std::string_view extra : {"/", "Z", "%20"}) {
            test::raw_request changed = r;
            changed.target.insert(query_at, extra);
            EXPECT_EQ(test::verify_error(changed), errc::signature_does_not_match)
                << changed.target;
        }
    }
}

TEST(key_roundtrip, treats_plus_in_a_query_value_as_a_space) {
    // A form-encoded space: the signer signed "a b" as %20, the client sent '+'.
    sigv4::request req = test::example_request();
    req.query = {{"prefix", "a b"}};
    test::raw_request r = test::presigned(req);
    r.target = test::replaced(r.target, "prefix=a%20b", "prefix=a+b");
    EXPECT_EQ(test::verify_error(r), std::nullopt) << r.target;
}

}  // namespace
}  // namespace presign::auth
