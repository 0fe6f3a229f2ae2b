// Bucket settings: read from memory, changed by writing a new settings file in tmp/ and
// renaming it over the old one (settings_file.hpp), then publishing a new snapshot. A crash
// leaves the old settings or the new ones, never a mix.
#include <functional>

#include "store/settings_file.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store {

namespace {

// Applies `change` to the bucket's settings, durably, then publishes them. Changes of one
// bucket are serialised, so none is lost between the read and the publication.
result<void> update_settings(detail::store_state& s, std::string_view name,
                             const std::function<void(bucket_settings&)>& change) {
    auto found = s.find_bucket(name);
    if (!found) return core::fail(found.error());
    auto& bucket = **found;
    std::lock_guard write(bucket.settings_write);
    bucket_settings next;
    {
        std::shared_lock read(bucket.settings_mutex);
        next = bucket.settings->settings;
    }
    change(next);
    if (auto r = detail::check_settings(next); !r) return r;
    if (auto r = detail::replace_settings_file(s, bucket, next); !r) return r;
    auto published = s.snapshot(std::move(next));
    std::unique_lock swap(bucket.settings_mutex);
    bucket.settings = std::move(published);
    return {};
}

}  // namespace

result<std::shared_ptr<const settings_snapshot>> store::bucket_settings_of(
    std::string_view bucket) const {
    auto found = state_->find_bucket(bucket);
    if (!found) return core::fail(found.error());
    std::shared_lock read((*found)->settings_mutex);
    return (*found)->settings;
}

result<void> store::set_bucket_acl(std::string_view bucket, std::string_view acl) {
    return update_settings(*state_, bucket, [acl](bucket_settings& s) { s.acl = acl; });
}

result<void> store::set_bucket_cors(std::string_view bucket, std::string_view cors) {
    return update_settings(*state_, bucket, [cors](bucket_settings& s) { s.cors = cors; });
}

}  // namespace presign::store
