#pragma once
// What /v1 and Companion's /s3/* both do, apart from their JSON shapes: choose keys inside the
// caller's prefix, apply the upload rules, sign, and make the S3 calls the API must make itself.
// Stateless: everything a later call needs (key, upload id) travels with the client.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/callers.hpp"
#include "api/issuer.hpp"
#include "api/rules.hpp"
#include "api/storage.hpp"

namespace presign::api {

/// The most part URLs one request may ask for.
inline constexpr std::size_t k_max_parts_per_request = 1000;

/// What an upload asks for.
struct upload_ask {
    std::string filename;
    std::string content_type;                ///< may be empty
    std::optional<std::uint64_t> size;       ///< declared size, bytes
    std::optional<std::int64_t> expires_in;  ///< seconds; default from the rules
    /// x-amz-meta-* fields (name without the prefix, value), POST forms only.
    std::vector<std::pair<std::string, std::string>> metadata;
};

/// A signed POST form for a chosen key.
struct post_offer {
    std::string key;
    policy::presigned_post post;
    std::chrono::seconds expires{};
    core::time_point expires_at;
};

/// A signed PUT for a chosen key.
struct put_offer {
    std::string key;
    put_request put;
    std::chrono::seconds expires{};
    core::time_point expires_at;
};

/// A started multipart upload.
struct multipart_start {
    std::string key;
    std::string upload_id;
};

/// Signed part URLs, in the order asked.
struct part_urls {
    std::vector<std::pair<int, std::string>> urls;
    std::chrono::seconds expires{};
    core::time_point expires_at;
};

class upload_service {
  public:
    /// `storage` may be null: then every call that needs the backend fails with
    /// backend_unavailable. The rules and the template must be valid (validate()).
    upload_service(const url_issuer& issuer, const object_storage* storage, upload_rules rules,
                   std::string key_template);

    /// A POST form: key chosen by the template; content-length-range [size, size] for a
    /// declared size, else [0, max]; the content type (when given or required) as a field.
    /// `success_status` non-empty adds success_action_status.
    result<post_offer> offer_post(const caller& who, const upload_ask& ask,
                                  std::string_view success_status = {}) const;
    /// A PUT URL: Content-Type signed when given, Content-Length when a size is declared.
    result<put_offer> offer_put(const caller& who, const upload_ask& ask) const;
    /// CreateMultipartUpload for a chosen key (rules checked on the declared size and type).
    result<multipart_start> start_multipart(const caller& who, const upload_ask& ask) const;
    /// UploadPart URLs for `part_numbers` (each 1..10000, at most k_max_parts_per_request).
    result<part_urls> sign_parts(const caller& who, std::string_view key,
                                 std::string_view upload_id, const std::vector<int>& part_numbers,
                                 std::optional<std::int64_t> expires_in) const;
    result<std::vector<stored_part>> list_parts(const caller& who, std::string_view key,
                                                std::string_view upload_id) const;
    /// Completes with `parts`, or with every uploaded part when `parts` is empty. The parts'
    /// total is checked against the maximum size first: over it, the upload is aborted and
    /// file_too_large returned.
    result<completed_object> complete(const caller& who, std::string_view key,
                                      std::string_view upload_id,
                                      std::vector<part_ref> parts) const;
    result<void> abort(const caller& who, std::string_view key, std::string_view upload_id) const;
    /// A GET URL for one of the caller's keys.
    result<std::pair<std::string, core::time_point>> download(
        const caller& who, std::string_view key, const download_options& options,
        std::optional<std::int64_t> expires_in) const;
    /// A page of the caller's objects under prefix + `sub_prefix`.
    result<object_listing> list(const caller& who, std::string_view sub_prefix,
                                std::string_view token, int max_keys) const;
    result<void> remove(const caller& who, std::string_view key) const;
    /// Whether the backend answers (true when there is no storage to ask).
    bool ready() const { return !storage_ || storage_->ready(); }

    const upload_rules& rules() const noexcept { return rules_; }
    const std::string& bucket() const noexcept { return issuer_.bucket(); }

  private:
    result<std::string> chosen_key(const caller& who, const upload_ask& ask) const;
    result<const object_storage*> backend() const;

    const url_issuer& issuer_;
    const object_storage* storage_;
    upload_rules rules_;
    std::string key_template_;
};

}  // namespace presign::api
