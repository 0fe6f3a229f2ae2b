#include <cstdio>
#include <memory>

#include "app/cli_common.hpp"
#include "app/commands.hpp"
#include "sigv4/sigv2.hpp"

namespace presign::app {

namespace {
struct url_flags {
    std::string target;
    std::string method = "GET";
    std::vector<std::string> headers;
    std::vector<std::string> query;
    signing_flags signing;
};

void run_url(const url_flags& f) {
    const auto [bucket, key] = parse_s3_url(f.target);
    signing_setup setup = resolve_setup(f.signing);
    sigv4::request req;
    req.method = f.method;
    for (char& c : req.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    req.bucket = bucket;
    req.key = key;
    req.now = setup.now;
    for (const auto& h : f.headers) req.headers.push_back(parse_header(h));
    for (const auto& q : f.query) req.query.push_back(parse_query(q));

    std::string url;
    if (f.signing.sigv2) {
        auto signer = sigv4::sigv2_signer::create(std::move(setup.credentials), setup.options);
        if (!signer) throw usage_error(signer.error().message);
        auto signed_url = signer->presign_url(req, f.signing.expires);
        if (!signed_url) throw usage_error(signed_url.error().message);
        url = std::move(*signed_url);
    } else {
        auto signer = sigv4::signer::create(std::move(setup.credentials), setup.options);
        if (!signer) throw usage_error(signer.error().message);
        auto signed_url = signer->presign_url(req, f.signing.expires);
        if (!signed_url) throw usage_error(signed_url.error().message);
        url = std::move(*signed_url);
    }
    std::printf("%s\n", url.c_str());
}
}  // namespace

void add_url_command(CLI::App& root) {
    auto flags = std::make_shared<url_flags>();
    CLI::App* cmd = root.add_subcommand("url", "Print a presigned URL for any S3 operation");
    cmd->add_option("target", flags->target, "s3://BUCKET/KEY")->required();
    cmd->add_option("-X,--method", flags->method, "HTTP method: GET, PUT, HEAD, DELETE, POST")
        ->capture_default_str();
    cmd->add_option("-H,--header", flags->headers, "Extra signed header 'Name: value' (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("-q,--query", flags->query,
                    "Extra query parameter 'name=value' (repeatable): uploadId, partNumber, "
                    "versionId, response-content-disposition, ...")
        ->allow_extra_args(false);
    add_signing_flags(*cmd, flags->signing);
    cmd->callback([flags] { run_url(*flags); });
}

}  // namespace presign::app
