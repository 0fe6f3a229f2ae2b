#include "sigv4/signing_key.hpp"

#include "core/hex.hpp"

namespace presign::sigv4 {

signing_key::signing_key(const core::sha256_digest& bytes) : bytes_(bytes), hmac_(bytes) {}

signing_key::~signing_key() {
    core::secure_zero(bytes_.data(), bytes_.size());
}

signing_key signing_key::derive(std::string_view secret, std::string_view date,
                                std::string_view region, std::string_view service) {
    std::string k_secret;
    k_secret.reserve(4 + secret.size());
    k_secret.append("AWS4");
    k_secret.append(secret);
    core::sha256_digest k = core::hmac_sha256(core::as_bytes(k_secret), date);
    core::secure_zero(k_secret.data(), k_secret.size());
    k = core::hmac_sha256(k, region);
    k = core::hmac_sha256(k, service);
    k = core::hmac_sha256(k, "aws4_request");
    signing_key key(k);
    core::secure_zero(k.data(), k.size());
    return key;
}

void signing_key::append_signature(std::string& out, std::string_view string_to_sign) const {
    core::append_hex(out, hmac_.mac(string_to_sign));
}

std::string signing_key::signature(std::string_view string_to_sign) const {
    std::string out;
    append_signature(out, string_to_sign);
    return out;
}

std::shared_ptr<const signing_key> signing_key_cache::get(std::string_view date,
                                                          std::string_view region,
                                                          std::string_view service) const {
    const auto matches = [&](const std::string& scope) {
        return scope.size() == date.size() + region.size() + service.size() + 2 &&
               scope.compare(0, date.size(), date) == 0 &&
               scope.compare(date.size() + 1, region.size(), region) == 0 &&
               scope.compare(date.size() + region.size() + 2, service.size(), service) == 0;
    };
    std::lock_guard lock(mutex_);
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
        if (matches(it->scope)) return it->key;
    std::string scope;
    scope.append(date).append("/").append(region).append("/").append(service);
    auto key = std::make_shared<const signing_key>(
        signing_key::derive(secret_.reveal(), date, region, service));
    if (entries_.size() == k_max_entries) entries_.erase(entries_.begin());
    entries_.push_back({std::move(scope), key});
    return key;
}

}  // namespace presign::sigv4
