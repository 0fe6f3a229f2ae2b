// PostObject: browser form uploads
// (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html).
//
//   fields before `file`   read whole, at most k_max_pre_data body bytes (S3: 20 KB)
//   `file` part begins     form auth + policy (verifier::verify_post_form), or for a form
//                          without any auth fields a bucket whose ACL is public-read-write;
//                          then a store writer (the `acl` field: the object's canned ACL)
//   `file` data            streamed into the writer, stopped as soon as the policy's maximum
//                          size is passed (EntityTooLarge)
//   parts after `file`     ignored, as S3 documents ("fields below it are ignored")
//   closing boundary       size minimum (EntityTooSmall), commit, then the success answer:
//                          success_action_redirect -> 303, else success_action_status
//                          200 | 201 (PostResponse XML) | 204 (the default)
// Nothing becomes visible unless every check passed.

#include <memory>
#include <optional>
#include <vector>

#include "core/ascii.hpp"
#include "core/uri.hpp"
#include "s3/acl_front.hpp"
#include "s3/call.hpp"
#include "s3/conditions.hpp"
#include "s3/error_map.hpp"
#include "s3/form_data.hpp"
#include "s3/xml.hpp"

namespace presign::s3::detail {

namespace {
using core::iequals;

/// S3 refuses a form whose bytes before the file data exceed 20 KB (MaxPostPreDataLength-
/// Exceeded). Counted over the raw body (boundaries and part headers included), this also
/// bounds what the form holds in memory.
constexpr std::uint64_t k_max_pre_data = 20 * 1024;

constexpr std::uint64_t k_max_key_bytes = 1024;

const policy::form_field* find_field(const std::vector<policy::form_field>& fields,
                                     std::string_view name) {
    for (const policy::form_field& f : fields)
        if (iequals(f.name, name)) return &f;
    return nullptr;
}

std::string field_value(const std::vector<policy::form_field>& fields, std::string_view name) {
    const policy::form_field* f = find_field(fields, name);
    return f ? f->value : std::string();
}

// The form fields S3 turns into object headers.
store::object_headers object_headers(const std::vector<policy::form_field>& fields) {
    store::object_headers h;
    h.content_type = field_value(fields, "content-type");
    h.cache_control = field_value(fields, "cache-control");
    h.content_disposition = field_value(fields, "content-disposition");
    h.content_encoding = field_value(fields, "content-encoding");
    h.expires = field_value(fields, "expires");
    for (const policy::form_field& f : fields) {
        const std::string name = core::to_lower(f.name);
        if (name.starts_with("x-amz-meta-")) h.user_metadata.emplace_back(name.substr(11), f.value);
    }
    return h;
}

// S3 follows success_action_redirect only when it is a URL it can use.
bool is_redirect_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || scheme_end + 3 >= url.size()) return false;
    const std::string_view scheme = url.substr(0, scheme_end);
    if (!iequals(scheme, "http") && !iequals(scheme, "https")) return false;
    for (char c : url)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
    return true;
}

/// The largest object an anonymous form may upload: S3's limit on a POST upload.
constexpr std::uint64_t k_max_anonymous_size = 5ULL * 1024 * 1024 * 1024;

// Fields that make a form a signed one (SigV4 or SigV2); a form with none of them is
// anonymous.
bool is_anonymous_form(const std::vector<policy::form_field>& fields) {
    for (std::string_view name : {"policy", "x-amz-signature", "x-amz-credential",
                                  "x-amz-algorithm", "signature", "AWSAccessKeyId"})
        if (find_field(fields, name)) return false;
    return true;
}

// The object's canned ACL from the `acl` field (stored name: empty for private).
core::result<std::string, error> form_acl(const std::vector<policy::form_field>& fields) {
    const policy::form_field* field = find_field(fields, "acl");
    if (!field) return std::string();
    const auto acl = parse_canned_acl(field->value);
    if (!acl)
        return core::fail(error{code::invalid_argument,
                                "",
                                {{"ArgumentName", "acl"}, {"ArgumentValue", field->value}}});
    return stored_acl_name(*acl);
}

// What an admitted form may write: the key (after ${filename}) and the file's size range.
struct admitted_upload {
    std::string key;
    policy::length_range sizes;
};

