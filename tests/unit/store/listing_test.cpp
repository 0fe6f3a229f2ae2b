// Listing against a brute-force reference: every page of every walk (by continuation token, by
// V1 marker, from a start-after) must equal the reference's slice.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <set>

#include "store/object_index.hpp"
#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

using store_list = store_fixture;

// One entry of the reference listing: a key or a common prefix.
struct entry {
    std::string text;
    bool is_prefix = false;
    friend bool operator==(const entry&, const entry&) = default;
};

// The listing as S3 defines it, computed the slow way: every key after `after` under `prefix`,
// rolled up at the first delimiter after the prefix; a group at or before `after` (one `after`
// lies inside) was already passed.
std::vector<entry> reference(const std::set<std::string>& keys, const std::string& prefix,
                             const std::string& delimiter, const std::string& after) {
    std::vector<entry> out;
    std::set<std::string> groups;
    for (const auto& key : keys) {
        if (!key.starts_with(prefix) || key <= after) continue;
        const auto at = delimiter.empty() ? std::string::npos : key.find(delimiter, prefix.size());
        if (at == std::string::npos) {
            out.push_back({key, false});
            continue;
        }
        const auto group = key.substr(0, at + delimiter.size());
        if (after.starts_with(group)) continue;
        if (groups.insert(group).second) out.push_back({group, true});
    }
    std::sort(out.begin(), out.end(),
              [](const entry& a, const entry& b) { return a.text < b.text; });
    return out;
}

std::vector<entry> entries_of(const list_page& page) {
    std::vector<entry> out;
    for (const auto& o : page.objects) out.push_back({o.key, false});
    for (const auto& p : page.common_prefixes) out.push_back({p, true});
    std::sort(out.begin(), out.end(),
              [](const entry& a, const entry& b) { return a.text < b.text; });
    return out;
}

// Keys over a small alphabet (with a 2-byte and a 3-byte UTF-8 character), so prefixes,
// delimiters and groups collide often.
std::set<std::string> random_keys(std::size_t count, std::uint64_t seed) {
    static const std::vector<std::string> alphabet = {
        "a", "b", "/", "-", "\xc3\xa9", "\xe2\x82\xac", "z"};
    std::mt19937_64 engine(seed);
    std::set<std::string> keys;
    while (keys.size() < count) {
        std::string key;
        const auto length = 1 + engine() % 7;
        for (std::size_t i = 0; i < length; ++i) key += alphabet[engine() % alphabet.size()];
        keys.insert(key);
    }
    return keys;
}

// Walks a whole listing page by page and checks each page against the reference slice.
void walk_and_compare(const store& db, const std::set<std::string>& keys, list_request request,
                      bool v1_marker) {
    const auto expected = reference(keys, request.prefix, request.delimiter, request.start_after);
    std::size_t seen = 0;
    for (int pages = 0; pages < 10000; ++pages) {
        const auto page = db.list_objects("bucket", request);
        ASSERT_TRUE(page) << page.error().message;
        const auto got = entries_of(*page);
        const std::size_t wanted = std::min(request.max_keys, expected.size() - seen);
        ASSERT_EQ(got.size(), wanted)
            << "prefix=" << request.prefix << " delim=" << request.delimiter;
        for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected[seen + i]);
        seen += got.size();
        ASSERT_EQ(page->is_truncated, seen < expected.size());
        if (!page->is_truncated) return;
        ASSERT_EQ(page->next_marker, got.back().text);
        if (v1_marker)
            request.start_after = page->next_marker;
        else
            request.continuation_token = page->next_continuation_token;
    }
    FAIL() << "listing did not terminate";
}

TEST_F(store_list, pages_match_a_brute_force_reference) {
    const auto keys = random_keys(3000, 2024);
    for (const auto& key : keys) put(key, "");
    std::mt19937_64 engine(7);
    const std::vector<std::string> prefixes = {"",         "a",    "a/", "/", "b-",
                                               "\xc3\xa9", "\xc3", "zz", "q"};
    const std::vector<std::string> delimiters = {"", "/", "-", "a/", "\xe2\x82\xac", "\xc3"};
    for (const auto& prefix : prefixes) {
        for (const auto& delimiter : delimiters) {
            list_request request;
            request.prefix = prefix;
            request.delimiter = delimiter;
            request.max_keys = 1 + engine() % 400;
            walk_and_compare(db(), keys, request, false);
            walk_and_compare(db(), keys, request, true);
            // From a random existing key or random text as start-after.
            auto it = keys.begin();
            std::advance(it, static_cast<long>(engine() % keys.size()));
            request.start_after = engine() % 2 ? *it : it->substr(0, 2);
            walk_and_compare(db(), keys, request, true);
        }
    }
}

