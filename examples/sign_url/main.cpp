// sign_url BUCKET KEY [EXPIRES]: prints a presigned GET URL using presign::sigv4.
// Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; the time from
// SIGN_URL_DATE (YYYYMMDDTHHMMSSZ) when set, so the output can be reproduced.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/time_format.hpp"
#include "sigv4/signer.hpp"

int main(int argc, char** argv) {
    using namespace presign;
    if (argc < 3) {
        std::fprintf(stderr, "usage: sign_url BUCKET KEY [EXPIRES]\n");
        return 2;
    }
    const char* id = std::getenv("AWS_ACCESS_KEY_ID");
    const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
    if (id == nullptr || secret == nullptr) {
        std::fprintf(stderr, "sign_url: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n");
        return 2;
    }
    auto signer = sigv4::signer::create({id, core::secret_string(secret), ""}, {});
    if (!signer) {
        std::fprintf(stderr, "sign_url: %s\n", signer.error().message.c_str());
        return 2;
    }
    sigv4::request req;
    req.bucket = argv[1];
    req.key = argv[2];
    const char* date = std::getenv("SIGN_URL_DATE");
    req.now =
        date ? core::parse_amz_date(date).value_or(core::time_point{}) : core::system_clock().now();
    auto url = signer->presign_url(req, argc > 3 ? std::atoll(argv[3]) : 3600);
    if (!url) {
        std::fprintf(stderr, "sign_url: %s\n", url.error().message.c_str());
        return 2;
    }
    std::printf("%s\n", url->c_str());
    return 0;
}
