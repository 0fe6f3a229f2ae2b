// PutObject (the body streamed into a store writer, checked against x-amz-content-sha256,
// x-amz-checksum-sha256 and Content-MD5 before it becomes visible) and DeleteObject.

#include <cstddef>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "s3/body_checksum.hpp"
#include "s3/call.hpp"
#include "s3/error_map.hpp"

namespace presign::s3::detail {

namespace {
// Streams the body into the writer; nothing is visible until finish() commits.
class put_exchange : public http::exchange {
  public:
    put_exchange(std::string request_id, std::string resource, store::object_writer writer,
                 store::commit_options checks, std::uint64_t announced)
        : request_id_(std::move(request_id)),
          resource_(std::move(resource)),
          writer_(std::move(writer)),
          checks_(std::move(checks)),
          announced_(announced) {}

    std::optional<http::response> on_body(std::span<const char> chunk) override {
        auto ok = writer_.write(std::as_bytes(chunk));
        if (!ok) return make_error(request_id_, from_store(ok.error()), resource_);
        return std::nullopt;
    }

    http::response finish() override {
        if (writer_.size() != announced_)
            return make_error(request_id_, {code::incomplete_body, "", {}}, resource_);
        auto meta = writer_.commit(checks_);
        if (!meta) return make_error(request_id_, commit_error(meta.error()), resource_);
        http::response res = make_response(request_id_);
        res.set("ETag", "\"" + meta->etag + "\"");
        return res;
    }

  private:
    // The store says only which digest differed; S3 names the mismatch after the header that
    // promised it (the signed payload hash is checked first).
    error commit_error(const store::error& failed) const {
        if (failed.code == store::errc::bad_digest) {
            const std::string& m = failed.message;
            if (m.find("x-amz-checksum-sha256") != std::string::npos)
                return {code::bad_digest,
                        "The SHA256 you specified did not match the calculated checksum.",
                        {}};
            if (m.find("SHA-256") != std::string::npos && checks_.expected_sha256_hex)
                return {code::x_amz_content_sha256_mismatch, "", {}};
        }
        return from_store(failed);
    }

    std::string request_id_;
    std::string resource_;
    store::object_writer writer_;
    store::commit_options checks_;
    std::uint64_t announced_;
};

// Content-Type and friends, and x-amz-meta-*, as the store keeps them.
store::object_headers stored_headers(const http::request_head& head) {
    store::object_headers h;
    h.content_type = std::string(head.header("content-type"));
    h.content_encoding = std::string(head.header("content-encoding"));
    h.content_disposition = std::string(head.header("content-disposition"));
    h.cache_control = std::string(head.header("cache-control"));
    h.content_language = std::string(head.header("content-language"));
    h.expires = std::string(head.header("expires"));
    for (const http::header_field& f : head.headers) {
        const std::string name = core::to_lower(f.name);
        if (name.starts_with("x-amz-meta-")) h.user_metadata.emplace_back(name.substr(11), f.value);
    }
    return h;
}
}  // namespace

outcome put_object(const call& c) {
    using auth::payload_mode;
    const payload_mode mode = c.who.payload();
    if (mode != payload_mode::signed_hash && mode != payload_mode::unsigned_payload)
        return make_error(c,
                          {code::not_implemented, "aws-chunked uploads are not supported yet", {}});
    if (c.head.chunked)
        return make_error(
            c, {code::not_implemented, "Transfer-Encoding: chunked is not supported", {}});
    if (!c.head.content_length) return make_error(c, {code::missing_content_length, "", {}});

    store::commit_options checks;
    if (mode == payload_mode::signed_hash) checks.expected_sha256_hex = c.who.payload_sha256();
    if (const std::string_view md5 = c.head.header("content-md5"); !md5.empty()) {
        const auto raw = core::from_base64(md5);
        if (!raw || raw->size() != 16) return make_error(c, {code::invalid_digest, "", {}});
        core::md5_digest digest;
        std::copy(raw->begin(), raw->end(), reinterpret_cast<char*>(digest.data()));
        checks.expected_md5 = digest;
    }
    auto sent_sha256 = sent_sha256_checksum(c.head);
    if (!sent_sha256) return make_error(c, sent_sha256.error());
    checks.expected_sha256 = *sent_sha256;
    store::put_options options;
    options.headers = stored_headers(c.head);
    options.if_none_match = c.head.header("if-none-match") == "*";
    auto writer = c.objects.begin_put(c.target.bucket, c.target.key, std::move(options));
    if (!writer) return make_error(c, from_store(writer.error()));
    // MD5 is the ETag and always computed; SHA-256 only when something is checked against it
    // (a presigned PUT's UNSIGNED-PAYLOAD asks for nothing). It is a third of the CPU an
    // upload costs.
    if (!checks.expected_sha256_hex && !checks.expected_sha256) writer->skip_sha256();
    auto ex = std::make_unique<put_exchange>(c.request_id, c.target.resource, std::move(*writer),
                                             std::move(checks), *c.head.content_length);
    if (*c.head.content_length == 0) return ex->finish();  // no body to wait for
    return ex;
}

outcome delete_object(const call& c) {
    auto done = c.objects.delete_object(c.target.bucket, c.target.key);
    if (!done) return make_error(c, from_store(done.error()));
    return make_response(c.request_id, 204);
}

}  // namespace presign::s3::detail
