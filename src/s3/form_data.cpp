#include "s3/form_data.hpp"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "core/ascii.hpp"

namespace presign::s3 {

namespace {
using core::iequals;

core::failure<error> malformed(std::string message = {}) {
    return {error{code::malformed_post_request, std::move(message), {}}};
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

using parameter = std::pair<std::string_view, std::string_view>;

// `; name=value; name="value"` after a media type or disposition type. Quoted strings end at
// the next '"' (no backslash escapes: see parse_part_headers). Nullopt when malformed.
std::optional<std::vector<parameter>> parse_parameters(std::string_view s) {
    std::vector<parameter> out;
    while (true) {
        s = trim(s);
        if (s.empty()) return out;
        const auto eq = s.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const std::string_view name = trim(s.substr(0, eq));
        if (name.empty()) return std::nullopt;
        s = trim(s.substr(eq + 1));
        std::string_view value;
        if (!s.empty() && s.front() == '"') {
            const auto close = s.find('"', 1);
            if (close == std::string_view::npos) return std::nullopt;
            value = s.substr(1, close - 1);
            s = trim(s.substr(close + 1));
        } else {
            const auto end = s.find(';');
            value = trim(s.substr(0, end));
            if (value.empty()) return std::nullopt;
            s = end == std::string_view::npos ? std::string_view() : s.substr(end);
        }
        if (!s.empty()) {
            if (s.front() != ';') return std::nullopt;
            s.remove_prefix(1);
        }
        out.emplace_back(name, value);
    }
}

// The type before the first ';', and the parameters after it.
std::pair<std::string_view, std::string_view> split_type(std::string_view value) {
    const auto semi = value.find(';');
    return {trim(value.substr(0, semi)),
            semi == std::string_view::npos ? std::string_view() : value.substr(semi + 1)};
}

form_status read_disposition(std::string_view value, form_part& part) {
    const auto [type, rest] = split_type(value);
    if (!iequals(type, "form-data"))
        return malformed("A part's Content-Disposition must be form-data.");
    const auto params = parse_parameters(rest);
    if (!params) return malformed("A part's Content-Disposition is malformed.");
    bool named = false;
    for (const auto& [name, v] : *params) {
        if (iequals(name, "name")) {
            if (named) return malformed("A part's Content-Disposition repeats name.");
            named = true;
            part.name = v;
        } else if (iequals(name, "filename")) {
            if (part.filename) return malformed("A part's Content-Disposition repeats filename.");
            part.filename = std::string(v);
        }  // other parameters (filename*, ...) carry nothing S3 uses
    }
    if (part.name.empty()) return malformed("A part's Content-Disposition has no name.");
    return {};
}

bool is_header_name(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name)
        if (c <= ' ' || c >= 0x7f || c == ':') return false;
    return true;
}
}  // namespace

core::result<std::string, error> parse_form_boundary(std::string_view content_type) {
    const auto [type, rest] = split_type(content_type);
    if (!iequals(type, "multipart/form-data"))
        return core::fail(error{
            code::precondition_failed,
            "",
            {{"Condition", "Bucket POST must be of the enclosure-type multipart/form-data"}}});
    const auto params = parse_parameters(rest);
    if (!params) return malformed("The Content-Type parameters are malformed.");
    std::optional<std::string_view> boundary;
    for (const auto& [name, value] : *params)
        if (iequals(name, "boundary")) {
            if (boundary) return malformed("The Content-Type repeats its boundary.");
            boundary = value;
        }
    // RFC 2046: 1..70 characters, not ending in a space. Any printable ASCII is taken.
    bool ok = boundary && !boundary->empty() && boundary->size() <= 70 && boundary->back() != ' ';
    for (char c : boundary.value_or("")) ok = ok && c >= ' ' && c <= '~';
    if (!ok) return malformed("The multipart/form-data boundary is missing or invalid.");
    return std::string(*boundary);
}

core::result<form_part, error> parse_part_headers(std::string_view block) {
    form_part part;
    bool disposition = false;
    bool type = false;
    while (!block.empty()) {
        const auto eol = block.find("\r\n");
        if (eol == std::string_view::npos) return malformed();
        const std::string_view line = block.substr(0, eol);
        block.remove_prefix(eol + 2);
        if (line.find_first_of("\r\n") != std::string_view::npos)
            return malformed("A part header contains a bare CR or LF.");
        const auto colon = line.find(':');
        // A line starting with a space (obsolete folding) has no valid name either.
        if (colon == std::string_view::npos || !is_header_name(line.substr(0, colon)))
            return malformed("A part header is malformed.");
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "content-disposition")) {
            if (std::exchange(disposition, true))
                return malformed("A part repeats Content-Disposition.");
            if (auto ok = read_disposition(value, part); !ok) return core::fail(ok.error());
        } else if (iequals(name, "content-type")) {
            if (std::exchange(type, true)) return malformed("A part repeats Content-Type.");
            part.content_type = value;
        }
    }
    if (!disposition) return malformed("A part has no Content-Disposition.");
    return part;
}

form_reader::form_reader(std::string_view boundary, form_limits limits)
    : delimiter_("\r\n--"), limits_(limits) {
    delimiter_.append(boundary);
}

