#include "core/xml_text.hpp"

namespace presign::core {

void append_xml_text(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&': out.append("&amp;"); break;
            case '<': out.append("&lt;"); break;
            case '>': out.append("&gt;"); break;
            case '"': out.append("&quot;"); break;
            case '\'': out.append("&apos;"); break;
            default: {
                const auto u = static_cast<unsigned char>(c);
                if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    constexpr char k_hex[] = "0123456789ABCDEF";
                    const char ref[6] = {'&', '#', 'x', k_hex[u >> 4], k_hex[u & 15], ';'};
                    out.append(ref, sizeof ref);
                } else {
                    out.push_back(c);
                }
            }
        }
    }
}

}  // namespace presign::core
