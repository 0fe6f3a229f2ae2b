#pragma once
// XML character data, as the store writes its replies and the S3 client its request bodies.

#include <string>
#include <string_view>

namespace presign::core {

/// Appends `text` with the five XML special characters escaped, and characters XML 1.0 cannot
/// carry (C0 controls other than tab, LF, CR) written as numeric references S3 clients accept.
void append_xml_text(std::string& out, std::string_view text);

}  // namespace presign::core
