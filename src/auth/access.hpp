#pragma once
// What an authenticated principal may do: a list of grants, each some actions on one bucket
// (or every bucket) under one key prefix. Deny by default: a request is allowed only when a
// grant covers its action, its bucket and its key (or, for listing, its prefix). Enough to
// express "PutObject and GetObject on bucket X under incoming/" and nothing else.
//
// The root principal has access_policy::allow_all(). Pure; no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace presign::auth {

/// A permission-relevant kind of request. Several S3 operations map to one action (GetObject
/// and HeadObject are `get`; PutObject and a POST form upload are `put`).
enum class action : std::uint8_t {
    list_buckets,      ///< "list-buckets": ListBuckets
    create_bucket,     ///< "create-bucket": CreateBucket
    delete_bucket,     ///< "delete-bucket": DeleteBucket
    list,              ///< "list": ListObjects (V1, V2); the key checked is the listing prefix
    get,               ///< "get": GetObject, HeadObject
    put,               ///< "put": PutObject, POST form uploads
    delete_object,     ///< "delete": DeleteObject, each key of DeleteObjects
    configure_bucket,  ///< "configure-bucket": Put/DeleteBucketCors, PutBucketAcl
};

/// A set of actions, one bit per action.
using action_set = std::uint32_t;

/// The bit of one action.
constexpr action_set bit(action a) noexcept {
    return action_set{1} << static_cast<unsigned>(a);
}

/// Every action.
constexpr action_set all_actions = (action_set{1} << 8) - 1;

/// The actions a config name stands for: one of the names in `action`'s comments, or "*"
/// (all). nullopt for an unknown name.
std::optional<action_set> parse_action(std::string_view name);

/// The config name of an action ("get", "delete", "list-buckets", ...).
std::string_view action_name(action a) noexcept;

/// Some actions on a bucket under a key prefix.
struct grant {
    action_set actions = 0;
    std::string bucket;  ///< a bucket name, or "*" for every bucket
    /// Keys the grant covers start with this (empty: every key). Bucket-level actions
    /// (create-bucket, delete-bucket, configure-bucket) need a grant with an empty prefix;
    /// list-buckets needs only the action.
    std::string prefix;
};

/// A principal's permissions.
class access_policy {
  public:
    /// No permission at all.
    access_policy() = default;
    /// Exactly what the grants allow.
    explicit access_policy(std::vector<grant> grants) : grants_(std::move(grants)) {}
    /// Everything (the root principal).
    static access_policy allow_all();

    /// Whether `a` on `bucket` is allowed for `key`: the object key for get/put/delete, the
    /// listing prefix for list (a listing is allowed only inside a granted prefix), ignored
    /// for the bucket-level actions.
    bool allows(action a, std::string_view bucket, std::string_view key = {}) const noexcept;

    /// Whether a grant gives any of `actions` on `bucket`, under whatever prefix (HeadBucket
    /// and GetBucketLocation need no more: they reveal only that a bucket the caller may use
    /// exists).
    bool touches(std::string_view bucket, action_set actions = all_actions) const noexcept;

    const std::vector<grant>& grants() const noexcept { return grants_; }

    /// True for allow_all() (whose grants() are empty).
    bool allows_everything() const noexcept { return all_; }

  private:
    std::vector<grant> grants_;
    bool all_ = false;
};

}  // namespace presign::auth
