// SigV4 vectors, one directory per case under tests/vectors/sigv4/ (see generate_sigv4.py):
// every stage is checked on its own (canonical request, string to sign, signature), then the
// signer end to end (the URL or the Authorization header).

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/files.hpp"

#include "core/time_format.hpp"
#include "core/uri.hpp"
#include "sigv4/canonical.hpp"
#include "sigv4/signer.hpp"
#include "sigv4/signing_key.hpp"

namespace presign::sigv4 {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using test::chomp;
using test::slurp;

struct vector_case {
    std::string name;
    fs::path dir;
    json in;
};

// Printed by name in test output instead of as raw bytes.
void PrintTo(const vector_case& c, std::ostream* os) {
    *os << c.name;
}

std::vector<vector_case> load_cases() {
    std::vector<vector_case> cases;
    const fs::path root = test::vectors_dir("sigv4");
    for (const auto& entry : fs::directory_iterator(root)) {
        if (!entry.is_directory()) continue;
        cases.push_back({entry.path().filename().string(), entry.path(),
                         json::parse(slurp(entry.path() / "case.json"))});
    }
    std::sort(cases.begin(), cases.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return cases;
}

class sigv4_vector : public ::testing::TestWithParam<vector_case> {
  protected:
    const json& in() const { return GetParam().in; }
    std::string expected(const char* file) const { return slurp(GetParam().dir / file); }

    signer_options options() const {
        signer_options o;
        o.region = in()["region"];
        if (in().contains("endpoint"))
            o.custom_endpoint = *parse_endpoint(in()["endpoint"].get<std::string>());
        const std::string style = in().value("style", "virtual");
        o.style = style == "path" ? addressing::path : addressing::virtual_hosted;
        return o;
    }
    request make_request() const {
        request r;
        r.method = in()["method"];
        r.bucket = in()["bucket"];
        r.key = in()["key"];
        for (const auto& q : in()["query"]) r.query.push_back({q[0], q[1]});
        for (const auto& h : in()["headers"]) r.headers.push_back({h[0], h[1]});
        r.now = *core::parse_amz_date(in()["date"].get<std::string>());
        return r;
    }
    std::string token() const { return in().value("token", ""); }
    bool query_mode() const { return in()["mode"] == "query"; }
    std::string scope() const {
        return build_credential_scope(in()["date"].get<std::string>().substr(0, 8),
                                      in()["region"].get<std::string>(), "s3");
    }

    // The canonical request built from the stage functions alone.
    std::string staged_canonical_request() const {
        const request r = make_request();
        const auto loc =
            *locate_bucket(options().custom_endpoint, in()["region"].get<std::string>(), r.bucket,
                           options().style);
        const std::string uri = loc.path_prefix + "/" + core::uri_encode(r.key, core::slash::keep);
        std::vector<pair_view> headers{{"host", loc.authority}};
        for (const auto& h : r.headers) headers.push_back({h.name, h.value});
        const std::string date = in()["date"];
        const std::string tok = token();  // outlives the views in `headers`
        const std::string payload = query_mode() ? std::string(k_unsigned_payload)
                                                 : in()["payload_hash"].get<std::string>();
        if (!query_mode()) {
            headers.push_back({"x-amz-date", date});
            headers.push_back({"x-amz-content-sha256", payload});
            if (!tok.empty()) headers.push_back({"x-amz-security-token", tok});
        }
        std::vector<canonical_header> canonical;
        canonicalize_headers(canonical, headers);
        std::string canonical_headers, signed_headers;
        append_canonical_headers(canonical_headers, canonical);
        append_signed_headers(signed_headers, canonical);
        std::vector<query_param> query = r.query;
        if (query_mode()) {
            query.push_back({"X-Amz-Algorithm", "AWS4-HMAC-SHA256"});
            query.push_back(
                {"X-Amz-Credential", in()["access_key_id"].get<std::string>() + "/" + scope()});
            query.push_back({"X-Amz-Date", date});
            query.push_back({"X-Amz-Expires", std::to_string(in()["expires"].get<int>())});
            query.push_back({"X-Amz-SignedHeaders", signed_headers});
            if (!token().empty()) query.push_back({"X-Amz-Security-Token", token()});
        }
        const std::string canonical_query = build_canonical_query(query);
        return build_canonical_request(
            {r.method, uri, canonical_query, canonical_headers, signed_headers, payload});
    }
};

TEST_P(sigv4_vector, canonical_request_matches) {
    EXPECT_EQ(staged_canonical_request(), expected("canonical-request.txt"));
}

TEST_P(sigv4_vector, string_to_sign_matches) {
    EXPECT_EQ(build_string_to_sign(in()["date"].get<std::string>(), scope(),
                                   expected("canonical-request.txt")),
              expected("string-to-sign.txt"));
}

TEST_P(sigv4_vector, signature_matches) {
    const std::string date = in()["date"];
    const auto key =
        signing_key::derive(in()["secret_access_key"].get<std::string>(), date.substr(0, 8),
                            in()["region"].get<std::string>(), "s3");
    EXPECT_EQ(key.signature(expected("string-to-sign.txt")), chomp(expected("signature.txt")));
}

TEST_P(sigv4_vector, signer_end_to_end_matches) {
    credentials creds{in()["access_key_id"], core::secret_string(in()["secret_access_key"]),
                      token()};
    auto s = signer::create(creds, options());
    ASSERT_TRUE(s);
    if (query_mode()) {
        auto url = s->presign_url(make_request(), in()["expires"].get<int>());
        ASSERT_TRUE(url) << url.error().message;
        EXPECT_EQ(*url, chomp(expected("signed.txt")));
    } else {
        auto signed_req = s->sign_headers(make_request(), in()["payload_hash"].get<std::string>());
        ASSERT_TRUE(signed_req) << signed_req.error().message;
        std::string authorization;
        for (const auto& h : signed_req->headers)
            if (h.name == "authorization") authorization = h.value;
        EXPECT_EQ(authorization, chomp(expected("signed.txt")));
    }
}

INSTANTIATE_TEST_SUITE_P(vectors, sigv4_vector, ::testing::ValuesIn(load_cases()),
                         [](const auto& info) {
                             std::string n = info.param.name;
                             for (char& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

}  // namespace
}  // namespace presign::sigv4
