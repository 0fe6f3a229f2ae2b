#include "s3/acl.hpp"

#include <array>
#include <set>

#include "s3/xml.hpp"
#include "s3/xml_read.hpp"

namespace presign::s3 {

namespace {
constexpr std::string_view k_all_users = "http://acs.amazonaws.com/groups/global/AllUsers";
constexpr std::string_view k_authenticated_users =
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

void append_group_grant(std::string& out, std::string_view uri, std::string_view permission) {
    out.append(
        "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:type=\"Group\"><URI>");
    out.append(uri).append("</URI></Grantee><Permission>").append(permission);
    out.append("</Permission></Grant>");
}

core::failure<error> malformed() {
    return core::fail(error{code::malformed_xml, "", {}});
}

core::failure<error> unsupported() {
    return core::fail(error{code::not_implemented,
                            "Only grant lists that spell a canned ACL (private, public-read, "
                            "public-read-write, authenticated-read) are supported.",
                            {}});
}

// (group URI, permission) pairs.
using group_grants = std::set<std::pair<std::string, std::string>>;

// The canned ACL a set of group grants is exactly; the owner's FULL_CONTROL is implied.
core::result<canned_acl, error> canned_from_groups(const group_grants& groups) {
    const std::string all(k_all_users), authenticated(k_authenticated_users);
    if (groups.empty()) return canned_acl::private_acl;
    if (groups == group_grants{{all, "READ"}}) return canned_acl::public_read;
    if (groups == group_grants{{all, "READ"}, {all, "WRITE"}}) return canned_acl::public_read_write;
    if (groups == group_grants{{authenticated, "READ"}}) return canned_acl::authenticated_read;
    return unsupported();
}

// The permission an x-amz-grant-* header grants, if a canned ACL can express it.
std::string_view grant_permission(std::string_view header) {
    if (header == "x-amz-grant-read") return "READ";
    if (header == "x-amz-grant-write") return "WRITE";
    return {};
}

// The group URI of one grantee of a grant header (`uri="..."`, spaces around allowed); user
// grantees are not expressible as a canned ACL.
core::result<std::string, error> grantee_uri(std::string_view grantee) {
    while (!grantee.empty() && grantee.front() == ' ') grantee.remove_prefix(1);
    while (!grantee.empty() && grantee.back() == ' ') grantee.remove_suffix(1);
    const auto eq = grantee.find('=');
    if (eq == std::string_view::npos)
        return core::fail(error{code::invalid_argument, "Invalid grant header value", {}});
    const std::string_view type = grantee.substr(0, eq);
    std::string_view value = grantee.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
    if (type != "uri") return unsupported();
    return std::string(value);
}

// One <Grant>: ("group URI" or "" for a canonical user, permission).
core::result<std::pair<std::string, std::string>, error> read_grant(const pugi::xml_node& grant) {
    std::string uri, permission;
    bool canonical_user = false;
    for (const pugi::xml_node& e : grant.children()) {
        if (e.type() != pugi::node_element) continue;
        const std::string_view name = xml_read::local_name(e);
        if (name == "Permission") {
            auto text = xml_read::text_of(e);
            if (!text) return malformed();
            permission = *text;
        } else if (name == "Grantee") {
            for (const pugi::xml_node& g : e.children()) {
                if (g.type() != pugi::node_element) continue;
                const std::string_view gname = xml_read::local_name(g);
                if (gname == "URI") {
                    auto text = xml_read::text_of(g);
                    if (!text) return malformed();
                    uri = *text;
                } else if (gname == "ID") {
                    canonical_user = true;
                } else if (gname == "EmailAddress") {
                    return unsupported();
                }
            }
        } else {
            return malformed();
        }
    }
    if (permission.empty() || (uri.empty() && !canonical_user)) return malformed();
    return std::pair{uri, permission};
}
}  // namespace

std::optional<canned_acl> parse_canned_acl(std::string_view name) noexcept {
    if (name == "private" || name == "aws-exec-read" || name == "bucket-owner-read" ||
        name == "bucket-owner-full-control" || name == "log-delivery-write")
        return canned_acl::private_acl;
    if (name == "public-read") return canned_acl::public_read;
    if (name == "public-read-write") return canned_acl::public_read_write;
    if (name == "authenticated-read") return canned_acl::authenticated_read;
    return std::nullopt;
}

std::string_view canned_acl_name(canned_acl acl) noexcept {
    switch (acl) {
        case canned_acl::private_acl: return "private";
        case canned_acl::public_read: return "public-read";
        case canned_acl::public_read_write: return "public-read-write";
        case canned_acl::authenticated_read: return "authenticated-read";
    }
    return "private";
}

bool object_acl_allows(canned_acl acl, requester who, auth::action a) noexcept {
    if (a != auth::action::get) return false;
    if (acl == canned_acl::public_read || acl == canned_acl::public_read_write) return true;
    return acl == canned_acl::authenticated_read && who == requester::authenticated;
}

bool bucket_acl_allows(canned_acl acl, requester who, auth::action a) noexcept {
    using auth::action;
    if (a == action::list)
        return acl == canned_acl::public_read || acl == canned_acl::public_read_write ||
               (acl == canned_acl::authenticated_read && who == requester::authenticated);
    if (a == action::put || a == action::delete_object) return acl == canned_acl::public_read_write;
    return false;
}

std::string build_acl_xml(canned_acl acl, std::string_view owner_id, std::string_view owner_name) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out.append(
        "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>");
    append_xml_text(out, owner_id);
    out.append("</ID><DisplayName>");
    append_xml_text(out, owner_name);
    out.append("</DisplayName></Owner><AccessControlList>");
    out.append(
        "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:type=\"CanonicalUser\"><ID>");
    append_xml_text(out, owner_id);
    out.append("</ID><DisplayName>");
    append_xml_text(out, owner_name);
    out.append("</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>");
    switch (acl) {
        case canned_acl::private_acl: break;
        case canned_acl::public_read: append_group_grant(out, k_all_users, "READ"); break;
        case canned_acl::public_read_write:
            append_group_grant(out, k_all_users, "READ");
            append_group_grant(out, k_all_users, "WRITE");
            break;
        case canned_acl::authenticated_read:
            append_group_grant(out, k_authenticated_users, "READ");
            break;
    }
    out.append("</AccessControlList></AccessControlPolicy>");
    return out;
}