class post_exchange final : public http::exchange, private form_sink {
  public:
    post_exchange(const post_call& c, std::string_view boundary)
        : request_id_(c.request_id),
          target_(c.target),
          host_(c.head.header("host")),
          objects_(c.objects),
          verifier_(c.verifier),
          clock_(c.clock),
          reader_(boundary) {}

    std::optional<http::response> on_body(std::span<const char> chunk) override {
        auto ok = reader_.feed({chunk.data(), chunk.size()}, *this);
        if (!ok) return answer_error(ok.error());
        return std::nullopt;
    }

    http::response finish() override {
        if (auto ok = reader_.finish(); !ok) return answer_error(ok.error());
        if (!writer_)
            return answer_error({code::invalid_argument,
                                 "POST requires exactly one file upload per request.",
                                 {{"ArgumentName", "file"}, {"ArgumentValue", "0"}}});
        if (writer_->size() < upload_->sizes.min)
            return answer_error({code::entity_too_small,
                                 "",
                                 {{"ProposedSize", std::to_string(writer_->size())},
                                  {"MinSizeAllowed", std::to_string(upload_->sizes.min)}}});
        auto meta = writer_->commit();
        if (!meta) return answer_error(from_store(meta.error()));
        return answer_success(*meta);
    }

  private:
    enum class phase { fields, file, after_file };

    form_status on_part(const form_part& part) override {
        if (phase_ != phase::fields) return {};  // after the file: ignored, as S3 does
        if (part.offset > k_max_pre_data) return too_much_pre_data();
        if (iequals(part.name, "file")) return start_file(part);
        field_ = {part.name, {}};
        field_offset_ = part.offset;
        return {};
    }

    form_status on_data(std::string_view bytes) override {
        switch (phase_) {
            case phase::fields:
                if (field_offset_ + field_.value.size() + bytes.size() > k_max_pre_data)
                    return too_much_pre_data();
                field_.value.append(bytes);
                return {};
            case phase::file: {
                // Stop at the first byte past the policy's maximum: it is never stored.
                if (bytes.size() > upload_->sizes.max - writer_->size())
                    return core::fail(
                        error{code::entity_too_large,
                              "",
                              {{"MaxSizeAllowed", std::to_string(upload_->sizes.max)}}});
                auto ok = writer_->write(std::as_bytes(std::span(bytes.data(), bytes.size())));
                if (!ok) return core::fail(from_store(ok.error()));
                return {};
            }
            case phase::after_file: return {};
        }
        return {};
    }

    form_status on_part_end() override {
        if (phase_ == phase::fields)
            fields_.push_back(std::move(field_));
        else if (phase_ == phase::file)
            phase_ = phase::after_file;
        return {};
    }

    form_status too_much_pre_data() const {
        return core::fail(error{code::max_post_pre_data_length_exceeded,
                                "",
                                {{"MaxPostPreDataLengthBytes", std::to_string(k_max_pre_data)}}});
    }

    // The fields before the file are complete: authenticate the form (or admit an anonymous
    // one), then open the object.
    form_status start_file(const form_part& part) {
        // (Not value_or(""): that returns a temporary string the view would outlive.)
        const std::string_view filename = part.filename ? *part.filename : std::string_view();
        auto admitted =
            is_anonymous_form(fields_) ? admit_anonymous(filename) : admit_signed(filename);
        if (!admitted) return core::fail(std::move(admitted).error());
        upload_.emplace(std::move(*admitted));
        if (upload_->key.size() > k_max_key_bytes)
            return core::fail(error{code::key_too_long, "", {}});
        store::put_options options;
        options.headers = object_headers(fields_);
        auto acl = form_acl(fields_);
        if (!acl) return core::fail(std::move(acl).error());
        options.headers.acl = std::move(*acl);
        auto writer = objects_.begin_put(target_.bucket, upload_->key, std::move(options));
        if (!writer) return core::fail(from_store(writer.error()));
        writer_.emplace(std::move(*writer));
        writer_->skip_sha256();  // a form carries no payload hash or SHA-256 checksum to check
        phase_ = phase::file;
        return {};
    }

    // A signed form: its signature and policy, then the signer's grants or the bucket's ACL.
    core::result<admitted_upload, error> admit_signed(std::string_view filename) {
        const auth::post_form form{target_.bucket, fields_, filename};
        auto proof = verifier_.verify_post_form(form, clock_.now());
        if (!proof) return core::fail(from_auth(proof.error()));
        admitted_upload out{proof->key(), proof->sizes()};
        if (out.key.size() <= k_max_key_bytes &&
            !proof->request().access().allows(auth::action::put, target_.bucket, out.key) &&
            !bucket_admits(requester::authenticated))
            return core::fail(error{code::access_denied, "", {}});
        return out;
    }

