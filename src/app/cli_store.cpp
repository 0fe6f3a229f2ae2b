// `presign store`: the embedded S3-compatible store alone.

#include <signal.h>

#include <cstdio>
#include <memory>

#include "app/cli_common.hpp"
#include "app/commands.hpp"
#include "auth/verifier.hpp"
#include "config/root_credentials.hpp"
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
};

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
    auto root = config::load_root_credentials(f.data_dir, config::process_env());
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
    const auth::verifier verifier(
        verify_options,
        [root_id, root_secret](std::string_view id) -> std::optional<auth::principal> {
            if (!core::constant_time_equal(id, root_id)) return std::nullopt;
            return auth::principal{"root", root_secret, {}};
        });
    s3::front_options front_options;
    front_options.region = f.region;
    if (!f.domain.empty()) front_options.routing.domain = f.domain;
    auto front = std::make_shared<s3::front>(*objects, verifier, clock, front_options);

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
    std::printf("presign store: listening on http://%s:%u (region %s, data %s)\n",
                host.find(':') != std::string::npos ? ("[" + host + "]").c_str() : host.c_str(),
                static_cast<unsigned>(server.port()), f.region.c_str(), f.data_dir.c_str());
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
    cmd->callback([flags] { run_store(*flags); });
}

}  // namespace presign::app
