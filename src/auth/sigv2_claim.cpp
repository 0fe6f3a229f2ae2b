#include "auth/sigv2_claim.hpp"

#include <algorithm>
#include <charconv>

#include "auth/http_date.hpp"
#include "core/ascii.hpp"
#include "core/time_format.hpp"
#include "sigv4/sigv2.hpp"

namespace presign::auth {

namespace {
const sigv4::query_param* find_once(std::span<const sigv4::query_param> query,
                                    std::string_view name, bool& repeated) {
    const sigv4::query_param* found = nullptr;
    for (const sigv4::query_param& p : query) {
        if (p.name != name) continue;
        if (found) repeated = true;
        found = found ? found : &p;
    }
    return found;
}

bool is_signed_header_name(std::string_view lower) {
    return lower == "content-md5" || lower == "content-type" || lower.starts_with("x-amz-");
}

// Content-MD5, Content-Type and x-amz-* as the string to sign sees them: the headers, and for
// query auth the query parameters of those names, which replace headers of the same name.
struct signed_values {
    std::string content_md5, content_type;
    std::vector<std::pair<std::string, std::string>> amz;
};

signed_values gather(const request_view& req, std::span<const sigv4::query_param> query,
                     bool from_query) {
    signed_values out;
    std::vector<std::string> in_query;
    const auto take = [&out](const std::string& name, std::string_view value) {
        if (name == "content-md5")
            out.content_md5 = trim(value);
        else if (name == "content-type")
            out.content_type = trim(value);
        else
            out.amz.emplace_back(name, std::string(trim(value)));
    };
    if (from_query)
        for (const sigv4::query_param& p : query) {
            const std::string name = core::to_lower(p.name);
            if (!is_signed_header_name(name)) continue;
            in_query.push_back(name);
            take(name, p.value);
        }
    for (const header_view& h : req.headers) {
        const std::string name = core::to_lower(h.name);
        if (!is_signed_header_name(name)) continue;
        if (std::find(in_query.begin(), in_query.end(), name) == in_query.end())
            take(name, h.value);
    }
    return out;
}

// The string to sign with `resource` as the CanonicalizedResource's path.
std::string build_string_to_sign(const request_view& req, std::string resource,
                                 std::span<const sigv4::query_param> query,
                                 std::string_view date_line, bool from_query) {
    signed_values v = gather(req, query, from_query);
    sigv4::append_sigv2_sub_resources(resource, query);
    sigv4::sigv2_parts parts;
    parts.method = req.method;
    parts.content_md5 = v.content_md5;
    parts.content_type = v.content_type;
    parts.date_or_expires = date_line;
    parts.amz_headers = std::move(v.amz);
    parts.resource = resource;
    return sigv4::build_sigv2_string_to_sign(std::move(parts));
}

// The string(s) to sign of `claim`: the resource is the path as received, prefixed with the
// Host's bucket. A bucket-level request ("/bucket") is signed as "/bucket/" by botocore and
// as "/bucket" by others; both are accepted, the second only when the first does not match.
void set_strings_to_sign(sigv2_claim& claim, const request_view& req, std::string_view raw_path,
                         std::span<const sigv4::query_param> query, std::string_view date_line) {
    const bool from_query = claim.kind == auth_kind::query;
    std::string resource;
    if (!req.host_bucket.empty()) resource.append("/").append(req.host_bucket);
    resource.append(raw_path);
    const bool bucket_level = resource.size() > 1 && resource.find('/', 1) == std::string::npos;
    claim.string_to_sign = build_string_to_sign(req, resource, query, date_line, from_query);
    if (bucket_level)
        claim.alternate_string_to_sign =
            build_string_to_sign(req, resource + "/", query, date_line, from_query);
}

// RFC 1123 with "GMT" or with the numeric zone "+0000" (AWS's own SigV2 examples use it).
std::optional<core::time_point> parse_v2_date(std::string_view text) {
    if (text.ends_with(" +0000")) {
        std::string gmt(text.substr(0, text.size() - 5));
        return parse_http_date(gmt.append("GMT"));
    }
    return parse_http_date(text);
}

// x-amz-date may also be ISO 8601 basic, as SigV4 writes it.
std::optional<core::time_point> parse_any_date(std::string_view text) {
    if (auto t = parse_v2_date(text)) return t;
    return core::parse_amz_date(text);
}

result<sigv2_claim> read_header(const request_view& req, std::string_view raw_path,
                                std::span<const sigv4::query_param> query) {
    const std::string_view auth = trim(*find_header(req.headers, "authorization"));
    const auto colon = auth.rfind(':');
    if (!auth.starts_with("AWS ") || colon == std::string_view::npos || colon <= 4 ||
        colon + 1 == auth.size())
        return fail(errc::invalid_argument,
                    "Authorization header is invalid -- one and only one ' ' (space) required",
                    {{"ArgumentName", "Authorization"}});
    sigv2_claim claim;
    claim.kind = auth_kind::header;
    claim.access_key_id = std::string(trim(auth.substr(4, colon - 4)));
    claim.signature = std::string(auth.substr(colon + 1));
    // x-amz-date wins over Date; with it, the Date line is empty.
    std::optional<core::time_point> at;
    std::string date_line;
    if (const std::size_t n = count_headers(req.headers, "x-amz-date"); n > 0) {
        if (n == 1) at = parse_any_date(trim(*find_header(req.headers, "x-amz-date")));
    } else if (count_headers(req.headers, "date") == 1) {
        date_line = trim(*find_header(req.headers, "date"));
        at = parse_v2_date(date_line);
    }
    if (!at)
        return fail(errc::access_denied,
                    "AWS authentication requires a valid Date or x-amz-date header");
    claim.at = *at;
    if (const std::size_t n = count_headers(req.headers, "x-amz-security-token"); n > 1)
        return fail(errc::invalid_token, "The provided token is malformed or otherwise invalid.");
    else if (n == 1)
        claim.security_token = std::string(trim(*find_header(req.headers, "x-amz-security-token")));
    set_strings_to_sign(claim, req, raw_path, query, date_line);
    return claim;
}

result<sigv2_claim> read_query(const request_view& req, std::string_view raw_path,
                               std::span<const sigv4::query_param> query) {
    bool repeated = false;
    const auto* id = find_once(query, "AWSAccessKeyId", repeated);
    const auto* signature = find_once(query, "Signature", repeated);
    const auto* expires = find_once(query, "Expires", repeated);
    const auto* token = find_once(query, "x-amz-security-token", repeated);
    if (repeated)
        return fail(errc::invalid_argument, "Query-string authentication parameters were repeated",
                    {{"ArgumentName", "Signature"}});
    if (!id || !signature || !expires)
        return fail(errc::access_denied,
                    "Query-string authentication requires the Signature, Expires and "
                    "AWSAccessKeyId parameters");
    std::int64_t epoch = 0;
    const auto [end, ec] = std::from_chars(expires->value.data(),
                                           expires->value.data() + expires->value.size(), epoch);
    if (ec != std::errc() || end != expires->value.data() + expires->value.size() || epoch < 0)
        return fail(errc::access_denied,
                    "Invalid date (should be seconds since epoch): " + expires->value);
    sigv2_claim claim;
    claim.kind = auth_kind::query;
    claim.access_key_id = id->value;
    claim.signature = signature->value;
    claim.at = core::time_point(std::chrono::seconds(epoch));
    if (token) claim.security_token = token->value;
    set_strings_to_sign(claim, req, raw_path, query, expires->value);
    return claim;
}
}  // namespace

bool is_sigv2_request(const request_view& req, std::span<const sigv4::query_param> query) {
    if (const auto auth = find_header(req.headers, "authorization"))
        return trim(*auth).starts_with("AWS ");
    return std::any_of(query.begin(), query.end(), [](const sigv4::query_param& p) {
        return p.name == "Signature" || p.name == "AWSAccessKeyId";
    });
}

result<sigv2_claim> read_sigv2_claim(const request_view& req, std::string_view raw_path,
                                     std::span<const sigv4::query_param> query) {
    const auto has = [&](std::string_view name) {
        return std::any_of(query.begin(), query.end(),
                           [&](const sigv4::query_param& p) { return p.name == name; });
    };
    const bool by_header = count_headers(req.headers, "authorization") > 0;
    const bool by_v2_query = has("Signature") || has("AWSAccessKeyId");
    const bool by_v4_query =
        has("X-Amz-Signature") || has("X-Amz-Algorithm") || has("X-Amz-Credential");
    if (count_headers(req.headers, "authorization") > 1 ||
        int(by_header) + int(by_v2_query) + int(by_v4_query) > 1)
        return fail(errc::invalid_argument,
                    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                    "Signature query string parameter or the Authorization header should be "
                    "specified",
                    {{"ArgumentName", "Authorization"}});
    return by_header ? read_header(req, raw_path, query) : read_query(req, raw_path, query);
}

}  // namespace presign::auth
