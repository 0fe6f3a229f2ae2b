// The config file ([serve] and [store] tables of TOML) and the AWS shared files (INI).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/ini.hpp"
#include "config/serve_config.hpp"
#include "config/store_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)presign::config::parse_serve_config(text, "fuzz.toml");
    (void)presign::config::parse_store_config(text, "fuzz.toml");
    (void)presign::config::parse_ini(text);
    return 0;
}
