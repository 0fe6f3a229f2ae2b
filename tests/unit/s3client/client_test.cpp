// The client against the real store on 127.0.0.1:0: every call, its errors as S3 names them,
// keys that need encoding, and pooling; scripted servers for what the store never does
// (ListParts pages, a 200 reply carrying an error, timeouts).

#include "s3client/client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "unit/s3client/scripted_server.hpp"
#include "unit/s3client/store_server.hpp"

namespace presign::s3client::test {
namespace {

using namespace std::chrono_literals;

class client_test : public ::testing::Test {
  protected:
    client make_client(settings s) const { return client(std::move(s), store_.clock()); }

    store_server store_;
    client client_{store_.client_settings(), store_.clock()};
    transport uploads_{transport_settings{}};  // the browser's side: presigned PUTs
};

// A client for a scripted server on `port`.
settings scripted_settings(std::uint16_t port) {
    settings s;
    s.endpoint_url = "http://127.0.0.1:" + std::to_string(port);
    s.credentials = test_credentials();
    s.timeout = 2s;
    return s;
}

TEST_F(client_test, head_bucket_succeeds_for_an_existing_bucket) {
    auto ok = client_.head_bucket(k_bucket);
    EXPECT_TRUE(ok) << ok.error().message;
}

TEST_F(client_test, head_bucket_of_a_missing_bucket_is_404_no_such_bucket) {
    auto missing = client_.head_bucket("no-such-bucket");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().status, 404u);
    EXPECT_EQ(missing.error().code, "NoSuchBucket");
}

TEST_F(client_test, head_bucket_with_a_wrong_secret_is_403_signature_does_not_match) {
    settings s = store_.client_settings();
    s.credentials = test_credentials("not-the-secret-at-all");
    const client wrong = make_client(std::move(s));
    auto refused = wrong.head_bucket(k_bucket);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().status, 403u);
    EXPECT_EQ(refused.error().code, "SignatureDoesNotMatch");
    // Neither the secret nor a signature ever shows in a message.
    EXPECT_EQ(refused.error().message.find("not-the-secret"), std::string::npos);
    EXPECT_EQ(refused.error().message.find("Signature="), std::string::npos);
}

TEST_F(client_test, multipart_upload_from_create_to_complete) {
    const std::string key = "videos/clip.mp4";
    auto id = client_.create_multipart_upload(k_bucket, key, "video/mp4");
    ASSERT_TRUE(id) << id.error().message;
    const std::string first(5 * 1024 * 1024, 'a');  // every part but the last: 5 MiB at least
    const std::string second = "the end";
    const std::string etag1 = put_part(uploads_, store_, key, *id, 1, first);
    const std::string etag2 = put_part(uploads_, store_, key, *id, 2, second);

    auto parts = client_.list_parts(k_bucket, key, *id);
    ASSERT_TRUE(parts) << parts.error().message;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].part_number, 1);
    EXPECT_EQ((*parts)[0].size, first.size());
    EXPECT_EQ((*parts)[0].etag, etag1);
    EXPECT_FALSE((*parts)[0].last_modified.empty());
    EXPECT_EQ((*parts)[1].part_number, 2);
    EXPECT_EQ((*parts)[1].size, second.size());
    EXPECT_EQ((*parts)[1].etag, etag2);

    auto done = client_.complete_multipart_upload(k_bucket, key, *id,
                                                  {{1, (*parts)[0].etag}, {2, (*parts)[1].etag}});
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_NE(done->etag.find("-2"), std::string::npos) << done->etag;

    auto head = client_.head_object(k_bucket, key);
    ASSERT_TRUE(head) << head.error().message;
    EXPECT_EQ(head->size, first.size() + second.size());
    EXPECT_EQ(head->etag, done->etag);
    EXPECT_EQ(head->content_type, "video/mp4");
    EXPECT_FALSE(head->last_modified.empty());
}

