// Inputs that reach a finding another change is already fixing (issue 12, branch reliability-fixes): the
// fuzz targets skip them instead of reporting the same finding again. Each entry names its finding and
// has its reproducer under regressions/; when the fix lands, delete the entry and the reproducer guards it.
#pragma once

#include <string_view>

namespace simsock::fuzz {

/// The finding text reaches (e.g. "finding 7: duration fraction overflow"), or empty when none.
std::string_view knownFinding(std::string_view text);

}  // namespace simsock::fuzz
