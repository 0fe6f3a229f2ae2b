// The /v1 API: server-chosen keys inside the caller's prefix, rules built into what is signed,
// and the S3 calls a browser cannot make with a presigned URL alone.
//
//   POST   /v1/uploads                       {filename, content_type?, size?, method?: post|put,
//                                             multipart?, expires_in?, metadata?}
//   POST   /v1/downloads                     {key, filename?, disposition?, expires_in?}
//   GET    /v1/objects?prefix=&continuation_token=&max_keys=
//   DELETE /v1/objects?key=
//   POST   /v1/multipart/{uploadId}/parts    {key, part_numbers: [1, 2], expires_in?}
//   GET    /v1/multipart/{uploadId}?key=
//   POST   /v1/multipart/{uploadId}/complete {key, parts?: [{part_number, etag}]}
//   DELETE /v1/multipart/{uploadId}?key=

#include <charconv>

#include "api/handlers.hpp"
#include "core/time_format.hpp"

namespace presign::api {

namespace {
using nlohmann::json;

api_reply reply(const json& body, unsigned status = 200) {
    return {status, to_json_text(body)};
}

result<std::optional<std::int64_t>> expires_in(const json& doc) {
    auto v = optional_count(doc, "expires_in");
    if (!v) return core::fail(v.error());
    if (!*v) return std::optional<std::int64_t>{};
    if (**v > 604800) return core::fail(error{errc::bad_request, "'expires_in' is over 604800"});
    return std::optional<std::int64_t>(static_cast<std::int64_t>(**v));
}

result<std::vector<std::pair<std::string, std::string>>> metadata_of(const json& doc) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto it = doc.find("metadata");
    if (it == doc.end() || it->is_null()) return out;
    if (!it->is_object())
        return core::fail(error{errc::bad_request, "'metadata' must be an object of strings"});
    for (const auto& [name, value] : it->items()) {
        if (!value.is_string())
            return core::fail(error{errc::bad_request, "'metadata' must be an object of strings"});
        out.emplace_back(name, value.get<std::string>());
    }
    return out;
}

result<std::string> required_query(const query_params& q, const char* name) {
    auto v = query_value(q, name);
    if (!v || v->empty())
        return core::fail(error{errc::bad_request,
                                std::string("the query parameter '") + name + "' is required"});
    return std::move(*v);
}

result<api_reply> uploads(const upload_service& s, const api_request& req) {
    auto doc = parse_object(req.body);
    if (!doc) return core::fail(doc.error());
    upload_ask ask;
    auto filename = required_string(*doc, "filename");
    auto type = optional_string(*doc, "content_type");
    auto size = optional_count(*doc, "size");
    auto method = optional_string(*doc, "method");
    auto multipart = optional_bool(*doc, "multipart");
    auto expires = expires_in(*doc);
    auto metadata = metadata_of(*doc);
    if (!filename) return core::fail(filename.error());
    if (!type) return core::fail(type.error());
    if (!size) return core::fail(size.error());
    if (!method) return core::fail(method.error());
    if (!multipart) return core::fail(multipart.error());
    if (!expires) return core::fail(expires.error());
    if (!metadata) return core::fail(metadata.error());
    ask.filename = std::move(*filename);
    ask.content_type = type->value_or("");
    ask.size = *size;
    ask.expires_in = *expires;
    ask.metadata = std::move(*metadata);
    const std::string how = method->value_or("post");
    if (multipart->value_or(false)) {
        auto started = s.start_multipart(req.who, ask);
        if (!started) return core::fail(started.error());
        json out = {{"key", started->key},
                    {"method", "MULTIPART"},
                    {"upload_id", started->upload_id},
                    {"part_size", s.rules().part_size_bytes}};
        if (ask.size) {
            const std::uint64_t part = s.rules().part_size_bytes;
            out["part_count"] = std::max<std::uint64_t>(1, (*ask.size + part - 1) / part);
        }
        return reply(out);
    }
    if (how == "put") {
        auto offer = s.offer_put(req.who, ask);
        if (!offer) return core::fail(offer.error());
        json headers = json::object();
        for (const auto& [name, value] : offer->put.headers) headers[name] = value;
        return reply({{"key", offer->key},
                      {"method", "PUT"},
                      {"url", offer->put.url},
                      {"headers", headers},
                      {"expires_in", offer->expires.count()},
                      {"expires_at", core::format_iso8601(offer->expires_at)}});
    }
    if (how != "post")
        return core::fail(error{errc::bad_request, "'method' must be \"post\" or \"put\""});
    auto offer = s.offer_post(req.who, ask);
    if (!offer) return core::fail(offer.error());
    json fields = json::object();
    for (const auto& [name, value] : offer->post.fields) fields[name] = value;
    return reply({{"key", offer->key},
                  {"method", "POST"},
                  {"url", offer->post.url},
                  {"fields", fields},
                  {"expires_in", offer->expires.count()},
                  {"expires_at", core::format_iso8601(offer->expires_at)}});
}

result<api_reply> downloads(const upload_service& s, const api_request& req) {
    auto doc = parse_object(req.body);
    if (!doc) return core::fail(doc.error());
    auto key = required_string(*doc, "key");
    auto filename = optional_string(*doc, "filename");
    auto disposition = optional_string(*doc, "disposition");
    auto expires = expires_in(*doc);
    if (!key) return core::fail(key.error());
    if (!filename) return core::fail(filename.error());
    if (!disposition) return core::fail(disposition.error());
    if (!expires) return core::fail(expires.error());
    download_options options;
    options.filename = filename->value_or("");
    const std::string how = disposition->value_or(options.filename.empty() ? "" : "attachment");
    if (!how.empty() && how != "attachment" && how != "inline")
        return core::fail(
            error{errc::bad_request, "'disposition' must be \"attachment\" or \"inline\""});
    options.inline_view = how == "inline";
    if (how == "attachment" && options.filename.empty()) {
        const auto slash = key->rfind('/');
        options.filename = slash == std::string::npos ? *key : key->substr(slash + 1);
    }
    auto url = s.download(req.who, *key, options, *expires);
    if (!url) return core::fail(url.error());
    return reply(
        {{"key", *key}, {"url", url->first}, {"expires_at", core::format_iso8601(url->second)}});
}

result<api_reply> list_objects(const upload_service& s, const api_request& req) {
    int max_keys = 1000;
    if (auto v = query_value(req.query, "max_keys")) {
        const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), max_keys);
        if (ec != std::errc{} || end != v->data() + v->size())
            return core::fail(error{errc::bad_request, "'max_keys' must be 1..1000"});
    }
    auto page = s.list(req.who, query_value(req.query, "prefix").value_or(""),
                       query_value(req.query, "continuation_token").value_or(""), max_keys);
    if (!page) return core::fail(page.error());
    json objects = json::array();
    for (const stored_object& o : page->objects)
        objects.push_back({{"key", o.key},
                           {"size", o.size},
                           {"etag", o.etag},
                           {"last_modified", o.last_modified}});
    json out = {{"objects", objects}};
    if (!page->next_token.empty()) out["next_continuation_token"] = page->next_token;
    return reply(out);
}

