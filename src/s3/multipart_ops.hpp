#pragma once
// The multipart-upload and copy operations (multipart_handlers.cpp, object_write.cpp,
// copy_object.cpp). Private to src/s3.

#include "s3/call.hpp"

namespace presign::s3::detail {

outcome create_multipart_upload(const call& c);
outcome upload_part(const call& c);
outcome upload_part_copy(const call& c);
outcome complete_multipart_upload(const call& c);
outcome abort_multipart_upload(const call& c);
outcome list_parts(const call& c);
outcome list_multipart_uploads(const call& c);
outcome copy_object(const call& c);

}  // namespace presign::s3::detail
