#include "store/object_index.hpp"

#include "core/base64.hpp"
#include "core/hex.hpp"

namespace presign::store::detail {

namespace {

// Version tag inside the token, so the format can change without misreading old tokens.
constexpr std::string_view token_tag = "presign-list-1\n";

using iterator = object_index::const_iterator;

// The first entry that does not start with `p`, among those at or after p: strings starting with
// p form the range [p, successor(p)), where successor drops trailing 0xFF bytes and increments
// the last byte.
iterator skip_run(const object_index& index, std::string_view p) {
    std::string upper(p);
    while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xFF) upper.pop_back();
    if (upper.empty()) return index.end();
    upper.back() = static_cast<char>(static_cast<unsigned char>(upper.back()) + 1);
    return index.lower_bound(upper);
}

// The text up to and including the first `delimiter` at or after `from`, or empty if none.
std::string_view group_of(std::string_view key, std::string_view delimiter, std::size_t from) {
    if (delimiter.empty()) return {};
    const auto at = key.find(delimiter, from);
    if (at == std::string_view::npos) return {};
    return key.substr(0, at + delimiter.size());
}

// Where a page starts: after `after`, past the whole group `after` falls in (that group sorted
// at or before `after`, so it was already returned or was skipped by the caller's choice).
iterator first_candidate(const object_index& index, std::string_view prefix,
                         std::string_view delimiter, std::string_view after) {
    if (after < prefix) return index.lower_bound(prefix);
    auto it = index.upper_bound(after);
    if (!after.starts_with(prefix)) return it;
    const auto group = group_of(after, delimiter, prefix.size());
    if (group.empty()) return it;
    const auto past = skip_run(index, group);
    if (past == index.end()) return past;
    if (it != index.end() && it->first < past->first) return past;
    return it;
}

}  // namespace

std::string index_entry::etag() const {
    std::string out = core::to_hex(md5);
    if (part_count != 0) out += "-" + std::to_string(part_count);
    return out;
}

list_page build_list_page(const object_index& index, std::string_view prefix,
                          std::string_view delimiter, std::string_view after,
                          std::size_t max_keys) {
    list_page page;
    max_keys = std::min(max_keys, max_list_keys);
    if (max_keys == 0) return page;
    std::size_t count = 0;
    for (auto it = first_candidate(index, prefix, delimiter, after);
         it != index.end() && it->first.starts_with(prefix);) {
        if (count == max_keys) {
            page.is_truncated = true;
            break;
        }
        ++count;
        const auto group = group_of(it->first, delimiter, prefix.size());
        if (!group.empty()) {
            page.common_prefixes.emplace_back(group);
            it = skip_run(index, group);
            continue;
        }
        const auto& [key, entry] = *it;
        page.objects.push_back({key, entry.size, entry.etag(), entry.last_modified});
        ++it;
    }
    if (page.is_truncated) {
        // Entries were produced in increasing order, so the last one is the larger of the two
        // lists' last elements.
        const auto& objects = page.objects;
        const auto& groups = page.common_prefixes;
        if (groups.empty() || (!objects.empty() && objects.back().key > groups.back()))
            page.next_marker = objects.back().key;
        else
            page.next_marker = groups.back();
        page.next_continuation_token = encode_continuation_token(page.next_marker);
    }
    return page;
}

std::string encode_continuation_token(std::string_view position) {
    std::string raw(token_tag);
    raw.append(position);
    return core::to_base64(raw);
}

result<std::string> decode_continuation_token(std::string_view token) {
    auto raw = core::from_base64(token);
    if (!raw || !raw->starts_with(token_tag))
        return fail(errc::invalid_argument, "the continuation token provided is incorrect");
    return raw->substr(token_tag.size());
}

}  // namespace presign::store::detail
