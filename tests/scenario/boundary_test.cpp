// Every numeric field of the scenario format at its edges (0, -1, the maximum and one past it, the minimum
// and one below it, the int32 and int64 limits, fractions, exponents), each through the loader: the file
// is accepted, or rejected with a diagnostic at that very field; never a crash or undefined behaviour (the
// sanitizer build runs this too). Values the schema forbids must be rejected. Accepted files go through
// the writer and load again.
//
// The fields come from scenarios/schema.json, so a field added there is tested here without a change:
// only a field in a new kind of object needs a new entry in kPlaces (a test fails until it has one).
#include <gtest/gtest.h>
#include <simsock/program.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/writer.h"

namespace simsock::testing {
namespace {

using nlohmann::json;

/// One numeric field of the schema: where it is (`network.links[].mtu`), and its bounds there.
struct Field {
    std::string container;  ///< the object holding it: `network.links[]`
    std::string name;       ///< its key; `*` for the values of a map (expect.returns)
    bool integral = true;
    bool duration = false;
    std::optional<double> minimum, maximum;
    std::string path() const { return container.empty() ? name : container + "." + name; }
};

/// Test names and failure messages show the field's path, not its bytes.
void PrintTo(const Field& f, std::ostream* os) { *os << f.path(); }

/// A minimal valid file with the field's object in it: `@F@` is replaced by `"name": value`, and
/// `jsonPath` is that object's JSON path in diagnostics.
struct Place {
    std::string file;
    std::string jsonPath;
    std::string key = {};  ///< the key to write instead of the field's name (map values)
};

// The head every file shares; `@REST@` is the part each place adds.
const std::string kHead = R"({"format": 1, "engines": ["sim"], "runFor": "1s")";
std::string doc(const std::string& rest) { return kHead + ", " + rest + "}"; }
const std::string kSocket = R"("sockets": [{"name": "c", "type": "tcp"}])";
const std::string kTwoHosts =
    R"("hosts": [{"name": "a", "addresses": ["10.0.0.1"]}, {"name": "b", "addresses": ["10.0.0.2"]}])";

// A program that does nothing: a place for the fields of the programs section.
class IdleProgram final : public simsock::Program {
public:
    explicit IdleProgram(const simsock::ProgramParams&) {}
    void start(simsock::ProgramContext&) override {}
};
SIMSOCK_PROGRAM("boundary-idle", simsock::makeProgram<IdleProgram>)

// Keyed by the field's path (for fields that need a particular kind or call) or by its container.
const std::map<std::string, Place> kPlaces = {
    {"format", {R"({"engines": ["sim"], "runFor": "1s", @F@})", "$"}},
    {"runFor", {R"({"format": 1, "engines": ["sim"], @F@})", "$"}},
    {"", {doc("@F@"), "$"}},
    {"network", {doc(R"("network": {@F@})"), "$.network"}},
    {"network.dns[]", {doc(R"("network": {"dns": [{"name": "a.example", "addresses": ["10.0.0.2"], @F@}]})"),
                       "$.network.dns[0]"}},
    {"network.links[]", {doc(R"("network": {)" + kTwoHosts + R"(, "links": [{"between": ["a", "b"], @F@}]})"),
                         "$.network.links[0]"}},
    {"peers[]", {doc(R"("peers": [{"name": "p", "kind": "tcp-server", "host": "server", @F@}])"), "$.peers[0]"}},
    {"programs[]", {doc(R"("programs": [{"name": "p", "program": "boundary-idle", "host": "client", @F@}])"),
                    "$.programs[0]"}},
    {"peers[].connect",
     {doc(R"("peers": [{"name": "p", "kind": "tcp-client", "host": "client", "connect": {"host": "server", @F@}}])"),
      "$.peers[0].connect"}},
    {"peers[].script[]",
     {doc(R"("peers": [{"name": "p", "kind": "tcp-server", "host": "server", "port": 1, "script": [{@F@}]}])"),
      "$.peers[0].script[0]"}},
    {"faults[]", {doc(R"("faults": [{"kind": "refuse-port", "host": "server", "at": "0ms", @F@}])"), "$.faults[0]"}},
    {"faults[].at", {doc(R"("faults": [{"kind": "refuse-port", "host": "server", @F@}])"), "$.faults[0]"}},
    {"faults[].delay",
     {doc(R"("faults": [{"kind": "host-unreachable", "host": "server", "at": "0ms", @F@}])"), "$.faults[0]"}},
    {"faults[].limit",
     {doc(R"("faults": [{"kind": "datagram-limit", "host": "server", "at": "0ms", @F@}])"), "$.faults[0]"}},
    {"faults[].on", {doc(R"("faults": [{"kind": "reset-connection", "host": "server", "on": {"event": "accept", @F@}}])"),
                     "$.faults[0].on"}},
    {"faults[].on.bytes",
     {doc(R"("faults": [{"kind": "reset-connection", "host": "server", "on": {"event": "afterBytes", @F@}}])"),
      "$.faults[0].on"}},
    {"sockets[]", {doc(R"("sockets": [{"name": "c", "type": "tcp", @F@}])"), "$.sockets[0]"}},
    {"sockets[].options", {doc(R"("sockets": [{"name": "c", "type": "tcp", "options": {@F@}}])"), "$.sockets[0].options"}},
    {"sockets[].proxy",
     {doc(R"("sockets": [{"name": "c", "type": "tcp", "proxy": {"type": "Socks5Proxy", "host": "10.0.0.9", @F@}}])"),
      "$.sockets[0].proxy"}},
    {"applicationProxy", {doc(R"("applicationProxy": {"type": "Socks5Proxy", "host": "10.0.0.9", @F@})"), "$.applicationProxy"}},
    {"peers[].split",
     {doc(R"("peers": [{"name": "p", "kind": "socks5-proxy", "host": "server", "port": 1, @F@}])"), "$.peers[0]"}},
    {"peers[].bound",
     {doc(R"("peers": [{"name": "p", "kind": "socks5-proxy", "host": "server", "port": 1, "bound": {@F@}}])"),
      "$.peers[0].bound"}},
    {"peers[].fault",
     {doc(R"("peers": [{"name": "p", "kind": "socks5-proxy", "host": "server", "port": 1, "fault": {"kind": "reply-code", @F@}}])"),
      "$.peers[0].fault"}},
    {"peers[].options",
     {doc(R"("peers": [{"name": "p", "kind": "tcp-server", "host": "server", "port": 1, "options": {@F@}}])"),
      "$.peers[0].options"}},
    {"actions[].descriptor",
     {doc(kSocket + R"(, "actions": [{"at": "0ms", "socket": "c", "call": "setSocketDescriptor", @F@}])"),
      "$.actions[0]"}},
    {"actions[].repeat",
     {doc(kSocket + R"(, "actions": [{"at": "0ms", "socket": "c", "call": "write", "data": "x", @F@}])"),
      "$.actions[0]"}},
    {"actions[].until",
     {doc(kSocket + R"j(, "actions": [{"on": {"socket": "c", "signal": "readyRead"}, "socket": "c", "call": "read", "size": 4, "until": {@F@}}])j"),
      "$.actions[0].until"}},
    {"actions[].proxy",
     {doc(kSocket + R"(, "actions": [{"at": "0ms", "socket": "c", "call": "setProxy", "proxy": {"type": "Socks5Proxy", "host": "10.0.0.9", @F@}}])"),
      "$.actions[0].proxy"}},
    {"actions[].at", {doc(kSocket + R"(, "actions": [{"socket": "c", "call": "abort", @F@}])"), "$.actions[0]"}},
    {"actions[].port",
     {doc(kSocket + R"(, "actions": [{"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.0.0.2", @F@}])"),
      "$.actions[0]"}},
    {"actions[].size", {doc(kSocket + R"(, "actions": [{"at": "0ms", "socket": "c", "call": "read", @F@}])"),
                        "$.actions[0]"}},
    {"actions[].value",
     {doc(kSocket + R"(, "actions": [{"at": "0ms", "socket": "c", "call": "setSocketOption", "option": "LowDelayOption", @F@}])"),
      "$.actions[0]"}},
    {"actions[].timeout",
     {doc(kSocket + R"(, "actions": [{"at": "0ms", "socket": "c", "call": "waitForConnected", @F@}])"), "$.actions[0]"}},
    {"actions[].on",
     {doc(kSocket + R"j(, "actions": [{"on": {"socket": "c", "signal": "connected()", @F@}, "socket": "c", "call": "abort"}])j"),
      "$.actions[0].on"}},
    {"expect.sockets.*", {doc(kSocket + R"(, "expect": {"sockets": {"c": {@F@}}})"), "$.expect.sockets.c"}},
    {"expect.peers.*",
     {doc(R"("peers": [{"name": "p", "kind": "tcp-server", "host": "server", "port": 1}], "expect": {"peers": {"p": {@F@}}})"),
      "$.expect.peers.p"}},
    {"expect.returns.*",
     {doc(kSocket + R"(, "actions": [{"at": "0ms", "socket": "c", "call": "bytesAvailable", "id": "n"}], "expect": {"returns": {@F@}})"),
      "$.expect.returns", "n"}},
    {"expect.programs.*",
     {doc(R"("programs": [{"name": "p", "program": "boundary-idle", "host": "client"}], "expect": {"programs": {"p": {@F@}}})"),
      "$.expect.programs.p", "k"}},
};

// True when the schema's "type" is t or a list that contains t.
bool typeIs(const json& s, const char* t) {
    if (!s.contains("type")) return false;
    const json& type = s["type"];
    return type == t || (type.is_array() && std::find(type.begin(), type.end(), t) != type.end());
}

class SchemaFields {
public:
    explicit SchemaFields(const json& schema) : root_(schema) { walkObject(schema, ""); }
    const std::vector<Field>& fields() const { return fields_; }

private:
    const json& resolve(const json& s) const {
        if (!s.contains("$ref")) return s;
        std::string ref = s["$ref"].get<std::string>();  // "#/$defs/name"
        return resolve(root_.at(json::json_pointer(ref.substr(1))));
    }

