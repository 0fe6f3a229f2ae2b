#include "s3/aws_chunked.hpp"

#include <algorithm>

#include "core/ascii.hpp"

namespace presign::s3 {

namespace {
core::failure<error> malformed(std::string what) {
    return core::fail(
        error{code::invalid_request, "The aws-chunked body is malformed: " + what, {}});
}

core::failure<error> signature_mismatch() {
    return core::fail(error{code::signature_does_not_match, "", {}});
}

core::failure<error> too_long() {
    return core::fail(error{code::incomplete_body,
                            "The body holds more data than x-amz-decoded-content-length says.",
                            {}});
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The hex chunk size at the start of a chunk header line; nullopt unless 1..16 hex digits.
std::optional<std::uint64_t> parse_size(std::string_view hex) {
    if (hex.empty() || hex.size() > 16) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : hex) {
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0) return std::nullopt;
        v = v << 4 | static_cast<std::uint64_t>(d);
    }
    return v;
}
}  // namespace

aws_chunked_decoder::aws_chunked_decoder(chunked_options options,
                                         std::optional<auth::chunk_signature_chain> chain)
    : options_(std::move(options)), chain_(std::move(chain)) {
    if (options_.trailer_checksum) checksum_.emplace(*options_.trailer_checksum);
}

core::result<bool, error> aws_chunked_decoder::take_line(std::string_view& bytes) {
    const auto lf = bytes.find('\n');
    const std::size_t take = lf == std::string_view::npos ? bytes.size() : lf + 1;
    if (line_.size() + take > options_.max_line + 2)
        return malformed("a line is longer than " + std::to_string(options_.max_line) + " bytes");
    line_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (lf == std::string_view::npos) return false;
    if (line_.size() < 2 || line_[line_.size() - 2] != '\r')
        return malformed("a line does not end with CRLF");
    line_.resize(line_.size() - 2);
    return true;
}

core::result<void, error> aws_chunked_decoder::feed(std::string_view bytes,
                                                    const chunk_sink& sink) {
    while (!bytes.empty()) {
        if (state_ == state::data) {
            const auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(chunk_left_, bytes.size()));
            if (auto ok = on_data(bytes.substr(0, n), sink); !ok) return ok;
            bytes.remove_prefix(n);
            chunk_left_ -= n;
            if (chunk_left_ == 0) state_ = state::data_end;
            continue;
        }
        if (state_ == state::done) return malformed("bytes follow the final chunk");
        auto line = take_line(bytes);
        if (!line) return core::fail(line.error());
        if (!*line) return {};
        core::result<void, error> ok;
        switch (state_) {
            case state::size_line: ok = on_size_line(line_); break;
            case state::data_end:
                ok = line_.empty() ? end_chunk(sink) : malformed("chunk data overruns its size");
                break;
            case state::trailer_line: ok = on_trailer_line(line_); break;
            case state::data:
            case state::done: break;
        }
        line_.clear();
        if (!ok) return ok;
    }
    return {};
}

core::result<void, error> aws_chunked_decoder::on_size_line(std::string_view line) {
    const auto semi = line.find(';');
    const auto size = parse_size(line.substr(0, semi));
    if (!size) return malformed("a chunk size is not hexadecimal");
    chunk_signature_.clear();
    if (chain_) {
        constexpr std::string_view k_ext = "chunk-signature=";
        const std::string_view ext = semi == std::string_view::npos ? "" : line.substr(semi + 1);
        if (!ext.starts_with(k_ext) || ext.size() != k_ext.size() + 64)
            return malformed("a chunk has no chunk-signature");
        chunk_signature_ = ext.substr(k_ext.size());
        if (*size > options_.max_signed_chunk)
            return malformed("a signed chunk is larger than " +
                             std::to_string(options_.max_signed_chunk) + " bytes");
    }
    if (*size > options_.decoded_length - decoded_) return too_long();
    chunk_size_ = *size;
    if (*size == 0) {
        if (auto ok = check_final_signature(); !ok) return ok;
        state_ = state::trailer_line;
        return {};
    }
    chunk_left_ = *size;
    chunk_hash_ = core::sha256();
    if (chain_) held_.reserve(static_cast<std::size_t>(*size));
    state_ = state::data;
    return {};
}

core::result<void, error> aws_chunked_decoder::on_data(std::string_view piece,
                                                       const chunk_sink& sink) {
    decoded_ += piece.size();
    if (chain_) {  // held until the chunk's signature is checked
        held_.append(piece);
        chunk_hash_.update(piece);
        return {};
    }
    if (checksum_) checksum_->update(piece);
    return sink(piece);
}

core::result<void, error> aws_chunked_decoder::end_chunk(const chunk_sink& sink) {
    state_ = state::size_line;
    if (!chain_) return {};
    if (!chain_->next_chunk(chunk_hash_.finish(), chunk_signature_)) return signature_mismatch();
    if (checksum_) checksum_->update(held_);
    auto ok = sink(held_);
    held_.clear();
    return ok;
}

core::result<void, error> aws_chunked_decoder::check_final_signature() {
    if (chain_ && !chain_->next_chunk(core::sha256_of(""), chunk_signature_))
        return signature_mismatch();
    return {};
}

core::result<void, error> aws_chunked_decoder::on_trailer_line(std::string_view line) {
    if (line.empty()) {  // the end of the body
        if (chain_ && options_.has_trailer &&
            (trailer_signature_.empty() || !chain_->trailer(trailer_text_, trailer_signature_)))
            return signature_mismatch();
        state_ = state::done;
        return {};
    }
    if (!options_.has_trailer) return malformed("trailers sent without a trailer mode");
    trailer_bytes_ += line.size();
    if (trailer_bytes_ > options_.max_trailer_bytes) return malformed("the trailers are too large");
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return malformed("a trailer has no name");
    const std::string name = core::to_lower(trim(line.substr(0, colon)));
    const std::string_view value = trim(line.substr(colon + 1));
    if (!trailer_signature_.empty()) return malformed("a trailer follows the trailer signature");
    if (name == "x-amz-trailer-signature") {
        if (!chain_) return malformed("a trailer signature on an unsigned body");
        trailer_signature_ = value;
        return {};
    }
    trailer_text_.append(name).append(":").append(value).append("\n");
    trailers_.emplace_back(name, std::string(value));
    return {};
}

core::result<void, error> aws_chunked_decoder::finish() {
    if (state_ != state::done || decoded_ != options_.decoded_length)
        return core::fail(error{code::incomplete_body, "", {}});
    if (!checksum_) return {};
    const std::string wanted =
        "x-amz-checksum-" + std::string(checksum_name(checksum_->algorithm()));
    const auto it = std::find_if(trailers_.begin(), trailers_.end(),
                                 [&](const auto& t) { return t.first == wanted; });
    if (it == trailers_.end())
        return core::fail(error{code::invalid_request,
                                "The trailer " + wanted + " named in x-amz-trailer was not sent.",
                                {}});
    if (checksum_->finish_base64() != it->second)
        return core::fail(error{code::bad_digest,
                                "The " + std::string(checksum_upper_name(checksum_->algorithm())) +
                                    " you specified did not match the calculated checksum.",
                                {}});
    return {};
}

}  // namespace presign::s3
