#include "auth/request.hpp"

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

std::optional<std::string> decode_query_component(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c != '%') {
            out.push_back(c);
        } else {
            if (i + 2 >= raw.size()) return std::nullopt;
            const int hi = core::hex_value(raw[i + 1]);
            const int lo = core::hex_value(raw[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>((hi << 4) | lo));
            i += 2;
        }
    }
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
