#include "auth/authorization.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "auth/request.hpp"
#include "core/time_format.hpp"
#include "sigv4/canonical.hpp"

namespace presign::auth {

namespace {
constexpr std::string_view k_header_malformed = "The authorization header is malformed; ";
constexpr std::string_view k_query_malformed = "Error parsing the X-Amz-Credential parameter; ";

// S3 words a bad credential differently for the two kinds, and gives it a different code.
core::failure<error> malformed(auth_kind kind, std::string_view what,
                               std::vector<error_detail> details = {}) {
    if (kind == auth_kind::header)
        return fail(errc::authorization_header_malformed,
                    std::string(k_header_malformed).append(what), std::move(details));
    return fail(errc::authorization_query_parameters_error,
                std::string(k_query_malformed).append(what), std::move(details));
}

core::failure<error> bad_component(std::string_view name) {
    // The component's name only: S3 echoes the whole component, which may be a signature.
    return fail(errc::authorization_header_malformed, std::string(k_header_malformed) +
                                                          "the authorization component \"" +
                                                          std::string(name) + "\" is malformed.");
}

core::failure<error> missing_components() {
    return fail(errc::authorization_header_malformed,
                std::string(k_header_malformed) +
                    "the authorization header requires three components: Credential, "
                    "SignedHeaders, and Signature.");
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
}  // namespace

std::string_view to_string(auth_kind kind) noexcept {
    switch (kind) {
        case auth_kind::header: return "header";
        case auth_kind::query: return "query";
        case auth_kind::post_form: return "post_form";
    }
    return "unknown";
}

result<authorization_fields> parse_authorization(std::string_view value) {
    value = trim(value);
    const auto space = value.find_first_of(" \t");
    if (value.substr(0, space) != sigv4::k_algorithm)
        return fail(errc::invalid_argument, "Unsupported Authorization Type",
                    {{"ArgumentName", "Authorization"}});
    std::string_view rest = space == std::string_view::npos ? "" : trim(value.substr(space));
    if (rest.empty()) return missing_components();

    // Component name -> where its value goes; each may appear once.
    struct slot {
        std::string_view name;
        std::optional<std::string_view> value;
    };
    std::array<slot, 3> slots{{{"Credential", {}}, {"SignedHeaders", {}}, {"Signature", {}}}};
    while (true) {
        const auto comma = rest.find(',');
        const std::string_view component = trim(rest.substr(0, comma));
        const auto eq = component.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return bad_component(component.substr(0, component.find('=')));
        const std::string_view name = component.substr(0, eq);
        slot* target = nullptr;
        for (slot& s : slots)
            if (s.name == name) target = &s;
        if (target == nullptr || target->value) return bad_component(name);
        target->value = component.substr(eq + 1);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    for (const slot& s : slots)
        if (!s.value) return missing_components();
    if (slots[2].value->empty()) return bad_component("Signature");
    return authorization_fields{*slots[0].value, *slots[1].value, *slots[2].value};
}

result<credential> parse_credential(std::string_view text, auth_kind kind) {
    // AKID/YYYYMMDD/region/service/aws4_request: exactly four '/', no empty part.
    std::array<std::string_view, 5> parts;
    bool ok = std::count(text.begin(), text.end(), '/') == 4;
    for (std::size_t i = 0; ok && i < parts.size(); ++i) {
        const auto slash = text.find('/');
        parts[i] = text.substr(0, slash);
        text.remove_prefix(slash == std::string_view::npos ? text.size() : slash + 1);
        ok = !parts[i].empty();
    }
    const std::string_view date = parts[1];
    ok = ok && date.size() == 8 && std::all_of(date.begin(), date.end(), is_digit);
    if (ok) {  // a real day: YYYYMMDD + "T000000Z" must parse (on the stack, no allocation)
        char day[16];
        std::copy(date.begin(), date.end(), day);
        std::copy_n("T000000Z", 8, day + 8);
        ok = core::parse_amz_date(std::string_view(day, sizeof day)).has_value();
    }
    if (!ok)
        return malformed(kind,
                         "the Credential is mal-formed; expecting "
                         "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
    return credential{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
                      std::string(parts[3]), std::string(parts[4])};
}

result<std::vector<std::string>> parse_signed_headers(std::string_view text, auth_kind kind) {
    std::vector<std::string> names;
    if (text.empty()) return names;
    while (true) {
        const auto semi = text.find(';');
        const std::string_view name = text.substr(0, semi);
        bool ok = sigv4::is_token(name) && (names.empty() || names.back() < name);
        for (char c : name) ok = ok && !(c >= 'A' && c <= 'Z');
        if (!ok) {
            if (kind == auth_kind::header)
                return fail(errc::authorization_header_malformed,
                            std::string(k_header_malformed) +
                                "the SignedHeaders component is malformed; expecting lower-case "
                                "header names in ascending order separated by ';'.");
            return fail(errc::authorization_query_parameters_error,
                        "X-Amz-SignedHeaders is malformed; expecting lower-case header names in "
                        "ascending order separated by ';'.");
        }
        names.emplace_back(name);
        if (semi == std::string_view::npos) break;
        text.remove_prefix(semi + 1);
    }
    return names;
}

result<void> check_scope(const credential& cred, std::string_view amz_date, auth_kind kind,
                         std::string_view region, std::string_view service) {
    if (cred.region != region)
        return malformed(
            kind,
            "the region '" + cred.region + "' is wrong; expecting '" + std::string(region) + "'",
            {{"Region", std::string(region)}});
    if (cred.service != service)
        return malformed(kind, "incorrect service \"" + cred.service +
                                   "\". This endpoint belongs to \"" + std::string(service) +
                                   "\".");
    if (cred.terminator != "aws4_request")
        return malformed(kind, "incorrect terminal \"" + cred.terminator +
                                   "\". This endpoint uses \"aws4_request\".");
    const std::string_view date = amz_date.substr(0, 8);
    if (cred.date != date)
        return malformed(kind, "Invalid credential date \"" + cred.date +
                                   "\". This date is not the same as X-Amz-Date: \"" +
                                   std::string(date) + "\".");
    return {};
}

}  // namespace presign::auth
