#pragma once
// The API's backend calls (api::object_storage) over the S3 client: the same code for the
// embedded store (over loopback) and a remote S3. Maps S3 errors to API errors.

#include <string>

#include "api/storage.hpp"
#include "s3client/client.hpp"

namespace presign::app {

class s3_storage final : public api::object_storage {
  public:
    /// `client` must outlive this object.
    s3_storage(const s3client::client& client, std::string bucket);

    api::result<std::string> create_multipart(std::string_view key,
                                              std::string_view content_type) const override;
    api::result<std::vector<api::stored_part>> list_parts(
        std::string_view key, std::string_view upload_id) const override;
    api::result<api::completed_object> complete_multipart(
        std::string_view key, std::string_view upload_id,
        const std::vector<api::part_ref>& parts) const override;
    api::result<void> abort_multipart(std::string_view key,
                                      std::string_view upload_id) const override;
    api::result<api::object_listing> list(std::string_view prefix, std::string_view token,
                                          int max_keys) const override;
    api::result<void> remove(std::string_view key) const override;
    bool ready() const override;

  private:
    const s3client::client& client_;
    std::string bucket_;
};

}  // namespace presign::app
