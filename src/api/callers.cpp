#include "api/callers.hpp"

#include <stdexcept>

#include "api/keys.hpp"
#include "core/ascii.hpp"
#include "core/secret.hpp"

namespace presign::api {

namespace {
// The key a request presents: "Authorization: Bearer KEY", else "X-Api-Key: KEY".
std::string_view presented_key(const http::request_head& head) {
    std::string_view auth = head.header("authorization");
    if (auth.size() > 7 && core::iequals(auth.substr(0, 7), "Bearer ")) return auth.substr(7);
    return head.header("x-api-key");
}
}  // namespace

caller_auth::caller_auth(std::vector<api_key> keys) : keyed_(true), keys_(std::move(keys)) {
    if (keys_.empty()) throw std::invalid_argument("auth api_key: no [[serve.api_keys]]");
    for (const api_key& k : keys_)
        if (!k.prefix.empty() && (k.prefix.back() != '/' || k.prefix.front() == '/'))
            throw std::invalid_argument("api key '" + k.identity +
                                        "': prefix must be empty or like \"dir/\"");
}

result<caller> caller_auth::authenticate(const http::request_head& head) const {
    if (!keyed_) return caller{"anonymous", ""};
    const std::string_view key = presented_key(head);
    if (key.empty())
        return core::fail(
            error{errc::unauthorized, "an API key is required (Authorization: Bearer KEY)"});
    const core::sha256_digest digest = core::sha256_of(key);
    const api_key* found = nullptr;
    // Every entry is compared, in constant time, whatever matched before.
    for (const api_key& k : keys_) {
        const bool same = core::constant_time_equal(
            std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()),
            std::string_view(reinterpret_cast<const char*>(k.key_sha256.data()),
                             k.key_sha256.size()));
        if (same && !found) found = &k;
    }
    if (!found) return core::fail(error{errc::unauthorized, "unknown API key"});
    return caller{found->identity, found->prefix};
}

result<std::string> key_for(const caller& who, std::string_view filename) {
    if (auto ok = check_key(filename, "filename"); !ok) return core::fail(ok.error());
    if (!who.prefix.empty()) {
        if (filename.front() == '/' || filename.find('\\') != std::string_view::npos)
            return core::fail(
                error{errc::bad_request, "'filename' must not start with '/' or contain '\\'"});
        std::string_view rest = filename;
        while (!rest.empty()) {
            const auto slash = rest.find('/');
            const std::string_view segment = rest.substr(0, slash);
            if (segment == "." || segment == "..")
                return core::fail(
                    error{errc::bad_request, "'filename' must not contain '.' or '..' segments"});
            if (slash == std::string_view::npos) break;
            rest.remove_prefix(slash + 1);
        }
    }
    std::string key = who.prefix + std::string(filename);
    if (auto ok = check_key(key, "filename"); !ok) return core::fail(ok.error());
    return key;
}

}  // namespace presign::api
