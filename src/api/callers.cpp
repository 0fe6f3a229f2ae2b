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

constexpr std::string_view k_identity_marker = "<identity>";
constexpr std::size_t k_max_identity = 256;

// The token of "Authorization: Bearer TOKEN" (RFC 6750 2.1; the scheme is case-insensitive).
std::string_view bearer_token(const http::request_head& head) {
    std::string_view auth = head.header("authorization");
    if (auth.size() <= 7 || !core::iequals(auth.substr(0, 7), "Bearer ")) return {};
    auth.remove_prefix(7);
    while (!auth.empty() && auth.front() == ' ') auth.remove_prefix(1);
    while (!auth.empty() && auth.back() == ' ') auth.remove_suffix(1);
    return auth;
}

// An identity that can stand as one path segment of a key prefix, whatever normalises it.
bool usable_identity(std::string_view identity) {
    if (identity.empty() || identity.size() > k_max_identity || identity == "." || identity == "..")
        return false;
    for (char c : identity)
        if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return false;
    return true;
}
}  // namespace

bool valid_prefix_template(std::string_view prefix_template) noexcept {
    const auto at = prefix_template.find(k_identity_marker);
    if (at == std::string_view::npos ||
        prefix_template.find(k_identity_marker, at + 1) != std::string_view::npos ||
        prefix_template.back() != '/')
        return false;
    // Every segment before the final '/' non-empty, not "." or "..", without '\\' or controls.
    std::string_view rest = prefix_template.substr(0, prefix_template.size() - 1);
    for (;;) {
        const auto slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        if (segment.empty() || segment == "." || segment == "..") return false;
        for (char c : segment)
            if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
        if (slash == std::string_view::npos) return true;
        rest.remove_prefix(slash + 1);
    }
}

caller_auth::caller_auth(std::vector<api_key> keys) : keyed_(true), keys_(std::move(keys)) {
    if (keys_.empty()) throw std::invalid_argument("auth api_key: no [[serve.api_keys]]");
    for (const api_key& k : keys_)
        if (!k.prefix.empty() && (k.prefix.back() != '/' || k.prefix.front() == '/'))
            throw std::invalid_argument("api key '" + k.identity +
                                        "': prefix must be empty or like \"dir/\"");
}

caller_auth::caller_auth(std::shared_ptr<const jwt_verifier> verifier, jwt_callers settings)
    : verifier_(std::move(verifier)), jwt_(std::move(settings)) {
    if (!verifier_) throw std::invalid_argument("auth jwt: no token verifier");
    if (jwt_.identity_claim.empty()) throw std::invalid_argument("auth jwt: no identity claim");
    if (!valid_prefix_template(jwt_.prefix_template))
        throw std::invalid_argument(
            "auth jwt: the prefix must hold <identity> once and be like \"dir/<identity>/\"");
}

result<caller> caller_auth::authenticate_token(const http::request_head& head) const {
    const std::string_view token = bearer_token(head);
    if (token.empty())
        return core::fail(
            error{errc::unauthorized, "a bearer token is required (Authorization: Bearer JWT)"});
    auto verified = verifier_->verify(token);
    if (!verified)
        return core::fail(
            error{errc::unauthorized, "invalid bearer token (" +
                                          std::string(reason_name(verified.error().code)) +
                                          "): " + verified.error().message});
    const auto claim = verified->string_claims.find(jwt_.identity_claim);
    if (claim == verified->string_claims.end())
        return core::fail(error{errc::unauthorized,
                                "the token has no string claim '" + jwt_.identity_claim + "'"});
    if (!usable_identity(claim->second))
        return core::fail(error{errc::forbidden, "the token's '" + jwt_.identity_claim +
                                                     "' cannot name a key prefix (empty, over "
                                                     "256 bytes, '.', '..', or holding '/', "
                                                     "'\\' or control characters)"});
    std::string prefix = jwt_.prefix_template;
    prefix.replace(prefix.find(k_identity_marker), k_identity_marker.size(), claim->second);
    return caller{claim->second, std::move(prefix)};
}

result<caller> caller_auth::authenticate(const http::request_head& head) const {
    if (verifier_) return authenticate_token(head);
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
