// The streaming multipart/form-data reader: a Content-Type, then a body in random splits.
// Invariants: part data never exceeds the body, and a part's data only flows inside a part.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "s3/form_data.hpp"

namespace s3 = presign::s3;

namespace {
class checking_sink final : public s3::form_sink {
  public:
    s3::form_status on_part(const s3::form_part& part) override {
        if (in_part_ || part.name.empty()) std::abort();
        in_part_ = true;
        return {};
    }
    s3::form_status on_data(std::string_view bytes) override {
        if (!in_part_ || bytes.empty()) std::abort();
        seen += bytes.size();
        return {};
    }
    s3::form_status on_part_end() override {
        if (!in_part_) std::abort();
        in_part_ = false;
        return {};
    }
    std::size_t seen = 0;

  private:
    bool in_part_ = false;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::string content_type = in.ConsumeRandomLengthString(200);
    auto boundary = s3::parse_form_boundary(content_type);
    (void)s3::parse_part_headers(content_type);
    if (!boundary) return 0;
    s3::form_reader reader(*boundary);
    checking_sink sink;
    std::size_t total = 0;
    while (in.remaining_bytes() > 0) {
        const std::string piece = in.ConsumeRandomLengthString(256);
        total += piece.size();
        if (!reader.feed(piece, sink)) return 0;
        if (sink.seen > total) std::abort();
    }
    (void)reader.finish();
    return 0;
}
