#pragma once
// The S3 protocol front of the store: routes a request, authenticates it (an operation gets
// the auth::verified_request the verifier made, or, for a request without any authentication
// that a canned ACL admits, an explicitly anonymous caller; a POST form upload gets its proof
// from its fields, auth::verified_post), runs the operation against the store, adds the CORS
// headers of the bucket's rules, and turns every failure into S3's XML error through the one
// table. CORS preflights (OPTIONS) are answered before and without authentication.

#include <memory>
#include <optional>
#include <string>

#include "auth/verifier.hpp"
#include "core/clock.hpp"
#include "http/handler.hpp"
#include "s3/cors.hpp"
#include "s3/router.hpp"
#include "store/store.hpp"

namespace presign::s3 {

namespace detail {
class cors_cache;
struct call;
}  // namespace detail

struct front_options {
    router_options routing;
    std::string region = "us-east-1";  ///< GetBucketLocation's answer
    /// The CORS rule of buckets without their own configuration (the config file's
    /// [store.cors]); none, or one without origins: such buckets answer no CORS request.
    std::optional<cors_rule> default_cors;
};

/// The http::handler of the store's S3 endpoint. Thread-safe (the store and verifier are).
/// Storage calls block on disk I/O in the calling thread.
class front final : public http::handler {
  public:
    /// The references must outlive the front.
    front(store::store& objects, const auth::verifier& verifier, const core::clock& clock,
          front_options options);
    ~front() override;

    std::variant<http::response, std::unique_ptr<http::exchange>> on_request(
        const http::request_head& head) override;
    http::response on_transport_error(http::transport_error error) override;

  private:
    using outcome = std::variant<http::response, std::unique_ptr<http::exchange>>;
    // Everything but a preflight: authentication, admission, the operation. Sets `identity`
    // to the authenticated caller's.
    outcome serve(const http::request_head& head, const route& target,
                  const std::string& request_id, std::string& identity);
    // The operation of an admitted request.
    outcome dispatch(const detail::call& c);

    store::store& objects_;
    const auth::verifier& verifier_;
    const core::clock& clock_;
    front_options options_;
    std::unique_ptr<detail::cors_cache> cors_;
};

}  // namespace presign::s3
