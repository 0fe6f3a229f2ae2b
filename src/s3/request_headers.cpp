#include "s3/request_headers.hpp"

#include "core/ascii.hpp"
#include "s3/running_checksum.hpp"

namespace presign::s3::detail {

namespace {
// The Content-Encoding list without its aws-chunked entries ("aws-chunked, gzip" -> "gzip").
std::string without_aws_chunked(std::string_view value) {
    std::string out;
    while (!value.empty()) {
        const auto comma = value.find(',');
        std::string_view item = value.substr(0, comma);
        value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.empty() || core::iequals(item, "aws-chunked")) continue;
        if (!out.empty()) out.append(",");
        out.append(item);
    }
    return out;
}
}  // namespace

store::object_headers stored_headers(const http::request_head& head) {
    store::object_headers h;
    h.content_type = std::string(head.header("content-type"));
    h.content_encoding = without_aws_chunked(head.header("content-encoding"));
    h.content_disposition = std::string(head.header("content-disposition"));
    h.cache_control = std::string(head.header("cache-control"));
    h.content_language = std::string(head.header("content-language"));
    h.expires = std::string(head.header("expires"));
    for (const http::header_field& f : head.headers) {
        const std::string name = core::to_lower(f.name);
        if (name.starts_with("x-amz-meta-")) h.user_metadata.emplace_back(name.substr(11), f.value);
        // Checked against the body by upload_body (or the store, SHA-256) before commit.
        if (const auto a = checksum_from_header_name(name))
            h.checksums.emplace_back(std::string(checksum_name(*a)), f.value);
    }
    return h;
}

}  // namespace presign::s3::detail
