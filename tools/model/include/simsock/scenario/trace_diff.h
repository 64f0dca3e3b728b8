// Matching expected trace lines against recorded events, and a readable unified diff of the two.
#pragma once

#include <string>
#include <vector>

#include "simsock/scenario/model.h"
#include "simsock/trace.h"

namespace simsock::scenario {

/// Which optional parts an event is rendered with.
struct TraceShape {
    bool times = true;
    bool sockets = true;
};

/// `@10ms c: connectToHost{stateChanged(HostLookupState)}` with the parts shape asks for.
std::string renderEvent(const TraceEvent& e, TraceShape shape);
/// An expected line as its file wrote it.
std::string renderLine(const TraceLine& l);
/// The shape that shows what expected lines specify (times when any has a time, sockets likewise).
TraceShape shapeOf(const std::vector<TraceLine>& lines);
/// True when e is what l describes (l's time and socket only when given).
bool matches(const TraceLine& l, const TraceEvent& e);

/// The comparison of an exact expected trace with the events.
struct TraceComparison {
    bool equal = true;
    std::size_t firstDifference = 0;  ///< 1-based event index of the first difference
    std::string summary;              ///< `first difference at event N: expected "...", got "..."`
    std::string diff;                 ///< unified-diff style, first differing event marked
};
TraceComparison compareTrace(const std::vector<TraceLine>& expected, const std::vector<TraceEvent>& events);

/// Checks that expected occurs in order within events; an empty string or what is missing.
std::string checkSubsequence(const std::vector<TraceLine>& expected, const std::vector<TraceEvent>& events);

}  // namespace simsock::scenario
