// PutObject and UploadPart (the body streamed into a store writer by upload_body, checked
// before it becomes visible) and DeleteObject.

#include <charconv>

#include "s3/call.hpp"
#include "s3/error_map.hpp"
#include "s3/multipart_ops.hpp"
#include "s3/request_headers.hpp"
#include "s3/upload_body.hpp"

namespace presign::s3::detail {

outcome put_object(const call& c) {
    auto plan = plan_body(c);
    if (!plan) return make_error(c, plan.error());
    store::put_options options;
    options.headers = stored_headers(c.head);
    options.headers.acl = c.object_acl;
    if (plan->chunked && plan->chunked->trailer_checksum)
        options.headers.checksums.push_back(trailer_placeholder(*plan->chunked->trailer_checksum));
    options.if_none_match = c.head.header("if-none-match") == "*";
    auto writer = c.objects.begin_put(c.target.bucket, c.target.key, std::move(options));
    if (!writer) return make_error(c, from_store(writer.error()));
    return start_upload(c, std::move(*writer), std::move(*plan));
}

outcome upload_part(const call& c) {
    const std::string* id = c.target.param("uploadId");
    const std::string* number = c.target.param("partNumber");
    int part_number = 0;
    if (!number ||
        std::from_chars(number->data(), number->data() + number->size(), part_number).ptr !=
            number->data() + number->size())
        return make_error(
            c, {code::invalid_argument,
                "Part number must be an integer between 1 and 10000, inclusive",
                {{"ArgumentName", "partNumber"}, {"ArgumentValue", number ? *number : ""}}});
    auto plan = plan_body(c);
    if (!plan) return make_error(c, plan.error());
    auto writer = c.objects.begin_upload_part(c.target.bucket, c.target.key, *id, part_number);
    if (!writer) return make_error(c, from_store(writer.error()));
    return start_upload(c, std::move(*writer), std::move(*plan));
}

outcome delete_object(const call& c) {
    auto done = c.objects.delete_object(c.target.bucket, c.target.key);
    if (!done) return make_error(c, from_store(done.error()));
    return make_response(c.request_id, 204);
}

}  // namespace presign::s3::detail
