// DeleteObjects: the XML body parsed with pugixml (no DTD processing, so no entity expansion),
// checked against the signed payload hash and the Content-MD5 / x-amz-checksum-* S3 requires,
// then one store delete per key, each outcome reported in order.

#include "s3/delete_objects.hpp"

#include <pugixml.hpp>

#include "core/ascii.hpp"
#include "core/digest.hpp"
#include "core/hex.hpp"
#include "s3/body_checksum.hpp"
#include "s3/call.hpp"
#include "s3/error_map.hpp"
#include "s3/xml.hpp"
#include "s3/xml_read.hpp"

namespace presign::s3 {

namespace {
using xml_read::elements_only;
using xml_read::local_name;
using xml_read::text_of;

core::failure<error> malformed_xml() {
    return {error{code::malformed_xml, "", {}}};
}

core::result<delete_target, error> read_object(const pugi::xml_node& object) {
    if (!elements_only(object)) return malformed_xml();
    delete_target target;
    bool has_key = false;
    for (const pugi::xml_node& e : object.children()) {
        if (e.type() != pugi::node_element) continue;
        const std::string_view name = local_name(e);
        auto text = text_of(e);
        if (!text) return malformed_xml();
        if (name == "Key") {
            if (has_key) return malformed_xml();
            has_key = true;
            target.key = std::move(*text);
        } else if (name == "VersionId") {
            if (target.version_id) return malformed_xml();
            target.version_id = std::move(*text);
        } else if (name == "ETag" || name == "LastModifiedTime" || name == "Size") {
            return core::fail(error{code::not_implemented,
                                    "Conditional deletes (ETag, LastModifiedTime, Size in "
                                    "DeleteObjects) are not supported.",
                                    {}});
        } else {
            return malformed_xml();
        }
    }
    if (!has_key) return malformed_xml();
    return target;
}

}  // namespace

core::result<delete_request, error> parse_delete_request(std::string_view body) {
    pugi::xml_document doc;
    const pugi::xml_node root = xml_read::parse_root(doc, body, "Delete");
    if (!root) return malformed_xml();

    delete_request req;
    bool has_quiet = false;
    for (const pugi::xml_node& e : root.children()) {
        if (e.type() != pugi::node_element) continue;
        const std::string_view name = local_name(e);
        if (name == "Object") {
            if (req.objects.size() == k_max_delete_keys) return malformed_xml();
            auto target = read_object(e);
            if (!target) return core::fail(std::move(target).error());
            req.objects.push_back(std::move(*target));
        } else if (name == "Quiet" && !has_quiet) {
            has_quiet = true;
            const auto text = text_of(e);
            const std::string value = core::to_lower(text ? *text : "?");
            if (value == "true" || value == "1")
                req.quiet = true;
            else if (value != "false" && value != "0")
                return malformed_xml();
        } else {
            return malformed_xml();
        }
    }
    if (req.objects.empty()) return malformed_xml();
    return req;
}

std::string build_delete_result(const std::vector<delete_outcome>& outcomes, bool quiet) {
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    for (const delete_outcome& o : outcomes) {
        if (!o.failure && quiet) continue;
        xml.append(o.failure ? "<Error>" : "<Deleted>");
        append_xml_element(xml, "Key", o.key);
        if (o.version_id) append_xml_element(xml, "VersionId", *o.version_id);
        if (o.failure) {
            append_xml_element(xml, "Code", o.failure->name());
            append_xml_element(xml, "Message", o.failure->text());
        }
        xml.append(o.failure ? "</Error>" : "</Deleted>");
    }
    xml.append("</DeleteResult>");
    return xml;
}

namespace detail {

namespace {
constexpr std::size_t k_max_key_bytes = 1024;

http::response run_delete(store::store& objects, const http::request_head& head,
                          const route& target, const std::string& request_id,
                          const std::string& payload_sha256, const auth::access_policy& access,
                          const std::string& body) {
    auto fail = [&](const error& e) { return make_error(request_id, e, target.resource); };
    if (!payload_sha256.empty() &&
        !core::iequals(core::to_hex(core::sha256_of(body)), payload_sha256))
        return fail({code::x_amz_content_sha256_mismatch, "", {}});
    if (auto ok = check_body_checksums(head, body, /*required=*/true); !ok) return fail(ok.error());
    auto req = parse_delete_request(body);
    if (!req) return fail(req.error());

    std::vector<delete_outcome> outcomes;
    outcomes.reserve(req->objects.size());
    for (delete_target& t : req->objects) {
        delete_outcome o{std::move(t.key), std::move(t.version_id), std::nullopt};
        // Objects here have no versions but S3's "null" one.
        if (o.version_id && *o.version_id != "null") {
            o.failure = error{code::invalid_argument, "Invalid version id specified", {}};
        } else if (o.key.size() > k_max_key_bytes) {
            o.failure = error{code::key_too_long, "", {}};
        } else if (!access.allows(auth::action::delete_object, target.bucket, o.key)) {
            // Like S3: a key the caller may not delete fails alone, the others proceed.
            o.failure = error{code::access_denied, "", {}};
        } else if (auto done = objects.delete_object(target.bucket, o.key); !done) {
            if (done.error().code == store::errc::no_such_bucket)
                return fail(from_store(done.error()));  // deleted meanwhile
            o.failure = from_store(done.error());
        }
        outcomes.push_back(std::move(o));
    }
    http::response res = make_response(request_id);
    res.set("Content-Type", "application/xml");
    res.body = build_delete_result(outcomes, req->quiet);
    return res;
}
}  // namespace

outcome delete_objects(const call& c) {
    using auth::payload_mode;
    const payload_mode mode = c.who.payload();
    if (mode != payload_mode::signed_hash && mode != payload_mode::unsigned_payload)
        return make_error(c,
                          {code::not_implemented, "aws-chunked uploads are not supported yet", {}});
    if (!c.objects.bucket_exists(c.target.bucket))
        return make_error(c, {code::no_such_bucket, "", {}});
    if (c.head.content_length && *c.head.content_length > k_max_delete_body)
        return make_error(c, {code::max_message_length_exceeded, "", {}});

    // The exchange outlives the call: it keeps copies of what it needs.
    auto run = [&objects = c.objects, head = c.head, target = c.target, id = c.request_id,
                sha256 = c.who.payload_sha256(), access = c.who.access()](std::string body) {
        return run_delete(objects, head, target, id, sha256, access, body);
    };
    if (!c.head.has_body()) return run(std::string());
    return read_whole_body(c.request_id, c.target.resource, k_max_delete_body, std::move(run));
}

}  // namespace detail
}  // namespace presign::s3
