// The run namespace's DNS server speaks just enough DNS for glibc's stub resolver: these check the bytes
// of its answers and that nothing but a well-formed standard query is taken for one.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "dns_message.h"

namespace simsock::scenario::detail {
namespace {

// A query as glibc sends it: id, RD, one question, no other sections.
std::vector<std::uint8_t> query(std::uint16_t type, std::vector<std::uint8_t> name = {3, 'S', 'v', 'c', 4, 't', 'e', 's', 't', 0}) {
    // Appended byte by byte: GCC 12 at -O2 warns falsely (-Warray-bounds) on inserting into the header.
    std::vector<std::uint8_t> q;
    q.reserve(12 + name.size() + 4);
    for (std::uint8_t b : {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}) q.push_back(b);
    for (std::uint8_t b : name) q.push_back(b);
    for (std::uint8_t b : {std::uint8_t{0}, static_cast<std::uint8_t>(type), std::uint8_t{0}, std::uint8_t{1}}) q.push_back(b);
    return q;
}

TEST(DnsMessage, ParsesTheQuestionOfAStandardQueryInLowerCase) {
    const auto q = query(kDnsTypeAaaa);
    auto parsed = parseDnsQuery(q);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->id, 0x1234);
    EXPECT_EQ(parsed->flags, 0x0100);
    EXPECT_EQ(parsed->name, "svc.test");
    EXPECT_EQ(parsed->type, kDnsTypeAaaa);
    EXPECT_EQ(parsed->end, q.size());
}

TEST(DnsMessage, EveryTruncationOfAQueryIsRefused) {
    const auto q = query(kDnsTypeA);
    for (std::size_t n = 0; n < q.size(); ++n)
        EXPECT_FALSE(parseDnsQuery(std::span(q.data(), n))) << n << " bytes";
}

TEST(DnsMessage, RefusesWhatIsNotOneStandardQuestionOfClassIn) {
    auto response = query(kDnsTypeA);
    response[2] |= 0x80;
    EXPECT_FALSE(parseDnsQuery(response));
    auto notify = query(kDnsTypeA);
    notify[2] |= 4 << 3;
    EXPECT_FALSE(parseDnsQuery(notify));
    auto two = query(kDnsTypeA);
    two[5] = 2;
    EXPECT_FALSE(parseDnsQuery(two));
    auto chaos = query(kDnsTypeA);
    chaos.back() = 3;
    EXPECT_FALSE(parseDnsQuery(chaos));
    EXPECT_FALSE(parseDnsQuery(query(kDnsTypeA, {0xc0, 0x0c})));  // a compression pointer
    EXPECT_FALSE(parseDnsQuery(query(kDnsTypeA, {64})));          // a label longer than 63
    std::vector<std::uint8_t> longName;
    for (int i = 0; i < 5; ++i) {
        longName.push_back(60);
        longName.insert(longName.end(), 60, 'a');
    }
    longName.push_back(0);
    EXPECT_FALSE(parseDnsQuery(query(kDnsTypeA, longName)));  // 304 characters
    std::vector<std::uint8_t> huge = query(kDnsTypeA);
    huge.resize(kDnsMaxQuery + 1);
    EXPECT_FALSE(parseDnsQuery(huge));
}

TEST(DnsMessage, AnswersTheAddressesOfTheQuestionsTypeOnly) {
    const auto q = query(kDnsTypeA);
    const auto parsed = parseDnsQuery(q);
    ASSERT_TRUE(parsed);
    const std::vector<HostAddress> addresses{HostAddress("127.0.0.2"), HostAddress("::1"), HostAddress("127.0.0.3")};
    std::vector<std::uint8_t> expected{0x12, 0x34, 0x85, 0x80, 0, 1, 0, 2, 0, 0, 0, 0};
    expected.insert(expected.end(), q.begin() + 12, q.end());
    for (std::uint8_t last : {2, 3})
        expected.insert(expected.end(), {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 127, 0, 0, last});
    EXPECT_EQ(buildDnsAnswer(q, *parsed, DnsRcode::NoError, addresses), expected);

    const auto q6 = query(kDnsTypeAaaa);
    const auto six = buildDnsAnswer(q6, *parseDnsQuery(q6), DnsRcode::NoError, addresses);
    ASSERT_EQ(six.size(), q6.size() + 12 + 16);
    EXPECT_EQ(six[7], 1);                       // one answer
    EXPECT_EQ(six[q6.size() + 11], 16);         // rdlength (low byte)
    EXPECT_EQ(six.back(), 1);                   // ::1
}

TEST(DnsMessage, FailuresCarryTheirCodeAndNoAnswer) {
    const auto q = query(kDnsTypeA);
    const auto parsed = parseDnsQuery(q);
    ASSERT_TRUE(parsed);
    for (auto [rcode, low] : {std::pair{DnsRcode::NxDomain, 0x83}, std::pair{DnsRcode::ServFail, 0x82}}) {
        const auto a = buildDnsAnswer(q, *parsed, rcode, {HostAddress("127.0.0.2")});
        ASSERT_EQ(a.size(), q.size());
        EXPECT_EQ(a[3], low);
        EXPECT_EQ(a[7], 0);
    }
}

}  // namespace
}  // namespace simsock::scenario::detail
