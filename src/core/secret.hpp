#pragma once
// Handling of secret bytes: constant-time comparison and wiping.

#include <string>
#include <string_view>

namespace presign::core {

/// Compares two byte strings in time independent of where they differ (CRYPTO_memcmp).
/// Different lengths compare unequal; the length itself is not secret.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// Overwrites `size` bytes at `data` in a way the compiler cannot elide (OPENSSL_cleanse).
void secure_zero(void* data, std::size_t size) noexcept;

/// A string holding a secret (a secret access key, an API key). Its bytes are wiped when it is
/// destroyed or reassigned, and it never converts to a printable string implicitly.
class secret_string {
  public:
    secret_string() = default;
    explicit secret_string(std::string value) : value_(std::move(value)) {}
    secret_string(const secret_string& other) : value_(other.value_) {}
    secret_string(secret_string&& other) noexcept : value_(std::move(other.value_)) {
        other.wipe();
    }
    secret_string& operator=(const secret_string& other);
    secret_string& operator=(secret_string&& other) noexcept;
    ~secret_string() { wipe(); }

    /// The secret's bytes, for use by signing code only.
    std::string_view reveal() const noexcept { return value_; }
    bool empty() const noexcept { return value_.empty(); }

  private:
    void wipe() noexcept;
    std::string value_;
};

}  // namespace presign::core