    // A numeric field's bounds, or nothing when the schema does not describe a number.
    std::optional<Field> numeric(const json& raw, const std::string& container, const std::string& name) const {
        const json& s = resolve(raw);
        Field f;
        f.container = container;
        f.name = name;
        f.duration = raw.contains("$ref") && raw["$ref"] == "#/$defs/duration";
        if (s.contains("const") && s["const"].is_number()) {
            f.minimum = f.maximum = s["const"].get<double>();
            return f;
        }
        const json* number = nullptr;
        for (const char* alt : {"oneOf", "anyOf"})
            if (s.contains(alt))
                for (const auto& a : s[alt])
                    if (typeIs(a, "integer") || typeIs(a, "number")) number = &a;
        if (typeIs(s, "integer") || typeIs(s, "number")) number = &s;
        if (!number) return std::nullopt;
        f.integral = !typeIs(*number, "number");
        if (number->contains("minimum")) f.minimum = (*number)["minimum"].get<double>();
        if (number->contains("maximum")) f.maximum = (*number)["maximum"].get<double>();
        return f;
    }

    void walkObject(const json& raw, const std::string& at) {
        const json& s = resolve(raw);
        for (const char* alt : {"oneOf", "anyOf"})
            if (s.contains(alt))
                for (const auto& a : s[alt]) walkObject(a, at);
        if (typeIs(s, "array") && s.contains("items")) walkObject(s["items"], at + "[]");
        auto member = [&](const std::string& name, const json& sub) {
            if (auto f = numeric(sub, at, name)) fields_.push_back(*f);
            walkObject(sub, at.empty() ? name : at + "." + name);
        };
        if (s.contains("properties"))
            for (const auto& [name, sub] : s["properties"].items()) member(name, sub);
        if (s.contains("additionalProperties") && s["additionalProperties"].is_object())
            member("*", s["additionalProperties"]);
        if (s.contains("patternProperties"))  // the socket options: "^(LowDelayOption|KeepAliveOption|...)$"
            for (const auto& [pattern, sub] : s["patternProperties"].items()) {
                std::string names = pattern.substr(2, pattern.size() - 4);
                for (std::size_t start = 0, bar; start <= names.size(); start = bar + 1) {
                    bar = std::min(names.find('|', start), names.size());
                    member(names.substr(start, bar - start), sub);
                }
            }
    }

