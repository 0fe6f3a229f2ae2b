#pragma once
// A streaming multipart/form-data reader (RFC 7578 over RFC 2046), for browser POST uploads.
// It never holds the body: part data is handed on as it arrives, and only a part's header block
// (bounded) and at most one delimiter's worth of bytes that might start a delimiter are kept
// between chunks. Chunks may split the body anywhere, inside a delimiter or a header included.
//
//   body      := preamble ("--" boundary padding CRLF part-headers CRLF data CRLF)*
//                "--" boundary "--" epilogue
//   padding   := (SP | HTAB)*          (RFC 2046 transport padding)
//
// The first delimiter may start the body without a CRLF before it; preamble and epilogue are
// ignored. Failures are MalformedPOSTRequest. Private to src/s3.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "s3/error_table.hpp"

namespace presign::s3 {

/// Success, or the S3 error that stops the form.
using form_status = core::result<void, error>;

/// The boundary of a `multipart/form-data; boundary=...` Content-Type (media type compared
/// case-insensitively; the boundary token or quoted string, 1..70 printable ASCII characters,
/// not ending in a space). Fails with MalformedPOSTRequest when the type is multipart/form-data
/// but the boundary is missing or invalid, and with PreconditionFailed (S3's answer, with a
/// Condition detail) for any other type.
core::result<std::string, error> parse_form_boundary(std::string_view content_type);

/// One part's header block, read.
struct form_part {
    std::string name;                     ///< Content-Disposition's name (non-empty)
    std::optional<std::string> filename;  ///< Content-Disposition's filename, when present
    std::string content_type;             ///< the part's Content-Type, "" when absent
    std::uint64_t offset = 0;             ///< position in the body of the part's first data byte
};

/// What the reader calls as the body goes by. Returning an error stops the reader.
class form_sink {
  public:
    virtual ~form_sink() = default;
    /// A part begins.
    virtual form_status on_part(const form_part& part) = 0;
    /// The next bytes of the current part's data (never empty; any split).
    virtual form_status on_data(std::string_view bytes) = 0;
    /// The current part's data is complete.
    virtual form_status on_part_end() = 0;
};

/// The reader's bounds.
struct form_limits {
    std::size_t max_part_header_bytes = 8 * 1024;  ///< one part's header block, CRLFs included
    std::size_t max_padding = 256;                 ///< transport padding after a delimiter
};

/// Reads one multipart/form-data body.
class form_reader {
  public:
    /// `boundary` as parse_form_boundary returned it.
    explicit form_reader(std::string_view boundary, form_limits limits = {});

    /// Reads the next bytes of the body, calling `sink`. After a failure the reader must not
    /// be fed again.
    form_status feed(std::string_view chunk, form_sink& sink);

    /// The body has ended: fails with MalformedPOSTRequest unless the close delimiter was read.
    form_status finish() const;

    /// True once the close delimiter was read (the rest is epilogue).
    bool closed() const noexcept { return state_ == state::epilogue; }

  private:
    enum class state { preamble, after_delimiter, dash, padding, lf, headers, data, epilogue };

    form_status scan(std::string_view chunk, std::size_t& at, form_sink& sink);
    form_status after_delimiter(char c);
    form_status header_byte(char c, form_sink& sink);

    std::string delimiter_;  // CRLF "--" boundary
    form_limits limits_;
    state state_ = state::preamble;
    std::size_t matched_ = 2;  // delimiter bytes matched; the body starts as if after a CRLF
    std::size_t padding_ = 0;
    std::string header_;
    std::uint64_t position_ = 0;  // body bytes before the current chunk
    std::uint64_t at_ = 0;        // body position of the byte being read
};

/// Parses a part's header block (the lines before the empty line, each ending in CRLF).
/// Content-Disposition must be present once, of type form-data with a non-empty name;
/// parameters are tokens or quoted strings taken literally (browsers percent-encode quotes
/// instead of escaping them, and send Windows paths with backslashes). Fails with
/// MalformedPOSTRequest.
core::result<form_part, error> parse_part_headers(std::string_view block);

}  // namespace presign::s3
