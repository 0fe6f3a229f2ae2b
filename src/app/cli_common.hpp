#pragma once
// What `presign url` and `presign post` share: signing flags, credential resolution, parsing of
// s3:// URLs, and the one-line error convention (message on stderr, exit code 2).

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/clock.hpp"
#include "sigv4/signer.hpp"

namespace presign::app {

/// Exit code for bad input (unusable flags, no credentials, a request that cannot be signed).
inline constexpr int k_usage_exit = 2;

/// A user-facing error: printed as one line, exits with k_usage_exit.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The flags every signing command takes.
struct signing_flags {
    std::optional<std::string> region;
    std::optional<std::string> endpoint;
    std::optional<std::string> profile;
    std::optional<std::string> access_key;
    std::optional<std::string> secret_key;
    std::optional<std::string> session_token;
    std::optional<std::string> date;
    bool path_style = false;
    bool virtual_hosted = false;
    bool sigv2 = false;
    std::int64_t expires = 3600;
};

/// Registers the signing flags on `cmd`.
void add_signing_flags(CLI::App& cmd, signing_flags& flags);

/// Everything needed to sign: credentials resolved, options built, the signing time fixed.
struct signing_setup {
    sigv4::credentials credentials;
    sigv4::signer_options options;
    core::time_point now;
};

/// Resolves credentials (flags > environment > ~/.aws), region, endpoint and time.
/// Throws usage_error with one readable line on any problem.
signing_setup resolve_setup(const signing_flags& flags);

/// `s3://bucket/key` split into bucket and key (the key may be empty). Throws usage_error.
std::pair<std::string, std::string> parse_s3_url(const std::string& url);

/// `Name: value` -> header. Throws usage_error.
sigv4::header parse_header(const std::string& text);

/// `name=value` (or `name`) -> query parameter. Throws usage_error.
sigv4::query_param parse_query(const std::string& text);

}  // namespace presign::app