    // A form without any auth fields: only a public-read-write bucket takes it, and only
    // within S3's 5 GiB (there is no policy to set a content-length-range).
    core::result<admitted_upload, error> admit_anonymous(std::string_view filename) {
        const policy::form_field* key = find_field(fields_, "key");
        if (!key)
            return core::fail(error{code::invalid_argument,
                                    "Bucket POST must contain a field named 'key'.  If it is "
                                    "specified, please check the order of the fields.",
                                    {{"ArgumentName", "key"}, {"ArgumentValue", ""}}});
        admitted_upload out{policy::substitute_filename(key->value, filename),
                            {0, k_max_anonymous_size}};
        if (out.key.empty())
            return core::fail(error{code::invalid_argument,
                                    "User key must have a length greater than 0.",
                                    {{"ArgumentName", "key"}, {"ArgumentValue", ""}}});
        if (!bucket_admits(requester::anonymous))
            return core::fail(error{code::access_denied, "", {}});
        return out;
    }

    // Whether the bucket's canned ACL lets `who` write into it.
    bool bucket_admits(requester who) const {
        auto settings = objects_.bucket_settings_of(target_.bucket);
        return settings &&
               bucket_acl_allows(stored_acl((*settings)->settings.acl), who, auth::action::put);
    }

    http::response answer_error(const error& e) {
        if (writer_) writer_->abort();
        return make_error(request_id_, e, target_.resource);
    }

    http::response answer_success(const store::object_metadata& meta) {
        const std::string etag = quoted_etag(meta.etag);
        const std::string& key = upload_->key;
        std::string redirect = field_value(fields_, "success_action_redirect");
        if (redirect.empty()) redirect = field_value(fields_, "redirect");  // the legacy name
        if (is_redirect_url(redirect)) {
            redirect.push_back(redirect.find('?') == std::string::npos ? '?' : '&');
            redirect.append("bucket=").append(core::uri_encode(target_.bucket));
            redirect.append("&key=").append(core::uri_encode(key));
            redirect.append("&etag=").append(core::uri_encode(etag));
            http::response res = make_response(request_id_, 303);
            res.set("Location", std::move(redirect));
            res.set("ETag", etag);
            return res;
        }
        // Anything but 200 or 201, or nothing, is S3's default 204.
        const std::string status = field_value(fields_, "success_action_status");
        const unsigned code = status == "200" ? 200 : status == "201" ? 201 : 204;
        std::string location = "http://" + host_ + "/";
        if (!target_.virtual_hosted) location.append(core::uri_encode(target_.bucket)).append("/");
        location.append(core::uri_encode(key, core::slash::keep));
        http::response res = make_response(request_id_, code);
        res.set("ETag", etag);
        res.set("Location", location);
        if (code == 201) {
            std::string xml =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>";
            append_xml_text(xml, location);
            xml.append("</Location><Bucket>");
            append_xml_text(xml, target_.bucket);
            xml.append("</Bucket><Key>");
            append_xml_text(xml, key);
            xml.append("</Key><ETag>");
            append_xml_text(xml, etag);
            xml.append("</ETag></PostResponse>");
            res.set("Content-Type", "application/xml");
            res.body = std::move(xml);
        }
        return res;
    }

    std::string request_id_;
    route target_;
    std::string host_;
    store::store& objects_;
    const auth::verifier& verifier_;
    const core::clock& clock_;
    form_reader reader_;
    phase phase_ = phase::fields;
    std::vector<policy::form_field> fields_;
    policy::form_field field_;
    std::uint64_t field_offset_ = 0;
    std::optional<admitted_upload> upload_;
    std::optional<store::object_writer> writer_;
};
}  // namespace

outcome post_object(const post_call& c) {
    auto boundary = parse_form_boundary(c.head.header("content-type"));
    if (!boundary) return make_error(c.request_id, boundary.error(), c.target.resource);
    if (!c.head.has_body())
        return make_error(c.request_id, {code::malformed_post_request, "", {}}, c.target.resource);
    return std::make_unique<post_exchange>(c, *boundary);
}

}  // namespace presign::s3::detail
