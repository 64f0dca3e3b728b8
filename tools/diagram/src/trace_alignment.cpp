#include "simsock/scenario/trace_alignment.h"

#include <algorithm>
#include <cstdint>

namespace simsock::scenario {
namespace {

// The same bound as the text diffs: beyond it, position by position.
constexpr std::size_t kMaxAlignmentCells = 4'000'000;

using RowTag = AlignedRow::Tag;

std::vector<AlignedRow> alignPositionally(std::size_t n, std::size_t m, const std::function<bool(std::size_t, std::size_t)>& same) {
    std::vector<AlignedRow> out;
    for (std::size_t i = 0; i < std::max(n, m); ++i) {
        const int l = i < n ? static_cast<int>(i) : -1, r = i < m ? static_cast<int>(i) : -1;
        if (l >= 0 && r >= 0 && same(i, i)) {
            out.push_back({RowTag::Same, l, r});
            continue;
        }
        if (l >= 0) out.push_back({RowTag::Removed, l, -1});
        if (r >= 0) out.push_back({RowTag::Added, -1, r});
    }
    return out;
}

std::vector<AlignedRow> alignByLcs(std::size_t n, std::size_t m, const std::function<bool(std::size_t, std::size_t)>& same) {
    // len[i][j]: the longest common subsequence of left[i..] and right[j..].
    std::vector<std::vector<std::uint32_t>> len(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            len[i][j] = same(i, j) ? len[i + 1][j + 1] + 1 : std::max(len[i + 1][j], len[i][j + 1]);
    std::vector<AlignedRow> out;
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && same(i, j)) {
            out.push_back({RowTag::Same, static_cast<int>(i++), static_cast<int>(j++)});
        } else if (i < n && (j == m || len[i + 1][j] >= len[i][j + 1])) {
            out.push_back({RowTag::Removed, static_cast<int>(i++), -1});
        } else {
            out.push_back({RowTag::Added, -1, static_cast<int>(j++)});
        }
    }
    return out;
}

// A run of removals followed by a run of additions becomes changed rows, pairwise, then the rest.
std::vector<AlignedRow> pairChanges(const std::vector<AlignedRow>& rows) {
    std::vector<AlignedRow> out;
    std::size_t k = 0;
    while (k < rows.size()) {
        if (rows[k].tag != RowTag::Removed) {
            out.push_back(rows[k++]);
            continue;
        }
        std::size_t removedEnd = k;
        while (removedEnd < rows.size() && rows[removedEnd].tag == RowTag::Removed) ++removedEnd;
        std::size_t addedEnd = removedEnd;
        while (addedEnd < rows.size() && rows[addedEnd].tag == RowTag::Added) ++addedEnd;
        const std::size_t pairs = std::min(removedEnd - k, addedEnd - removedEnd);
        for (std::size_t p = 0; p < pairs; ++p) out.push_back({RowTag::Changed, rows[k + p].left, rows[removedEnd + p].right});
        for (std::size_t p = k + pairs; p < removedEnd; ++p) out.push_back(rows[p]);
        for (std::size_t p = removedEnd + pairs; p < addedEnd; ++p) out.push_back(rows[p]);
        k = addedEnd;
    }
    return out;
}

void markFirstDifference(Alignment& a) {
    for (std::size_t r = 0; r < a.rows.size(); ++r) {
        if (a.rows[r].tag == RowTag::Same) continue;
        a.firstDifferenceRow = static_cast<int>(r);
        a.firstDifference = r + 1;
        return;
    }
}

}  // namespace

Alignment alignSequences(std::size_t leftSize, std::size_t rightSize,
                         const std::function<bool(std::size_t, std::size_t)>& same) {
    Alignment a;
    const bool small = (leftSize + 1) * (rightSize + 1) <= kMaxAlignmentCells;
    a.rows = pairChanges(small ? alignByLcs(leftSize, rightSize, same) : alignPositionally(leftSize, rightSize, same));
    markFirstDifference(a);
    return a;
}

Alignment alignSubsequence(std::size_t expectedSize, std::size_t actualSize,
                           const std::function<bool(std::size_t, std::size_t)>& matches) {
    Alignment a;
    std::size_t j = 0;
    for (std::size_t i = 0; i < expectedSize; ++i) {
        std::size_t k = j;
        while (k < actualSize && !matches(i, k)) ++k;
        if (k == actualSize) {
            a.firstDifferenceRow = static_cast<int>(a.rows.size());
            a.firstDifference = i + 1;
            a.rows.push_back({RowTag::Removed, static_cast<int>(i), -1});
            for (; j < actualSize; ++j) a.rows.push_back({RowTag::Same, -1, static_cast<int>(j)});
            return a;
        }
        for (; j < k; ++j) a.rows.push_back({RowTag::Same, -1, static_cast<int>(j)});
        a.rows.push_back({RowTag::Same, static_cast<int>(i), static_cast<int>(k)});
        j = k + 1;
    }
    for (; j < actualSize; ++j) a.rows.push_back({RowTag::Same, -1, static_cast<int>(j)});
    return a;
}

}  // namespace simsock::scenario
