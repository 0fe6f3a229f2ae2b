#include "s3/upload_body.hpp"
#include "s3/conditions.hpp"

#include <cstddef>
#include <type_traits>

#include "auth/chunk_signature.hpp"
#include "core/base64.hpp"
#include "s3/body_checksum.hpp"
#include "s3/error_map.hpp"

namespace presign::s3::detail {

namespace {
bool parse_u64(std::string_view text, std::uint64_t& out) {
    if (text.empty()) return false;
    out = 0;
    for (char ch : text) {
        if (ch < '0' || ch > '9' || out > (UINT64_MAX - 9) / 10) return false;
        out = out * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    return true;
}

bool is_streaming(auth::payload_mode m) {
    using auth::payload_mode;
    return m == payload_mode::streaming_signed || m == payload_mode::streaming_signed_trailer ||
           m == payload_mode::streaming_unsigned_trailer;
}

core::result<chunked_options, error> plan_chunked(const call& c) {
    using auth::payload_mode;
    chunked_options o;
    const auto mode = c.who.payload();
    o.has_trailer = mode != payload_mode::streaming_signed;
    if (!parse_u64(c.head.header("x-amz-decoded-content-length"), o.decoded_length))
        return core::fail(error{code::missing_content_length, "", {}});
    if (const std::string_view trailer = c.head.header("x-amz-trailer"); !trailer.empty()) {
        o.trailer_checksum = checksum_from_header_name(trailer);
        if (!o.trailer_checksum || !o.has_trailer)
            return core::fail(error{code::invalid_request,
                                    "The value specified in the x-amz-trailer header is not "
                                    "supported",
                                    {}});
    }
    return o;
}

// Streams the body into the writer; nothing is visible until finish() commits.
template <class Writer>
class upload_exchange : public http::exchange {
  public:
    upload_exchange(std::string request_id, std::string resource, Writer writer, body_plan plan,
                    std::optional<aws_chunked_decoder> decoder)
        : request_id_(std::move(request_id)),
          resource_(std::move(resource)),
          writer_(std::move(writer)),
          plan_(std::move(plan)),
          decoder_(std::move(decoder)) {
        if (plan_.header_checksum) header_sum_.emplace(plan_.header_checksum->first);
    }

    std::optional<http::response> on_body(std::span<const char> chunk) override {
        const std::string_view bytes(chunk.data(), chunk.size());
        core::result<void, error> ok;
        if (decoder_)
            ok = decoder_->feed(bytes, [this](std::string_view data) { return write(data); });
        else
            ok = write(bytes);
        if (!ok) return fail(ok.error());
        return std::nullopt;
    }

    http::response finish() override {
        if (decoder_) {
            if (auto ok = decoder_->finish(); !ok) return fail(ok.error());
        } else if (writer_.size() != plan_.object_bytes) {
            return fail({code::incomplete_body, "", {}});
        }
        if (header_sum_ && header_sum_->finish_base64() != plan_.header_checksum->second)
            return fail({code::bad_digest,
                         "The " + std::string(checksum_upper_name(header_sum_->algorithm())) +
                             " you specified did not match the calculated checksum.",
                         {}});
        if constexpr (std::is_same_v<Writer, store::object_writer>) {
            // A trailer's checksum takes its placeholder's place in the object's header.
            if (decoder_ && plan_.chunked->trailer_checksum)
                for (const auto& [name, value] : decoder_->trailers())
                    if (checksum_from_header_name(name) == plan_.chunked->trailer_checksum)
                        plan_.checks.late_checksum = store::header_pair{
                            std::string(checksum_name(*plan_.chunked->trailer_checksum)), value};
        }
        auto done = writer_.commit(plan_.checks);
        if (!done) return fail(commit_error(done.error()));
        http::response res = make_response(request_id_);
        res.set("ETag", quoted_etag(done->etag));
        if (decoder_)
            for (const auto& [name, value] : decoder_->trailers())
                if (checksum_from_header_name(name)) res.set(name, value);
        return res;
    }

  private:
    core::result<void, error> write(std::string_view data) {
        if (header_sum_) header_sum_->update(data);
        auto ok = writer_.write(std::as_bytes(std::span(data.data(), data.size())));
        if (!ok) return core::fail(from_store(ok.error()));
        return {};
    }

    http::response fail(const error& e) {
        writer_.abort();
        return make_error(request_id_, e, resource_);
    }

    // The store says only which digest differed; S3 names the mismatch after the header that
    // promised it (the signed payload hash is checked first).
    error commit_error(const store::error& failed) const {
        if (failed.code == store::errc::bad_digest) {
            const std::string& m = failed.message;
            if (m.find("x-amz-checksum-sha256") != std::string::npos)
                return {code::bad_digest,
                        "The SHA256 you specified did not match the calculated checksum.",
                        {}};
            if (m.find("SHA-256") != std::string::npos && plan_.checks.expected_sha256_hex)
                return {code::x_amz_content_sha256_mismatch, "", {}};
        }
        return from_store(failed);
    }

    std::string request_id_;
    std::string resource_;
    Writer writer_;
    body_plan plan_;
    std::optional<aws_chunked_decoder> decoder_;
    std::optional<running_checksum> header_sum_;
};

template <class Writer>
outcome start(const call& c, Writer writer, body_plan plan) {
    // MD5 is the ETag and always computed; SHA-256 only when something is checked against it.
    if (!plan.needs_sha256) writer.skip_sha256();
    std::optional<aws_chunked_decoder> decoder;
    if (plan.chunked) {
        std::optional<auth::chunk_signature_chain> chain;
        // Streaming modes come only with a proof: an anonymous caller's payload is unsigned.
        if (c.who.payload() != auth::payload_mode::streaming_unsigned_trailer)
            chain.emplace(*c.who.proof());
        decoder.emplace(*plan.chunked, std::move(chain));
    }
    const bool empty = c.head.content_length && *c.head.content_length == 0;
    auto ex = std::make_unique<upload_exchange<Writer>>(
        c.request_id, c.target.resource, std::move(writer), std::move(plan), std::move(decoder));
    if (empty) return ex->finish();  // no body to wait for
    return ex;
}
}  // namespace

core::result<body_plan, error> plan_body(const call& c) {
    using auth::payload_mode;
    const payload_mode mode = c.who.payload();
    if (c.head.chunked)
        return core::fail(
            error{code::not_implemented, "Transfer-Encoding: chunked is not supported", {}});
    if (!c.head.content_length) return core::fail(error{code::missing_content_length, "", {}});
    body_plan plan;
    plan.object_bytes = *c.head.content_length;
    if (is_streaming(mode)) {
        auto chunked = plan_chunked(c);
        if (!chunked) return core::fail(chunked.error());
        plan.object_bytes = chunked->decoded_length;
        plan.chunked = std::move(*chunked);
    }
    if (mode == payload_mode::signed_hash) plan.checks.expected_sha256_hex = c.who.payload_sha256();
    if (const std::string_view md5 = c.head.header("content-md5"); !md5.empty()) {
        const auto raw = core::from_base64(md5);
        if (!raw || raw->size() != 16) return core::fail(error{code::invalid_digest, "", {}});
        core::md5_digest digest;
        std::copy(raw->begin(), raw->end(), reinterpret_cast<char*>(digest.data()));
        plan.checks.expected_md5 = digest;
    }
    auto sent_sha256 = sent_sha256_checksum(c.head);
    if (!sent_sha256) return core::fail(sent_sha256.error());
    for (const http::header_field& h : c.head.headers) {
        const auto a = checksum_from_header_name(h.name);
        if (!a) continue;
        if (plan.header_checksum || (*a != checksum_algorithm::sha256 && *sent_sha256))
            return core::fail(error{code::invalid_request,
                                    "Expecting a single x-amz-checksum- header. Multiple checksum "
                                    "Types are not allowed.",
                                    {}});
        if (*a == checksum_algorithm::sha256) continue;  // the store checks it
        const auto raw = core::from_base64(h.value);
        if (!raw || raw->size() != checksum_digest_size(*a))
            return core::fail(error{code::invalid_request,
                                    "Value for x-amz-checksum-" + std::string(checksum_name(*a)) +
                                        " header is invalid.",
                                    {}});
        plan.header_checksum.emplace(*a, h.value);
    }
    plan.checks.expected_sha256 = *sent_sha256;
    plan.needs_sha256 = plan.checks.expected_sha256_hex || plan.checks.expected_sha256;
    return plan;
}

store::header_pair trailer_placeholder(checksum_algorithm a) {
    return {std::string(checksum_name(a)), std::string(checksum_base64_size(a), 'A')};
}

outcome start_upload(const call& c, store::object_writer writer, body_plan plan) {
    return start(c, std::move(writer), std::move(plan));
}

outcome start_upload(const call& c, store::part_writer writer, body_plan plan) {
    return start(c, std::move(writer), std::move(plan));
}

}  // namespace presign::s3::detail
