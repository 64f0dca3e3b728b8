// The invariants over RapidCheck-generated scenario models, run by the scenario runner. On failure the
// shrunk case is left as a scenario file (path printed; see scenario_property.h and README "Property tests").
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "scenario_property.h"
#include "simsock/scenario/loader.h"

namespace simsock::testing {
namespace {

RC_GTEST_PROP(ScenarioProperty, GeneratedScenariosKeepTheInvariants, ()) {
    const scenario::Scenario s = *scenarioModels();
    RC_CLASSIFY(!s.faults.empty(), "faults");
    scenarioInvariantsHold(s, counterexamplePath("scenario_property_counterexample"));
}

// A counterexample is only useful if the file is the case: writing and loading give back the same model.
RC_GTEST_PROP(ScenarioProperty, WrittenModelsLoadBackUnchanged, ()) {
    const scenario::Scenario s = *scenarioModels();
    const std::string text = scenario::writeScenario(s);
    const scenario::Scenario back = scenario::loadScenarioText("generated.json", text);
    RC_ASSERT(scenario::writeScenario(back) == text);
    RC_ASSERT(back.actions.size() == s.actions.size());
    RC_ASSERT(back.runForNs == s.runForNs);
}

}  // namespace
}  // namespace simsock::testing
