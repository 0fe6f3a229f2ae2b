#pragma once
// What an operation handler gets: the request, its route, the proof of authentication, and
// the services; and the helpers every handler answers with. Private to src/s3.

#include <memory>
#include <string>
#include <variant>

#include "auth/verified_request.hpp"
#include "core/clock.hpp"
#include "http/handler.hpp"
#include "s3/error_table.hpp"
#include "s3/front.hpp"
#include "s3/router.hpp"
#include "store/store.hpp"

namespace presign::s3::detail {

using outcome = std::variant<http::response, std::unique_ptr<http::exchange>>;

/// One authenticated request on its way through an operation.
struct call {
    const http::request_head& head;
    const route& target;
    const auth::verified_request& who;
    std::string request_id;
    store::store& objects;
    const core::clock& clock;
    const front_options& options;
};

/// A response carrying the request id header every S3 response has.
http::response make_response(const std::string& request_id, unsigned status = 200);

/// S3's XML error response for `e` about `resource`.
http::response make_error(const std::string& request_id, const error& e, std::string_view resource);
inline http::response make_error(const call& c, const error& e) {
    return make_error(c.request_id, e, c.target.resource);
}

/// An XML (application/xml) 200 response.
http::response make_xml(const call& c, std::string body);

// Operations (bucket_handlers.cpp, object_read.cpp, object_write.cpp).
outcome list_buckets(const call& c);
outcome create_bucket(const call& c);
outcome delete_bucket(const call& c);
outcome head_bucket(const call& c);
outcome get_bucket_location(const call& c);
outcome list_objects(const call& c, bool v2);
outcome get_object(const call& c, bool head_only);
outcome put_object(const call& c);
outcome delete_object(const call& c);

}  // namespace presign::s3::detail
