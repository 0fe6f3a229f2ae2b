// `presign store`: the embedded S3-compatible store alone.

#include <cstdio>
#include <memory>
#include <optional>
#include <tuple>

#include "app/cli_common.hpp"
#include "app/commands.hpp"
#include "app/embedded_store.hpp"
#include "app/operations.hpp"
#include "app/server_limits.hpp"
#include "config/store_config.hpp"

namespace presign::app {

namespace {
struct store_flags {
    std::string listen = "127.0.0.1:9000";
    std::string data_dir = "./presign-data";
    std::string region = "us-east-1";
    std::string domain;
    unsigned threads = 2;
    std::size_t max_connections = 10000;
    unsigned long abandoned_upload_seconds = 24 * 3600;
    std::string access_log = "off";
    std::string metrics = "off";
    long drain_timeout_seconds = 30;
    long header_timeout_seconds = http::limits{}.header_timeout.count();
    long body_idle_timeout_seconds = http::limits{}.body_idle_timeout.count();
    long keep_alive_timeout_seconds = http::limits{}.keep_alive_timeout.count();
    std::string config_file;
    config::store_file_settings file;  ///< what the config file says (empty without one)
};

// The file's value fills in a setting the command line did not give.
template <class T>
void fill_from_file(CLI::App& cmd, const char* flag, T& value, const std::optional<T>& from_file) {
    if (from_file && cmd.get_option(flag)->count() == 0) value = *from_file;
}

void run_store(const store_flags& f) {
    embedded_store_settings settings;
    std::tie(settings.host, settings.port) = parse_listen(f.listen, "--listen");
    settings.data_dir = f.data_dir;
    settings.region = f.region;
    settings.domain = f.domain;
    settings.threads = f.threads;
    settings.max_connections = f.max_connections;
    settings.abandoned_upload_seconds = f.abandoned_upload_seconds;
    settings.timeouts = {f.header_timeout_seconds, f.body_idle_timeout_seconds,
                         f.keep_alive_timeout_seconds};
    settings.file = f.file;
    std::optional<std::pair<std::string, std::uint16_t>> metrics_listen;
    if (f.metrics != "off") metrics_listen = parse_listen(f.metrics, "--metrics");
    // Before any thread starts, so that only wait_for_stop_signal sees the stop signals.
    block_stop_signals();
    const std::string fd_warning = raise_open_file_limit(f.max_connections);
    operations monitor(f.access_log);  // before the server, which reports to it, and outliving it
    settings.observer = monitor.observer(ops::server_id::store);
    embedded_store running(settings);
    std::unique_ptr<http::server> metrics_server;
    if (metrics_listen) metrics_server = serve_metrics(monitor, *metrics_listen, f.metrics);
    monitor.metrics().set_connection_gauge(ops::server_id::store,
                                           [&running] { return running.open_connections(); });
    const config::root_credentials& root = running.root();
    if (root.generated) {
        const std::string_view secret = root.credentials.secret_access_key.reveal();
        std::printf(
            "presign store: new root credentials (kept in %s, shown once):\n"
            "  access key: %s\n  secret key: %.*s\n",
            root.source.c_str(), root.credentials.access_key_id.c_str(),
            static_cast<int>(secret.size()), secret.data());
    }
    std::printf("presign store: listening on %s (region %s, data %s, %zu user(s) besides root)\n",
                http_url(settings.host, running.port()).c_str(), f.region.c_str(),
                f.data_dir.c_str(), f.file.users.size());
    if (metrics_server)
        std::printf("presign store: metrics on %s/metrics\n",
                    http_url(metrics_listen->first, metrics_server->port()).c_str());
    std::fflush(stdout);
    if (!fd_warning.empty())
        std::fprintf(stderr, "presign store: warning: %s\n", fd_warning.c_str());
    wait_for_stop_signal();
    // Graceful: no new connections, requests in flight finish within the drain timeout; a second
    // signal stops at once.
    running.begin_drain();
    const bool drained = wait_for_drain(
        [&running](std::chrono::steady_clock::time_point until) {
            return running.wait_drained(until);
        },
        std::chrono::seconds(f.drain_timeout_seconds));
    if (!drained) std::fprintf(stderr, "presign store: cut off the requests still running\n");
    monitor.metrics().set_connection_gauge(ops::server_id::store, {});
    if (metrics_server) metrics_server->stop();
    running.stop();
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
    cmd->add_option("--max-connections", flags->max_connections,
                    "Open connections at most; more are accepted and closed at once")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
    cmd->add_option("--abandoned-upload-age", flags->abandoned_upload_seconds,
                    "Seconds after which unfinished multipart uploads are removed (0: never)")
        ->capture_default_str();
    cmd->add_option("--access-log", flags->access_log,
                    "Access log: off, stderr, or a file to append JSON lines to")
        ->capture_default_str();
    cmd->add_option("--metrics", flags->metrics, "GET /metrics on HOST:PORT, or off")
        ->capture_default_str();
    cmd->add_option("--drain-timeout", flags->drain_timeout_seconds,
                    "On SIGTERM/SIGINT, seconds requests in flight may take to finish")
        ->capture_default_str()
        ->check(CLI::Range(0L, 3600L));
    const auto timeout_range =
        CLI::Range(config::k_min_timeout_seconds, config::k_max_timeout_seconds);
    cmd->add_option("--header-timeout", flags->header_timeout_seconds,
                    "Seconds a client has to send a whole request head")
        ->capture_default_str()
        ->check(timeout_range);
    cmd->add_option("--body-idle-timeout", flags->body_idle_timeout_seconds,
                    "Seconds a request body (or a response) may stall before the connection is "
                    "cut off")
        ->capture_default_str()
        ->check(timeout_range);
    cmd->add_option("--keep-alive-timeout", flags->keep_alive_timeout_seconds,
                    "Seconds an idle connection is kept open between requests")
        ->capture_default_str()
        ->check(timeout_range);
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
            fill_from_file(*cmd, "--max-connections", flags->max_connections,
                           flags->file.max_connections);
            fill_from_file(*cmd, "--abandoned-upload-age", flags->abandoned_upload_seconds,
                           flags->file.abandoned_upload_seconds);
            fill_from_file(*cmd, "--access-log", flags->access_log, flags->file.access_log);
            fill_from_file(*cmd, "--metrics", flags->metrics, flags->file.metrics);
            fill_from_file(*cmd, "--drain-timeout", flags->drain_timeout_seconds,
                           flags->file.drain_timeout_seconds);
            const config::timeout_settings& t = flags->file.timeouts;
            fill_from_file(*cmd, "--header-timeout", flags->header_timeout_seconds,
                           t.header_timeout_seconds);
            fill_from_file(*cmd, "--body-idle-timeout", flags->body_idle_timeout_seconds,
                           t.body_idle_timeout_seconds);
            fill_from_file(*cmd, "--keep-alive-timeout", flags->keep_alive_timeout_seconds,
                           t.keep_alive_timeout_seconds);
        }
        run_store(*flags);
    });
}

}  // namespace presign::app
