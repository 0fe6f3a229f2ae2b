#include "sigv4/endpoint.hpp"

#include <charconv>

#include "core/ascii.hpp"

namespace presign::sigv4 {

namespace {
bool is_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

std::uint16_t default_port(std::string_view scheme) {
    return scheme == "https" ? 443 : 80;
}

bool is_ipv4(std::string_view s) {
    int dots = 0;
    for (char c : s) {
        if (c == '.')
            ++dots;
        else if (c < '0' || c > '9')
            return false;
    }
    return dots == 3;
}
}  // namespace

std::string endpoint::authority() const {
    std::string out = host;
    if (port != 0 && port != default_port(scheme)) {
        out.push_back(':');
        out.append(std::to_string(port));
    }
    return out;
}

std::string endpoint::url_authority() const {
    std::string out = host;
    if (port != 0) {
        out.push_back(':');
        out.append(std::to_string(port));
    }
    return out;
}

result<endpoint> parse_endpoint(std::string_view url) {
    const auto bad = [&](std::string_view why) {
        return fail(errc::invalid_endpoint,
                    "invalid endpoint URL '" + std::string(url) + "': " + std::string(why));
    };
    endpoint ep;
    const auto sep = url.find("://");
    if (sep == std::string_view::npos)
        return bad("expected http://host[:port] or https://host[:port]");
    ep.scheme.clear();
    for (char c : url.substr(0, sep)) ep.scheme.push_back(core::to_lower(c));
    if (ep.scheme != "http" && ep.scheme != "https") return bad("scheme must be http or https");
    std::string_view rest = url.substr(sep + 3);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest.find_first_of("/?#@") != std::string_view::npos)
        return bad("a path, query, fragment or user info is not supported");
    std::string_view host = rest;
    std::string_view port;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
        host = rest.substr(0, close + 1);
        if (close + 1 < rest.size()) {
            if (rest[close + 1] != ':') return bad("junk after IPv6 literal");
            port = rest.substr(close + 2);
        }
    } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    }
    if (host.empty()) return bad("missing host");
    for (char c : host) ep.host.push_back(core::to_lower(c));
    if (ep.host.front() != '[') {
        for (char c : ep.host)
            if (!is_host_char(c)) return bad("invalid character in host");
    }
    if (!port.empty() || rest.find(':') != std::string_view::npos) {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value == 0 ||
            value > 65535)
            return bad("port must be 1..65535");
        ep.port = static_cast<std::uint16_t>(value);
    }
    return ep;
}

bool is_dns_compatible_bucket(std::string_view b) noexcept {
    if (b.size() < 3 || b.size() > 63) return false;
    const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(b.front()) || !alnum(b.back())) return false;
    for (std::size_t i = 0; i < b.size(); ++i) {
        const char c = b[i];
        if (!alnum(c) && c != '-' && c != '.') return false;
        if (c == '.' && (b[i + 1] == '.' || b[i + 1] == '-' || b[i - 1] == '-')) return false;
    }
    return !is_ipv4(b);
}

bool is_valid_region(std::string_view region) noexcept {
    if (region.empty() || region.size() > 64) return false;
    for (char c : region)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

service_host resolve_service_host(const std::optional<endpoint>& custom, std::string_view region) {
    service_host out;
    if (custom) {
        out.scheme = custom->scheme;
        out.host = custom->authority();
        out.url_host = custom->url_authority();
        out.custom = true;
        return out;
    }
    out.scheme = "https";
    out.host =
        region == "us-east-1" ? "s3.amazonaws.com" : "s3." + std::string(region) + ".amazonaws.com";
    if (region.starts_with("cn-")) out.host += ".cn";
    out.url_host = out.host;
    return out;
}

result<bool> use_virtual_host(const service_host& service, std::string_view bucket,
                              addressing style) {
    if (bucket.empty() || bucket.find('/') != std::string_view::npos)
        return fail(errc::invalid_bucket, "invalid bucket name '" + std::string(bucket) + "'");
    if (style == addressing::virtual_hosted) {
        if (!is_dns_compatible_bucket(bucket))
            return fail(errc::invalid_bucket,
                        "bucket '" + std::string(bucket) +
                            "' cannot be used in a host name; use path-style");
        return true;
    }
    // Under TLS a dotted bucket breaks the wildcard certificate, so botocore goes path-style.
    return style == addressing::automatic && !service.custom && is_dns_compatible_bucket(bucket) &&
           bucket.find('.') == std::string_view::npos;
}

result<bucket_location> locate_bucket(const std::optional<endpoint>& custom,
                                      std::string_view region, std::string_view bucket,
                                      addressing style) {
    const service_host service = resolve_service_host(custom, region);
    const auto virtual_host = use_virtual_host(service, bucket, style);
    if (!virtual_host) return core::fail(virtual_host.error());
    bucket_location loc;
    loc.scheme = service.scheme;
    if (*virtual_host) {
        loc.authority.append(bucket).append(".").append(service.host);
        loc.url_authority.append(bucket).append(".").append(service.url_host);
    } else {
        loc.authority = service.host;
        loc.url_authority = service.url_host;
        loc.path_prefix.append("/").append(bucket);
    }
    return loc;
}

}  // namespace presign::sigv4
