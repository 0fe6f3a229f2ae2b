#pragma once
// An in-memory api::object_storage for front tests without sockets: multipart uploads and
// objects in maps, every call recorded. The real backend (s3client over the store) is tested
// end to end in tests/integration/v1_test.py.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "api/storage.hpp"

namespace presign::api::testing {

class memory_storage final : public object_storage {
  public:
    struct upload {
        std::string key;
        std::map<int, stored_part> parts;
    };

    result<std::string> create_multipart(std::string_view key, std::string_view) const override {
        const std::string id = "upload-" + std::to_string(++next_id_);
        uploads_[id] = upload{std::string(key), {}};
        return id;
    }
    result<std::vector<stored_part>> list_parts(std::string_view key,
                                                std::string_view upload_id) const override {
        auto it = find(key, upload_id);
        if (it == uploads_.end()) return core::fail(error{errc::not_found, "NoSuchUpload"});
        std::vector<stored_part> out;
        for (const auto& [n, p] : it->second.parts) out.push_back(p);
        return out;
    }
    result<completed_object> complete_multipart(std::string_view key, std::string_view upload_id,
                                                const std::vector<part_ref>& parts) const override {
        auto it = find(key, upload_id);
        if (it == uploads_.end()) return core::fail(error{errc::not_found, "NoSuchUpload"});
        std::uint64_t size = 0;
        for (const part_ref& p : parts) {
            const auto part = it->second.parts.find(p.part_number);
            if (part == it->second.parts.end() || part->second.etag != p.etag)
                return core::fail(error{errc::bad_request, "InvalidPart"});
            size += part->second.size;
        }
        objects_[std::string(key)] =
            stored_object{std::string(key), size, "\"done\"", "2013-05-24T00:00:00Z"};
        uploads_.erase(it);
        return completed_object{"\"done\"", "http://store/uploads/" + std::string(key)};
    }
    result<void> abort_multipart(std::string_view key, std::string_view upload_id) const override {
        auto it = find(key, upload_id);
        if (it == uploads_.end()) return core::fail(error{errc::not_found, "NoSuchUpload"});
        uploads_.erase(it);
        return {};
    }
    result<object_listing> list(std::string_view prefix, std::string_view token,
                                int max_keys) const override {
        object_listing out;
        for (auto it = objects_.upper_bound(std::string(token)); it != objects_.end(); ++it) {
            if (!it->first.starts_with(prefix)) continue;
            if (static_cast<int>(out.objects.size()) == max_keys) {
                out.next_token = out.objects.back().key;
                break;
            }
            out.objects.push_back(it->second);
        }
        return out;
    }
    result<void> remove(std::string_view key) const override {
        objects_.erase(std::string(key));
        removed_.emplace_back(key);
        return {};
    }
    bool ready() const override { return up_; }

    /// Test setup: an uploaded part, an object, the backend's health.
    void add_part(const std::string& upload_id, int n, std::uint64_t size) {
        uploads_[upload_id].parts[n] =
            stored_part{n, size, "\"etag-" + std::to_string(n) + "\"", ""};
    }
    void add_object(const std::string& key, std::uint64_t size) {
        objects_[key] = stored_object{key, size, "\"e\"", "2013-05-24T00:00:00Z"};
    }
    void set_up(bool up) { up_ = up; }
    bool has_upload(const std::string& id) const { return uploads_.count(id) > 0; }
    bool has_object(const std::string& key) const { return objects_.count(key) > 0; }

  private:
    std::map<std::string, upload>::iterator find(std::string_view key,
                                                 std::string_view upload_id) const {
        auto it = uploads_.find(std::string(upload_id));
        if (it == uploads_.end() || it->second.key != key) return uploads_.end();
        return it;
    }

    mutable std::map<std::string, upload> uploads_;
    mutable std::map<std::string, stored_object> objects_;
    mutable std::vector<std::string> removed_;
    mutable int next_id_ = 0;
    bool up_ = true;
};

}  // namespace presign::api::testing
