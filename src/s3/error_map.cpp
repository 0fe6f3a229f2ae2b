#include "s3/error_map.hpp"

namespace presign::s3 {

error from_auth(const auth::error& e) {
    using auth::errc;
    code c = code::access_denied;
    switch (e.code) {
        case errc::missing_authentication:
        case errc::access_denied:
        case errc::expired:
        case errc::not_yet_valid: c = code::access_denied; break;
        case errc::signature_does_not_match: c = code::signature_does_not_match; break;
        case errc::invalid_access_key_id: c = code::invalid_access_key_id; break;
        case errc::request_time_too_skewed: c = code::request_time_too_skewed; break;
        case errc::authorization_header_malformed: c = code::authorization_header_malformed; break;
        case errc::authorization_query_parameters_error:
            c = code::authorization_query_parameters_error;
            break;
        case errc::invalid_request: c = code::invalid_request; break;
        case errc::invalid_argument: c = code::invalid_argument; break;
        case errc::invalid_token: c = code::invalid_token; break;
        case errc::invalid_uri: c = code::invalid_uri; break;
        case errc::invalid_policy_document: c = code::invalid_policy_document; break;
    }
    error out{c, e.message, {}};
    for (const auth::error_detail& d : e.details) out.details.emplace_back(d.name, d.value);
    return out;
}

error from_store(const store::error& e) {
    using store::errc;
    switch (e.code) {
        case errc::no_such_bucket: return {code::no_such_bucket, "", {}};
        case errc::bucket_already_exists: return {code::bucket_already_owned_by_you, "", {}};
        case errc::bucket_not_empty: return {code::bucket_not_empty, "", {}};
        case errc::invalid_bucket_name: return {code::invalid_bucket_name, "", {}};
        case errc::no_such_key: return {code::no_such_key, "", {}};
        case errc::invalid_key: return {code::invalid_argument, e.message, {}};
        case errc::precondition_failed: return {code::precondition_failed, "", {}};
        case errc::bad_digest: return {code::bad_digest, "", {}};
        case errc::invalid_argument: return {code::invalid_argument, e.message, {}};
        case errc::metadata_too_large: return {code::metadata_too_large, "", {}};
        case errc::no_such_upload: return {code::no_such_upload, "", {}};
        case errc::invalid_part: return {code::invalid_part, "", {}};
        case errc::invalid_part_order: return {code::invalid_part_order, "", {}};
        case errc::entity_too_small: return {code::entity_too_small, "", {}};
        case errc::invalid_part_number: return {code::invalid_part_number, "", {}};
        case errc::copy_onto_itself:
            return {code::invalid_request,
                    "This copy request is illegal because it is trying to copy an object to "
                    "itself without changing the object's metadata, storage class, website "
                    "redirect location or encryption attributes.",
                    {}};
        case errc::writer_closed:
        case errc::corrupt_object:
        case errc::store_locked:
        case errc::unsupported_format:
        case errc::io_error: return {code::internal_error, "", {}};
    }
    return {code::internal_error, "", {}};
}

}  // namespace presign::s3
