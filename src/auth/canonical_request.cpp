#include "auth/canonical_request.hpp"

#include <algorithm>
#include <array>

#include "core/ascii.hpp"
#include "core/uri.hpp"
#include "sigv4/canonical.hpp"

namespace presign::auth {

namespace {
// Orders a lower-case name against a name in any case, as if both were lower-case.
int compare_lowered(std::string_view lower, std::string_view any) noexcept {
    const std::size_t n = std::min(lower.size(), any.size());
    for (std::size_t i = 0; i < n; ++i) {
        const char a = lower[i], b = core::to_lower(any[i]);
        if (a != b) return static_cast<unsigned char>(a) < static_cast<unsigned char>(b) ? -1 : 1;
    }
    return lower.size() == any.size() ? 0 : (lower.size() < any.size() ? -1 : 1);
}

// Whether `name` (any case) is in `signed_names` (lower-case, ascending), without building a
// lower-case copy of it: this runs for every header of every request.
bool is_signed(std::span<const std::string> signed_names, std::string_view name) {
    const auto it = std::lower_bound(
        signed_names.begin(), signed_names.end(), name,
        [](const std::string& a, std::string_view b) { return compare_lowered(a, b) < 0; });
    return it != signed_names.end() && compare_lowered(*it, name) == 0;
}

// Appends S3's CanonicalURI of `raw_path` (see build_canonical_uri). A path that is already
// in UriEncode's form (what SDKs send) is taken as sent: decoding and encoding it again would
// give the same bytes. False on a malformed %-escape.
bool append_canonical_uri(std::string& out, std::string_view raw_path) {
    if (core::is_uri_encoded(raw_path, core::slash::keep)) {
        out.append(raw_path);
        return true;
    }
    const auto decoded = core::uri_decode(raw_path);
    if (!decoded) return false;
    core::append_uri_encoded(out, *decoded, core::slash::keep);
    return true;
}

// The SignedHeaders line: the names joined with ';'.
void append_signed_names(std::string& out, std::span<const std::string> names) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out.push_back(';');
        out.append(names[i]);
    }
}
}  // namespace

std::optional<std::string> build_canonical_uri(std::string_view raw_path) {
    std::string out;
    if (!append_canonical_uri(out, raw_path)) return std::nullopt;
    return out;
}

// Names and values that UriEncode leaves alone (most of them: "X-Amz-Date", hex signatures)
// are sorted as views of the decoded strings; only the others are encoded, into one buffer
// reserved up front so that the views into it stay valid. Up to 16 parameters (a presigned
// URL has six or seven) the views live on the stack.
void append_canonical_query(std::string& out, std::span<const sigv4::query_param> query,
                            bool skip_signature) {
    constexpr std::size_t k_on_stack = 16;
    std::array<sigv4::pair_view, k_on_stack> stack_slots;
    std::array<std::uint8_t, k_on_stack> stack_flags;  // bit 0: name, bit 1: value to encode
    std::vector<sigv4::pair_view> heap_slots;
    std::vector<std::uint8_t> heap_flags;
    if (query.size() > k_on_stack) {
        heap_slots.resize(query.size());
        heap_flags.resize(query.size());
    }
    const bool on_heap = query.size() > k_on_stack;
    const std::span<sigv4::pair_view> slots =
        on_heap ? std::span(heap_slots) : std::span(stack_slots);
    const std::span<std::uint8_t> flags = on_heap ? std::span(heap_flags) : std::span(stack_flags);
    std::size_t count = 0, room = 0;
    for (const sigv4::query_param& p : query) {
        if (skip_signature && p.name == "X-Amz-Signature") continue;
        const bool name = core::needs_uri_encoding(p.name);
        const bool value = core::needs_uri_encoding(p.value);
        room += (name ? 3 * p.name.size() : 0) + (value ? 3 * p.value.size() : 0);
        slots[count] = {p.name, p.value};
        flags[count++] = static_cast<std::uint8_t>((name ? 1 : 0) | (value ? 2 : 0));
    }
    std::string encoded;
    encoded.reserve(room);  // never exceeded below: the views into it stay valid
    const auto encode = [&encoded](std::string_view part) {
        const std::size_t at = encoded.size();
        core::append_uri_encoded(encoded, part);
        return std::string_view(encoded).substr(at);
    };
    for (std::size_t i = 0; i < count; ++i) {
        if (flags[i] & 1) slots[i].name = encode(slots[i].name);
        if (flags[i] & 2) slots[i].value = encode(slots[i].value);
    }
    sigv4::append_canonical_query(out, slots.first(count));
}

// Written straight into `out` signed name by signed name, instead of through
// sigv4::canonicalize_headers (lower-case copies, a sort, a vector of strings): the same
// result (names ascending, same-name values in the order received, each trimmed with inner
// runs of blanks collapsed), without an allocation per header.
std::string append_canonical_headers(std::string& out, std::span<const header_view> headers,
                                     std::span<const std::string> signed_names) {
    for (const std::string& name : signed_names) {
        out.append(name);
        out.push_back(':');
        bool found = false;
        for (const header_view& h : headers) {
            if (!core::iequals(h.name, name)) continue;
            if (found) out.push_back(',');
            found = true;
            sigv4::append_collapsed(out, h.value);
        }
        if (!found) return name;
        out.push_back('\n');
    }
    return {};
}

std::vector<std::string> find_unsigned_headers(std::span<const header_view> headers,
                                               std::span<const std::string> signed_names) {
    std::vector<std::string> missing;
    if (!is_signed(signed_names, "host")) missing.emplace_back("host");
    for (const header_view& h : headers) {
        // Only x-amz-* names can be missing, so only those are lower-cased.
        if (h.name.size() < 6 || !core::iequals(h.name.substr(0, 6), "x-amz-")) continue;
        if (core::iequals(h.name, "x-amz-content-sha256") || is_signed(signed_names, h.name))
            continue;
        missing.push_back(core::to_lower(h.name));
    }
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    return missing;
}

// The parts go into one buffer (CanonicalURI, CanonicalQueryString, CanonicalHeaders,
// SignedHeaders, one after the other) and are then joined by sigv4's own formula: two
// allocations per request instead of one per part.
result<std::string> build_canonical_request(const request_view& req, std::string_view raw_path,
                                            std::span<const sigv4::query_param> query,
                                            const signed_claim& claim) {
    std::string parts;
    parts.reserve(3 * req.target.size() + 64 * (claim.signed_headers.size() + 1));
    if (!append_canonical_uri(parts, raw_path))
        return fail(errc::invalid_uri, "Couldn't parse the specified URI.");
    const std::size_t uri_end = parts.size();
    append_canonical_query(parts, query, claim.kind == auth_kind::query);
    const std::size_t query_end = parts.size();
    if (!append_canonical_headers(parts, req.headers, claim.signed_headers).empty())
        return fail(errc::signature_does_not_match, std::string(k_message_signature_mismatch));
    const std::size_t headers_end = parts.size();
    append_signed_names(parts, claim.signed_headers);
    const std::string_view all(parts);
    const sigv4::canonical_request_parts split{
        req.method,
        all.substr(0, uri_end),
        all.substr(uri_end, query_end - uri_end),
        all.substr(query_end, headers_end - query_end),
        all.substr(headers_end),
        claim.payload_hash,
    };
    std::string out;
    out.reserve(req.method.size() + parts.size() + claim.payload_hash.size() + 5);
    sigv4::append_canonical_request(out, split);
    return out;
}

}  // namespace presign::auth
