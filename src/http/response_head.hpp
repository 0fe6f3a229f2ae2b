#pragma once
// The status line and header fields of a response, written straight into a reused string (no
// per-field allocation as in Beast's basic_fields). Private to src/http (included by server.cpp
// only).

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/status.hpp>

#include "core/ascii.hpp"
#include "http/message.hpp"

namespace presign::http::detail {

namespace response_head {

// A field value as it goes on the wire: surrounding blanks trimmed (as Beast does), and CR, LF
// and NUL replaced by spaces so that no value (a response-content-disposition from a URL, a
// stored user metadata value) can end its line and inject fields of its own.
inline void append_value(std::string& out, std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    const std::size_t at = out.size();
    out += value;
    for (std::size_t i = at; i < out.size(); ++i)
        if (out[i] == '\r' || out[i] == '\n' || out[i] == '\0') out[i] = ' ';
}

// Whether a field name the front set may be written: not empty, and no blank, ':', CR or LF
// (one loop; std::string::find_first_of would search the set once per byte).
inline bool is_writable_name(std::string_view name) {
    if (name.empty()) return false;
    for (const char c : name)
        if (c == ' ' || c == ':' || c == '\r' || c == '\n') return false;
    return true;
}

inline void append_number(std::string& out, std::uint64_t n) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out.append(digits, end);
}

// RFC 9110 section 6.4.1: these never carry content (nor Content-Length).
inline bool status_has_no_content(unsigned status) {
    return status < 200 || status == 204 || status == 304;
}

}  // namespace response_head

/// Appends the head of `res` to `out`: status line, the front's fields, Connection as
/// `keep_alive` needs it for `version` (10 or 11), Content-Length `content_length` (ignoring one
/// the front set) or, when nullopt (a HEAD response), the front's own Content-Length or 0, and
/// the blank line.
inline void append_response_head(std::string& out, const response& res, unsigned version,
                                 bool keep_alive, std::optional<std::uint64_t> content_length) {
    using namespace response_head;
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    append_number(out, res.status);
    out += ' ';
    const auto reason =
        boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(res.status));
    out.append(reason.data(), reason.size());
    out += "\r\n";
    bool front_length = false;
    for (const header_field& h : res.headers) {
        if (!is_writable_name(h.name)) continue;
        const bool is_length = core::iequals(h.name, "content-length");
        if ((is_length && content_length) || core::iequals(h.name, "connection")) continue;
        front_length = front_length || is_length;
        out += h.name;
        out += ": ";
        append_value(out, h.value);
        out += "\r\n";
    }
    if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
    if (version != 10 && !keep_alive) out += "Connection: close\r\n";
    if (!status_has_no_content(res.status) && !front_length) {
        out += "Content-Length: ";
        append_number(out, content_length.value_or(0));
        out += "\r\n";
    }
    out += "\r\n";
}

}  // namespace presign::http::detail
