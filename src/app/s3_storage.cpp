#include "app/s3_storage.hpp"

namespace presign::app {

namespace {
// S3's answer as the API's: the caller's mistakes keep their meaning, the rest is the backend's.
api::error mapped(const s3client::error& e) {
    if (e.status == 0)
        return {api::errc::backend_unavailable, "the storage backend did not answer: " + e.message};
    const std::string text = e.code + (e.message.empty() ? "" : ": " + e.message);
    if (e.code == "NoSuchUpload" || e.code == "NoSuchKey") return {api::errc::not_found, text};
    if (e.code == "InvalidPart" || e.code == "InvalidPartOrder" || e.code == "EntityTooSmall" ||
        e.code == "MalformedXML" || e.code == "InvalidArgument")
        return {api::errc::bad_request, text};
    return {api::errc::backend_error, "the storage backend refused: " + text};
}
}  // namespace

s3_storage::s3_storage(const s3client::client& client, std::string bucket)
    : client_(client), bucket_(std::move(bucket)) {}

api::result<std::string> s3_storage::create_multipart(std::string_view key,
                                                      std::string_view content_type) const {
    auto id = client_.create_multipart_upload(bucket_, key, content_type);
    if (!id) return core::fail(mapped(id.error()));
    return std::move(*id);
}

api::result<std::vector<api::stored_part>> s3_storage::list_parts(
    std::string_view key, std::string_view upload_id) const {
    auto parts = client_.list_parts(bucket_, key, upload_id);
    if (!parts) return core::fail(mapped(parts.error()));
    std::vector<api::stored_part> out;
    out.reserve(parts->size());
    for (s3client::part_info& p : *parts)
        out.push_back({p.part_number, p.size, std::move(p.etag), std::move(p.last_modified)});
    return out;
}

api::result<api::completed_object> s3_storage::complete_multipart(
    std::string_view key, std::string_view upload_id,
    const std::vector<api::part_ref>& parts) const {
    std::vector<s3client::completed_part> list;
    list.reserve(parts.size());
    for (const api::part_ref& p : parts) list.push_back({p.part_number, p.etag});
    auto done = client_.complete_multipart_upload(bucket_, key, upload_id, list);
    if (!done) return core::fail(mapped(done.error()));
    return api::completed_object{std::move(done->etag), std::move(done->location)};
}

api::result<void> s3_storage::abort_multipart(std::string_view key,
                                              std::string_view upload_id) const {
    auto ok = client_.abort_multipart_upload(bucket_, key, upload_id);
    if (!ok) return core::fail(mapped(ok.error()));
    return {};
}

api::result<api::object_listing> s3_storage::list(std::string_view prefix, std::string_view token,
                                                  int max_keys) const {
    auto page = client_.list_objects(bucket_, prefix, token, max_keys);
    if (!page) return core::fail(mapped(page.error()));
    api::object_listing out;
    for (s3client::object_info& o : page->objects)
        out.objects.push_back(
            {std::move(o.key), o.size, std::move(o.etag), std::move(o.last_modified)});
    if (page->truncated) out.next_token = std::move(page->next_continuation_token);
    return out;
}

api::result<void> s3_storage::remove(std::string_view key) const {
    auto ok = client_.delete_object(bucket_, key);
    if (!ok) return core::fail(mapped(ok.error()));
    return {};
}

bool s3_storage::ready() const {
    return client_.head_bucket(bucket_).has_value();
}

}  // namespace presign::app
