#include "http/message.hpp"

#include <unistd.h>

#include "core/ascii.hpp"

namespace presign::http {

std::string_view request_head::header(std::string_view name) const noexcept {
    for (const header_field& h : headers)
        if (core::iequals(h.name, name)) return h.value;
    return {};
}

response::response(response&& other) noexcept
    : status(other.status),
      headers(std::move(other.headers)),
      body(std::move(other.body)),
      shared_body(std::move(other.shared_body)),
      file(other.file),
      close(other.close),
      note(std::move(other.note)) {
    other.file.reset();
}

response& response::operator=(response&& other) noexcept {
    if (this != &other) {
        if (file && file->fd >= 0) ::close(file->fd);
        status = other.status;
        headers = std::move(other.headers);
        body = std::move(other.body);
        shared_body = std::move(other.shared_body);
        file = other.file;
        close = other.close;
        note = std::move(other.note);
        other.file.reset();
    }
    return *this;
}

response::~response() {
    if (file && file->fd >= 0) ::close(file->fd);
}

}  // namespace presign::http
