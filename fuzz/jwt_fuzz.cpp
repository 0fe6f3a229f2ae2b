// JWTs and JWKS documents: raw tokens against an HS256 key, and tokens whose header and claims
// are arbitrary JSON but whose signature the harness makes with that key, so fuzzing reaches
// the header and claim checks behind the signature. Invariant: a token is only ever accepted
// with a future `exp` and an HS256 header.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "api/jwks.hpp"
#include "api/jwt.hpp"
#include "core/base64.hpp"
#include "core/digest.hpp"
#include "core/time_format.hpp"

namespace {
using namespace presign;

const std::string k_secret = "0123456789abcdef0123456789abcdef-fuzz";

struct harness {
    core::fixed_clock clock{*core::parse_amz_date("20260101T000000Z")};
    std::unique_ptr<api::jwt_verifier> verifier;
    harness() {
        api::jwt_settings s;
        s.keys.push_back(api::jwt_key::hmac_secret(k_secret));
        s.audience = "presign";
        verifier = std::make_unique<api::jwt_verifier>(std::move(s), clock);
    }
};

void check(const core::result<api::verified_jwt, api::jwt_error>& r, const harness& h) {
    if (!r) return;
    if (r->alg != api::jwt_alg::hs256) std::abort();
    if (r->expires + std::chrono::seconds(60) < h.clock.now()) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static harness h;
    FuzzedDataProvider in(data, size);
    const std::string header = in.ConsumeRandomLengthString(256);
    const std::string claims = in.ConsumeRandomLengthString(512);
    const std::string rest = in.ConsumeRemainingBytesAsString();
    check(h.verifier->verify(rest), h);
    std::string token = core::to_base64url(header);
    token.push_back('.');
    token += core::to_base64url(claims);
    const auto mac = core::hmac_sha256(core::as_bytes(k_secret), token);
    token.push_back('.');
    core::append_base64url(token, mac);
    check(h.verifier->verify(token), h);
    try {
        (void)api::parse_jwks(rest);
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
