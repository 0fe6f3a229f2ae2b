#pragma once
// CORS at the front (cors.hpp has the pure rules): which rules apply to a bucket, the
// preflight (OPTIONS) answer, and the CORS headers added to every other response, errors and
// streamed bodies included. Private to src/s3.
//
// Rules: the bucket's own configuration (PutBucketCors), else the default rule of
// front_options (the config file's [store.cors]), else none. A bucket's configuration is
// parsed once per settings version (store::settings_snapshot), not per request.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "http/handler.hpp"
#include "s3/call.hpp"
#include "s3/cors.hpp"
#include "s3/router.hpp"
#include "store/store.hpp"

namespace presign::s3::detail {

/// The CORS rules of each bucket, parsed once per settings version. Thread-safe.
class cors_cache {
  public:
    /// `default_rule`: for buckets without their own configuration (none, or one without
    /// origins: such buckets answer no CORS request).
    explicit cors_cache(const std::optional<cors_rule>& default_rule);

    /// The rules that apply to one bucket.
    struct rules {
        bool bucket_found = false;  ///< false: no such bucket (or not a valid name)
        bool own = false;           ///< the bucket's own configuration, not the default
        std::shared_ptr<const cors_config> config;  ///< null: no rules at all
    };

    /// The rules for `bucket`: a lookup of its settings snapshot and, when the bucket has its
    /// own configuration, of the parsed form for that version (parsed on the first request).
    rules rules_for(const store::store& objects, std::string_view bucket);

  private:
    struct entry {
        std::uint64_t version = 0;
        std::shared_ptr<const cors_config> config;
    };

    std::shared_ptr<const cors_config> default_;
    std::mutex mutex_;
    std::map<std::string, entry, std::less<>> parsed_;  ///< guarded by mutex_
};

/// Answers a CORS preflight (OPTIONS), before and without authentication, as S3 does:
///   no Origin                                   400 BadRequest
///   no (or no CORS) Access-Control-Request-Method  400 BadRequest
///   no such bucket                              403 AccessForbidden "CORSResponse: Bucket not
///   found" no rules (neither own nor default)          403 AccessForbidden "... CORS is not
///   enabled ..." no rule admits origin, method and headers   403 AccessForbidden else 200, empty,
///   with the rule's CORS headers
/// The 403s carry S3's <Method> and <ResourceType> details.
outcome preflight(const http::request_head& head, const route& target,
                  const std::string& request_id, const store::store& objects, cors_cache& cors);

/// Adds the CORS headers of the rule admitting the request's Origin to `out` (a response now,
/// or, for an exchange, whatever response it ends with). Nothing without an Origin header, for
/// requests without a bucket (ListBuckets), or when no rule matches. As S3 does, the method
/// matched is Access-Control-Request-Method when the request carries one, else its own, and
/// the request's headers are not checked.
void add_cors_headers(outcome& out, const http::request_head& head, const route& target,
                      const store::store& objects, cors_cache& cors);

}  // namespace presign::s3::detail