    const json& root_;
    std::vector<Field> fields_;
};

std::vector<Field> schemaFields() {
    std::ifstream in(SIMSOCK_SCENARIO_SCHEMA);
    static const json schema = json::parse(in);
    return SchemaFields(schema).fields();
}

// Numbers at every edge that matters for this field; durations also as strings with units.
std::vector<std::string> edgeValues(const Field& f) {
    std::vector<std::string> v = {"0", "-1", "1", "-0", "0.5", "1e3", "1e308", "1e309", "-1e309", "4.9e-324"};
    auto add = [&](double x) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", x);
        v.push_back(buf);
    };
    if (f.minimum) add(*f.minimum), add(*f.minimum - 1);
    if (f.maximum) add(*f.maximum), add(*f.maximum + 1);
    for (const char* n : {"2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296", "9223372036854775807",
                          "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                          "99999999999999999999999", "8640000000000000", "8640000000000001"})
        v.push_back(n);
    if (f.duration)
        for (const char* d : {"\"0ms\"", "\"0s\"", "\"1ns\"", "\"8640000s\"", "\"8640000.000000001s\"", "\"8640001s\"",
                              "\"9223372036854775807ns\"", "\"9223372036854775808ns\"", "\"99999999999999999999s\"",
                              "\"0.000000001s\"", "\"-1ms\"", "\"1.5ns\""})
            v.push_back(d);
    return v;
}

// Whether the schema allows a JSON number literal in this field (strings are the duration's own pattern).
bool schemaAllows(const Field& f, const std::string& value) {
    if (value.front() == '"') return true;  // not judged here: the loader checks durations beyond the pattern
    const bool integerLiteral = value.find_first_of(".eE") == std::string::npos;
    const long double x = std::strtold(value.c_str(), nullptr);
    if (f.integral && !integerLiteral) return false;
    if (!std::isfinite(x)) return false;
    if (f.minimum && x < static_cast<long double>(*f.minimum)) return false;
    if (f.maximum && x > static_cast<long double>(*f.maximum)) return false;
    return true;
}

const Place* placeOf(const Field& f) {
    for (const std::string& key : {f.path(), f.container}) {
        auto it = kPlaces.find(key);
        if (it != kPlaces.end()) return &it->second;
    }
    return nullptr;
}

std::string fieldPath(const Place& p, const std::string& key) {
    bool identifier = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
    for (char c : key) identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    return identifier ? p.jsonPath + "." + key : p.jsonPath + "[\"" + key + "\"]";
}

// Values whose writer round trip is a known, open finding (the load itself still must not crash): none
// since reliability-fixes made durations exact (finding 7). Add an entry, with its finding, only while a
// fix is under way elsewhere.
const std::map<std::string, std::string> kKnownFindings = {};

class Boundary : public ::testing::TestWithParam<Field> {};

TEST_P(Boundary, EdgeValuesAreAcceptedOrRejectedAtTheField) {
    const Field& f = GetParam();
    const Place* place = placeOf(f);
    ASSERT_NE(place, nullptr) << f.path() << ": a field in a new kind of object: add its place to kPlaces";
    const std::string key = place->key.empty() ? f.name : place->key;
    int accepted = 0;
    for (const std::string& value : edgeValues(f)) {
        std::string text = place->file;
        text.replace(text.find("@F@"), 3, "\"" + key + "\": " + value);
        SCOPED_TRACE(f.path() + " = " + value + "\n" + text);
        try {
            const scenario::Scenario s = scenario::loadScenarioText("boundary.json", text);
            ++accepted;
            EXPECT_TRUE(schemaAllows(f, value)) << "accepted a value the schema forbids";
            if (kKnownFindings.count(value) == 0) {
                EXPECT_NO_THROW(scenario::loadScenarioText("written.json", scenario::writeScenario(s)));
            }
        } catch (const scenario::ScenarioError& e) {
            const std::string at = fieldPath(*place, key) + ": ";
            EXPECT_EQ(std::string(e.what()).rfind("boundary.json:", 0), 0u) << e.what();
            EXPECT_NE(std::string(e.what()).find(": " + at), std::string::npos) << e.what() << "\n(expected at " << at << ")";
        }
    }
    // Every field takes 0, 1 or its minimum: a place whose file the loader refuses for another reason
    // would only ever test rejections.
    EXPECT_GT(accepted, 0) << f.path() << ": no edge value was accepted; is its place's file valid?";
}

std::string testName(const ::testing::TestParamInfo<Field>& info) {
    std::string name = info.param.path();
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(SchemaFields, Boundary, ::testing::ValuesIn(schemaFields()), testName);

// The walk finds what the format has: if it found nothing, every test above would pass vacuously.
TEST(BoundaryFields, TheSchemaWalkFindsEveryKindOfNumericField) {
    std::vector<std::string> paths;
    for (const auto& f : schemaFields()) paths.push_back(f.path());
    for (const char* expected : {"format", "seed", "runFor", "network.dnsDelay", "network.links[].mtu",
                                 "network.links[].loss", "peers[].script[].read", "peers[].connect.port",
                                 "faults[].on.times", "sockets[].options.KeepAliveOption", "actions[].on.nth",
                                 "expect.sockets.*.bytesAvailable", "expect.returns.*"})
        EXPECT_NE(std::find(paths.begin(), paths.end(), expected), paths.end()) << expected;
    EXPECT_GE(paths.size(), 50u);
}

}  // namespace
}  // namespace simsock::testing
