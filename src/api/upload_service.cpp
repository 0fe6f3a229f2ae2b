#include "api/upload_service.hpp"

#include <algorithm>

#include "api/key_naming.hpp"
#include "api/keys.hpp"
#include "core/ascii.hpp"

namespace presign::api {

namespace {
// x-amz-meta-* names and values as S3 keeps them in headers: a lower-case token name and a
// printable ASCII value.
result<void> check_metadata(const std::vector<std::pair<std::string, std::string>>& metadata) {
    if (metadata.size() > 32)
        return core::fail(error{errc::bad_request, "at most 32 metadata entries"});
    std::size_t total = 0;
    for (const auto& [name, value] : metadata) {
        if (name.empty() || name.size() > 128)
            return core::fail(error{errc::bad_request, "metadata names are 1..128 characters"});
        for (char c : name)
            if (!(core::is_alnum(c) || c == '-' || c == '_'))
                return core::fail(error{
                    errc::bad_request,
                    "metadata name '" + name + "' may hold only letters, digits, '-' and '_'"});
        for (char c : value)
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
                return core::fail(
                    error{errc::bad_request, "metadata '" + name + "' must be printable ASCII"});
        total += name.size() + value.size();
    }
    if (total > 2048)  // S3's user-metadata limit
        return core::fail(error{errc::bad_request, "metadata is over 2 KB"});
    return {};
}

result<void> check_upload_id(std::string_view upload_id) {
    if (upload_id.empty() || upload_id.size() > 1024)
        return core::fail(error{errc::bad_request, "'upload_id' must be 1..1024 characters"});
    for (char c : upload_id)
        if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
            return core::fail(error{errc::bad_request, "'upload_id' must be printable ASCII"});
    return {};
}
}  // namespace

upload_service::upload_service(const url_issuer& issuer, const object_storage* storage,
                               upload_rules rules, std::string key_template)
    : issuer_(issuer),
      storage_(storage),
      rules_(std::move(rules)),
      key_template_(std::move(key_template)) {}

result<const object_storage*> upload_service::backend() const {
    if (!storage_)
        return core::fail(error{errc::backend_unavailable, "no storage backend is configured"});
    return storage_;
}

result<std::string> upload_service::chosen_key(const caller& who, const upload_ask& ask) const {
    if (auto ok = check_key(ask.filename, "filename"); !ok) return core::fail(ok.error());
    if (auto ok = check_content_type(rules_, ask.content_type); !ok) return core::fail(ok.error());
    if (ask.size)
        if (auto ok = check_size(rules_, *ask.size); !ok) return core::fail(ok.error());
    if (auto ok = check_metadata(ask.metadata); !ok) return core::fail(ok.error());
    std::string key = choose_key(key_template_, who, ask.filename, issuer_.now());
    if (auto ok = check_key(key, "key"); !ok) return core::fail(ok.error());
    return key;
}

result<post_offer> upload_service::offer_post(const caller& who, const upload_ask& ask,
                                              std::string_view success_status) const {
    auto expires = choose_expiry(rules_, ask.expires_in);
    if (!expires) return core::fail(expires.error());
    auto key = chosen_key(who, ask);
    if (!key) return core::fail(key.error());
    form_rules form;
    form.min_size = ask.size.value_or(0);
    form.max_size = ask.size.value_or(rules_.max_size_bytes);
    form.content_type = ask.content_type;
    if (!success_status.empty()) form.fields.emplace_back("success_action_status", success_status);
    for (const auto& [name, value] : ask.metadata)
        form.fields.emplace_back("x-amz-meta-" + name, value);
    const core::time_point now = issuer_.now();
    auto post = issuer_.upload_form(*key, *expires, form);
    if (!post) return core::fail(post.error());
    return post_offer{std::move(*key), std::move(*post), *expires, now + *expires};
}

result<put_offer> upload_service::offer_put(const caller& who, const upload_ask& ask) const {
    auto expires = choose_expiry(rules_, ask.expires_in);
    if (!expires) return core::fail(expires.error());
    if (!ask.metadata.empty())
        return core::fail(error{errc::bad_request, "metadata is for POST uploads"});
    auto key = chosen_key(who, ask);
    if (!key) return core::fail(key.error());
    const core::time_point now = issuer_.now();
    auto put = issuer_.upload_put(*key, *expires, ask.content_type, ask.size);
    if (!put) return core::fail(put.error());
    return put_offer{std::move(*key), std::move(*put), *expires, now + *expires};
}

result<multipart_start> upload_service::start_multipart(const caller& who,
                                                        const upload_ask& ask) const {
    auto store = backend();
    if (!store) return core::fail(store.error());
    auto key = chosen_key(who, ask);
    if (!key) return core::fail(key.error());
    auto id = (*store)->create_multipart(*key, ask.content_type);
    if (!id) return core::fail(id.error());
    return multipart_start{std::move(*key), std::move(*id)};
}

result<part_urls> upload_service::sign_parts(const caller& who, std::string_view key,
                                             std::string_view upload_id,
                                             const std::vector<int>& part_numbers,
                                             std::optional<std::int64_t> expires_in) const {
    if (auto ok = check_owned_key(who, key, "key"); !ok) return core::fail(ok.error());
    if (auto ok = check_upload_id(upload_id); !ok) return core::fail(ok.error());
    if (part_numbers.empty() || part_numbers.size() > k_max_parts_per_request)
        return core::fail(
            error{errc::bad_request,
                  "ask for 1.." + std::to_string(k_max_parts_per_request) + " part numbers"});
    auto expires = choose_expiry(rules_, expires_in);
    if (!expires) return core::fail(expires.error());
    part_urls out;
    out.expires = *expires;
    out.expires_at = issuer_.now() + *expires;
    for (int n : part_numbers) {
        auto url = issuer_.part_url(key, upload_id, n, *expires);
        if (!url) return core::fail(url.error());
        out.urls.emplace_back(n, std::move(*url));
    }
    return out;
}

result<std::vector<stored_part>> upload_service::list_parts(const caller& who, std::string_view key,
                                                            std::string_view upload_id) const {
    if (auto ok = check_owned_key(who, key, "key"); !ok) return core::fail(ok.error());
    if (auto ok = check_upload_id(upload_id); !ok) return core::fail(ok.error());
    auto store = backend();
    if (!store) return core::fail(store.error());
    return (*store)->list_parts(key, upload_id);
}

result<completed_object> upload_service::complete(const caller& who, std::string_view key,
                                                  std::string_view upload_id,
                                                  std::vector<part_ref> parts) const {
    auto uploaded = list_parts(who, key, upload_id);
    if (!uploaded) return core::fail(uploaded.error());
    if (parts.empty())
        for (const stored_part& p : *uploaded) parts.push_back({p.part_number, p.etag});
    if (parts.empty()) return core::fail(error{errc::bad_request, "the upload has no parts yet"});
    std::uint64_t total = 0;
    for (const part_ref& want : parts) {
        const auto it = std::find_if(uploaded->begin(), uploaded->end(), [&](const stored_part& p) {
            return p.part_number == want.part_number;
        });
        if (it != uploaded->end()) total += it->size;
    }
    if (auto ok = check_size(rules_, total); !ok) {
        (void)(*backend())->abort_multipart(key, upload_id);  // the parts go: the file is refused
        return core::fail(ok.error());
    }
    return (*backend())->complete_multipart(key, upload_id, parts);
}

result<void> upload_service::abort(const caller& who, std::string_view key,
                                   std::string_view upload_id) const {
    if (auto ok = check_owned_key(who, key, "key"); !ok) return ok;
    if (auto ok = check_upload_id(upload_id); !ok) return ok;
    auto store = backend();
    if (!store) return core::fail(store.error());
    return (*store)->abort_multipart(key, upload_id);
}

result<std::pair<std::string, core::time_point>> upload_service::download(
    const caller& who, std::string_view key, const download_options& options,
    std::optional<std::int64_t> expires_in) const {
    if (auto ok = check_owned_key(who, key, "key"); !ok) return core::fail(ok.error());
    if (!options.filename.empty())
        if (auto ok = check_key(options.filename, "filename"); !ok) return core::fail(ok.error());
    auto expires = choose_expiry(rules_, expires_in);
    if (!expires) return core::fail(expires.error());
    const core::time_point now = issuer_.now();
    auto url = issuer_.download_url(key, *expires, options);
    if (!url) return core::fail(url.error());
    return std::pair{std::move(*url), now + *expires};
}

result<object_listing> upload_service::list(const caller& who, std::string_view sub_prefix,
                                            std::string_view token, int max_keys) const {
    if (max_keys < 1 || max_keys > 1000)
        return core::fail(error{errc::bad_request, "'max_keys' must be 1..1000"});
    std::string prefix = who.prefix;
    prefix += sub_prefix;
    if (!sub_prefix.empty())
        if (auto ok = check_owned_key(who, prefix, "prefix"); !ok) return core::fail(ok.error());
    auto store = backend();
    if (!store) return core::fail(store.error());
    return (*store)->list(prefix, token, max_keys);
}

result<void> upload_service::remove(const caller& who, std::string_view key) const {
    if (auto ok = check_owned_key(who, key, "key"); !ok) return ok;
    auto store = backend();
    if (!store) return core::fail(store.error());
    return (*store)->remove(key);
}

}  // namespace presign::api
