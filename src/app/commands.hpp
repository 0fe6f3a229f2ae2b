#pragma once
// The subcommands of the presign executable. Each registers itself on the root CLI11 app;
// its callback runs when the command line selects it and throws usage_error on bad input.

#include <CLI/CLI.hpp>

namespace presign::app {

/// `presign url s3://BUCKET/KEY ...`: prints a presigned URL.
void add_url_command(CLI::App& root);

/// `presign post s3://BUCKET/KEY ...`: prints a presigned POST as {"url", "fields"} JSON.
void add_post_command(CLI::App& root);

/// `presign store ...`: runs the embedded S3-compatible store until SIGINT/SIGTERM.
void add_store_command(CLI::App& root);

/// `presign serve ...`: runs the URL API and the embedded store until SIGINT/SIGTERM.
void add_serve_command(CLI::App& root);

}  // namespace presign::app
