// Small configuration bodies (PutBucketCors, PutBucketAcl, PutObjectAcl): read whole, then
// checked against everything the request promised about them before they are used.

#include "core/ascii.hpp"
#include "core/digest.hpp"
#include "core/hex.hpp"
#include "s3/body_checksum.hpp"
#include "s3/call.hpp"

namespace presign::s3::detail {

outcome read_config_body(const call& c, std::size_t limit, bool checksum_required,
                         std::function<http::response(std::string)> then) {
    using auth::payload_mode;
    const payload_mode mode = c.who.payload();
    if (mode != payload_mode::signed_hash && mode != payload_mode::unsigned_payload)
        return make_error(c,
                          {code::not_implemented, "aws-chunked uploads are not supported yet", {}});
    if (c.head.content_length && *c.head.content_length > limit)
        return make_error(c, {code::max_message_length_exceeded, "", {}});
    // The exchange outlives the call: it keeps copies of what it needs.
    auto checked = [head = c.head, id = c.request_id, resource = c.target.resource,
                    sha256 = c.who.payload_sha256(), checksum_required,
                    then = std::move(then)](std::string body) {
        if (!sha256.empty() && !core::iequals(core::to_hex(core::sha256_of(body)), sha256))
            return make_error(id, {code::x_amz_content_sha256_mismatch, "", {}}, resource);
        if (auto ok = check_body_checksums(head, body, checksum_required); !ok)
            return make_error(id, ok.error(), resource);
        return then(std::move(body));
    };
    if (!c.head.has_body()) return checked(std::string());
    return read_whole_body(c.request_id, c.target.resource, limit, std::move(checked));
}

}  // namespace presign::s3::detail