core::result<canned_acl, error> parse_acl_xml(std::string_view body) {
    pugi::xml_document doc;
    const pugi::xml_node root = xml_read::parse_root(doc, body, "AccessControlPolicy");
    if (!root) return malformed();
    group_grants groups;
    for (const pugi::xml_node& e : root.children()) {
        if (e.type() != pugi::node_element) continue;
        const std::string_view name = xml_read::local_name(e);
        if (name == "Owner") continue;
        if (name != "AccessControlList") return malformed();
        for (const pugi::xml_node& g : e.children()) {
            if (g.type() != pugi::node_element) continue;
            if (xml_read::local_name(g) != "Grant") return malformed();
            auto grant = read_grant(g);
            if (!grant) return core::fail(std::move(grant).error());
            if (grant->first.empty()) {  // the owner: only its FULL_CONTROL is expressible
                if (grant->second != "FULL_CONTROL") return unsupported();
                continue;
            }
            groups.insert(std::move(*grant));
        }
    }
    return canned_from_groups(groups);
}

core::result<canned_acl, error> parse_grant_headers(const std::vector<grant_header>& headers) {
    group_grants groups;
    for (const auto& [name, value] : headers) {
        const std::string_view permission = grant_permission(name);
        if (permission.empty()) return unsupported();
        for (std::string_view rest = value; !rest.empty();) {
            const auto comma = rest.find(',');
            auto uri = grantee_uri(rest.substr(0, comma));
            if (!uri) return core::fail(std::move(uri).error());
            groups.emplace(std::move(*uri), permission);
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
    return canned_from_groups(groups);
}

}  // namespace presign::s3
