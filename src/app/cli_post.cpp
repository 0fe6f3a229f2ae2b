#include <cstdio>
#include <memory>

#include "app/cli_common.hpp"
#include "app/commands.hpp"
#include "policy/presigned_post.hpp"

namespace presign::app {

namespace {
// S3 accepts at most 5 GiB in one POST; it is the upper bound when only --min-size is given.
constexpr std::int64_t k_max_post_bytes = 5LL * 1024 * 1024 * 1024;

struct post_flags {
    std::string target;
    std::optional<std::int64_t> min_size;
    std::optional<std::int64_t> max_size;
    std::optional<std::string> content_type;
    std::vector<std::string> fields;
    std::vector<std::string> conditions;
    signing_flags signing;
};

policy::post_request build_request(const post_flags& f, core::time_point now) {
    const auto [bucket, key] = parse_s3_url(f.target);
    if (key.empty())
        throw usage_error("presign post needs s3://BUCKET/KEY (the key may end with ${filename})");
    policy::post_request req;
    req.bucket = bucket;
    req.key = key;
    req.now = now;
    req.expires_seconds = f.signing.expires;
    if (f.min_size || f.max_size) {
        const std::int64_t min = f.min_size.value_or(0);
        const std::int64_t max = f.max_size.value_or(k_max_post_bytes);
        if (min < 0 || max < min)
            throw usage_error("sizes must satisfy 0 <= --min-size <= --max-size");
        req.conditions.push_back(policy::condition::length_range(min, max));
    }
    for (const auto& text : f.conditions) {
        auto c = policy::parse_condition(text);
        if (!c) throw usage_error(c.error().message);
        req.conditions.push_back(std::move(*c));
    }
    if (f.content_type) req.fields.emplace_back("Content-Type", *f.content_type);
    for (const auto& text : f.fields) {
        const auto eq = text.find('=');
        if (eq == std::string::npos || eq == 0)
            throw usage_error("field must be 'name=value', got '" + text + "'");
        req.fields.emplace_back(text.substr(0, eq), text.substr(eq + 1));
    }
    return req;
}

void run_post(const post_flags& f) {
    signing_setup setup = resolve_setup(f.signing);
    const policy::post_request req = build_request(f, setup.now);
    policy::result<policy::presigned_post> post = [&]() -> policy::result<policy::presigned_post> {
        if (f.signing.sigv2) {
            auto signer = sigv4::sigv2_signer::create(std::move(setup.credentials), setup.options);
            if (!signer) throw usage_error(signer.error().message);
            return policy::presign_post_v2(*signer, req);
        }
        auto signer = sigv4::signer::create(std::move(setup.credentials), setup.options);
        if (!signer) throw usage_error(signer.error().message);
        return policy::presign_post(*signer, req);
    }();
    if (!post) throw usage_error(post.error().message);
    std::printf("%s\n", policy::to_json(*post).c_str());
}
}  // namespace

void add_post_command(CLI::App& root) {
    auto flags = std::make_shared<post_flags>();
    CLI::App* cmd =
        root.add_subcommand("post", "Print a presigned POST policy as {\"url\", \"fields\"} JSON");
    cmd->add_option("target", flags->target, "s3://BUCKET/KEY (KEY may end with ${filename})")
        ->required();
    cmd->add_option("--min-size", flags->min_size, "Smallest accepted file, bytes");
    cmd->add_option("--max-size", flags->max_size, "Largest accepted file, bytes");
    cmd->add_option("--content-type", flags->content_type, "Content-Type the upload must have");
    cmd->add_option("--field", flags->fields,
                    "Form field 'name=value' (repeatable); a matching condition is added unless "
                    "a --condition names the field")
        ->allow_extra_args(false);
    cmd->add_option(
           "--condition", flags->conditions,
           "Policy condition as JSON (repeatable): '{\"acl\": \"private\"}', "
           "'[\"starts-with\", \"$key\", \"uploads/\"]', '[\"content-length-range\", 1, 1048576]'")
        ->allow_extra_args(false);
    add_signing_flags(*cmd, flags->signing);
    cmd->callback([flags] { run_post(*flags); });
}

}  // namespace presign::app
