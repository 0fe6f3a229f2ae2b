#include "s3/cors_front.hpp"

#include <utility>
#include <vector>

namespace presign::s3::detail {

namespace {
using header_list = std::vector<std::pair<std::string, std::string>>;

// Parsed configurations of buckets that were deleted stay until this many are cached; then
// the cache starts over (each bucket costs one parse to come back).
constexpr std::size_t k_max_cached = 4096;

// Adds `headers` to whatever response the wrapped exchange ends with (early or final).
class cors_exchange final : public http::exchange {
  public:
    cors_exchange(std::unique_ptr<http::exchange> inner, header_list headers)
        : inner_(std::move(inner)), headers_(std::move(headers)) {}
    std::optional<http::response> on_body(std::span<const char> chunk) override {
        auto early = inner_->on_body(chunk);
        if (early) add_to(*early);
        return early;
    }
    http::response finish() override {
        http::response res = inner_->finish();
        add_to(res);
        return res;
    }

  private:
    void add_to(http::response& res) const {
        for (const auto& [name, value] : headers_) res.set(name, value);
    }
    std::unique_ptr<http::exchange> inner_;
    header_list headers_;
};

error forbidden(std::string message, std::string_view method, bool object) {
    return {code::access_forbidden,
            std::move(message),
            {{"Method", std::string(method)}, {"ResourceType", object ? "OBJECT" : "BUCKET"}}};
}

bool is_cors_method(std::string_view m) {
    return m == "GET" || m == "PUT" || m == "POST" || m == "DELETE" || m == "HEAD";
}
}  // namespace

cors_cache::cors_cache(const std::optional<cors_rule>& default_rule) {
    if (default_rule && !default_rule->allowed_origins.empty())
        default_ = std::make_shared<const cors_config>(cors_config{{*default_rule}});
}

cors_cache::rules cors_cache::rules_for(const store::store& objects, std::string_view bucket) {
    auto snapshot = objects.bucket_settings_of(bucket);
    if (!snapshot) return {};
    const store::settings_snapshot& s = **snapshot;
    if (s.settings.cors.empty()) return {true, false, default_};
    {
        std::lock_guard lock(mutex_);
        const auto it = parsed_.find(bucket);
        if (it != parsed_.end() && it->second.version == s.version)
            return {true, true, it->second.config};
    }
    // Outside the lock: a parse of up to 64 KiB of XML, once per version. The stored document
    // was validated by PutBucketCors; one that no longer parses counts as no rules.
    auto parsed = parse_cors_xml(s.settings.cors);
    std::shared_ptr<const cors_config> config;
    if (parsed) config = std::make_shared<const cors_config>(std::move(*parsed));
    std::lock_guard lock(mutex_);
    if (parsed_.size() >= k_max_cached) parsed_.clear();
    parsed_.insert_or_assign(std::string(bucket), entry{s.version, config});
    return {true, true, std::move(config)};
}

outcome preflight(const http::request_head& head, const route& target,
                  const std::string& request_id, const store::store& objects, cors_cache& cors) {
    const auto fail = [&](const error& e) { return make_error(request_id, e, target.resource); };
    const std::string_view origin = head.header("origin");
    if (origin.empty()) return fail({code::bad_request, "", {}});
    const std::string_view method = head.header("access-control-request-method");
    if (!is_cors_method(method))
        return fail({code::bad_request,
                     "Insufficient information. Access-Control-Request-Method request header "
                     "needed.",
                     {}});
    const cors_cache::rules rules = cors.rules_for(objects, target.bucket);
    if (!rules.bucket_found)
        return fail(forbidden("CORSResponse: Bucket not found", method, false));
    if (!rules.config)
        return fail(forbidden("CORSResponse: CORS is not enabled for this bucket.", method, false));
    const auto requested = split_header_list(head.header("access-control-request-headers"));
    const cors_rule* rule = match_cors(*rules.config, origin, method, requested);
    if (!rule) return fail(forbidden("", method, !target.key.empty()));
    http::response res = make_response(request_id);
    for (auto& [name, value] : cors_headers(*rule, origin, true, requested))
        res.set(std::move(name), std::move(value));
    return res;
}

void add_cors_headers(outcome& out, const http::request_head& head, const route& target,
                      const store::store& objects, cors_cache& cors) {
    const std::string_view origin = head.header("origin");
    if (origin.empty() || target.bucket.empty()) return;
    std::string_view method = head.header("access-control-request-method");
    if (method.empty()) method = head.method;
    const cors_cache::rules rules = cors.rules_for(objects, target.bucket);
    if (!rules.config) return;
    const cors_rule* rule = match_cors(*rules.config, origin, method, {});
    if (!rule) return;
    header_list headers = cors_headers(*rule, origin, false, {});
    if (auto* res = std::get_if<http::response>(&out)) {
        for (auto& [name, value] : headers) res->set(std::move(name), std::move(value));
        return;
    }
    auto& exchange = std::get<std::unique_ptr<http::exchange>>(out);
    exchange = std::make_unique<cors_exchange>(std::move(exchange), std::move(headers));
}

}  // namespace presign::s3::detail
