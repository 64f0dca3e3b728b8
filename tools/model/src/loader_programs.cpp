// The `programs` section: the user's registered programs, their hosts, start times and parameters. Each
// program is constructed once here with its parameters, so that a missing, mistyped or unknown parameter
// is a load error rather than a surprise in the middle of a run.
#include <exception>

#include "loader_internal.h"
#include "simsock/scenario/program_params.h"

namespace simsock::scenario::detail {
namespace {

std::string registeredList() {
    std::string out;
    for (const auto& n : ProgramRegistry::instance().names()) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

std::string joined(const std::set<std::string, std::less<>>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

// Constructs the program once with its parameters; every problem is reported at the parameters.
void checkParams(const Node& entry, const ProgramSpec& spec, const ProgramFactory& factory, const std::string& file) {
    JsonProgramParams params(spec.params, spec.paramsPath, file);
    const Node object(spec.params, spec.paramsPath, file);
    try {
        std::unique_ptr<Program> made = factory(params);
        if (!made) entry.at("program").fail("program \"" + spec.program + "\" made nothing from these parameters");
    } catch (const ScenarioError&) {
        throw;
    } catch (const std::exception& e) {
        object.fail("program \"" + spec.program + "\" rejected its parameters: " + e.what());
    }
    std::string unread = params.firstUnread();
    if (!unread.empty())
        object.failAtKey(unread, "unknown parameter (program \"" + spec.program + "\" reads: " + joined(params.asked()) + ")");
}

}  // namespace

void loadPrograms(const Node& node, Scenario& s, const Declared& d) {
    for (const auto& e : node.elements()) {
        e.expectObject({"name", "program", "host", "params", "start"});
        ProgramSpec spec;
        spec.pos = e.pos();
        Node nameNode = e.at("name");
        spec.name = nameNode.name();
        if (spec.name.find('.') != std::string::npos) nameNode.fail("a program's name has no '.' (its sockets are <name>.<socket>)");
        for (const auto& other : s.programs)
            if (other.name == spec.name) nameNode.fail("program \"" + spec.name + "\" is declared twice");
        Node programNode = e.at("program");
        spec.program = programNode.name();
        const ProgramFactory* factory = ProgramRegistry::instance().find(spec.program);
        if (!factory) programNode.fail("no program named \"" + spec.program + "\" (registered: " + registeredList() + ")");
        if (auto h = e.get("host")) {
            spec.host = h->name();
            requireHost(*h, d, spec.host);
        } else {
            spec.host = s.network.hosts.front().name;
        }
        if (auto st = e.get("start")) spec.startNs = st->duration();
        spec.paramsPath = e.path() + ".params";
        if (auto p = e.get("params")) {
            p->expectObject();
            spec.params = p->value();
        } else {
            spec.params.kind = JsonValue::Kind::Object;
            spec.params.begin = e.pos();  // a required parameter is missing at the entry
        }
        s.programs.push_back(std::move(spec));
        checkParams(e, s.programs.back(), *factory, s.file);
    }
}

}  // namespace simsock::scenario::detail
