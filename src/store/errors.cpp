#include "store/errors.hpp"

namespace presign::store {

std::string_view to_string(errc code) noexcept {
    switch (code) {
        case errc::no_such_bucket: return "no_such_bucket";
        case errc::bucket_already_exists: return "bucket_already_exists";
        case errc::bucket_not_empty: return "bucket_not_empty";
        case errc::invalid_bucket_name: return "invalid_bucket_name";
        case errc::no_such_key: return "no_such_key";
        case errc::invalid_key: return "invalid_key";
        case errc::precondition_failed: return "precondition_failed";
        case errc::bad_digest: return "bad_digest";
        case errc::invalid_argument: return "invalid_argument";
        case errc::metadata_too_large: return "metadata_too_large";
        case errc::writer_closed: return "writer_closed";
        case errc::corrupt_object: return "corrupt_object";
        case errc::store_locked: return "store_locked";
        case errc::unsupported_format: return "unsupported_format";
        case errc::io_error: return "io_error";
        case errc::no_such_upload: return "no_such_upload";
        case errc::invalid_part: return "invalid_part";
        case errc::invalid_part_order: return "invalid_part_order";
        case errc::entity_too_small: return "entity_too_small";
        case errc::invalid_part_number: return "invalid_part_number";
        case errc::copy_onto_itself: return "copy_onto_itself";
    }
    return "unknown";
}

}  // namespace presign::store