TEST_F(client_test, completing_with_a_wrong_etag_is_invalid_part) {
    auto id = client_.create_multipart_upload(k_bucket, "k", "");
    ASSERT_TRUE(id);
    put_part(uploads_, store_, "k", *id, 1, "data");
    auto done = client_.complete_multipart_upload(k_bucket, "k", *id, {{1, "\"0000\""}});
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().status, 400u);
    EXPECT_EQ(done.error().code, "InvalidPart");
}

TEST_F(client_test, an_aborted_upload_has_no_parts_to_list) {
    auto id = client_.create_multipart_upload(k_bucket, "aborted", "");
    ASSERT_TRUE(id);
    put_part(uploads_, store_, "aborted", *id, 1, "data");
    auto aborted = client_.abort_multipart_upload(k_bucket, "aborted", *id);
    ASSERT_TRUE(aborted) << aborted.error().message;
    auto parts = client_.list_parts(k_bucket, "aborted", *id);
    ASSERT_FALSE(parts);
    EXPECT_EQ(parts.error().status, 404u);
    EXPECT_EQ(parts.error().code, "NoSuchUpload");
    auto again = client_.abort_multipart_upload(k_bucket, "aborted", *id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "NoSuchUpload");
}

TEST_F(client_test, list_objects_pages_through_five_keys_two_at_a_time) {
    for (const char* key : {"p/1", "p/2", "p/3", "p/4", "p/5", "q/other"})
        put_object(uploads_, store_, key, "x");
    std::vector<std::string> seen;
    std::string token;
    int pages = 0;
    do {
        auto page = client_.list_objects(k_bucket, "p/", token, 2);
        ASSERT_TRUE(page) << page.error().message;
        ASSERT_LE(page->objects.size(), 2u);
        for (const object_info& o : page->objects) {
            seen.push_back(o.key);
            EXPECT_EQ(o.size, 1u);
            EXPECT_EQ(o.etag.front(), '"');
        }
        token = page->truncated ? page->next_continuation_token : "";
        ASSERT_LT(++pages, 10);
    } while (!token.empty());
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen, (std::vector<std::string>{"p/1", "p/2", "p/3", "p/4", "p/5"}));
}

TEST_F(client_test, list_objects_refuses_max_keys_outside_1_to_1000) {
    for (int bad : {0, -1, 1001}) {
        auto page = client_.list_objects(k_bucket, "", "", bad);
        ASSERT_FALSE(page);
        EXPECT_EQ(page.error().status, 0u);
    }
}

TEST_F(client_test, keys_with_spaces_unicode_and_plus_round_trip) {
    const std::vector<std::string> keys = {"with space/a b.txt", "plus+sign/1+1=2",
                                           "unicode/\xc3\xa9t\xc3\xa9 \xe2\x9c\x93.txt",
                                           "odd/&<>\"'%20?#", "trailing space "};
    for (const std::string& key : keys) {
        auto id = client_.create_multipart_upload(k_bucket, key, "text/plain");
        ASSERT_TRUE(id) << key << ": " << id.error().message;
        const std::string etag = put_part(uploads_, store_, key, *id, 1, "body of " + key);
        auto parts = client_.list_parts(k_bucket, key, *id);
        ASSERT_TRUE(parts) << key << ": " << parts.error().message;
        ASSERT_EQ(parts->size(), 1u);
        auto done = client_.complete_multipart_upload(k_bucket, key, *id, {{1, etag}});
        ASSERT_TRUE(done) << key << ": " << done.error().message;
        auto head = client_.head_object(k_bucket, key);
        ASSERT_TRUE(head) << key << ": " << head.error().message;
        EXPECT_EQ(head->size, ("body of " + key).size());
    }
    for (const std::string& key : keys) {
        // The key itself as the prefix: raw in the listing, exactly the key.
        auto page = client_.list_objects(k_bucket, key, "");
        ASSERT_TRUE(page) << key << ": " << page.error().message;
        ASSERT_EQ(page->objects.size(), 1u) << key;
        EXPECT_EQ(page->objects[0].key, key);
    }
    for (const std::string& key : keys) {
        ASSERT_TRUE(client_.delete_object(k_bucket, key)) << key;
        auto gone = client_.head_object(k_bucket, key);
        ASSERT_FALSE(gone) << key;
        EXPECT_EQ(gone.error().status, 404u);
        EXPECT_EQ(gone.error().code, "NotFound");
    }
}

