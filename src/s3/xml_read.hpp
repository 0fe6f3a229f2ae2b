#pragma once
// Reading S3 request bodies in XML (DeleteObjects, PutBucketCors, CompleteMultipartUpload,
// PutBucketAcl) with pugixml: parsed without DTD processing (no entity expansion), element
// names compared without their namespace prefix, and text read strictly. Private to src/s3.

#include <optional>
#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace presign::s3::xml_read {

/// Parses `body` into `doc`; the document element, or an empty node when `body` is not
/// well-formed XML, holds text or a second element outside its root, its root is not named
/// `root` (namespace prefix ignored) or holds text beside its elements.
pugi::xml_node parse_root(pugi::xml_document& doc, std::string_view body, std::string_view root);

/// The element name without a namespace prefix.
std::string_view local_name(const pugi::xml_node& node);

/// True for text made only of XML white space.
bool is_blank(std::string_view text);

/// An element's text: its character data and CDATA sections joined (comments skipped).
/// Nullopt when it holds elements.
std::optional<std::string> text_of(const pugi::xml_node& node);

/// True when a structural element holds no non-blank text beside its elements.
bool elements_only(const pugi::xml_node& node);

}  // namespace presign::s3::xml_read
