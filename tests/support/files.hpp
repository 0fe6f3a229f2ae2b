#pragma once
// Reading test data files.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace presign::test {

/// The whole file, bytes as they are.
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// `s` without trailing newlines.
inline std::string chomp(std::string s) {
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

/// A directory under tests/vectors/.
inline std::filesystem::path vectors_dir(const char* name) {
    return std::filesystem::path(PRESIGN_SOURCE_DIR) / "tests/vectors" / name;
}

}  // namespace presign::test