TEST_F(client_test, delete_object_removes_and_a_missing_key_is_no_error) {
    put_object(uploads_, store_, "doomed", "x");
    ASSERT_TRUE(client_.head_object(k_bucket, "doomed"));
    auto deleted = client_.delete_object(k_bucket, "doomed");
    ASSERT_TRUE(deleted) << deleted.error().message;
    EXPECT_FALSE(client_.head_object(k_bucket, "doomed"));
    EXPECT_TRUE(client_.delete_object(k_bucket, "doomed"));
}

TEST_F(client_test, two_hundred_sequential_calls_share_pooled_connections) {
    for (int i = 0; i < 200; ++i) {
        auto ok = client_.head_bucket(k_bucket);
        ASSERT_TRUE(ok) << i << ": " << ok.error().message;
    }
}

TEST_F(client_test, calls_from_several_threads_at_once) {
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            const std::string key = "thread-" + std::to_string(t);
            for (int i = 0; i < 20; ++i) {
                auto id = client_.create_multipart_upload(k_bucket, key, "");
                if (!id || !client_.list_parts(k_bucket, key, *id) ||
                    !client_.abort_multipart_upload(k_bucket, key, *id))
                    ++failures;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
}

TEST(client, reuses_its_connections_across_calls) {
    scripted_server server([](const received&) { return action{http_reply_text(200, "")}; });
    const core::fixed_clock clock(test_time());
    const client c(scripted_settings(server.port()), clock);
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(c.head_bucket("b")) << i;
    EXPECT_EQ(server.accepted(), 1);
}

TEST(client, list_parts_follows_the_part_number_marker_to_the_last_page) {
    scripted_server server([](const received& r) {
        const bool second = r.head.find("part-number-marker=2") != std::string::npos;
        std::string xml = "<ListPartsResult><IsTruncated>";
        xml += second ? "false</IsTruncated>" : "true</IsTruncated>";
        if (!second) xml += "<NextPartNumberMarker>2</NextPartNumberMarker>";
        for (int n : second ? std::vector<int>{3} : std::vector<int>{1, 2})
            xml += "<Part><PartNumber>" + std::to_string(n) + "</PartNumber><ETag>\"e" +
                   std::to_string(n) + "\"</ETag><Size>" + std::to_string(n * 10) +
                   "</Size></Part>";
        xml += "</ListPartsResult>";
        return action{http_reply_text(200, xml)};
    });
    const core::fixed_clock clock(test_time());
    const client c(scripted_settings(server.port()), clock);
    auto parts = c.list_parts("b", "k", "upload-1");
    ASSERT_TRUE(parts) << parts.error().message;
    ASSERT_EQ(parts->size(), 3u);
    EXPECT_EQ((*parts)[2].part_number, 3);
    EXPECT_EQ((*parts)[2].etag, "\"e3\"");
    EXPECT_EQ((*parts)[2].size, 30u);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].head.find("part-number-marker"), std::string::npos);
    EXPECT_NE(requests[1].head.find("uploadId=upload-1"), std::string::npos);
}

TEST(client, list_parts_refuses_a_page_that_does_not_advance) {
    scripted_server server([](const received&) {
        return action{http_reply_text(
            200, "<ListPartsResult><IsTruncated>true</IsTruncated></ListPartsResult>")};
    });
    const core::fixed_clock clock(test_time());
    const client c(scripted_settings(server.port()), clock);
    auto parts = c.list_parts("b", "k", "u");
    ASSERT_FALSE(parts);
    EXPECT_EQ(parts.error().status, 200u);
}

