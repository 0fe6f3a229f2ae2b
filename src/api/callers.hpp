#pragma once
// Who is asking the API for URLs. Modes:
//   none     anyone; keys are the filenames as given (the classic behaviour). Only on a
//            loopback address unless the operator says otherwise (app/cli_serve.cpp).
//   api_key  `Authorization: Bearer KEY` or `X-Api-Key: KEY`; the config holds only the
//            SHA-256 of each key, with the caller's identity and key prefix. Every key the
//            caller gets a URL for lies under its prefix.
//   jwt      `Authorization: Bearer JWT`, a token signed by a configured key (jwt.hpp); one
//            of its claims names the caller, and the caller's prefix is made from that name.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.hpp"
#include "api/jwt.hpp"
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

/// How a verified token names its caller (mode jwt).
struct jwt_callers {
    /// The string claim holding the caller's identity. The identity must be 1..256 bytes
    /// without '/', '\\' or control characters and not "." or "..".
    std::string identity_claim = "sub";
    /// The caller's key prefix: "<identity>" replaced by the identity. Holds "<identity>"
    /// exactly once and ends with '/'; its segments are not empty (no leading '/', no "//"),
    /// not "." or "..", and hold no '\\' or control characters.
    std::string prefix_template = "<identity>/";
};

class caller_auth {
  public:
    /// Mode none.
    caller_auth() = default;
    /// Mode api_key. Throws std::invalid_argument for an empty list or a prefix that is not
    /// "" or a path ending in '/' (a start-up failure).
    explicit caller_auth(std::vector<api_key> keys);
    /// Mode jwt. Throws std::invalid_argument for a missing verifier, an empty claim name or a
    /// prefix template that breaks the rules of jwt_callers (a start-up failure).
    caller_auth(std::shared_ptr<const jwt_verifier> verifier, jwt_callers settings);

    bool anonymous() const noexcept { return !keyed_ && !verifier_; }

    /// The caller of `head`. unauthorized when a key is required and missing or unknown
    /// (the comparison runs over every configured key in constant time per key), or when a
    /// token is required and missing, refused by the verifier (the message names the reason)
    /// or without the identity claim; forbidden when the identity cannot name a prefix.
    result<caller> authenticate(const http::request_head& head) const;

  private:
    result<caller> authenticate_token(const http::request_head& head) const;

    bool keyed_ = false;
    std::vector<api_key> keys_;
    std::shared_ptr<const jwt_verifier> verifier_;  ///< mode jwt; shared by copies
    jwt_callers jwt_;
};

/// True when `prefix_template` follows the rules of jwt_callers::prefix_template.
bool valid_prefix_template(std::string_view prefix_template) noexcept;

/// The object key for `filename` of `who`: prefix + filename. With a prefix, filenames that
/// could be read as leaving it by anything downstream that normalises paths are refused:
/// a leading '/', a '\', and '.' or '..' segments (bad_request).
result<std::string> key_for(const caller& who, std::string_view filename);

}  // namespace presign::api
