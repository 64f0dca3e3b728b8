// Two sequences of events side by side, for the failure pages: what was expected beside what happened,
// or the sim's trace beside another engine's. Rows pair equal entries (a longest common subsequence,
// deletions first at a tie, as the text diffs of trace_diff.h and engine comparison print them); a
// removed entry followed by an added one shares a row as a change.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace simsock::scenario {

struct AlignedRow {
    enum class Tag { Same, Changed, Removed, Added };
    Tag tag = Tag::Same;
    int left = -1;   ///< index into the left sequence, or -1
    int right = -1;  ///< index into the right sequence, or -1
};

struct Alignment {
    std::vector<AlignedRow> rows;
    /// 1-based index of the first event where the two differ (both sequences agree before it), 0 if equal:
    /// the number compareTrace and compareEngineTraces report.
    std::size_t firstDifference = 0;
    int firstDifferenceRow = -1;  ///< the row of that difference, or -1
};

/// leftSize entries against rightSize entries, same(i, j) telling whether left i and right j are equal.
/// Above a bound on the work (as the text diffs have) the rows pair entries position by position.
Alignment alignSequences(std::size_t leftSize, std::size_t rightSize,
                         const std::function<bool(std::size_t, std::size_t)>& same);

/// Expected entries that must occur in order within the actual ones (an expect.subsequence): each
/// expected entry on the row of the first actual entry it matches after the previous one, actual
/// entries between them alone on theirs (as Same rows with no left), and the first expected entry found
/// nowhere after them a Removed row, the first difference.
Alignment alignSubsequence(std::size_t expectedSize, std::size_t actualSize,
                           const std::function<bool(std::size_t, std::size_t)>& matches);

}  // namespace simsock::scenario
