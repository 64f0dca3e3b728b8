// Every file under tests/fuzz/regressions/<target>/ replayed through that target's entry point, in every
// build (gcc included): what a fuzzer once found stays fixed. One test per file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_entries.h"

namespace simsock::fuzz {
namespace {

namespace fs = std::filesystem;

struct Case {
    std::string target;  ///< the folder: json, loader, run, socks5 or http
    fs::path file;
};

// GoogleTest would otherwise print the struct's bytes in every test's name listing.
void PrintTo(const Case& c, std::ostream* os) { *os << c.target << "/" << c.file.filename().string(); }

std::vector<Case> allCases() {
    std::vector<Case> out;
    for (const auto& dir : fs::directory_iterator(SIMSOCK_FUZZ_REGRESSIONS_DIR)) {
        if (!dir.is_directory()) continue;
        for (const auto& f : fs::directory_iterator(dir.path()))
            if (f.is_regular_file()) out.push_back(Case{dir.path().filename().string(), f.path()});
    }
    std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.file < b.file; });
    return out;
}

std::string testName(const ::testing::TestParamInfo<Case>& info) {
    std::string name = info.param.target + "_" + info.param.file.filename().string();
    std::replace_if(name.begin(), name.end(), [](unsigned char c) { return !std::isalnum(c); }, '_');
    return name;
}

class FuzzRegression : public ::testing::TestWithParam<Case> {};

TEST_P(FuzzRegression, ReplaysWithoutAFinding) {
    const Entry entry = entryNamed(GetParam().target);
    ASSERT_NE(entry, nullptr) << "no fuzz target named " << GetParam().target;
    std::ifstream in(GetParam().file, std::ios::binary);
    ASSERT_TRUE(in) << GetParam().file;
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

// Empty only until the first finding; FuzzRegressionFiles below still checks the folders.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FuzzRegression);
INSTANTIATE_TEST_SUITE_P(Files, FuzzRegression, ::testing::ValuesIn(allCases()), testName);

// The folders exist and hold something to replay, so a broken path cannot pass silently.
TEST(FuzzRegressionFiles, EveryTargetHasItsFolder) {
    for (const char* target : {"json", "loader", "run", "socks5", "http"}) {
        EXPECT_TRUE(fs::is_directory(fs::path(SIMSOCK_FUZZ_REGRESSIONS_DIR) / target)) << target;
        EXPECT_NE(entryNamed(target), nullptr) << target;
    }
}

// Every key and every enumerated word of scenarios/schema.json, gathered recursively.
void schemaWords(const nlohmann::json& node, std::vector<std::string>& keys, std::vector<std::string>& words) {
    if (node.is_array()) {
        for (const auto& item : node) schemaWords(item, keys, words);
        return;
    }
    if (!node.is_object()) return;
    for (const auto& [key, value] : node.items()) {
        if (key == "properties")
            for (const auto& [name, unused] : value.items()) keys.push_back(name);
        if (key == "patternProperties")  // the socket options: "^(LowDelayOption|KeepAliveOption|...)$"
            for (const auto& [pattern, unused] : value.items()) {
                std::string alternatives = pattern.substr(2, pattern.size() - 4);
                for (std::size_t start = 0, bar; start <= alternatives.size(); start = bar + 1) {
                    bar = std::min(alternatives.find('|', start), alternatives.size());
                    words.push_back(alternatives.substr(start, bar - start));
                }
            }
        if (key == "enum")
            for (const auto& w : value)
                if (w.is_string()) words.push_back(w.get<std::string>());
        schemaWords(value, keys, words);
    }
}

// The dictionary must spell every word of the format, so a new field or kind reaches the fuzzers too.
TEST(FuzzDictionary, HasEveryKeyAndWordOfTheSchema) {
    std::ifstream dictFile(SIMSOCK_FUZZ_DICT);
    std::ifstream schemaFile(SIMSOCK_SCENARIO_SCHEMA);
    ASSERT_TRUE(dictFile && schemaFile);
    const std::string dict((std::istreambuf_iterator<char>(dictFile)), std::istreambuf_iterator<char>());
    std::vector<std::string> keys, words;
    schemaWords(nlohmann::json::parse(schemaFile), keys, words);
    EXPECT_GT(keys.size(), 50u);
    EXPECT_GT(words.size(), 60u);
    for (const auto& k : keys) EXPECT_NE(dict.find("=\"\\\"" + k + "\\\":\"\n"), std::string::npos) << "key " << k;
    for (const auto& w : words) EXPECT_NE(dict.find("=\"\\\"" + w + "\\\"\"\n"), std::string::npos) << "word " << w;
}

}  // namespace
}  // namespace simsock::fuzz
