// Every XML body the store reads: CompleteMultipartUpload, DeleteObjects, CORS and ACL
// configurations. A CORS document that parses must write back to one that parses the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "s3/acl.hpp"
#include "s3/cors.hpp"
#include "s3/delete_objects.hpp"
#include "s3/multipart_xml.hpp"

namespace s3 = presign::s3;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    (void)s3::parse_complete_multipart(body);
    (void)s3::parse_delete_request(body);
    (void)s3::parse_acl_xml(body);
    if (auto cors = s3::parse_cors_xml(body)) {
        const std::string again = s3::build_cors_xml(*cors);
        auto reparsed = s3::parse_cors_xml(again);
        if (!reparsed || s3::build_cors_xml(*reparsed) != again) std::abort();
    }
    return 0;
}
