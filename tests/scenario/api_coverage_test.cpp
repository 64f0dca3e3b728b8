// Every public method of AbstractSocket, TcpSocket, UdpSocket and TcpServer is a scenario action: the list
// of methods is parsed from the headers at build time (public_methods.py -> api_methods.inc), so a method
// added to the API without a row in the call table (calls.h) fails here. The other way round, every row
// names a method of the class it acts on, and scenarios/README.md's table of the seed's functions lists
// every call.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "simsock/scenario/calls.h"

namespace simsock::scenario {
namespace {

struct Method {
    std::string cls, name;
};

const std::vector<Method>& apiMethods() {
    static const std::vector<Method> methods = {
#include "api_methods.inc"
    };
    return methods;
}

// Public methods that are not part of the seed's API, so no scenario calls them. Each says why.
const std::set<std::pair<std::string, std::string>> kNotActions = {
    // The innermost public call running: what the trace recorder reads to mark in-call signals.
    {"AbstractSocket", "currentCall"},
    // QObject's name: a scenario names every socket itself ("name"), and the trace uses it.
    {"AbstractSocket", "objectName"},
    {"AbstractSocket", "setObjectName"},
    // The engine backend the socket runs on: the scenario chooses it with the socket's host.
    {"AbstractSocket", "backend"},
};

bool hasRow(const Method& m) {
    for (const auto& row : calls()) {
        if (m.name != row.name) continue;
        if (m.cls == "TcpServer" ? row.on.has(Target::Server)
            : m.cls == "UdpSocket" ? row.on.has(Target::Udp)
            : row.on.has(Target::Tcp) || row.on.has(Target::Udp))
            return true;
    }
    return false;
}

TEST(ApiCoverage, TheHeadersWereParsed) {
    // A parser that finds nothing would make the next test pass vacuously.
    std::set<std::string> classes;
    for (const auto& m : apiMethods()) classes.insert(m.cls);
    EXPECT_EQ(classes, (std::set<std::string>{"AbstractSocket", "TcpServer", "UdpSocket"}));
    EXPECT_GE(apiMethods().size(), 70u);
}

TEST(ApiCoverage, EveryPublicMethodIsAnActionOrExcludedWithAReason) {
    for (const auto& m : apiMethods()) {
        const bool excluded = kNotActions.count({m.cls, m.name}) > 0;
        EXPECT_TRUE(hasRow(m) || excluded) << m.cls << "::" << m.name << " has no scenario action (calls.h)";
        EXPECT_FALSE(hasRow(m) && excluded) << m.cls << "::" << m.name << " is an action and excluded";
    }
    // The pair, not structured bindings: clang 14 cannot capture a binding in a lambda.
    for (const auto& excluded : kNotActions) {
        const auto& [cls, name] = excluded;
        const bool present = std::any_of(apiMethods().begin(), apiMethods().end(), [&](const Method& m) {
            return m.cls == excluded.first && m.name == excluded.second;
        });
        EXPECT_TRUE(present) << cls << "::" << name << " is excluded but no longer public: drop the exclusion";
    }
}

TEST(ApiCoverage, EveryRowNamesAMethodOfWhatItActsOn) {
    auto declares = [](const std::string& cls, const char* name) {
        return std::any_of(apiMethods().begin(), apiMethods().end(),
                           [&](const Method& m) { return m.cls == cls && m.name == name; });
    };
    for (const auto& row : calls()) {
        SCOPED_TRACE(row.name);
        if (row.on.has(Target::Server)) {
            EXPECT_TRUE(declares("TcpServer", row.name));
        }
        if (row.on.has(Target::Tcp)) {
            EXPECT_TRUE(declares("AbstractSocket", row.name));
        }
        if (row.on.has(Target::Udp) && !row.on.has(Target::Tcp)) {
            EXPECT_TRUE(declares("UdpSocket", row.name) || declares("AbstractSocket", row.name));
        }
    }
}

// The table of scenarios/README.md ("Every function of the API") has a row `| \`name\` |` per call.
TEST(ApiCoverage, TheReadmeTableListsEveryCall) {
    std::ifstream in(SIMSOCK_SCENARIO_README, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    const auto table = text.find("## Every function of the API");
    ASSERT_NE(table, std::string::npos) << "scenarios/README.md has no seed-function table";
    const std::string section = text.substr(table, text.find("\n## ", table + 1) - table);
    for (const auto& row : calls())
        EXPECT_NE(section.find("`" + std::string(row.name) + "`"), std::string::npos)
            << row.name << " is missing from the table in scenarios/README.md";
}

}  // namespace
}  // namespace simsock::scenario
