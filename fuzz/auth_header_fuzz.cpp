// What a request says about its own authentication: the Authorization header (SigV4 and
// SigV2 forms), credential scopes, signed-header lists, request targets and their queries,
// HTTP dates.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/authorization.hpp"
#include "auth/http_date.hpp"
#include "auth/request.hpp"

namespace auth = presign::auth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::string header = in.ConsumeRandomLengthString(2048);
    const std::string target = in.ConsumeRandomLengthString(2048);
    const std::string rest = in.ConsumeRemainingBytesAsString();
    if (auto fields = auth::parse_authorization(header); fields) {
        (void)auth::parse_credential(rest, auth::auth_kind::header);
        (void)auth::parse_signed_headers(rest, auth::auth_kind::header);
    }
    (void)auth::parse_credential(header, auth::auth_kind::query);
    (void)auth::parse_signed_headers(header, auth::auth_kind::query);
    if (auto split = auth::parse_target(target); split) (void)auth::decode_query(split->query);
    (void)auth::decode_query_component(rest);
    (void)auth::parse_http_date(rest);
    return 0;
}
