#include "app/embedded_store.hpp"

#include <signal.h>

#include <optional>
#include <unordered_map>

#include "app/cli_common.hpp"
#include "app/server_limits.hpp"
#include "app/upload_sweeper.hpp"

namespace presign::app {

namespace {
// The store's principals by access key id: root may do everything, the config file's users
// what their grants say.
auth::principal_lookup make_principals(const sigv4::credentials& root,
                                       const std::vector<config::store_user>& users) {
    using principal_map = std::unordered_map<std::string, auth::principal>;
    auto map = std::make_shared<principal_map>();
    (*map)[root.access_key_id] = auth::principal{
        "root",
        root.secret_access_key,
        {},
        std::make_shared<const auth::access_policy>(auth::access_policy::allow_all())};
    for (const config::store_user& u : users) {
        if (map->count(u.access_key_id))
            throw usage_error("config: user '" + u.name + "' uses the root access key id");
        (*map)[u.access_key_id] = auth::principal{
            u.name, u.secret_access_key, {}, std::make_shared<const auth::access_policy>(u.grants)};
    }
    // Access key ids are public (they travel in every request); the secret never leaves here.
    return [map](std::string_view id) -> std::optional<auth::principal> {
        const auto it = map->find(std::string(id));
        if (it == map->end()) return std::nullopt;
        return it->second;
    };
}

// The [store.cors] rule as the S3 front's CORS rule; none when it allows no origin (off).
std::optional<s3::cors_rule> default_cors_rule(const config::default_cors_rule& c) {
    if (c.allowed_origins.empty()) return std::nullopt;
    s3::cors_rule rule;
    rule.id = "presign-default";
    rule.allowed_origins = c.allowed_origins;
    rule.allowed_methods = c.allowed_methods;
    rule.allowed_headers = c.allowed_headers;
    rule.expose_headers = c.expose_headers;
    rule.max_age_seconds = c.max_age_seconds;
    return rule;
}

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}
}  // namespace

embedded_store::embedded_store(const embedded_store_settings& s) {
    auto root = config::load_root_credentials(s.data_dir, config::process_env(), s.file.root);
    if (!root) throw usage_error(root.error().message);
    root_ = std::move(*root);
    auto opened = store::store::open(s.data_dir, clock_);
    if (!opened)
        throw usage_error("cannot open the store in " + s.data_dir + ": " + opened.error().message);
    objects_ = std::make_unique<store::store>(std::move(*opened));

    auth::verifier_options verify_options;
    verify_options.region = s.region;
    verifier_ = std::make_unique<auth::verifier>(verify_options,
                                                 make_principals(root_.credentials, s.file.users));
    s3::front_options front_options;
    front_options.region = s.region;
    if (!s.domain.empty()) front_options.routing.domain = s.domain;
    front_options.default_cors = default_cors_rule(s.file.cors);
    auto front = std::make_shared<s3::front>(*objects_, *verifier_, clock_, front_options);
    sweeper_ = std::make_unique<upload_sweeper>(*objects_,
                                                std::chrono::seconds(s.abandoned_upload_seconds));
    http::limits limits;
    limits.max_connections = s.max_connections;
    apply_timeouts(limits, s.timeouts);
    try {
        server_ =
            std::make_unique<http::server>(front, s.host, s.port, limits, s.threads, s.observer);
    } catch (const std::exception& e) {
        throw usage_error("cannot serve the store on " + http_url(s.host, s.port) + ": " +
                          e.what());
    }
}

embedded_store::~embedded_store() {
    stop();
}

void embedded_store::stop() {
    if (server_) server_->stop();
}

std::pair<std::string, std::uint16_t> parse_listen(const std::string& text, const char* flag) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw usage_error(std::string(flag) + " must be HOST:PORT, got '" + text + "'");
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned long port = 0;
    try {
        std::size_t used = 0;
        port = std::stoul(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1 || port > 65535) throw std::invalid_argument("port");
    } catch (const std::exception&) {
        throw usage_error(std::string(flag) + " port must be 0..65535, got '" + text + "'");
    }
    return {host, static_cast<std::uint16_t>(port)};
}

void block_stop_signals() {
    const sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void wait_for_stop_signal() {
    const sigset_t set = stop_signals();
    int signal_number = 0;
    sigwait(&set, &signal_number);
}

bool take_stop_signal() {
    const sigset_t set = stop_signals();
    timespec none{0, 0};
    return sigtimedwait(&set, nullptr, &none) > 0;
}

std::string http_url(const std::string& host, std::uint16_t port) {
    const bool v6 = host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace presign::app
