#include "core/clock.hpp"

namespace presign::core {

time_point system_clock::now() const {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace presign::core