form_status form_reader::feed(std::string_view chunk, form_sink& sink) {
    std::size_t i = 0;
    while (i < chunk.size()) {
        at_ = position_ + i;
        switch (state_) {
            case state::preamble:
            case state::data:
                if (auto ok = scan(chunk, i, sink); !ok) return ok;
                break;
            case state::headers:
                at_ = position_ + i + 1;
                if (auto ok = header_byte(chunk[i++], sink); !ok) return ok;
                break;
            case state::epilogue: i = chunk.size(); break;
            default:
                if (auto ok = after_delimiter(chunk[i++]); !ok) return ok;
                break;
        }
    }
    position_ += chunk.size();
    return {};
}

// Preamble or part data up to the next delimiter. Data is passed on in the largest spans the
// chunk allows (random bytes hold a CR every 256 bytes on average, and a sink call per CR would
// mean a write(2) per 256 bytes): a CR that does not begin the delimiter is skipped over, not
// emitted. Bytes that may begin a delimiter at the end of the chunk are held back (as
// `matched_`, since they equal the delimiter's first bytes) until the next chunk proves them to
// be data. CR occurs in the delimiter only at its start, so a mismatch never hides the start of
// another delimiter except at the mismatching byte itself, which is read again.
form_status form_reader::scan(std::string_view chunk, std::size_t& i, form_sink& sink) {
    const bool data = state_ == state::data;
    const auto emit = [&](std::size_t from, std::size_t to) -> form_status {
        if (data && to > from) return sink.on_data(chunk.substr(from, to - from));
        return {};
    };
    const auto delimited = [&](std::size_t next) -> form_status {
        i = next;
        matched_ = 0;
        padding_ = 0;
        state_ = state::after_delimiter;
        if (data) return sink.on_part_end();
        return {};
    };
    while (i < chunk.size()) {
        if (matched_ == 0) {
            const std::size_t from = i;
            std::size_t at = i;
            for (;;) {
                const void* cr = std::memchr(chunk.data() + at, '\r', chunk.size() - at);
                if (cr == nullptr) {
                    i = chunk.size();
                    return emit(from, chunk.size());
                }
                at = static_cast<std::size_t>(static_cast<const char*>(cr) - chunk.data());
                const std::size_t seen = std::min(delimiter_.size(), chunk.size() - at);
                if (chunk.compare(at, seen, delimiter_, 0, seen) == 0) break;
                ++at;
            }
            if (auto ok = emit(from, at); !ok) return ok;
            const std::size_t seen = std::min(delimiter_.size(), chunk.size() - at);
            if (seen == delimiter_.size()) return delimited(at + seen);
            matched_ = seen;  // the chunk ends inside a possible delimiter
            i = chunk.size();
            return {};
        }
        // A possible delimiter begun in an earlier chunk.
        if (chunk[i] == delimiter_[matched_]) {
            ++i;
            if (++matched_ < delimiter_.size()) continue;
            return delimited(i);
        }
        if (data)
            if (auto ok = sink.on_data(std::string_view(delimiter_).substr(0, matched_)); !ok)
                return ok;
        matched_ = 0;
    }
    return {};
}

// After "--boundary": "--" closes the body; otherwise optional padding, then CRLF.
form_status form_reader::after_delimiter(char c) {
    const bool space = c == ' ' || c == '\t';
    switch (state_) {
        case state::after_delimiter:
            if (c == '-') return state_ = state::dash, form_status{};
            if (space) return state_ = state::padding, form_status{};
            if (c == '\r') return state_ = state::lf, form_status{};
            break;
        case state::dash:
            if (c == '-') return state_ = state::epilogue, form_status{};
            break;
        case state::padding:
            if (space && ++padding_ <= limits_.max_padding) return {};
            if (c == '\r') return state_ = state::lf, form_status{};
            break;
        case state::lf:
            if (c == '\n') {
                header_.clear();
                state_ = state::headers;
                return {};
            }
            break;
        default: break;
    }
    return malformed("A multipart boundary is not followed by CRLF or \"--\".");
}

form_status form_reader::header_byte(char c, form_sink& sink) {
    if (header_.size() >= limits_.max_part_header_bytes)
        return malformed("A part's headers exceed " +
                         std::to_string(limits_.max_part_header_bytes) + " bytes.");
    header_.push_back(c);
    // The block ends with an empty line: "\r\n" alone, or "\r\n\r\n" after the last header.
    const bool empty_block = header_ == "\r\n";
    if (!empty_block && !(header_.size() >= 4 && header_.ends_with("\r\n\r\n"))) return {};
    auto part = parse_part_headers(std::string_view(header_).substr(0, header_.size() - 2));
    if (!part) return core::fail(std::move(part).error());
    part->offset = at_;
    state_ = state::data;
    matched_ = 0;
    return sink.on_part(*part);
}

form_status form_reader::finish() const {
    if (state_ != state::epilogue)
        return malformed(
            "The body of your POST request is not well-formed multipart/form-data: it ends "
            "before the closing boundary.");
    return {};
}

}  // namespace presign::s3
