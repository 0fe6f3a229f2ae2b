#include "auth/access.hpp"

#include "auth/verified_request.hpp"

#include <array>

namespace presign::auth {

namespace {
constexpr std::array<std::string_view, 8> k_names = {
    "list-buckets", "create-bucket", "delete-bucket", "list",
    "get",          "put",           "delete",        "configure-bucket",
};

bool names_bucket(const grant& g, std::string_view bucket) noexcept {
    return g.bucket == "*" || g.bucket == bucket;
}

bool is_bucket_level(action a) noexcept {
    return a == action::create_bucket || a == action::delete_bucket ||
           a == action::configure_bucket;
}
}  // namespace

std::optional<action_set> parse_action(std::string_view name) {
    if (name == "*") return all_actions;
    for (std::size_t i = 0; i < k_names.size(); ++i)
        if (k_names[i] == name) return bit(static_cast<action>(i));
    return std::nullopt;
}

std::string_view action_name(action a) noexcept {
    return k_names[static_cast<std::size_t>(a)];
}

access_policy access_policy::allow_all() {
    access_policy p;
    p.all_ = true;
    return p;
}

bool access_policy::allows(action a, std::string_view bucket, std::string_view key) const noexcept {
    if (all_) return true;
    for (const grant& g : grants_) {
        if ((g.actions & bit(a)) == 0) continue;
        if (a == action::list_buckets) return true;
        if (!names_bucket(g, bucket)) continue;
        if (is_bucket_level(a)) {
            if (g.prefix.empty()) return true;
            continue;
        }
        // S3 keys are compared byte for byte, never normalised: "a/../b" is not under "b/".
        if (key.starts_with(g.prefix)) return true;
    }
    return false;
}

bool access_policy::touches(std::string_view bucket, action_set actions) const noexcept {
    if (all_) return true;
    for (const grant& g : grants_)
        if ((g.actions & actions) != 0 && names_bucket(g, bucket)) return true;
    return false;
}

const access_policy& verified_request::access() const noexcept {
    static const access_policy k_nothing;
    return access_ ? *access_ : k_nothing;
}

}  // namespace presign::auth
