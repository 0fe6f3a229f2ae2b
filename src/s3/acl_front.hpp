#pragma once
// Canned ACLs at the front: what a request asks for (x-amz-acl, x-amz-grant-*), how the store
// keeps an ACL (its canned name, empty for private). Private to
// src/s3; the handlers themselves are in call.hpp.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/message.hpp"
#include "s3/acl.hpp"
#include "s3/call.hpp"
#include "s3/error_table.hpp"

namespace presign::s3::detail {

/// The canned ACL a request asks for: its x-amz-acl header, or x-amz-grant-* headers that spell
/// one (parse_grant_headers); nullopt when it has neither. Fails with InvalidArgument (an
/// x-amz-acl S3 does not know, with ArgumentName and ArgumentValue), InvalidRequest (both
/// kinds at once, as S3 refuses), NotImplemented (grant headers no canned ACL expresses).
core::result<std::optional<canned_acl>, error> requested_acl(const http::request_head& head);

/// The name the store keeps for `acl`: empty for private (the default), else its canned name.
std::string stored_acl_name(canned_acl acl);

/// The ACL a stored name stands for; empty (or a name this version does not know): private.
canned_acl stored_acl(std::string_view name) noexcept;

}  // namespace presign::s3::detail
