#include "s3/form_data.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace presign::s3 {
namespace {

// Records what the reader reports: one entry per part, its data joined.
struct recorded_part {
    std::string name;
    std::optional<std::string> filename;
    std::string content_type;
    std::uint64_t offset = 0;
    std::string data;
    bool ended = false;
    bool operator==(const recorded_part&) const = default;
};

class recorder : public form_sink {
  public:
    std::vector<recorded_part> parts;
    std::size_t data_calls = 0;

    form_status on_part(const form_part& p) override {
        if (!parts.empty()) {
            EXPECT_TRUE(parts.back().ended);
        }
        parts.push_back({p.name, p.filename, p.content_type, p.offset, {}, false});
        return {};
    }
    form_status on_data(std::string_view bytes) override {
        EXPECT_FALSE(bytes.empty());
        EXPECT_FALSE(parts.empty());
        ++data_calls;
        parts.back().data.append(bytes);
        return {};
    }
    form_status on_part_end() override {
        parts.back().ended = true;
        return {};
    }
};

constexpr std::string_view k_boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

// A multipart body of (name, data) parts; a name "file" gets a filename.
std::string body_of(const std::vector<std::pair<std::string, std::string>>& parts,
                    std::string_view boundary = k_boundary) {
    std::string b;
    for (const auto& [name, data] : parts) {
        b.append("--").append(boundary).append("\r\n");
        b.append("Content-Disposition: form-data; name=\"").append(name).append("\"");
        if (name == "file") b.append("; filename=\"a.bin\"\r\nContent-Type: application/x-test");
        b.append("\r\n\r\n").append(data).append("\r\n");
    }
    b.append("--").append(boundary).append("--\r\n");
    return b;
}

// Feeds `body` split at `cuts` (ascending positions); returns the reader's verdict.
form_status read(std::string_view body, recorder& rec, std::vector<std::size_t> cuts = {},
                 std::string_view boundary = k_boundary) {
    form_reader reader(boundary);
    std::size_t from = 0;
    cuts.push_back(body.size());
    for (std::size_t cut : cuts) {
        if (auto ok = reader.feed(body.substr(from, cut - from), rec); !ok) return ok;
        from = cut;
    }
    return reader.finish();
}

std::vector<recorded_part> parts_of(std::string_view body, std::vector<std::size_t> cuts = {}) {
    recorder rec;
    auto ok = read(body, rec, std::move(cuts));
    EXPECT_TRUE(ok) << (ok ? "" : ok.error().text());
    return rec.parts;
}

TEST(form_boundary, reads_token_and_quoted_boundaries) {
    EXPECT_EQ(*parse_form_boundary("multipart/form-data; boundary=abc123"), "abc123");
    EXPECT_EQ(*parse_form_boundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
    EXPECT_EQ(*parse_form_boundary("multipart/form-data; charset=utf-8; BOUNDARY=x"), "x");
    EXPECT_EQ(
        *parse_form_boundary(std::string("multipart/form-data; boundary=") + std::string(70, 'b')),
        std::string(70, 'b'));
}

TEST(form_boundary, refuses_other_types_and_bad_boundaries) {
    auto other = parse_form_boundary("application/x-www-form-urlencoded");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().which, code::precondition_failed);
    ASSERT_EQ(other.error().details.size(), 1u);
    EXPECT_EQ(other.error().details[0].second,
              "Bucket POST must be of the enclosure-type multipart/form-data");
    EXPECT_EQ(parse_form_boundary("").error().which, code::precondition_failed);
    for (std::string bad : std::vector<std::string>{
             "multipart/form-data", "multipart/form-data; boundary=",
             "multipart/form-data; boundary=\"\"", "multipart/form-data; boundary=\"a ",
             "multipart/form-data; boundary=\"ab \"", "multipart/form-data; boundary=a; boundary=b",
             "multipart/form-data; boundary=" + std::string(71, 'b'),
             "multipart/form-data; boundary=caf\xc3\xa9"}) {
        auto b = parse_form_boundary(bad);
        ASSERT_FALSE(b) << bad;
        EXPECT_EQ(b.error().which, code::malformed_post_request) << bad;
    }
}

TEST(form_part_headers, reads_name_filename_and_type) {
    auto p = parse_part_headers(
        "content-disposition: form-data; name=\"file\"; filename=\"C:\\dir\\a;b.txt\"\r\n"
        "Content-Type:  image/png \r\nX-Other: ignored\r\n");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->name, "file");
    EXPECT_EQ(p->filename, "C:\\dir\\a;b.txt");  // taken literally, as browsers send it
    EXPECT_EQ(p->content_type, "image/png");
    auto token = parse_part_headers("Content-Disposition: form-data; name=key\r\n");
    ASSERT_TRUE(token);
    EXPECT_EQ(token->name, "key");
    EXPECT_FALSE(token->filename);
    auto empty_filename =
        parse_part_headers("Content-Disposition: form-data; filename=\"\"; name=\"file\"\r\n");
    ASSERT_TRUE(empty_filename);
    EXPECT_EQ(empty_filename->filename, "");
}

