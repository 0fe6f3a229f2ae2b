// `presign store`: the embedded S3-compatible store alone.

#include <signal.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <unordered_map>

#include "app/cli_common.hpp"
#include "app/commands.hpp"
#include "app/upload_sweeper.hpp"
#include "auth/verifier.hpp"
#include "config/root_credentials.hpp"
#include "config/store_config.hpp"
#include "core/clock.hpp"
#include "http/server.hpp"
#include "s3/front.hpp"
#include "store/store.hpp"

namespace presign::app {

namespace {
struct store_flags {
    std::string listen = "127.0.0.1:9000";
    std::string data_dir = "./presign-data";
    std::string region = "us-east-1";
    std::string domain;
    unsigned threads = 2;
    unsigned long abandoned_upload_seconds = 24 * 3600;
    std::string config_file;
    config::store_file_settings file;  ///< what the config file says (empty without one)
};

// The file's value fills in a setting the command line did not give.
template <class T>
void fill_from_file(CLI::App& cmd, const char* flag, T& value, const std::optional<T>& from_file) {
    if (from_file && cmd.get_option(flag)->count() == 0) value = *from_file;
}

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

// "host:port", "[v6]:port". Throws usage_error.
std::pair<std::string, std::uint16_t> parse_listen(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw usage_error("--listen must be HOST:PORT, got '" + text + "'");
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned long port = 0;
    try {
        std::size_t used = 0;
        port = std::stoul(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1 || port > 65535) throw std::invalid_argument("port");
    } catch (const std::exception&) {
        throw usage_error("--listen port must be 0..65535, got '" + text + "'");
    }
    return {host, static_cast<std::uint16_t>(port)};
}

// Blocks until SIGINT or SIGTERM (delivered to this thread: they are blocked everywhere).
void wait_for_signal() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int signal_number = 0;
    sigwait(&set, &signal_number);
}

void run_store(const store_flags& f) {
    const auto [host, port] = parse_listen(f.listen);
    auto root = config::load_root_credentials(f.data_dir, config::process_env(), f.file.root);
    if (!root) throw usage_error(root.error().message);
    const core::system_clock clock;
    auto objects = store::store::open(f.data_dir, clock);
    if (!objects)
        throw usage_error("cannot open the store in " + f.data_dir + ": " +
                          objects.error().message);

    const std::string root_id = root->credentials.access_key_id;
    const core::secret_string root_secret = root->credentials.secret_access_key;
    auth::verifier_options verify_options;
    verify_options.region = f.region;
    const auth::verifier verifier(verify_options, make_principals(root->credentials, f.file.users));
    s3::front_options front_options;
    front_options.region = f.region;
    if (!f.domain.empty()) front_options.routing.domain = f.domain;
    front_options.default_cors = default_cors_rule(f.file.cors);
    auto front = std::make_shared<s3::front>(*objects, verifier, clock, front_options);
    const upload_sweeper sweeper(*objects, std::chrono::seconds(f.abandoned_upload_seconds));

    // Block the stop signals before the server's threads start, so only wait_for_signal sees them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    http::server server(front, host, port, http::limits{}, f.threads);

    if (root->generated)
        std::printf(
            "presign store: new root credentials (kept in %s, shown once):\n"
            "  access key: %s\n  secret key: %.*s\n",
            root->source.c_str(), root_id.c_str(), static_cast<int>(root_secret.reveal().size()),
            root_secret.reveal().data());
    std::printf(
        "presign store: listening on http://%s:%u (region %s, data %s, %zu user(s) "
        "besides root)\n",
        host.find(':') != std::string::npos ? ("[" + host + "]").c_str() : host.c_str(),
        static_cast<unsigned>(server.port()), f.region.c_str(), f.data_dir.c_str(),
        f.file.users.size());
    std::fflush(stdout);
    wait_for_signal();
    server.stop();
}
}  // namespace

void add_store_command(CLI::App& root) {
    auto flags = std::make_shared<store_flags>();
    CLI::App* cmd = root.add_subcommand("store", "Run the embedded S3-compatible store");
    cmd->add_option("--listen", flags->listen, "Address and port (port 0: any free port)")
        ->capture_default_str();
    cmd->add_option("--data-dir", flags->data_dir, "Where objects are kept")->capture_default_str();
    cmd->add_option("--region", flags->region, "The region requests must be signed for")
        ->capture_default_str();
    cmd->add_option("--domain", flags->domain, "Serve virtual-hosted buckets as BUCKET.DOMAIN");
    cmd->add_option("--threads", flags->threads, "I/O threads")->capture_default_str();
    cmd->add_option("--abandoned-upload-age", flags->abandoned_upload_seconds,
                    "Seconds after which unfinished multipart uploads are removed (0: never)")
        ->capture_default_str();
    cmd->add_option("--config", flags->config_file,
                    "TOML config file ([store] table: settings, root keys, users and their "
                    "grants); flags win over it");
    cmd->callback([flags, cmd] {
        if (!flags->config_file.empty()) {
            auto file = config::load_store_config(flags->config_file);
            if (!file) throw usage_error(file.error().message);
            flags->file = std::move(*file);
            fill_from_file(*cmd, "--listen", flags->listen, flags->file.listen);
            fill_from_file(*cmd, "--data-dir", flags->data_dir, flags->file.data_dir);
            fill_from_file(*cmd, "--region", flags->region, flags->file.region);
            fill_from_file(*cmd, "--domain", flags->domain, flags->file.domain);
            fill_from_file(*cmd, "--threads", flags->threads, flags->file.threads);
            fill_from_file(*cmd, "--abandoned-upload-age", flags->abandoned_upload_seconds,
                           flags->file.abandoned_upload_seconds);
        }
        run_store(*flags);
    });
}

}  // namespace presign::app