TEST(client, list_parts_stops_when_the_marker_repeats) {
    scripted_server server([](const received&) {
        return action{http_reply_text(
            200,
            "<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>1"
            "</NextPartNumberMarker><Part><PartNumber>1</PartNumber><ETag>\"e\"</ETag>"
            "<Size>1</Size></Part></ListPartsResult>")};
    });
    const core::fixed_clock clock(test_time());
    const client c(scripted_settings(server.port()), clock);
    auto parts = c.list_parts("b", "k", "u");
    ASSERT_FALSE(parts);
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST(client, a_200_complete_reply_carrying_an_error_is_an_error) {
    scripted_server server([](const received&) {
        return action{http_reply_text(
            200,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error><Code>InternalError"
            "</Code><Message>We encountered an internal error.</Message></Error>")};
    });
    const core::fixed_clock clock(test_time());
    const client c(scripted_settings(server.port()), clock);
    auto done = c.complete_multipart_upload("b", "k", "u", {{1, "\"e\""}});
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().status, 200u);
    EXPECT_EQ(done.error().code, "InternalError");
    EXPECT_EQ(done.error().message, "We encountered an internal error.");
    // The body sent: the parts in XML, signed over its SHA-256.
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_NE(requests[0].body.find("<ETag>&quot;e&quot;</ETag>"), std::string::npos);
    EXPECT_EQ(requests[0].head.find("UNSIGNED-PAYLOAD"), std::string::npos);
}

TEST(client, a_complete_reply_without_etag_takes_the_objects_etag_from_head_object) {
    // Ceph RGW 16 answers CompleteMultipartUpload with <ETag></ETag>.
    scripted_server server([](const received& r) {
        if (r.head.starts_with("HEAD "))
            return action{"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nETag: \"abc-2\"\r\n\r\n"};
        return action{http_reply_text(
            200,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUploadResult><Location>"
            "http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag></ETag>"
            "</CompleteMultipartUploadResult>")};
    });
    const core::fixed_clock clock(test_time());
    const client c(scripted_settings(server.port()), clock);
    auto done = c.complete_multipart_upload("b", "k", "u", {{1, "\"e\""}});
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(done->etag, "\"abc-2\"");
    EXPECT_EQ(done->location, "http://h/b/k");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_TRUE(requests[1].head.starts_with("HEAD /b/k HTTP/1.1")) << requests[1].head;
}

TEST(client, a_call_to_a_silent_server_times_out_with_status_0) {
    silent_listener silent;
    const core::fixed_clock clock(test_time());
    settings s = scripted_settings(silent.port());
    s.timeout = 300ms;
    const client c(s, clock);
    const auto start = std::chrono::steady_clock::now();
    auto ok = c.delete_object("b", "k");
    ASSERT_FALSE(ok);
    EXPECT_EQ(ok.error().status, 0u);
    EXPECT_EQ(ok.error().code, "");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(client, an_error_reply_that_is_not_xml_keeps_its_status) {
    scripted_server server(
        [](const received&) { return action{http_reply_text(502, "<html>Bad Gateway</html>")}; });
    const core::fixed_clock clock(test_time());
    const client c(scripted_settings(server.port()), clock);
    auto page = c.list_objects("b", "", "");
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().status, 502u);
    EXPECT_EQ(page.error().code, "");
}

TEST(client, refuses_unusable_settings_at_construction) {
    const core::fixed_clock clock(test_time());
    settings s = scripted_settings(9000);
    s.endpoint_url = "ftp://example.com";
    EXPECT_THROW((client{s, clock}), std::invalid_argument);
    s = scripted_settings(9000);
    s.region = "Not A Region";
    EXPECT_THROW((client{s, clock}), std::invalid_argument);
    s = scripted_settings(9000);
    s.credentials = {};
    EXPECT_THROW((client{s, clock}), std::invalid_argument);
    s = scripted_settings(9000);
    s.timeout = 0ms;
    EXPECT_THROW((client{s, clock}), std::invalid_argument);
}

}  // namespace
}  // namespace presign::s3client::test
