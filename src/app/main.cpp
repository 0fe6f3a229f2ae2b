// presign: presigned S3 URLs and POST policies, the embedded S3-compatible store, and the
// upload/download URL service.

#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "app/cli_common.hpp"
#include "app/commands.hpp"

int main(int argc, char** argv) {
    using namespace presign::app;
    CLI::App root{"presign: presigned S3 URLs and POST policies, signed offline like botocore"};
    root.require_subcommand(1);
    root.set_version_flag("--version", PRESIGN_VERSION);
    add_url_command(root);
    add_post_command(root);
    add_store_command(root);
    add_serve_command(root);
    try {
        root.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return root.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return root.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return root.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "presign: %s (see --help)\n", e.what());
        return k_usage_exit;
    } catch (const usage_error& e) {
        std::fprintf(stderr, "presign: %s\n", e.what());
        return k_usage_exit;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "presign: internal error: %s\n", e.what());
        return 1;
    }
    return 0;
}
