#pragma once
// Who is asking the API for URLs. Modes:
//   none     anyone; keys are the filenames as given (the classic behaviour). Only on a
//            loopback address unless the operator says otherwise (app/cli_serve.cpp).
//   api_key  `Authorization: Bearer KEY` or `X-Api-Key: KEY`; the config holds only the
//            SHA-256 of each key, with the caller's identity and key prefix. Every key the
//            caller gets a URL for lies under its prefix.

#include <string>
#include <string_view>
#include <vector>

#include "api/errors.hpp"
#include "core/digest.hpp"
#include "http/message.hpp"

namespace presign::api {

/// One API key, as configured.
struct api_key {
    std::string identity;
    core::sha256_digest key_sha256{};  ///< SHA-256 of the key; the key itself is never stored
    std::string prefix;                ///< object keys of this caller start with it
};

/// An authenticated caller (or, in mode none, everyone).
struct caller {
    std::string identity;  ///< "anonymous" in mode none
    std::string prefix;    ///< "" in mode none
};

class caller_auth {
  public:
    /// Mode none.
    caller_auth() = default;
    /// Mode api_key. Throws std::invalid_argument for an empty list or a prefix that is not
    /// "" or a path ending in '/' (a start-up failure).
    explicit caller_auth(std::vector<api_key> keys);

    bool anonymous() const noexcept { return !keyed_; }

    /// The caller of `head`. unauthorized when a key is required and missing or unknown
    /// (the comparison runs over every configured key in constant time per key).
    result<caller> authenticate(const http::request_head& head) const;

  private:
    bool keyed_ = false;
    std::vector<api_key> keys_;
};

/// The object key for `filename` of `who`: prefix + filename. With a prefix, filenames that
/// could be read as leaving it by anything downstream that normalises paths are refused:
/// a leading '/', a '\', and '.' or '..' segments (bad_request).
result<std::string> key_for(const caller& who, std::string_view filename);

}  // namespace presign::api
