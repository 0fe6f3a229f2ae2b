#include "sigv4/canonical.hpp"

#include <algorithm>

#include "core/ascii.hpp"
#include "core/digest.hpp"
#include "core/hex.hpp"
#include "core/uri.hpp"

namespace presign::sigv4 {

void append_query_string(std::string& out, std::span<const query_param> params) {
    bool first = true;
    for (const query_param& q : params) {
        if (!first) out.push_back('&');
        first = false;
        core::append_uri_encoded(out, q.name);
        out.push_back('=');
        core::append_uri_encoded(out, q.value);
    }
}

void append_canonical_query(std::string& out, std::span<pair_view> encoded) {
    std::sort(encoded.begin(), encoded.end(), pair_less);
    bool first = true;
    for (const pair_view& p : encoded) {
        if (!first) out.push_back('&');
        first = false;
        out.append(p.name);
        out.push_back('=');
        out.append(p.value);
    }
}

std::string build_canonical_query(std::span<const query_param> params) {
    std::vector<std::string> storage;
    storage.reserve(params.size() * 2);
    for (const query_param& p : params) {
        storage.push_back(core::uri_encode(p.name));
        storage.push_back(core::uri_encode(p.value));
    }
    std::vector<pair_view> views;
    views.reserve(params.size());
    for (std::size_t i = 0; i < params.size(); ++i)
        views.push_back({storage[2 * i], storage[2 * i + 1]});
    std::string out;
    append_canonical_query(out, views);
    return out;
}

void append_collapsed(std::string& out, std::string_view value) {
    bool pending_space = false;
    bool any = false;
    for (char c : value) {
        if (c == ' ' || c == '\t') {
            pending_space = any;
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        any = true;
        out.push_back(c);
    }
}

void canonicalize_headers(std::vector<canonical_header>& out, std::span<const pair_view> headers) {
    out.resize(headers.size());
    for (std::size_t i = 0; i < headers.size(); ++i) {
        out[i].name.clear();
        for (char c : headers[i].name) out[i].name.push_back(core::to_lower(c));
        out[i].value.clear();
        append_collapsed(out[i].value, headers[i].value);
    }
    std::stable_sort(
        out.begin(), out.end(),
        [](const canonical_header& a, const canonical_header& b) { return a.name < b.name; });
    // Join repeated names: "a:1", "a:2" -> "a:1,2".
    std::size_t kept = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (kept > 0 && out[kept - 1].name == out[i].name) {
            out[kept - 1].value.push_back(',');
            out[kept - 1].value.append(out[i].value);
        } else {
            if (kept != i) std::swap(out[kept], out[i]);
            ++kept;
        }
    }
    out.resize(kept);
}

void append_canonical_headers(std::string& out, std::span<const canonical_header> headers) {
    for (const canonical_header& h : headers) {
        out.append(h.name);
        out.push_back(':');
        out.append(h.value);
        out.push_back('\n');
    }
}

void append_signed_headers(std::string& out, std::span<const canonical_header> headers) {
    bool first = true;
    for (const canonical_header& h : headers) {
        if (!first) out.push_back(';');
        first = false;
        out.append(h.name);
    }
}

void append_canonical_request(std::string& out, const canonical_request_parts& parts) {
    out.append(parts.method);
    out.push_back('\n');
    out.append(parts.canonical_uri);
    out.push_back('\n');
    out.append(parts.canonical_query);
    out.push_back('\n');
    out.append(parts.canonical_headers);
    out.push_back('\n');
    out.append(parts.signed_headers);
    out.push_back('\n');
    out.append(parts.payload_hash);
}

std::string build_canonical_request(const canonical_request_parts& parts) {
    std::string out;
    append_canonical_request(out, parts);
    return out;
}

void append_credential_scope(std::string& out, std::string_view date, std::string_view region,
                             std::string_view service) {
    out.append(date);
    out.push_back('/');
    out.append(region);
    out.push_back('/');
    out.append(service);
    out.append("/aws4_request");
}

std::string build_credential_scope(std::string_view date, std::string_view region,
                                   std::string_view service) {
    std::string out;
    append_credential_scope(out, date, region, service);
    return out;
}

void append_string_to_sign(std::string& out, std::string_view amz_date,
                           std::string_view credential_scope, std::string_view canonical_request) {
    out.append(k_algorithm);
    out.push_back('\n');
    out.append(amz_date);
    out.push_back('\n');
    out.append(credential_scope);
    out.push_back('\n');
    core::append_hex(out, core::sha256_of(canonical_request));
}

std::string build_string_to_sign(std::string_view amz_date, std::string_view credential_scope,
                                 std::string_view canonical_request) {
    std::string out;
    append_string_to_sign(out, amz_date, credential_scope, canonical_request);
    return out;
}

bool is_token(std::string_view name) noexcept {
    if (name.empty()) return false;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                        (u >= '0' && u <= '9') ||
                        std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

}  // namespace presign::sigv4
