#pragma once
// The S3 protocol front of the store: routes a request, authenticates it (nothing reaches an
// operation without an auth::verified_request; a POST form upload gets its proof from its
// fields, auth::verified_post), runs the operation against the store, and turns every failure
// into S3's XML error through the one table.

#include <memory>
#include <string>

#include "auth/verifier.hpp"
#include "core/clock.hpp"
#include "http/handler.hpp"
#include "s3/router.hpp"
#include "store/store.hpp"

namespace presign::s3 {

struct front_options {
    router_options routing;
    std::string region = "us-east-1";  ///< GetBucketLocation's answer
};

/// The http::handler of the store's S3 endpoint. Thread-safe (the store and verifier are).
/// Storage calls block on disk I/O in the calling thread.
class front final : public http::handler {
  public:
    /// The references must outlive the front.
    front(store::store& objects, const auth::verifier& verifier, const core::clock& clock,
          front_options options);

    std::variant<http::response, std::unique_ptr<http::exchange>> on_request(
        const http::request_head& head) override;
    http::response on_transport_error(http::transport_error error) override;

  private:
    store::store& objects_;
    const auth::verifier& verifier_;
    const core::clock& clock_;
    front_options options_;
};

}  // namespace presign::s3
