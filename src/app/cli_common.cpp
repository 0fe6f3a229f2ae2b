#include "app/cli_common.hpp"

#include "config/aws_config.hpp"
#include "core/time_format.hpp"

namespace presign::app {

void add_signing_flags(CLI::App& cmd, signing_flags& f) {
    cmd.add_option("--expires", f.expires, "Seconds the signature stays valid (1..604800)")
        ->capture_default_str();
    cmd.add_option("--region", f.region,
                   "Region (default: AWS_REGION, AWS_DEFAULT_REGION, profile, us-east-1)");
    cmd.add_option("--endpoint", f.endpoint,
                   "S3-compatible endpoint, http(s)://host[:port] (default: AWS_ENDPOINT_URL_S3, "
                   "AWS_ENDPOINT_URL, profile, AWS)");
    cmd.add_flag("--path-style", f.path_style, "Put the bucket in the path, not the host name");
    cmd.add_flag("--virtual-hosted", f.virtual_hosted, "Put the bucket in the host name");
    cmd.add_option("--date", f.date,
                   "Signing time YYYYMMDDTHHMMSSZ (default: now), for reproducible output");
    cmd.add_flag("--sigv2", f.sigv2, "Sign with legacy Signature Version 2");
    cmd.add_option("--profile", f.profile, "Profile in ~/.aws/credentials and ~/.aws/config");
    cmd.add_option("--access-key", f.access_key, "Access key id (prefer AWS_ACCESS_KEY_ID)");
    cmd.add_option("--secret-key", f.secret_key,
                   "Secret access key (prefer AWS_SECRET_ACCESS_KEY: flags show in process lists)");
    cmd.add_option("--session-token", f.session_token, "Session token of temporary credentials");
}

signing_setup resolve_setup(const signing_flags& f) {
    if (f.path_style && f.virtual_hosted)
        throw usage_error("--path-style and --virtual-hosted exclude each other");
    config::aws_overrides overrides{f.access_key, f.secret_key, f.session_token,
                                    f.region,     f.endpoint,   f.profile};
    auto settings =
        config::resolve_aws_settings(overrides, config::process_env(), config::read_file_fn());
    if (!settings) throw usage_error(settings.error().message);

    signing_setup setup;
    setup.credentials = std::move(settings->credentials);
    setup.options.region = settings->region;
    if (settings->endpoint_url) {
        auto ep = sigv4::parse_endpoint(*settings->endpoint_url);
        if (!ep) throw usage_error(ep.error().message);
        setup.options.custom_endpoint = std::move(*ep);
    }
    if (f.path_style || settings->addressing_style == "path")
        setup.options.style = sigv4::addressing::path;
    else if (f.virtual_hosted || settings->addressing_style == "virtual")
        setup.options.style = sigv4::addressing::virtual_hosted;
    if (f.date) {
        auto t = core::parse_amz_date(*f.date);
        if (!t) throw usage_error("--date must be YYYYMMDDTHHMMSSZ, got '" + *f.date + "'");
        setup.now = *t;
    } else {
        setup.now = core::system_clock().now();
    }
    return setup;
}

std::pair<std::string, std::string> parse_s3_url(const std::string& url) {
    if (!url.starts_with("s3://")) throw usage_error("expected s3://BUCKET/KEY, got '" + url + "'");
    const std::string rest = url.substr(5);
    const auto slash = rest.find('/');
    std::string bucket = rest.substr(0, slash);
    if (bucket.empty()) throw usage_error("no bucket in '" + url + "'");
    std::string key = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
    return {std::move(bucket), std::move(key)};
}

sigv4::header parse_header(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0)
        throw usage_error("header must be 'Name: value', got '" + text + "'");
    std::string value = text.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t") == std::string::npos
                       ? value.size()
                       : value.find_first_not_of(" \t"));
    return {text.substr(0, colon), value};
}

sigv4::query_param parse_query(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == 0 || text.empty())
        throw usage_error("query parameter must be 'name=value', got '" + text + "'");
    if (eq == std::string::npos) return {text, ""};
    return {text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace presign::app
