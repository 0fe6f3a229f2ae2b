#pragma once
// Request ids: 16 random hex digits per request, for logs and for clients to quote. Not a
// secret and not unguessable (a per-thread Mersenne Twister seeded once): an identifier only.

#include <string>

namespace presign::core {

/// A new request id; upper-case hex as S3's x-amz-request-id, else lower-case.
std::string new_request_id(bool upper_case);

}  // namespace presign::core
