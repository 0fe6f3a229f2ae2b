#include "config/aws_config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/ini.hpp"

namespace presign::config {

namespace {
core::failure<error> fail(errc code, std::string message) {
    return {error{code, std::move(message)}};
}

using section = std::map<std::string, std::string>;

const section* find_section(const ini_document& doc, const std::string& name) {
    const auto it = doc.find(name);
    return it == doc.end() ? nullptr : &it->second;
}

std::optional<std::string> get(const section* s, const std::string& key) {
    if (s == nullptr) return std::nullopt;
    const auto it = s->find(key);
    if (it == s->end() || it->second.empty()) return std::nullopt;
    return it->second;
}

// The first source that has a value, in order; later sources are not consulted.
template <class... Source>
std::optional<std::string> first_set(Source&&... sources) {
    std::optional<std::string> value;
    (void)((value = sources()).has_value() || ...);
    return value;
}

std::string home_path(const env_lookup& env, std::string_view rest) {
    const auto home = env("HOME");
    return (home ? *home : std::string()) + std::string(rest);
}

struct profile_files {
    const section* credentials = nullptr;  // [name] in the credentials file
    const section* config = nullptr;       // [profile name] (or [default]) in the config file
};

// Credentials from one section, if it has a complete pair.
std::optional<sigv4::credentials> pair_from(const section* s) {
    auto id = get(s, "aws_access_key_id");
    auto secret = get(s, "aws_secret_access_key");
    if (!id || !secret) return std::nullopt;
    return sigv4::credentials{*id, core::secret_string(*secret),
                              get(s, "aws_session_token").value_or(std::string())};
}
}  // namespace

env_lookup process_env() {
    return [](std::string_view name) -> std::optional<std::string> {
        const char* v = std::getenv(std::string(name).c_str());
        if (v == nullptr || *v == '\0') return std::nullopt;
        return std::string(v);
    };
}

file_reader read_file_fn() {
    return [](const std::string& path) -> std::optional<std::string> {
        std::ifstream in(path, std::ios::binary);
        if (!in) return std::nullopt;
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
}

result<aws_settings> resolve_aws_settings(const aws_overrides& flags, const env_lookup& env,
                                          const file_reader& read_file) {
    const bool explicit_profile = flags.profile.has_value();
    const std::string profile =
        flags.profile ? *flags.profile : env("AWS_PROFILE").value_or("default");

    const std::string credentials_path =
        env("AWS_SHARED_CREDENTIALS_FILE").value_or(home_path(env, "/.aws/credentials"));
    const std::string config_path = env("AWS_CONFIG_FILE").value_or(home_path(env, "/.aws/config"));
    const ini_document credentials_doc = parse_ini(read_file(credentials_path).value_or(""));
    const ini_document config_doc = parse_ini(read_file(config_path).value_or(""));
    profile_files files;
    files.credentials = find_section(credentials_doc, profile);
    files.config =
        find_section(config_doc, profile == "default" ? "default" : "profile " + profile);
    if (files.config == nullptr && profile == "default")
        files.config = find_section(config_doc, "profile default");
    if (explicit_profile && !files.credentials && !files.config)
        return fail(errc::profile_not_found, "profile '" + profile + "' not found in " +
                                                 credentials_path + " or " + config_path);

    aws_settings out;
    // Region and endpoint.
    out.region = first_set([&] { return flags.region; }, [&] { return env("AWS_REGION"); },
                           [&] { return env("AWS_DEFAULT_REGION"); },
                           [&] { return get(files.config, "region"); })
                     .value_or("us-east-1");
    out.endpoint_url =
        first_set([&] { return flags.endpoint_url; }, [&] { return env("AWS_ENDPOINT_URL_S3"); },
                  [&] { return env("AWS_ENDPOINT_URL"); },
                  [&] { return get(files.config, "s3.endpoint_url"); },
                  [&] { return get(files.config, "endpoint_url"); });
    out.addressing_style = get(files.config, "s3.addressing_style");

    // Credentials.
    if (flags.access_key_id || flags.secret_access_key) {
        if (!flags.access_key_id || !flags.secret_access_key)
            return fail(errc::invalid_value,
                        "--access-key and --secret-key must be given together");
        out.credentials = {*flags.access_key_id, core::secret_string(*flags.secret_access_key),
                           flags.session_token.value_or("")};
        out.credentials_source = "command line";
        return out;
    }
    if (!explicit_profile) {
        auto id = env("AWS_ACCESS_KEY_ID");
        auto secret = env("AWS_SECRET_ACCESS_KEY");
        if (id && secret) {
            out.credentials = {*id, core::secret_string(*secret),
                               flags.session_token.value_or(env("AWS_SESSION_TOKEN").value_or(""))};
            out.credentials_source = "environment";
            return out;
        }
    }
    for (const auto& [s, where] :
         {std::pair{files.credentials, credentials_path}, std::pair{files.config, config_path}}) {
        if (auto pair = pair_from(s)) {
            out.credentials = std::move(*pair);
            if (flags.session_token) out.credentials.session_token = *flags.session_token;
            out.credentials_source = "profile '" + profile + "' in " + where;
            return out;
        }
    }
    for (const char* key : {"role_arn", "credential_process", "sso_session", "sso_start_url",
                            "web_identity_token_file"}) {
        if (get(files.config, key) || get(files.credentials, key))
            return fail(errc::unsupported_profile,
                        "profile '" + profile + "' uses " + key +
                            ", which presign does not support; export static keys instead");
    }
    return fail(errc::missing_credentials,
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add "
                "profile '" +
                    profile + "' to " + credentials_path);
}

}  // namespace presign::config
