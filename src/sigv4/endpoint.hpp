#pragma once
// Where a bucket lives: AWS's endpoints by region, or any S3-compatible endpoint (Ceph RGW,
// MinIO, R2, localhost), addressed virtual-hosted (bucket.host/key) or path-style
// (host/bucket/key).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sigv4/errors.hpp"

namespace presign::sigv4 {

/// How the bucket goes into the URL.
enum class addressing {
    /// botocore's rule: virtual-hosted on AWS when the bucket is a DNS label sequence usable
    /// under TLS (no dots, lower case), otherwise path-style; path-style on custom endpoints.
    automatic,
    path,
    virtual_hosted,
};

/// A custom endpoint: `scheme://host[:port]`. Hosts are kept lower-case.
struct endpoint {
    std::string scheme = "https";
    std::string host;
    std::uint16_t port = 0;  ///< 0: none given (the scheme's default)

    /// `host[:port]`, the port only when not the scheme's default: the signed Host header.
    std::string authority() const;
    /// `host[:port]` as written in the endpoint URL, a default port included (botocore keeps it
    /// in the URL while leaving it out of the signed Host header).
    std::string url_authority() const;
};

/// Parses `http(s)://host[:port][/]`. IPv6 literals in brackets are accepted. A path, query,
/// user info or fragment is refused with invalid_endpoint.
result<endpoint> parse_endpoint(std::string_view url);

/// The S3 service's own address for a region or custom endpoint, resolved once.
struct service_host {
    std::string scheme;    ///< "https" or "http"
    std::string host;      ///< signed Host value (no default port)
    std::string url_host;  ///< as written in URLs
    bool custom = false;   ///< a custom endpoint (path-style unless virtual is asked)
};

/// AWS's endpoint for `region` (s3.amazonaws.com for us-east-1, s3.REGION.amazonaws.com
/// otherwise, ".com.cn" in China), or the custom endpoint.
service_host resolve_service_host(const std::optional<endpoint>& custom, std::string_view region);

/// Whether `bucket` goes in the host name under `style`. Fails with invalid_bucket when the
/// bucket is empty or contains '/', or virtual hosting is forced on a name that cannot be a host.
result<bool> use_virtual_host(const service_host& service, std::string_view bucket,
                              addressing style);

/// Where to send a request for one bucket.
struct bucket_location {
    std::string scheme;         ///< "https" or "http"
    std::string authority;      ///< the Host header value (no default port)
    std::string url_authority;  ///< the URL's authority (as the endpoint was written)
    std::string path_prefix;    ///< "/bucket" for path-style, "" for virtual-hosted
};

/// Resolves the URL parts for `bucket`. With no custom endpoint the AWS endpoint for `region`
/// is used: s3.amazonaws.com for us-east-1, s3.REGION.amazonaws.com (".com.cn" in China)
/// otherwise. Fails with invalid_bucket when virtual-hosted style is forced on a bucket name
/// that cannot be a host name, or the bucket is empty or contains '/'.
result<bucket_location> locate_bucket(const std::optional<endpoint>& custom,
                                      std::string_view region, std::string_view bucket,
                                      addressing style);

/// True for a bucket name that can be a DNS host label sequence (3..63, lower-case letters,
/// digits, '-' and '.', starting and ending alphanumeric, no "..", not an IPv4 address).
bool is_dns_compatible_bucket(std::string_view bucket) noexcept;

/// True when `region` is non-empty and only `[a-z0-9-]`.
bool is_valid_region(std::string_view region) noexcept;

}  // namespace presign::sigv4
