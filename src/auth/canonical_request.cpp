#include "auth/canonical_request.hpp"

#include <algorithm>

#include "core/ascii.hpp"
#include "core/uri.hpp"

namespace presign::auth {

namespace {
bool is_signed(std::span<const std::string> signed_names, std::string_view lower_name) {
    return std::binary_search(signed_names.begin(), signed_names.end(), lower_name);
}
}  // namespace

std::optional<std::string> build_canonical_uri(std::string_view raw_path) {
    const auto decoded = core::uri_decode(raw_path);
    if (!decoded) return std::nullopt;
    return core::uri_encode(*decoded, core::slash::keep);
}

void append_canonical_query(std::string& out, std::span<const sigv4::query_param> query,
                            bool skip_signature) {
    std::vector<std::string> encoded;
    encoded.reserve(query.size() * 2);
    for (const sigv4::query_param& p : query) {
        if (skip_signature && p.name == "X-Amz-Signature") continue;
        encoded.push_back(core::uri_encode(p.name));
        encoded.push_back(core::uri_encode(p.value));
    }
    std::vector<sigv4::pair_view> pairs;
    pairs.reserve(encoded.size() / 2);
    for (std::size_t i = 0; i < encoded.size(); i += 2)
        pairs.push_back({encoded[i], encoded[i + 1]});
    sigv4::append_canonical_query(out, pairs);
}

std::string append_canonical_headers(std::string& out, std::span<const header_view> headers,
                                     std::span<const std::string> signed_names) {
    std::vector<sigv4::pair_view> chosen;
    for (const header_view& h : headers)
        if (is_signed(signed_names, core::to_lower(h.name))) chosen.push_back({h.name, h.value});
    std::vector<sigv4::canonical_header> canonical;
    sigv4::canonicalize_headers(canonical, chosen);
    // Both lists are ascending and `canonical` holds only signed names: walk them together.
    for (std::size_t i = 0; i < signed_names.size(); ++i)
        if (i >= canonical.size() || canonical[i].name != signed_names[i]) return signed_names[i];
    sigv4::append_canonical_headers(out, canonical);
    return {};
}

std::vector<std::string> find_unsigned_headers(std::span<const header_view> headers,
                                               std::span<const std::string> signed_names) {
    std::vector<std::string> missing;
    if (!is_signed(signed_names, "host")) missing.emplace_back("host");
    for (const header_view& h : headers) {
        std::string name = core::to_lower(h.name);
        if (name.starts_with("x-amz-") && name != "x-amz-content-sha256" &&
            !is_signed(signed_names, name))
            missing.push_back(std::move(name));
    }
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    return missing;
}

result<std::string> build_canonical_request(const request_view& req, std::string_view raw_path,
                                            std::span<const sigv4::query_param> query,
                                            const signed_claim& claim) {
    const auto uri = build_canonical_uri(raw_path);
    if (!uri) return fail(errc::invalid_uri, "Couldn't parse the specified URI.");
    std::string canonical_query;
    append_canonical_query(canonical_query, query, claim.kind == auth_kind::query);
    std::string canonical_headers;
    const std::string absent =
        append_canonical_headers(canonical_headers, req.headers, claim.signed_headers);
    if (!absent.empty())
        return fail(errc::signature_does_not_match, std::string(k_message_signature_mismatch));
    std::string signed_headers;
    for (const std::string& name : claim.signed_headers) {
        if (!signed_headers.empty()) signed_headers.push_back(';');
        signed_headers.append(name);
    }
    return sigv4::build_canonical_request(
        {req.method, *uri, canonical_query, canonical_headers, signed_headers, claim.payload_hash});
}

}  // namespace presign::auth
