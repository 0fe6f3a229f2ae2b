// POST policy documents and single conditions: parse, and when a document parses, its
// conditions must check a form without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/policy_document.hpp"
#include "policy/post_policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)presign::policy::parse_policy_document(text);
    (void)presign::policy::parse_condition(text);
    (void)presign::policy::parse_expiration(text);
    return 0;
}
