#include "core/secret.hpp"

#include <openssl/crypto.h>

namespace presign::core {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void secure_zero(void* data, std::size_t size) noexcept {
    OPENSSL_cleanse(data, size);
}

secret_string& secret_string::operator=(const secret_string& other) {
    if (this != &other) {
        wipe();
        value_ = other.value_;
    }
    return *this;
}

secret_string& secret_string::operator=(secret_string&& other) noexcept {
    if (this != &other) {
        wipe();
        value_ = std::move(other.value_);
        other.wipe();
    }
    return *this;
}

// Wipes the whole capacity: a shorter string may have left older secret bytes behind it.
void secret_string::wipe() noexcept {
    if (value_.capacity() > 0) secure_zero(value_.data(), value_.capacity());
    value_.clear();
}

}  // namespace presign::core
