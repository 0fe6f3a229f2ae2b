// `presign serve`: the upload/download URL API with the embedded store beside it.
//
// Settings come from flags, then PRESIGN_* environment variables, then the config file's
// [serve] and [store] tables, then the defaults; --print-config shows the result (no secrets).

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "api/front.hpp"
#include "api/issuer.hpp"
#include "api/jwks.hpp"
#include "api/key_naming.hpp"
#include "api/routes.hpp"
#include "app/cli_common.hpp"
#include "app/commands.hpp"
#include "app/embedded_store.hpp"
#include "app/operations.hpp"
#include "app/s3_storage.hpp"
#include "app/serve_env.hpp"
#include "app/server_limits.hpp"
#include "config/aws_config.hpp"
#include "config/serve_config.hpp"
#include "config/store_config.hpp"
#include "s3client/client.hpp"

namespace presign::app {

namespace {
struct serve_flags {
    std::string api_listen = "127.0.0.1:8080";
    std::string s3_listen = "127.0.0.1:9000";
    std::string data_dir = "./presign-data";
    std::string public_s3_url;  // default: the store's own address
    std::string bucket = "uploads";
    std::string region = "us-east-1";
    long expires_seconds = 60;
    bool allow_anonymous = false;
    std::vector<std::string> cors_origins;
    std::string auth = "none";
    std::vector<config::api_key_setting> api_keys;
    config::jwt_setting jwt;
    std::string access_log = "stderr";
    std::string metrics = "api";
    long drain_timeout_seconds = 30;
    long auth_failures = 10;        // per client address and window; 0: off
    long auth_failure_window = 60;  // seconds
    std::string config_file;
    bool print_config = false;
    bool print_routes = false;
    config::upload_rule_settings uploads;
    std::optional<config::backend_setting> backend;
    config::timeout_settings timeouts;  ///< the API listener's ([serve])
};

// One setting's sources, highest first: the flag (when given), PRESIGN_<NAME>, the file.
template <class T, class Parse>
void resolve(CLI::App& cmd, const char* flag, const char* env, T& value,
             const std::optional<T>& from_file, Parse parse) {
    if (cmd.get_option(flag)->count() > 0) return;
    if (const char* e = std::getenv(env); e && *e) {
        value = parse(std::string(e), env);
        return;
    }
    if (from_file) value = *from_file;
}

std::string as_text(const std::string& s, const char*) {
    return s;
}

long as_seconds(const std::string& s, const char* env) {
    try {
        std::size_t used = 0;
        const long v = std::stol(s, &used);
        if (used == s.size() && v >= 1 && v <= 604800) return v;
    } catch (const std::exception&) {
    }
    throw usage_error(std::string(env) + " must be an integer 1..604800, got '" + s + "'");
}

std::string as_auth_mode(const std::string& s, const char* env) {
    if (s == "none" || s == "api_key" || s == "jwt") return s;
    throw usage_error(std::string(env) + " must be none, api_key or jwt, got '" + s + "'");
}

long as_drain_seconds(const std::string& s, const char* env) {
    try {
        std::size_t used = 0;
        const long v = std::stol(s, &used);
        if (used == s.size() && v >= 0 && v <= 3600) return v;
    } catch (const std::exception&) {
    }
    throw usage_error(std::string(env) + " must be an integer 0..3600, got '" + s + "'");
}

bool as_bool(const std::string& s, const char* env) {
    if (s == "1" || s == "true") return true;
    if (s == "0" || s == "false") return false;
    throw usage_error(std::string(env) + " must be true or false, got '" + s + "'");
}

// The configured API keys (their SHA-256 only) as the API's caller check.
api::caller_auth make_callers(const std::vector<config::api_key_setting>& settings) {
    std::vector<api::api_key> keys;
    for (const config::api_key_setting& s : settings) {
        api::api_key k{s.identity, {}, s.prefix};
        for (std::size_t i = 0; i < k.key_sha256.size(); ++i)
            k.key_sha256[i] =
                static_cast<std::uint8_t>(std::stoul(s.sha256_hex.substr(2 * i, 2), nullptr, 16));
        keys.push_back(std::move(k));
    }
    try {
        return api::caller_auth(std::move(keys));
    } catch (const std::invalid_argument& e) {
        throw usage_error(e.what());
    }
}

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The [serve.jwt] keys (a JWKS file, an HS256 secret file) and checks as the API's caller
// check. The secret is read straight into a secret_string and never printed.
api::caller_auth make_jwt_callers(const config::jwt_setting& s, const core::clock& clock) {
    api::jwt_settings settings;
    std::string at = "[serve.jwt] jwks_file " + s.jwks_file;
    try {
        if (!s.jwks_file.empty()) settings.keys = api::parse_jwks(read_file(s.jwks_file));
        at = "[serve.jwt] hs256_secret_file " + s.hs256_secret_file;
        if (!s.hs256_secret_file.empty()) {
            std::ifstream in(s.hs256_secret_file, std::ios::binary);
            if (!in) throw usage_error("cannot read " + s.hs256_secret_file);
            const core::secret_string secret(std::string(std::istreambuf_iterator<char>(in), {}));
            std::string_view bytes = secret.reveal();  // one trailing newline is not the secret's
            if (bytes.ends_with('\n')) bytes.remove_suffix(bytes.ends_with("\r\n") ? 2 : 1);
            settings.keys.push_back(api::jwt_key::hmac_secret(bytes));
        }
        at = "[serve.jwt]";
        settings.issuer = s.issuer;
        settings.audience = s.audience;
        settings.leeway = std::chrono::seconds(s.leeway_seconds);
        return api::caller_auth(
            std::make_shared<const api::jwt_verifier>(std::move(settings), clock),
            api::jwt_callers{s.identity_claim, s.prefix});
    } catch (const std::invalid_argument& e) {
        throw usage_error(at + ": " + e.what());
    }
}

void print_config(const serve_flags& f, const config::store_file_settings& store) {
    std::printf(
        "[serve]\napi_listen = \"%s\"\ns3_listen = \"%s\"\npublic_s3_url = \"%s\"\n"
        "bucket = \"%s\"\nexpires_seconds = %ld\nallow_anonymous = %s\nauth = \"%s\"\n",
        f.api_listen.c_str(), f.s3_listen.c_str(), f.public_s3_url.c_str(), f.bucket.c_str(),
        f.expires_seconds, f.allow_anonymous ? "true" : "false", f.auth.c_str());
    std::printf("access_log = \"%s\"\nmetrics = \"%s\"\ndrain_timeout_seconds = %ld\n",
                f.access_log.c_str(), f.metrics.c_str(), f.drain_timeout_seconds);
    std::printf("auth_failures_per_minute = %ld\nauth_failure_window_seconds = %ld\n",
                f.auth_failures, f.auth_failure_window);
    const http::limits transport;
    std::printf(
        "header_timeout_seconds = %ld\nbody_idle_timeout_seconds = %ld\n"
        "keep_alive_timeout_seconds = %ld\n",
        f.timeouts.header_timeout_seconds.value_or(transport.header_timeout.count()),
        f.timeouts.body_idle_timeout_seconds.value_or(transport.body_idle_timeout.count()),
        f.timeouts.keep_alive_timeout_seconds.value_or(transport.keep_alive_timeout.count()));
    for (const config::api_key_setting& k : f.api_keys)  // key hashes are not printed either
        std::printf("# api key: identity \"%s\", prefix \"%s\"\n", k.identity.c_str(),
                    k.prefix.c_str());
    if (f.auth == "jwt")  // file paths only: the secret stays in its file
        std::printf(
            "# jwt: hs256_secret_file \"%s\", jwks_file \"%s\", issuer \"%s\", audience \"%s\", "
            "identity_claim \"%s\", prefix \"%s\", leeway_seconds %ld\n",
            f.jwt.hs256_secret_file.c_str(), f.jwt.jwks_file.c_str(), f.jwt.issuer.c_str(),
            f.jwt.audience.c_str(), f.jwt.identity_claim.c_str(), f.jwt.prefix.c_str(),
            f.jwt.leeway_seconds);
    std::printf("cors_origins = [");
    for (std::size_t i = 0; i < f.cors_origins.size(); ++i)
        std::printf("%s\"%s\"", i ? ", " : "", f.cors_origins[i].c_str());
    std::printf(
        "]\n\n[store]\ndata_dir = \"%s\"\nregion = \"%s\"\nroot_keys = \"%s\"\n"
        "users = %zu\n",
        f.data_dir.c_str(), f.region.c_str(),
        store.root ? "from the config file (secret not shown)"
                   : "PRESIGN_ACCESS_KEY/PRESIGN_SECRET_KEY or DATA_DIR/root-credentials",
        store.users.size());
    const config::upload_rule_settings& u = f.uploads;
    std::printf(
        "\n[serve.uploads]\nmax_size_bytes = %llu\nkey_template = \"%s\"\n"
        "max_expires_seconds = %ld\npart_size_bytes = %llu\ncontent_types = [",
        static_cast<unsigned long long>(
            u.max_size_bytes.value_or(api::upload_rules{}.max_size_bytes)),
        u.key_template.value_or(std::string(api::k_default_key_template)).c_str(),
        u.max_expires_seconds.value_or(std::max(3600L, f.expires_seconds)),
        static_cast<unsigned long long>(
            u.part_size_bytes.value_or(api::upload_rules{}.part_size_bytes)));
    const auto types = u.content_types.value_or(std::vector<std::string>{});
    for (std::size_t i = 0; i < types.size(); ++i)
        std::printf("%s\"%s\"", i ? ", " : "", types[i].c_str());
    std::printf("]\n");
    if (f.backend)
        std::printf(
            "\n[serve.backend]\nendpoint_url = \"%s\"\nregion = \"%s\"\n"
            "addressing = \"%s\"\nprofile = \"%s\"\n",
            f.backend->endpoint_url.c_str(), f.backend->region.value_or("").c_str(),
            f.backend->addressing.c_str(), f.backend->profile.value_or("").c_str());
}

void print_routes() {
    for (const api::route_entry& r : api::route_table())
        std::printf("%.*s %.*s\n", static_cast<int>(r.method.size()), r.method.data(),
                    static_cast<int>(r.pattern.size()), r.pattern.data());
}

api::upload_rules make_rules(const serve_flags& f) {
    api::upload_rules rules;
    const config::upload_rule_settings& u = f.uploads;
    if (u.max_size_bytes) rules.max_size_bytes = *u.max_size_bytes;
    if (u.content_types) rules.content_types = *u.content_types;
    if (u.part_size_bytes) rules.part_size_bytes = *u.part_size_bytes;
    rules.default_expiry = std::chrono::seconds(f.expires_seconds);
    rules.max_expiry =
        std::chrono::seconds(u.max_expires_seconds.value_or(std::max(3600L, f.expires_seconds)));
    try {
        api::validate(rules);
        api::validate_key_template(
            u.key_template.value_or(std::string(api::k_default_key_template)));
    } catch (const std::invalid_argument& e) {
        throw usage_error(std::string("[serve.uploads]: ") + e.what());
    }
    return rules;
}

// Where URLs point and where the API's own S3 calls go: the embedded store (started here) or
// the remote S3 of [serve.backend].
struct backend_plan {
    std::unique_ptr<embedded_store> store;
    api::backend_settings issuing;
    s3client::settings calls;
    std::string described;
};

backend_plan remote_backend(const serve_flags& f) {
    const config::backend_setting& b = *f.backend;
    config::aws_overrides overrides;
    overrides.profile = b.profile;
    overrides.region = b.region;
    overrides.endpoint_url = b.endpoint_url;
    auto aws =
        config::resolve_aws_settings(overrides, config::process_env(), config::read_file_fn());
    if (!aws) throw usage_error("[serve.backend]: " + aws.error().message);
    backend_plan plan;
    plan.issuing.credentials = aws->credentials;
    plan.issuing.endpoint_url = f.public_s3_url.empty() ? b.endpoint_url : f.public_s3_url;
    plan.issuing.region = aws->region;
    plan.issuing.bucket = f.bucket;
    plan.issuing.style =
        b.addressing == "virtual" ? sigv4::addressing::virtual_hosted : sigv4::addressing::path;
    plan.calls.endpoint_url = b.endpoint_url;
    plan.calls.region = aws->region;
    plan.calls.credentials = aws->credentials;
    plan.calls.style = plan.issuing.style;
    plan.described =
        "backend " + b.endpoint_url + " (credentials from " + aws->credentials_source + ")";
    return plan;
}

backend_plan embedded_backend(serve_flags& f, const config::store_file_settings& store_file,
                              http::request_observer observer) {
    embedded_store_settings settings;
    settings.observer = std::move(observer);
    std::tie(settings.host, settings.port) = parse_listen(f.s3_listen, "--s3-listen");
    settings.data_dir = f.data_dir;
    settings.region = f.region;
    settings.file = store_file;
    if (store_file.max_connections) settings.max_connections = *store_file.max_connections;
    settings.timeouts = store_file.timeouts;
    backend_plan plan;
    plan.store = std::make_unique<embedded_store>(settings);
    store::store& objects = plan.store->objects();
    if (!objects.bucket_exists(f.bucket))
        if (auto made = objects.create_bucket(f.bucket); !made)
            throw usage_error("cannot create bucket '" + f.bucket + "': " + made.error().message);
    const std::string host =
        settings.host == "0.0.0.0" || settings.host == "::" ? "127.0.0.1" : settings.host;
    const std::string own_url = http_url(host, plan.store->port());
    if (f.public_s3_url.empty()) f.public_s3_url = own_url;
    plan.issuing.credentials = plan.store->root().credentials;
    plan.issuing.endpoint_url = f.public_s3_url;
    plan.issuing.region = f.region;
    plan.issuing.bucket = f.bucket;
    plan.calls.endpoint_url = own_url;  // the API's own calls stay on this machine
    plan.calls.region = f.region;
    plan.calls.credentials = plan.store->root().credentials;
    plan.described = "store on " + http_url(settings.host, plan.store->port());
    return plan;
}

void run_serve(serve_flags& f, const config::store_file_settings& store_file) {
    const auto [api_host, api_port] = parse_listen(f.api_listen, "--api-listen");
    const bool anonymous = f.auth == "none";
    if (anonymous && !is_loopback(api_host) && !f.allow_anonymous)
        throw usage_error("refusing to serve the API without caller authentication on " + api_host +
                          " (not a loopback address); give --allow-anonymous to do it anyway");
    api::front_options options;
    options.rules = make_rules(f);
    options.key_template =
        f.uploads.key_template.value_or(std::string(api::k_default_key_template));
    std::optional<std::pair<std::string, std::uint16_t>> metrics_listen;
    if (f.metrics != "api" && f.metrics != "off")
        metrics_listen = parse_listen(f.metrics, "--metrics");

    block_stop_signals();
    // The API's connections and, unless a remote backend is used, the store's.
    const std::string fd_warning = raise_open_file_limit(
        http::limits{}.max_connections +
        (f.backend ? 0 : store_file.max_connections.value_or(http::limits{}.max_connections)));
    operations monitor(f.access_log);  // before the servers, which report to it, and outliving them
    backend_plan backend =
        f.backend ? remote_backend(f)
                  : embedded_backend(f, store_file, monitor.observer(ops::server_id::store));
    const core::system_clock clock;
    std::unique_ptr<api::url_issuer> issuer;
    std::unique_ptr<s3client::client> client;
    try {
        issuer = std::make_unique<api::url_issuer>(backend.issuing, clock);
        client = std::make_unique<s3client::client>(backend.calls, clock);
    } catch (const std::invalid_argument& e) {
        throw usage_error(e.what());
    }
    const s3_storage storage(*client, f.bucket);
    options.storage = &storage;
    options.upload_expiry = options.download_expiry = std::chrono::seconds(f.expires_seconds);
    options.cors_origins = f.cors_origins;
    if (backend.store)  // the store is in this process: ask it directly
        options.ready = [&objects = backend.store->objects(), bucket = f.bucket] {
            return objects.bucket_exists(bucket);
        };
    if (!anonymous)
        options.callers =
            f.auth == "jwt" ? make_jwt_callers(f.jwt, clock) : make_callers(f.api_keys);
    options.auth_failures = {static_cast<unsigned>(f.auth_failures),
                             std::chrono::seconds(f.auth_failure_window)};
    options.clock = &clock;
    http::limits limits;
    limits.max_body_bytes = 64 * 1024;   // JSON requests only
    limits.inline_get_and_head = false;  // GET routes may wait on the backend
    apply_timeouts(limits, f.timeouts);
    std::unique_ptr<http::server> api_server, metrics_server;
    try {
        std::shared_ptr<http::handler> api_front = std::make_shared<api::front>(*issuer, options);
        if (f.metrics == "api") api_front = monitor.with_metrics_endpoint(std::move(api_front));
        api_server =
            std::make_unique<http::server>(std::move(api_front), api_host, api_port, limits, 2,
                                           monitor.observer(ops::server_id::api));
    } catch (const std::invalid_argument& e) {
        throw usage_error(e.what());
    } catch (const std::exception& e) {
        throw usage_error("cannot serve the API on " + f.api_listen + ": " + e.what());
    }
    if (metrics_listen) metrics_server = serve_metrics(monitor, *metrics_listen, f.metrics);
    monitor.metrics().set_connection_gauge(ops::server_id::api,
                                           [&s = *api_server] { return s.open_connections(); });
    if (backend.store)
        monitor.metrics().set_connection_gauge(
            ops::server_id::store, [&store = *backend.store] { return store.open_connections(); });
    if (anonymous && !is_loopback(api_host))
        std::fprintf(stderr,
                     "presign serve: WARNING: the API on %s issues URLs to anyone who asks "
                     "(--allow-anonymous)\n",
                     api_host.c_str());
    if (backend.store && backend.store->root().generated) {
        const auto& root = backend.store->root();
        const std::string_view secret = root.credentials.secret_access_key.reveal();
        std::printf(
            "presign serve: new store root credentials (kept in %s, shown once):\n"
            "  access key: %s\n  secret key: %.*s\n",
            root.source.c_str(), root.credentials.access_key_id.c_str(),
            static_cast<int>(secret.size()), secret.data());
    }
    std::printf("presign serve: API on %s, %s (bucket %s, URLs valid %ld s)\n",
                http_url(api_host, api_server->port()).c_str(), backend.described.c_str(),
                f.bucket.c_str(), f.expires_seconds);
    if (metrics_server)
        std::printf("presign serve: metrics on %s/metrics\n",
                    http_url(metrics_listen->first, metrics_server->port()).c_str());
    std::fflush(stdout);
    if (!fd_warning.empty())
        std::fprintf(stderr, "presign serve: warning: %s\n", fd_warning.c_str());
    wait_for_stop_signal();
    // Graceful: both listeners close at once, requests in flight finish (uploads to the store
    // included), bounded by the drain timeout; a second signal stops at once.
    std::fprintf(stderr, "presign serve: stopping; requests in flight may take up to %ld s\n",
                 f.drain_timeout_seconds);
    api_server->begin_drain();
    if (backend.store) backend.store->begin_drain();
    const bool drained = wait_for_drain(
        [&](std::chrono::steady_clock::time_point until) {
            return api_server->wait_drained(until) &&
                   (!backend.store || backend.store->wait_drained(until));
        },
        std::chrono::seconds(f.drain_timeout_seconds));
    if (!drained) std::fprintf(stderr, "presign serve: cut off the requests still running\n");
    monitor.metrics().set_connection_gauge(ops::server_id::api, {});
    monitor.metrics().set_connection_gauge(ops::server_id::store, {});
    if (metrics_server) metrics_server->stop();
    api_server->stop();
    if (backend.store) backend.store->stop();
}
}  // namespace

void add_serve_command(CLI::App& root) {
    auto f = std::make_shared<serve_flags>();
    CLI::App* cmd = root.add_subcommand(
        "serve", "Run the upload/download URL API with the embedded S3-compatible store");
    cmd->add_option("--api-listen", f->api_listen, "API address and port")->capture_default_str();
    cmd->add_option("--s3-listen", f->s3_listen, "Embedded store address and port")
        ->capture_default_str();
    cmd->add_option("--data-dir", f->data_dir, "Where the store keeps objects")
        ->capture_default_str();
    cmd->add_option("--public-s3-url", f->public_s3_url,
                    "Where presigned URLs point (default: the store's address)");
    cmd->add_option("--bucket", f->bucket, "The bucket URLs are issued for (created on start)")
        ->capture_default_str();
    cmd->add_option("--expires", f->expires_seconds, "Lifetime of issued URLs, seconds")
        ->capture_default_str()
        ->check(CLI::Range(1L, 604800L));
    cmd->add_flag("--allow-anonymous", f->allow_anonymous,
                  "Serve the API without caller auth on a non-loopback address");
    cmd->add_option("--cors-origin", f->cors_origins, "Browser origin allowed to call the API");
    cmd->add_option("--auth", f->auth, "Caller authentication: none, api_key or jwt")
        ->capture_default_str()
        ->check(CLI::IsMember({"none", "api_key", "jwt"}));
    cmd->add_option("--access-log", f->access_log,
                    "Access log: stderr, off, or a file to append JSON lines to")
        ->capture_default_str();
    cmd->add_option("--metrics", f->metrics,
                    "GET /metrics: api (on the API listener), off, or HOST:PORT of its own")
        ->capture_default_str();
    cmd->add_option("--drain-timeout", f->drain_timeout_seconds,
                    "On SIGTERM/SIGINT, seconds requests in flight may take to finish")
        ->capture_default_str()
        ->check(CLI::Range(0L, 3600L));
    cmd->add_option("--config", f->config_file, "TOML config file ([serve] and [store] tables)");
    cmd->add_flag("--print-config", f->print_config, "Print the effective settings and exit");
    cmd->add_flag("--print-routes", f->print_routes, "Print the API's routes and exit");
    cmd->callback([f, cmd] {
        config::serve_file_settings file;
        config::store_file_settings store_file;
        if (!f->config_file.empty()) {
            const std::string text = read_file(f->config_file);
            auto serve = config::parse_serve_config(text, f->config_file);
            if (!serve) throw usage_error(serve.error().message);
            auto store = config::parse_store_config(text, f->config_file);
            if (!store) throw usage_error(store.error().message);
            file = std::move(*serve);
            store_file = std::move(*store);
        }
        apply_serve_env(file);
        resolve(*cmd, "--api-listen", "PRESIGN_API_LISTEN", f->api_listen, file.api_listen,
                as_text);
        resolve(*cmd, "--s3-listen", "PRESIGN_S3_LISTEN", f->s3_listen, file.s3_listen, as_text);
        resolve(*cmd, "--data-dir", "PRESIGN_DATA_DIR", f->data_dir, store_file.data_dir, as_text);
        resolve(*cmd, "--public-s3-url", "PRESIGN_PUBLIC_S3_URL", f->public_s3_url,
                file.public_s3_url, as_text);
        resolve(*cmd, "--bucket", "PRESIGN_BUCKET", f->bucket, file.bucket, as_text);
        resolve(*cmd, "--expires", "PRESIGN_EXPIRES", f->expires_seconds, file.expires_seconds,
                as_seconds);
        resolve(*cmd, "--allow-anonymous", "PRESIGN_ALLOW_ANONYMOUS", f->allow_anonymous,
                file.allow_anonymous, as_bool);
        if (cmd->get_option("--cors-origin")->count() == 0 && file.cors_origins)
            f->cors_origins = *file.cors_origins;
        if (store_file.region) f->region = *store_file.region;
        resolve(*cmd, "--auth", "PRESIGN_AUTH", f->auth, file.auth, as_auth_mode);
        resolve(*cmd, "--access-log", "PRESIGN_ACCESS_LOG", f->access_log, file.access_log,
                as_text);
        resolve(*cmd, "--metrics", "PRESIGN_METRICS", f->metrics, file.metrics, as_text);
        resolve(*cmd, "--drain-timeout", "PRESIGN_DRAIN_TIMEOUT", f->drain_timeout_seconds,
                file.drain_timeout_seconds, as_drain_seconds);
        if (file.auth_failures_per_minute) f->auth_failures = *file.auth_failures_per_minute;
        if (file.auth_failure_window_seconds)
            f->auth_failure_window = *file.auth_failure_window_seconds;
        f->api_keys = file.api_keys;
        f->uploads = file.uploads;
        f->backend = file.backend;
        f->timeouts = file.timeouts;
        if (f->print_routes) return print_routes();
        f->jwt = file.jwt;
        if (f->auth == "api_key" && f->api_keys.empty())
            throw usage_error("auth \"api_key\" needs [[serve.api_keys]] in the config file");
        if (f->auth == "jwt" && f->jwt.hs256_secret_file.empty() && f->jwt.jwks_file.empty())
            throw usage_error(
                "auth \"jwt\" needs [serve.jwt] hs256_secret_file or jwks_file in the config file");
        if (f->print_config) return print_config(*f, store_file);
        run_serve(*f, store_file);
    });
}

}  // namespace presign::app
