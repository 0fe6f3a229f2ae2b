#pragma once
// The INI dialect of ~/.aws/credentials and ~/.aws/config: [section] headers, `key = value`
// lines, '#' and ';' comments, and indented lines after `key =` forming a nested block
// (`s3 =\n  addressing_style = path`), stored as "key.subkey".

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace presign::config {

/// Sections by name; keys by name (nested keys as "parent.child"). Later duplicates win.
using ini_document = std::map<std::string, std::map<std::string, std::string>>;

/// Parses INI text. Lines it cannot read are skipped, as botocore's parser does, except that a
/// key/value line before any section is ignored.
ini_document parse_ini(std::string_view text);

}  // namespace presign::config
