#pragma once
// The POST policy domain's errors.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace presign::policy {

enum class errc {
    invalid_condition,  ///< a condition that is not {"f": "v"}, [op, "$f", v] or a size range
    invalid_field,      ///< a form field with an empty name or one the signer sets itself
    invalid_text,       ///< text that is not valid UTF-8 (a policy is JSON)
    signing,            ///< the signer refused (expiry, bucket, endpoint...)
    // Checking a received POST form against its policy (policy_document.hpp, post_form.hpp).
    // Messages are S3's own wording, ready for the error body.
    invalid_policy,      ///< a policy document S3 would not parse (S3: InvalidPolicyDocument)
    policy_expired,      ///< past its expiration (S3: AccessDenied "... Policy expired.")
    condition_failed,    ///< a condition the form does not meet (S3: AccessDenied)
    extra_input_fields,  ///< form fields no condition covers (S3: AccessDenied)
};

std::string_view to_string(errc code) noexcept;

using error = core::error<errc>;

template <class T>
using result = core::result<T, error>;

inline core::failure<error> fail(errc code, std::string message) {
    return {error{code, std::move(message)}};
}

}  // namespace presign::policy
