#include "s3/router.hpp"

#include <algorithm>
#include <array>

#include "auth/request.hpp"
#include "core/ascii.hpp"
#include "core/uri.hpp"

namespace presign::s3 {

namespace {
constexpr std::size_t k_max_key_bytes = 1024;

core::failure<error> fail(code c, std::string message = {}) {
    return {error{c, std::move(message), {}}};
}

// Bucket sub-resources S3 defines that presign does not serve (issue scope: versioning,
// lifecycle, replication, encryption, policies, ... answer NotImplemented).
constexpr std::array<std::string_view, 21> k_unserved_bucket = {
    "accelerate",   "analytics",         "encryption",        "intelligent-tiering",
    "inventory",    "lifecycle",         "logging",           "metrics",
    "notification", "object-lock",       "ownershipControls", "policy",
    "policyStatus", "publicAccessBlock", "replication",       "requestPayment",
    "tagging",      "versioning",        "versions",          "website",
    "session"};
constexpr std::array<std::string_view, 7> k_unserved_object = {
    "attributes", "legal-hold", "restore", "retention", "select", "tagging", "torrent"};

template <std::size_t N>
bool has_any(const route& r, const std::array<std::string_view, N>& names) {
    return std::any_of(r.query.begin(), r.query.end(), [&](const sigv4::query_param& q) {
        return std::find(names.begin(), names.end(), q.name) != names.end();
    });
}

// The bucket named by a virtual-hosted Host header, if the domain is configured and matches.
std::optional<std::string> bucket_from_host(std::string_view host, const router_options& options) {
    if (!options.domain || options.domain->empty()) return std::nullopt;
    if (const auto colon = host.rfind(':');
        colon != std::string_view::npos && host.find(']') == std::string_view::npos)
        host = host.substr(0, colon);
    const std::string lowered = core::to_lower(host);
    const std::string domain = core::to_lower(*options.domain);
    // "bucket.domain": at least one character, a dot, then the domain.
    if (lowered.size() < domain.size() + 2 || !lowered.ends_with(domain)) return std::nullopt;
    const std::size_t dot = lowered.size() - domain.size() - 1;
    if (lowered[dot] != '.') return std::nullopt;
    return lowered.substr(0, dot);
}

operation bucket_operation(std::string_view method, const route& r) {
    if (method == "OPTIONS") return operation::preflight;
    if (has_any(r, k_unserved_bucket)) return operation::not_implemented;
    const bool cors = r.param("cors"), acl = r.param("acl");
    if (method == "GET") {
        if (r.param("location")) return operation::get_bucket_location;
        if (cors) return operation::get_bucket_cors;
        if (acl) return operation::get_bucket_acl;
        if (r.param("uploads")) return operation::list_multipart_uploads;
        const std::string* list_type = r.param("list-type");
        return list_type && *list_type == "2" ? operation::list_objects_v2
                                              : operation::list_objects_v1;
    }
    if (method == "POST") {
        if (r.param("delete")) return operation::delete_objects;
        if (cors || acl || r.param("uploads")) return operation::not_implemented;
        return operation::post_object;
    }
    if (method == "PUT") {
        if (cors) return operation::put_bucket_cors;
        if (acl) return operation::put_bucket_acl;
        return operation::create_bucket;
    }
    if (method == "DELETE") return cors ? operation::delete_bucket_cors : operation::delete_bucket;
    if (method == "HEAD") return operation::head_bucket;
    return operation::not_implemented;
}

operation object_operation(std::string_view method, const route& r, bool copy_source) {
    if (method == "OPTIONS") return operation::preflight;
    if (has_any(r, k_unserved_object)) return operation::not_implemented;
    const bool upload_id = r.param("uploadId"), acl = r.param("acl");
    if (method == "PUT") {
        if (acl) return operation::put_object_acl;
        if (upload_id && r.param("partNumber"))
            return copy_source ? operation::upload_part_copy : operation::upload_part;
        if (upload_id) return operation::not_implemented;
        return copy_source ? operation::copy_object : operation::put_object;
    }
    if (method == "POST") {
        if (r.param("uploads")) return operation::create_multipart_upload;
        if (upload_id) return operation::complete_multipart_upload;
        return operation::not_implemented;
    }
    if (method == "GET") {
        if (acl) return operation::get_object_acl;
        if (upload_id) return operation::list_parts;
        return operation::get_object;
    }
    if (method == "HEAD") return operation::head_object;
    if (method == "DELETE")
        return upload_id ? operation::abort_multipart_upload : operation::delete_object;
    return operation::not_implemented;
}
}  // namespace

const std::string* route::param(std::string_view name) const noexcept {
    for (const sigv4::query_param& q : query)
        if (q.name == name) return &q.value;
    return nullptr;
}

core::result<route, error> route_request(std::string_view method, std::string_view target,
                                         std::string_view host, const router_options& options,
                                         bool copy_source) {
    if (target.empty() || target.front() != '/')
        return fail(code::invalid_argument, "The request target must start with '/'.");
    route r;
    const std::string_view raw_path = target.substr(0, target.find('?'));
    // Query names and values are form-decoded ('+' is a space), as S3 reads them, by the same
    // function the verifier uses: the front hands this decoding to the verifier
    // (auth::request_view::decoded_query), so the query is decoded once per request.
    auto query = auth::decode_target_query(target);
    if (!query) return fail(code::invalid_argument, "Malformed query string escape.");
    r.query = std::move(*query);
    // S3 decodes the path once and keeps it as is: no "." / ".." / "//" normalisation.
    auto path = core::uri_decode(raw_path);
    if (!path) return fail(code::invalid_argument, "Malformed path escape.");
    std::string_view rest = std::string_view(*path).substr(1);
    if (auto host_bucket = bucket_from_host(host, options)) {
        r.bucket = std::move(*host_bucket);
        r.key = std::string(rest);
        r.virtual_hosted = true;
    } else {
        const auto slash = rest.find('/');
        r.bucket = std::string(rest.substr(0, slash));
        if (slash != std::string_view::npos) r.key = std::string(rest.substr(slash + 1));
    }
    if (r.key.size() > k_max_key_bytes) return fail(code::key_too_long);
    r.resource.append("/").append(r.bucket);
    if (!r.key.empty()) r.resource.append("/").append(r.key);

    if (r.bucket.empty()) {
        if (method != "GET") return fail(code::method_not_allowed);
        r.op = operation::list_buckets;
    } else if (r.key.empty()) {
        r.op = bucket_operation(method, r);
    } else {
        r.op = object_operation(method, r, copy_source);
    }
    return r;
}

}  // namespace presign::s3
