#pragma once
// XML text for S3 responses. Bodies are small and flat, so they are written directly; request
// bodies (CompleteMultipartUpload, DeleteObjects, CORS) are parsed elsewhere with pugixml.

#include <string>
#include <string_view>

#include "core/xml_text.hpp"
#include "s3/error_table.hpp"

namespace presign::s3 {

using core::append_xml_text;  ///< escapes XML character data (core/xml_text.hpp)

/// Appends `<name>text</name>`, the text escaped as append_xml_text does.
void append_xml_element(std::string& out, std::string_view name, std::string_view text);

/// The `<Error>` document S3 sends: Code, Message, the Resource (path) when known, and the
/// request id.
std::string build_error_xml(const error& e, std::string_view resource, std::string_view request_id);

}  // namespace presign::s3
