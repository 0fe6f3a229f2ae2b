// Uppy Companion's S3 contract, so `@uppy/aws-s3` with `endpoint` pointed at presign works
// unmodified. Same keys, prefixes and rules as /v1; only the JSON shapes are Companion's.
//
//   GET    /s3/params?filename=&type=&metadata[name]=value -> {method, url, fields, expires}
//   POST   /s3/multipart {filename, type, metadata}        -> {key, uploadId, bucket}
//   GET    /s3/multipart/{uploadId}?key=                   -> [{PartNumber, Size, ETag}]
//   GET    /s3/multipart/{uploadId}/batch?key=&partNumbers=1,2 -> {presignedUrls: {"1": url}}
//   GET    /s3/multipart/{uploadId}/{partNumber}?key=      -> {url, expires}
//   POST   /s3/multipart/{uploadId}/complete?key= {parts: [{PartNumber, ETag}]}
//                                                          -> {location, key, bucket}
//   DELETE /s3/multipart/{uploadId}?key=                   -> {}

#include <charconv>

#include "api/handlers.hpp"

namespace presign::api {

namespace {
using nlohmann::json;

api_reply reply(const json& body) {
    return {200, to_json_text(body)};
}

result<std::string> key_param(const query_params& q) {
    auto v = query_value(q, "key");
    if (!v || v->empty())
        return core::fail(error{errc::bad_request,
                                "the object key must be passed as a query parameter (?key=...)"});
    return std::move(*v);
}

// metadata[name]=value query parameters.
std::vector<std::pair<std::string, std::string>> query_metadata(const query_params& q) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, value] : q)
        if (name.starts_with("metadata[") && name.ends_with("]") && name.size() > 10)
            out.emplace_back(name.substr(9, name.size() - 10), value);
    return out;
}

result<api_reply> params(const upload_service& s, const api_request& req) {
    upload_ask ask;
    ask.filename = query_value(req.query, "filename").value_or("");
    if (ask.filename.empty())
        return core::fail(error{errc::bad_request, "the 'filename' query parameter is required"});
    ask.content_type = query_value(req.query, "type").value_or("");
    ask.metadata = query_metadata(req.query);
    auto offer = s.offer_post(req.who, ask, "201");
    if (!offer) return core::fail(offer.error());
    json fields = json::object();
    for (const auto& [name, value] : offer->post.fields) fields[name] = value;
    return reply({{"method", "POST"},
                  {"url", offer->post.url},
                  {"fields", fields},
                  {"expires", offer->expires.count()}});
}

result<api_reply> create(const upload_service& s, const api_request& req) {
    auto doc = parse_object(req.body);
    if (!doc) return core::fail(doc.error());
    auto filename = required_string(*doc, "filename");
    auto type = optional_string(*doc, "type");
    if (!filename) return core::fail(filename.error());
    if (!type) return core::fail(type.error());
    upload_ask ask;
    ask.filename = std::move(*filename);
    ask.content_type = type->value_or("");
    auto started = s.start_multipart(req.who, ask);
    if (!started) return core::fail(started.error());
    return reply({{"key", started->key}, {"uploadId", started->upload_id}, {"bucket", s.bucket()}});
}

result<api_reply> list_parts(const upload_service& s, const api_request& req) {
    auto key = key_param(req.query);
    if (!key) return core::fail(key.error());
    auto parts = s.list_parts(req.who, *key, req.route.upload_id);
    if (!parts) return core::fail(parts.error());
    json list = json::array();
    for (const stored_part& p : *parts)
        list.push_back({{"PartNumber", p.part_number},
                        {"Size", p.size},
                        {"ETag", p.etag},
                        {"LastModified", p.last_modified}});
    return reply(list);
}

result<std::vector<int>> part_numbers(std::string_view list) {
    std::vector<int> out;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        int n = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
        if (ec != std::errc{} || end != item.data() + item.size() || n < 1 || n > 10000)
            return core::fail(
                error{errc::bad_request, "part numbers must be numbers between 1 and 10000"});
        out.push_back(n);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
    return out;
}

result<api_reply> batch_sign(const upload_service& s, const api_request& req) {
    auto key = key_param(req.query);
    if (!key) return core::fail(key.error());
    auto numbers = part_numbers(query_value(req.query, "partNumbers").value_or(""));
    if (!numbers) return core::fail(numbers.error());
    auto urls = s.sign_parts(req.who, *key, req.route.upload_id, *numbers, std::nullopt);
    if (!urls) return core::fail(urls.error());
    json map = json::object();
    for (const auto& [n, url] : urls->urls) map[std::to_string(n)] = url;
    return reply({{"presignedUrls", map}});
}

result<api_reply> sign_part(const upload_service& s, const api_request& req) {
    auto key = key_param(req.query);
    if (!key) return core::fail(key.error());
    auto urls =
        s.sign_parts(req.who, *key, req.route.upload_id, {req.route.part_number}, std::nullopt);
    if (!urls) return core::fail(urls.error());
    return reply({{"url", urls->urls.front().second}, {"expires", urls->expires.count()}});
}

result<api_reply> complete(const upload_service& s, const api_request& req) {
    auto key = key_param(req.query);
    if (!key) return core::fail(key.error());
    auto doc = parse_object(req.body);
    if (!doc) return core::fail(doc.error());
    const auto it = doc->find("parts");
    if (it == doc->end() || !it->is_array() || it->empty())
        return core::fail(error{errc::bad_request, "'parts' (a non-empty array) is required"});
    std::vector<part_ref> parts;
    for (const json& p : *it) {
        if (!p.is_object() || !p.contains("PartNumber") || !p["PartNumber"].is_number_integer() ||
            !p.contains("ETag") || !p["ETag"].is_string())
            return core::fail(
                error{errc::bad_request, "each part is {\"PartNumber\": N, \"ETag\": \"...\"}"});
        parts.push_back({p["PartNumber"].get<int>(), p["ETag"].get<std::string>()});
    }
    auto done = s.complete(req.who, *key, req.route.upload_id, std::move(parts));
    if (!done) return core::fail(done.error());
    return reply({{"location", done->location}, {"key", *key}, {"bucket", s.bucket()}});
}

result<api_reply> abort(const upload_service& s, const api_request& req) {
    auto key = key_param(req.query);
    if (!key) return core::fail(key.error());
    if (auto ok = s.abort(req.who, *key, req.route.upload_id); !ok) return core::fail(ok.error());
    return reply(json::object());
}
}  // namespace

result<api_reply> handle_companion(const upload_service& s, const api_request& req) {
    switch (req.route.entry->id) {
        case route::s3_params: return params(s, req);
        case route::s3_create_multipart: return create(s, req);
        case route::s3_list_parts: return list_parts(s, req);
        case route::s3_batch_sign: return batch_sign(s, req);
        case route::s3_sign_part: return sign_part(s, req);
        case route::s3_complete: return complete(s, req);
        case route::s3_abort: return abort(s, req);
        default: break;
    }
    return core::fail(error{errc::internal_error, "not an /s3 route"});
}

}  // namespace presign::api
