// POST policy vectors, one directory per case under tests/vectors/post/: the policy text as
// published, its base64, and the published SigV4 signature of it.

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/files.hpp"

#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "sigv4/signer.hpp"

namespace presign::policy {
namespace {

namespace fs = std::filesystem;

using test::chomp;
using test::slurp;

std::vector<std::string> case_names() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(test::vectors_dir("post")))
        if (e.is_directory()) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

class post_vector : public ::testing::TestWithParam<std::string> {
  protected:
    fs::path dir() const { return test::vectors_dir("post") / GetParam(); }
};

TEST_P(post_vector, base64_of_the_policy_matches) {
    EXPECT_EQ(core::to_base64(slurp(dir() / "policy.json")), chomp(slurp(dir() / "policy.b64")));
}

TEST_P(post_vector, signature_of_the_base64_policy_matches) {
    const auto in = nlohmann::json::parse(slurp(dir() / "case.json"));
    sigv4::signer_options options;
    options.region = in["region"];
    auto signer = sigv4::signer::create(
        {in["access_key_id"], core::secret_string(in["secret_access_key"].get<std::string>()), ""},
        options);
    ASSERT_TRUE(signer);
    const auto when = core::parse_amz_date(in["date"].get<std::string>());
    ASSERT_TRUE(when);
    EXPECT_EQ(signer->sign_string(chomp(slurp(dir() / "policy.b64")), *when),
              chomp(slurp(dir() / "signature.txt")));
}

INSTANTIATE_TEST_SUITE_P(vectors, post_vector, ::testing::ValuesIn(case_names()),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

}  // namespace
}  // namespace presign::policy
