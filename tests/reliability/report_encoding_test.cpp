// Finding 8: reports that were not valid. Raw input bytes went into JUnit XML unchanged (a name with byte
// 0xFF or an encoded lone surrogate made the document malformed), appendJsonString copied invalid UTF-8
// into --trace output, and a scenario path that is not UTF-8 made the JSON Lines writer throw. Now JSON
// output is valid UTF-8 (invalid sequences become U+FFFD, control characters are escaped) and XML
// output holds only characters XML 1.0 allows.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "reliability_support.h"
#include "simsock/scenario/reporters.h"
#include "simsock/trace.h"

namespace simsock {
namespace {

using reliability::Outcome;

// Decodes s strictly (RFC 3629); false on any invalid sequence. Code points go to out.
bool decodeUtf8(const std::string& s, std::vector<std::uint32_t>& out) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        int len = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) return false;
        std::uint32_t cp = len == 1 ? b : b & (0xFF >> (len + 1));
        for (int k = 1; k < len; ++k) {
            const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        const std::uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < minimum[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        out.push_back(cp);
        i += static_cast<std::size_t>(len);
    }
    return true;
}

bool validUtf8(const std::string& s) {
    std::vector<std::uint32_t> cps;
    return decodeUtf8(s, cps);
}

// XML 1.0's Char production, over a valid UTF-8 document.
bool xmlCharsOnly(const std::string& s) {
    std::vector<std::uint32_t> cps;
    if (!decodeUtf8(s, cps)) return false;
    for (std::uint32_t c : cps) {
        const bool ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
                        (c >= 0x10000 && c <= 0x10FFFF);
        if (!ok) return false;
    }
    return true;
}

std::string json(std::string_view s) {
    std::string out;
    appendJsonString(out, s);
    return out;
}

const std::string kLoneSurrogate = "x\xED\xA0\x80y";  // what a parsed "\ud800" decodes to

TEST(JsonEncoding, InvalidUtf8BecomesReplacementCharacters) {
    EXPECT_EQ(json(kLoneSurrogate), "\"x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy\"");  // each byte: no prefix of it is valid...
    EXPECT_EQ(json("r\xFFs"), "\"r\xEF\xBF\xBDs\"");
    EXPECT_EQ(json("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");      // ...an overlong '/': two
    EXPECT_EQ(json("cut \xE2\x82"), "\"cut \xEF\xBF\xBD\"");           // a valid but truncated start: one (Unicode's maximal subpart)
    EXPECT_EQ(json("\xF4\x90\x80\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // above U+10FFFF
    for (const std::string& s : {kLoneSurrogate, std::string("r\xFFs"), std::string("\xC0\xAF")}) EXPECT_TRUE(validUtf8(json(s)));
}

TEST(JsonEncoding, ValidTextAndEscapesAreUnchanged) {
    EXPECT_EQ(json("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E"), "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E\"");
    EXPECT_EQ(json(std::string("a\0b", 3)), "\"a\\u0000b\"");
    EXPECT_EQ(json("q\"b\\n\n\t\r\x1F\x7F"), "\"q\\\"b\\\\n\\n\\t\\r\\u001f\x7F\"");
}

TEST(JsonEncoding, TraceEventsSerialiseAsValidUtf8) {
    TraceEvent e;
    e.object = kLoneSurrogate;
    e.signal = "stateChanged";
    e.args = {"r\xFFs"};
    e.state = "ConnectedState";
    EXPECT_EQ(e.toJson(), "{\"t\":0,\"object\":\"x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy\",\"signal\":\"stateChanged\",\"args\":[\"r\xEF\xBF\xBDs\"],"
                          "\"state\":\"ConnectedState\",\"call\":\"\"}");
}

TEST(XmlEncoding, JunitHoldsOnlyXmlCharacters) {
    scenario::ReportEntry e;
    e.file = "dir/\xFFname.json";
    e.engine = "sim";
    e.status = scenario::RunResult::Status::Failed;
    e.messages = {"socket " + kLoneSurrogate + ": state: expected A, got B", std::string("nul \0 here", 10),
                  "bell \x07, U+FFFE \xEF\xBF\xBE, <tag> & \"quote\""};
    e.diff = "-\xC3\x28\n";
    const std::string xml = scenario::junitXml({e});
    EXPECT_TRUE(xmlCharsOnly(xml)) << xml;
    EXPECT_EQ(xml,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuite name=\"simsock\" tests=\"1\" failures=\"1\" skipped=\"0\">\n"
              "  <testcase classname=\"scenario.sim\" name=\"dir/\xEF\xBF\xBDname.json\">\n"
              "    <failure message=\"socket x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy: state: expected A, got B\">socket x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy: state: "
              "expected A, got B\nnul ? here\nbell ?, U+FFFE ?, &lt;tag&gt; &amp; &quot;quote&quot;\n-\xEF\xBF\xBD(\n"
              "</failure>\n"
              "  </testcase>\n"
              "</testsuite>\n");
}

// End to end: a scenario whose socket name is a lone surrogate, in a file whose name is not UTF-8.
TEST(ReportEncodingCli, TraceAndJunitOfOddNamesAreValid) {
    reliability::ScratchDir dir;
    const std::string file = dir / "odd\xFF.json";
    ASSERT_TRUE(reliability::writeText(file, R"({
  "format": 1,
  "engines": ["sim"],
  "sockets": [{"name": "c\ud800-\u0000", "type": "tcp"}],
  "actions": [{"at": "0ms", "socket": "c\ud800-\u0000", "call": "connectToHost", "host": "10.0.0.2", "port": 9}],
  "runFor": "1ms",
  "expect": {"sockets": {"c\ud800-\u0000": {"state": "ConnectedState"}}}
})"));
    const std::string trace = dir / "trace.jsonl", junit = dir / "report.xml";
    Outcome o = reliability::runSimsock("run --trace " + trace + " --junit " + junit + " '" + file + "'");
    EXPECT_EQ(o.exitCode, 1) << o.output;
    const std::string lines = reliability::readText(trace), xml = reliability::readText(junit);
    ASSERT_FALSE(lines.empty());
    EXPECT_TRUE(validUtf8(lines)) << lines;
    EXPECT_NE(lines.find("{\"scenario\":\"" + (dir / "odd\xEF\xBF\xBD.json") + "\",\"t\":0,\"object\":\"c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD-\\u0000\""),
              std::string::npos)
        << lines;
    EXPECT_TRUE(xmlCharsOnly(xml)) << xml;
    EXPECT_NE(xml.find("socket c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD-?: state: expected ConnectedState"), std::string::npos) << xml;
}

}  // namespace
}  // namespace simsock
