#include "auth/request.hpp"

#include <algorithm>
#include <cstring>

#include "core/ascii.hpp"
#include "core/hex.hpp"

namespace presign::auth {

result<split_target> parse_target(std::string_view target) {
    if (target.empty() || target.front() != '/')
        return fail(errc::invalid_uri, "Couldn't parse the specified URI.");
    split_target out;
    const auto question = target.find('?');
    out.path = target.substr(0, question);
    if (question == std::string_view::npos) return out;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        if (!item.empty()) {
            const auto eq = item.find('=');
            if (eq == std::string_view::npos)
                out.query.push_back({item, {}});
            else
                out.query.push_back({item.substr(0, eq), item.substr(eq + 1)});
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

// Written into pre-sized storage through a raw pointer (one allocation, no per-byte capacity
// check), copying the runs between escapes in bulk: every presigned request decodes each of
// its query parameters once, and most of their bytes need no decoding.
std::optional<std::string> decode_query_component(std::string_view raw) {
    std::string out(raw.size(), '\0');
    char* o = out.data();
    const char* p = raw.data();
    const char* const end = p + raw.size();
    const auto find = [](const char* from, const char* to, char c) {
        const void* at = std::memchr(from, c, static_cast<std::size_t>(to - from));
        return at ? static_cast<const char*>(at) : to;
    };
    while (p != end) {
        const char* escape = find(p, end, '%');
        const char* plus = find(p, escape, '+');
        o = std::copy(p, plus, o);
        if (plus != escape) {  // '+' is a space
            *o++ = ' ';
            p = plus + 1;
            continue;
        }
        if (escape == end) break;
        p = escape;
        if (end - p < 3) return std::nullopt;
        const int hi = core::hex_value(p[1]);
        const int lo = core::hex_value(p[2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        *o++ = static_cast<char>((hi << 4) | lo);
        p += 3;
    }
    out.resize(static_cast<std::size_t>(o - out.data()));
    return out;
}

result<std::vector<sigv4::query_param>> decode_query(std::span<const raw_query_param> raw) {
    std::vector<sigv4::query_param> out;
    out.reserve(raw.size());
    for (const raw_query_param& p : raw) {
        auto name = decode_query_component(p.name);
        auto value = decode_query_component(p.value);
        if (!name || !value) return fail(errc::invalid_uri, "Couldn't parse the specified URI.");
        out.push_back({std::move(*name), std::move(*value)});
    }
    return out;
}

// The split of parse_target and the decoding of decode_query in one pass, without the
// intermediate vector of raw views.
result<std::vector<sigv4::query_param>> decode_target_query(std::string_view target) {
    std::vector<sigv4::query_param> out;
    const auto question = target.find('?');
    if (question == std::string_view::npos) return out;
    std::string_view query = target.substr(question + 1);
    out.reserve(8);  // a presigned URL's six, and room for a few more
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        if (!item.empty()) {
            const auto eq = item.find('=');
            auto name = decode_query_component(item.substr(0, eq));
            auto value = decode_query_component(eq == std::string_view::npos ? std::string_view()
                                                                             : item.substr(eq + 1));
            if (!name || !value)
                return fail(errc::invalid_uri, "Couldn't parse the specified URI.");
            out.push_back({std::move(*name), std::move(*value)});
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::optional<std::string_view> find_header(std::span<const header_view> headers,
                                            std::string_view name) noexcept {
    for (const header_view& h : headers)
        if (core::iequals(h.name, name)) return h.value;
    return std::nullopt;
}

std::size_t count_headers(std::span<const header_view> headers, std::string_view name) noexcept {
    std::size_t n = 0;
    for (const header_view& h : headers) n += core::iequals(h.name, name) ? 1 : 0;
    return n;
}

std::string_view trim(std::string_view value) noexcept {
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = value.find_last_not_of(" \t");
    return value.substr(first, last - first + 1);
}

}  // namespace presign::auth
