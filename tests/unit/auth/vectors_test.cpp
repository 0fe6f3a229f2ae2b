// Requests signed by botocore (and AWS's published examples), one directory per case under
// tests/vectors/auth/ (see generate_auth.py): each must get exactly the expected verdict, so
// verification is checked against an independent signer, not only against presign's own.

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/files.hpp"

#include "auth/verifier.hpp"
#include "auth_fixture.hpp"
#include "core/time_format.hpp"

namespace presign::auth {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct vector_case {
    std::string name;
    json in;
};

void PrintTo(const vector_case& c, std::ostream* os) {
    *os << c.name;
}

std::vector<vector_case> load_cases() {
    std::vector<vector_case> cases;
    for (const auto& entry : fs::directory_iterator(presign::test::vectors_dir("auth"))) {
        if (!entry.is_directory()) continue;
        cases.push_back({entry.path().filename().string(),
                         json::parse(presign::test::slurp(entry.path() / "request.json"))});
    }
    std::sort(cases.begin(), cases.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return cases;
}

class auth_vector : public ::testing::TestWithParam<vector_case> {
  protected:
    const json& in() const { return GetParam().in; }

    test::raw_request request() const {
        test::raw_request r;
        r.method = in()["method"];
        r.target = in()["target"];
        for (const auto& h : in()["headers"]) r.headers.emplace_back(h[0], h[1]);
        return r;
    }
    core::time_point now() const {
        return core::parse_amz_date(in()["verify"]["now"].get<std::string>()).value();
    }

    verifier make_verifier() const {
        const json& v = in()["verify"];
        verifier_options o;
        o.region = v["region"];
        return verifier(o, [v](std::string_view id) -> std::optional<principal> {
            if (id != v["access_key_id"].get<std::string>()) return std::nullopt;
            return principal{"vector-user", core::secret_string(v["secret_access_key"]),
                             core::secret_string(v["session_token"]), nullptr};
        });
    }
};

TEST_P(auth_vector, gets_the_expected_verdict) {
    test::raw_request r = request();
    auto result = make_verifier().verify(r.view(), now());
    const json& expect = in()["expect"];
    if (expect.contains("error")) {
        ASSERT_FALSE(result) << "verified, expected " << expect["error"];
        EXPECT_EQ(to_string(result.error().code), expect["error"].get<std::string>())
            << result.error().message;
        return;
    }
    ASSERT_TRUE(result) << to_string(result.error().code) << ": " << result.error().message << "\n"
                        << result.error().detail("CanonicalRequest");
    EXPECT_EQ(result->identity(), expect["identity"]);
    EXPECT_EQ(to_string(result->kind()), expect["kind"].get<std::string>());
    EXPECT_EQ(to_string(result->payload()), expect["payload"].get<std::string>());
    EXPECT_EQ(result->payload_sha256(), expect["payload_sha256"]);
}

TEST_P(auth_vector, refuses_the_request_with_its_method_changed) {
    test::raw_request r = request();
    r.method = r.method == "GET" ? "HEAD" : "GET";
    auto result = make_verifier().verify(r.view(), now());
    ASSERT_FALSE(result);
    // A case refused already keeps its reason: each check runs before the signature's.
    const json& expect = in()["expect"];
    EXPECT_EQ(to_string(result.error().code), expect.contains("error")
                                                  ? expect["error"].get<std::string>()
                                                  : std::string("signature_does_not_match"));
}

INSTANTIATE_TEST_SUITE_P(botocore, auth_vector, ::testing::ValuesIn(load_cases()),
                         [](const auto& info) {
                             std::string n = info.param.name;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

TEST(auth_vectors, are_all_present) {
    EXPECT_GE(load_cases().size(), 17u);
}

}  // namespace
}  // namespace presign::auth