TEST_F(store_list, index_is_rebuilt_at_reopen) {
    const auto keys = random_keys(500, 99);
    for (const auto& key : keys) put(key, key);
    std::set<std::string> remaining = keys;
    for (auto it = remaining.begin(); it != remaining.end();) {
        if (it->size() % 3 == 0) {
            ASSERT_TRUE(db().delete_object("bucket", *it));
            it = remaining.erase(it);
        } else {
            ++it;
        }
    }
    const auto& report = reopen();
    EXPECT_EQ(report.objects, remaining.size());
    list_request request;
    request.delimiter = "/";
    request.max_keys = 37;
    walk_and_compare(db(), remaining, request, false);
    request.delimiter.clear();
    walk_and_compare(db(), remaining, request, false);
    const auto page = db().list_objects("bucket", {});
    ASSERT_FALSE(page->objects.empty());
    const auto& first = page->objects.front();
    EXPECT_EQ(first.size, first.key.size());
    EXPECT_EQ(first.last_modified, clock_.now());
    EXPECT_EQ(first.etag, db().head_object("bucket", first.key)->etag);
}

TEST_F(store_list, a_common_prefix_page_names_the_prefix_as_next_marker) {
    for (const char* key :
         {"dir1/subdir/file.txt", "dir1/subdir.ext", "dir1/subdir1.ext", "dir1/subdir2.ext"})
        put(key, "");
    list_request request;
    request.prefix = "dir1/";
    request.delimiter = "/";
    request.max_keys = 2;
    auto page = db().list_objects("bucket", request);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->objects.size(), 1u);
    EXPECT_EQ(page->objects[0].key, "dir1/subdir.ext");
    ASSERT_EQ(page->common_prefixes, std::vector<std::string>{"dir1/subdir/"});
    EXPECT_TRUE(page->is_truncated);
    EXPECT_EQ(page->next_marker, "dir1/subdir/");
    request.start_after = page->next_marker;
    page = db().list_objects("bucket", request);
    ASSERT_EQ(page->objects.size(), 2u);
    EXPECT_TRUE(page->common_prefixes.empty());
    EXPECT_FALSE(page->is_truncated);
}

TEST_F(store_list, max_keys_zero_is_an_empty_page_and_over_1000_is_clamped) {
    for (int i = 0; i < 1005; ++i) put("key" + std::to_string(10000 + i), "");
    list_request request;
    request.max_keys = 0;
    auto page = db().list_objects("bucket", request);
    EXPECT_TRUE(page->objects.empty());
    EXPECT_FALSE(page->is_truncated);
    request.max_keys = 5000;
    page = db().list_objects("bucket", request);
    EXPECT_EQ(page->objects.size(), 1000u);
    EXPECT_TRUE(page->is_truncated);
    list_request defaults;
    EXPECT_EQ(db().list_objects("bucket", defaults)->objects.size(), 1000u);
}

TEST_F(store_list, a_foreign_continuation_token_is_invalid_argument) {
    list_request request;
    request.continuation_token = "not-a-token";
    EXPECT_EQ(db().list_objects("bucket", request).error().code, errc::invalid_argument);
    request.continuation_token = "aGVsbG8=";  // base64, but not ours
    EXPECT_EQ(db().list_objects("bucket", request).error().code, errc::invalid_argument);
}

TEST_F(store_list, keys_are_in_utf8_binary_order) {
    for (const char* key : {"\xc3\xa9", "z", "Z", "a", "\xe2\x82\xac", "\x7f"}) put(key, "");
    const auto page = db().list_objects("bucket", {});
    std::vector<std::string> keys;
    for (const auto& o : page->objects) keys.push_back(o.key);
    EXPECT_EQ(keys, (std::vector<std::string>{"Z", "a", "z", "\x7f", "\xc3\xa9", "\xe2\x82\xac"}));
}

// A page with a delimiter costs O(page x log n), not a walk over the keys under each common
// prefix: 2000 pages over 100k keys in 10 groups finish in well under the time one full walk per
// page would take (2000 x 100k steps).
TEST(store_list_index, common_prefixes_skip_their_keys_instead_of_walking_them) {
    detail::object_index index;
    for (int g = 0; g < 10; ++g)
        for (int i = 0; i < 10000; ++i)
            index.emplace("group" + std::to_string(g) + "/" + std::to_string(i),
                          detail::index_entry{});
    index.emplace("loose", detail::index_entry{});
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < 2000; ++round) {
        const auto page = detail::build_list_page(index, "", "/", "", 1000);
        ASSERT_EQ(page.common_prefixes.size(), 10u);
        ASSERT_EQ(page.objects.size(), 1u);
        ASSERT_FALSE(page.is_truncated);
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(2));
    // Paging through one large group without a delimiter: each page is 1000 steps.
    list_page page = detail::build_list_page(index, "group5/", "", "", 1000);
    std::size_t total = page.objects.size();
    while (page.is_truncated) {
        page = detail::build_list_page(index, "group5/", "", page.next_marker, 1000);
        total += page.objects.size();
    }
    EXPECT_EQ(total, 10000u);
}

TEST(store_list_index, continuation_tokens_round_trip_any_position) {
    for (const std::string& position :
         std::vector<std::string>{"", "a", "dir/", std::string("\xf0\x9f\x98\x80/\0x", 7)}) {
        const auto token = detail::encode_continuation_token(position);
        EXPECT_EQ(detail::decode_continuation_token(token).value(), position);
    }
}

}  // namespace
}  // namespace presign::store::test
