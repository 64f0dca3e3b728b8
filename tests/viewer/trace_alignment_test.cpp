#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simsock/scenario/trace_alignment.h"

namespace simsock::scenario {
namespace {

using Tag = AlignedRow::Tag;
using Rows = std::vector<std::tuple<Tag, int, int>>;

Rows rowsOf(const Alignment& a) {
    Rows out;
    for (const auto& r : a.rows) out.emplace_back(r.tag, r.left, r.right);
    return out;
}

Alignment align(const std::vector<std::string>& l, const std::vector<std::string>& r) {
    return alignSequences(l.size(), r.size(), [&](std::size_t i, std::size_t j) { return l[i] == r[j]; });
}

TEST(TraceAlignmentTest, EqualSequencesHaveNoDifference) {
    const Alignment a = align({"a", "b"}, {"a", "b"});
    EXPECT_EQ(rowsOf(a), (Rows{{Tag::Same, 0, 0}, {Tag::Same, 1, 1}}));
    EXPECT_EQ(a.firstDifference, 0u);
    EXPECT_EQ(a.firstDifferenceRow, -1);
}

TEST(TraceAlignmentTest, SwappedEventsAsTheTraceDiffShowsThem) {
    // negative/wrong_trace: hostFound expected before Connecting.
    const Alignment a = align({"lookup", "found", "connecting", "connected"}, {"lookup", "connecting", "found", "connected"});
    EXPECT_EQ(rowsOf(a), (Rows{{Tag::Same, 0, 0}, {Tag::Removed, 1, -1}, {Tag::Same, 2, 1}, {Tag::Added, -1, 2},
                               {Tag::Same, 3, 3}}));
    EXPECT_EQ(a.firstDifference, 2u);
    EXPECT_EQ(a.firstDifferenceRow, 1);
}

TEST(TraceAlignmentTest, ARemovalFollowedByAnAdditionIsAChange) {
    const Alignment a = align({"a", "x", "y", "c"}, {"a", "z", "c"});
    EXPECT_EQ(rowsOf(a), (Rows{{Tag::Same, 0, 0}, {Tag::Changed, 1, 1}, {Tag::Removed, 2, -1}, {Tag::Same, 3, 2}}));
    EXPECT_EQ(a.firstDifference, 2u);
}

TEST(TraceAlignmentTest, MissingAndExtraEnds) {
    EXPECT_EQ(rowsOf(align({"a", "b"}, {"a"})), (Rows{{Tag::Same, 0, 0}, {Tag::Removed, 1, -1}}));
    const Alignment extra = align({"a"}, {"a", "b", "c"});
    EXPECT_EQ(rowsOf(extra), (Rows{{Tag::Same, 0, 0}, {Tag::Added, -1, 1}, {Tag::Added, -1, 2}}));
    EXPECT_EQ(extra.firstDifference, 2u);
    EXPECT_EQ(align({}, {}).rows.size(), 0u);
}

TEST(TraceAlignmentTest, HugeSequencesPairByPosition) {
    std::vector<std::string> l(3000, "e"), r(3000, "e");
    r[1500] = "other";
    const Alignment a = align(l, r);  // 9 million cells: over the bound
    ASSERT_EQ(a.rows.size(), 3000u);
    EXPECT_EQ(a.firstDifference, 1501u);
    EXPECT_EQ(a.rows[1500].tag, Tag::Changed);
    EXPECT_EQ(a.rows[1500].left, 1500);
    EXPECT_EQ(a.rows[1500].right, 1500);
}

TEST(TraceAlignmentTest, SubsequenceFoundInOrder) {
    const std::vector<std::string> want{"b", "d"}, got{"a", "b", "c", "d", "e"};
    const Alignment a = alignSubsequence(2, 5, [&](std::size_t i, std::size_t j) { return want[i] == got[j]; });
    EXPECT_EQ(rowsOf(a), (Rows{{Tag::Same, -1, 0}, {Tag::Same, 0, 1}, {Tag::Same, -1, 2}, {Tag::Same, 1, 3},
                               {Tag::Same, -1, 4}}));
    EXPECT_EQ(a.firstDifference, 0u);
}

TEST(TraceAlignmentTest, SubsequenceEntryMissing) {
    const std::vector<std::string> want{"b", "x", "d"}, got{"a", "b", "c", "d"};
    const Alignment a = alignSubsequence(3, 4, [&](std::size_t i, std::size_t j) { return want[i] == got[j]; });
    EXPECT_EQ(rowsOf(a), (Rows{{Tag::Same, -1, 0}, {Tag::Same, 0, 1}, {Tag::Removed, 1, -1}, {Tag::Same, -1, 2},
                               {Tag::Same, -1, 3}}));
    EXPECT_EQ(a.firstDifference, 2u);  // as checkSubsequence: "entry 2 ... not found"
    EXPECT_EQ(a.firstDifferenceRow, 2);
}

}  // namespace
}  // namespace simsock::scenario