result<api_reply> delete_object(const upload_service& s, const api_request& req) {
    auto key = required_query(req.query, "key");
    if (!key) return core::fail(key.error());
    if (auto ok = s.remove(req.who, *key); !ok) return core::fail(ok.error());
    return reply({{"deleted", *key}});
}

result<api_reply> sign_parts(const upload_service& s, const api_request& req) {
    auto doc = parse_object(req.body);
    if (!doc) return core::fail(doc.error());
    auto key = required_string(*doc, "key");
    auto expires = expires_in(*doc);
    if (!key) return core::fail(key.error());
    if (!expires) return core::fail(expires.error());
    const auto it = doc->find("part_numbers");
    if (it == doc->end() || !it->is_array())
        return core::fail(error{errc::bad_request, "'part_numbers' (an array) is required"});
    std::vector<int> numbers;
    for (const json& n : *it) {
        if (!n.is_number_integer() || n.get<std::int64_t>() < 1 || n.get<std::int64_t>() > 10000)
            return core::fail(error{errc::bad_request, "part numbers are integers 1..10000"});
        numbers.push_back(n.get<int>());
    }
    auto urls = s.sign_parts(req.who, *key, req.route.upload_id, numbers, *expires);
    if (!urls) return core::fail(urls.error());
    json map = json::object();
    for (const auto& [n, url] : urls->urls) map[std::to_string(n)] = url;
    return reply({{"key", *key},
                  {"upload_id", req.route.upload_id},
                  {"urls", map},
                  {"expires_at", core::format_iso8601(urls->expires_at)}});
}

result<api_reply> list_parts(const upload_service& s, const api_request& req) {
    auto key = required_query(req.query, "key");
    if (!key) return core::fail(key.error());
    auto parts = s.list_parts(req.who, *key, req.route.upload_id);
    if (!parts) return core::fail(parts.error());
    json list = json::array();
    for (const stored_part& p : *parts)
        list.push_back({{"part_number", p.part_number},
                        {"size", p.size},
                        {"etag", p.etag},
                        {"last_modified", p.last_modified}});
    return reply({{"key", *key}, {"upload_id", req.route.upload_id}, {"parts", list}});
}

result<api_reply> complete(const upload_service& s, const api_request& req) {
    auto doc = parse_object(req.body);
    if (!doc) return core::fail(doc.error());
    auto key = required_string(*doc, "key");
    if (!key) return core::fail(key.error());
    std::vector<part_ref> parts;
    if (const auto it = doc->find("parts"); it != doc->end() && !it->is_null()) {
        if (!it->is_array())
            return core::fail(error{errc::bad_request, "'parts' must be an array"});
        for (const json& p : *it) {
            if (!p.is_object() || !p.contains("part_number") ||
                !p["part_number"].is_number_integer() || !p.contains("etag") ||
                !p["etag"].is_string())
                return core::fail(error{errc::bad_request,
                                        "each part is {\"part_number\": N, \"etag\": \"...\"}"});
            parts.push_back({p["part_number"].get<int>(), p["etag"].get<std::string>()});
        }
    }
    auto done = s.complete(req.who, *key, req.route.upload_id, std::move(parts));
    if (!done) return core::fail(done.error());
    return reply({{"key", *key}, {"etag", done->etag}, {"location", done->location}});
}

result<api_reply> abort(const upload_service& s, const api_request& req) {
    auto key = required_query(req.query, "key");
    if (!key) return core::fail(key.error());
    if (auto ok = s.abort(req.who, *key, req.route.upload_id); !ok) return core::fail(ok.error());
    return reply({{"key", *key}, {"upload_id", req.route.upload_id}, {"aborted", true}});
}
}  // namespace

result<api_reply> handle_v1(const upload_service& s, const api_request& req) {
    switch (req.route.entry->id) {
        case route::v1_uploads: return uploads(s, req);
        case route::v1_downloads: return downloads(s, req);
        case route::v1_list_objects: return list_objects(s, req);
        case route::v1_delete_object: return delete_object(s, req);
        case route::v1_sign_parts: return sign_parts(s, req);
        case route::v1_list_parts: return list_parts(s, req);
        case route::v1_complete: return complete(s, req);
        case route::v1_abort: return abort(s, req);
        default: break;
    }
    return core::fail(error{errc::internal_error, "not a /v1 route"});
}

}  // namespace presign::api