TEST(form_part_headers, refuses_malformed_blocks) {
    for (const char* bad : {
             "",                                                    // no disposition
             "Content-Type: text/plain\r\n",                        // no disposition
             "Content-Disposition: attachment; name=\"a\"\r\n",     // not form-data
             "Content-Disposition: form-data\r\n",                  // no name
             "Content-Disposition: form-data; name=\"\"\r\n",       // empty name
             "Content-Disposition: form-data; name=\"a\r\n",        // unterminated quote
             "Content-Disposition: form-data; name=\"a\" x\r\n",    // junk after a value
             "Content-Disposition: form-data; name=a; name=b\r\n",  // repeated name
             "Content-Disposition: form-data; name=\"a\"\r\n"
             "Content-Disposition: form-data; name=\"b\"\r\n",             // repeated header
             "Content-Disposition: form-data; name=\"a\"\r\n folded\r\n",  // obsolete folding
             "Content-Disposition: form-data; name=\"a\nb\"\r\n",          // bare LF
             "Content Disposition: form-data; name=\"a\"\r\n",             // bad header name
             "Content-Disposition form-data; name=\"a\"\r\n",              // no colon
         }) {
        auto p = parse_part_headers(bad);
        ASSERT_FALSE(p) << bad;
        EXPECT_EQ(p.error().which, code::malformed_post_request) << bad;
    }
}

TEST(form_reader, reads_fields_and_a_file_with_offsets) {
    const std::string body = body_of({{"key", "uploads/${filename}"}, {"file", "file\r\ndata"}});
    const auto parts = parts_of(body);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].name, "key");
    EXPECT_EQ(parts[0].data, "uploads/${filename}");
    EXPECT_EQ(body.substr(parts[0].offset, parts[0].data.size()), parts[0].data);
    EXPECT_EQ(parts[1].name, "file");
    EXPECT_EQ(parts[1].filename, "a.bin");
    EXPECT_EQ(parts[1].content_type, "application/x-test");
    EXPECT_EQ(parts[1].data, "file\r\ndata");
    EXPECT_EQ(body.substr(parts[1].offset, parts[1].data.size()), parts[1].data);
    EXPECT_TRUE(parts[1].ended);
}

TEST(form_reader, ignores_preamble_epilogue_and_padding) {
    const std::string body =
        "preamble --not-it\r\n--XYZ \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
        "\r\n--XYZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n\r\n--XYZ-- epilogue "
        "\r\n--XYZ\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\nlate\r\n";
    recorder rec;
    ASSERT_TRUE(read(body, rec, {}, "XYZ"));
    ASSERT_EQ(rec.parts.size(), 2u);
    EXPECT_EQ(rec.parts[0].data, "1");
    EXPECT_EQ(rec.parts[1].data, "");  // an empty part
}

TEST(form_reader, data_resembling_the_delimiter_is_data) {
    const std::string tricky = std::string("\r\n--") + "----WebKitFormBoundary7MA4YWxkTrZu0g" +
                               "\r\r\n\r\n-" + "\r\n--" + std::string(k_boundary).substr(0, 10) +
                               "--" + std::string(k_boundary) + "\r";
    const auto parts = parts_of(body_of({{"file", tricky}, {"after", "x"}}));
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].data, tricky);
    EXPECT_EQ(parts[1].data, "x");
}

TEST(form_reader, a_body_without_its_closing_delimiter_is_malformed) {
    std::string body = body_of({{"key", "a"}, {"file", "data"}});
    for (std::size_t cut : {body.size() - 4, body.size() - 10, std::size_t{5}, std::size_t{0}}) {
        recorder rec;
        auto ok = read(body.substr(0, cut), rec);
        ASSERT_FALSE(ok) << cut;
        EXPECT_EQ(ok.error().which, code::malformed_post_request);
    }
}

