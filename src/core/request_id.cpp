#include "core/request_id.hpp"

#include <cstdint>
#include <random>

namespace presign::core {

std::string new_request_id(bool upper_case) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const char* hex = upper_case ? "0123456789ABCDEF" : "0123456789abcdef";
    std::uint64_t v = rng();
    std::string id(16, '0');
    for (char& ch : id) {
        ch = hex[v & 15];
        v >>= 4;
    }
    return id;
}

}  // namespace presign::core