TEST(form_reader, junk_after_a_delimiter_is_malformed) {
    for (const char* bad : {"--B\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--Bjunk--",
                            "--B-x", "--B\rX", "--B   x\r\n"}) {
        recorder rec;
        auto ok = read(bad, rec, {}, "B");
        ASSERT_FALSE(ok) << bad;
        EXPECT_EQ(ok.error().which, code::malformed_post_request);
    }
}

TEST(form_reader, part_headers_and_padding_are_bounded) {
    std::string body =
        "--B\r\nContent-Disposition: form-data; name=a\r\nX: " + std::string(9000, 'h') +
        "\r\n\r\nx\r\n--B--";
    recorder rec;
    auto ok = read(body, rec, {}, "B");
    ASSERT_FALSE(ok);
    EXPECT_EQ(ok.error().which, code::malformed_post_request);
    recorder rec2;
    EXPECT_FALSE(read("--B" + std::string(300, ' ') + "\r\n", rec2, {}, "B"));
}

TEST(form_reader, a_sink_error_stops_the_reader) {
    struct refusing : recorder {
        form_status on_data(std::string_view) override {
            return core::fail(error{code::entity_too_large, "", {}});
        }
    } rec;
    form_reader reader("B");
    auto ok = reader.feed("--B\r\nContent-Disposition: form-data; name=file\r\n\r\nxyz", rec);
    ASSERT_FALSE(ok);
    EXPECT_EQ(ok.error().which, code::entity_too_large);
}

// The body of the fuzz tests: fields, a file whose data is full of near-delimiters, a part
// after the file, preamble and epilogue.
std::string fuzz_body() {
    std::string file = "\r\n\r\n--";
    file += std::string(k_boundary).substr(0, 20) + "\r\r\n-\r\n--";
    file += std::string(k_boundary).substr(0, k_boundary.size() - 1);  // one short of a delimiter
    file += "X\r\n" + std::string(k_boundary) + "\r";
    std::string body = "ignored preamble\r\n";
    body += body_of({{"key", "u/${filename}"}, {"policy", "eyJ9"}, {"file", file}, {"tail", "t"}});
    return body + "epilogue";
}

TEST(form_reader, any_split_into_two_chunks_reads_the_same_parts) {
    const std::string body = fuzz_body();
    const auto expected = parts_of(body);
    ASSERT_EQ(expected.size(), 4u);
    for (std::size_t i = 0; i <= body.size(); ++i) ASSERT_EQ(parts_of(body, {i}), expected) << i;
}

TEST(form_reader, any_split_into_three_chunks_reads_the_same_parts) {
    const std::string body = fuzz_body();
    const auto expected = parts_of(body);
    for (std::size_t i = 0; i <= body.size(); ++i)
        for (std::size_t j = i; j <= body.size(); ++j)
            ASSERT_EQ(parts_of(body, {i, j}), expected) << i << " " << j;
}

TEST(form_reader, byte_by_byte_reads_the_same_parts) {
    const std::string body = fuzz_body();
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < body.size(); ++i) cuts.push_back(i);
    EXPECT_EQ(parts_of(body, cuts), parts_of(body));
}

TEST(form_reader, large_data_is_passed_on_in_few_pieces) {
    const std::string data(1 << 20, 'x');
    recorder rec;
    ASSERT_TRUE(read(body_of({{"file", data}}), rec));
    EXPECT_EQ(rec.parts.at(0).data, data);
    EXPECT_LE(rec.data_calls, 2u);
}

// Random bytes hold a CR every 256 bytes on average; each must not cost a sink call (the
// store writes what on_data gets), nor must near-misses of the delimiter.
TEST(form_reader, data_full_of_carriage_returns_is_passed_on_in_few_pieces) {
    std::string data;
    for (std::size_t i = 0; data.size() < (1u << 20); ++i)
        data.append(i % 5 == 0 ? "\r\n--" + std::string(k_boundary).substr(0, i % 30) : "\r abc");
    recorder rec;
    ASSERT_TRUE(read(body_of({{"file", data}}), rec));
    EXPECT_EQ(rec.parts.at(0).data, data);
    EXPECT_LE(rec.data_calls, 2u);
}

}  // namespace
}  // namespace presign::s3
