// Each hand-broken scenario file must be rejected by the real `simsock validate` with exit code 2 and
// exactly one diagnostic line: `file:line:column: JSON path: message`.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

struct Broken {
    const char* file;
    const char* diagnostic;  // everything after the file name
};

constexpr std::array<Broken, 31> kBroken{{
    {"action_after_end.json", ":6:22: $.actions[0].at: is after the end of the run (runFor)"},
    {"application_proxy_bad_type.json",
     ":4:32: $.applicationProxy.type: unknown value \"Socks4Proxy\" (expected one of: DefaultProxy, Socks5Proxy, "
     "NoProxy, HttpProxy, HttpCachingProxy, FtpCachingProxy)"},
    {"comment.json", ":4:3: $: expected a key string, got '/' (comments are not allowed in JSON)"},
    {"dangling_socket.json", ":9:29: $.actions[2].socket: no socket named \"cli\""},
    {"duplicate_key.json", ":5:3: $: duplicate key \"runFor\""},
    {"duration_without_unit.json", ":4:13: $.runFor: duration \"10\" needs a unit: ns, us, ms or s (e.g. \"10ms\")"},
    {"engines_not_array.json", ":3:14: $.engines: expected an array, got string"},
    {"fault_unknown_host.json", ":5:46: $.faults[0].host: no host named \"srv\""},
    {"format_as_string.json", ":2:13: $.format: expected an integer, got string"},
    {"loss_above_one.json", ":6:57: $.network.links[0].loss: 1.5 is out of range [0, 1]"},
    {"missing_colon.json", ":4:12: $: expected ':' after key, got '\"'"},
    {"missing_run_for.json", ":1:1: $: missing required field \"runFor\""},
    {"negative_latency.json", ":6:60: $.network.links[0].latency: negative duration \"-1ms\""},
    {"on_proxy_auth_empty.json",
     ":4:59: $.sockets[0].onProxyAuth: give a user or a password (leave onProxyAuth out to answer nothing)"},
    {"port_too_large.json", ":7:85: $.actions[0].port: 70000 is out of range [0, 65535]"},
    {"proxy_bound_on_http.json", ":4:91: $.peers[0].bound: \"bound\" (BND.ADDR, BND.PORT) is for socks5-proxy peers"},
    {"proxy_fault_code_missing.json", ":4:93: $.peers[0].fault: missing required field \"code\""},
    {"proxy_fault_wrong_kind.json",
     ":4:102: $.peers[0].fault.kind: unknown value \"status\" (expected one of: close-on-accept, close-after-greeting, "
     "close-after-request, garbage, never-answer, reply-code, unoffered-method, no-acceptable-method, reject-auth)"},
    {"proxy_peer_with_script.json",
     ":4:84: $.peers[0].script: unknown field (allowed: name, kind, host, port, address, auth, bound, fault, split, "
     "realServer)"},
    {"proxy_unknown_capability.json",
     ":5:94: $.sockets[0].proxy.capabilities[1]: unknown value \"Tunneling\" (expected one of: TunnelingCapability, "
     "ListeningCapability, UdpTunnelingCapability, CachingCapability, HostNameLookupCapability, "
     "SctpTunnelingCapability, SctpListeningCapability)"},
    {"returns_unknown_id.json", ":7:34: $.expect.returns.x: no action with id \"x\""},
    {"trace_unknown_state.json", ":7:66: $.expect.trace[1]: unknown state \"ConnectedStat\""},
    {"trailing_comma.json", ":5:1: $: trailing comma in object"},
    {"udp_call_on_tcp.json", ":6:52: $.actions[0].call: readDatagram needs a udp socket; \"c\" is tcp"},
    {"unknown_action_key.json", ":6:93: $.actions[0].timeout: field does not apply to connectToHost"},
    {"unknown_engine.json", ":3:22: $.engines[1]: unknown value \"kqueue\" (expected one of: epoll, sim)"},
    {"unknown_error_name.json", ":6:41: $.expect.sockets.c.error: unknown error \"RefusedError\""},
    {"unknown_signal.json", ":7:38: $.actions[0].on.signal: unknown signal \"connect\""},
    {"unknown_top_key.json",
     ":5:3: $.expekt: unknown field (allowed: format, description, seed, dispatch, engines, network, peers, faults, "
     "sockets, servers, actions, programs, applicationProxy, runFor, expect, expectFailure)"},
    {"unterminated_string.json", ":4:13: $: unterminated string (a line break before the closing quote)"},
    {"wrong_step_kind.json", ":7:45: $.peers[0].script[1].reset: expected a boolean, got number"},
}};

struct Outcome {
    int exitCode = -1;
    std::string output;
};

Outcome runSimsock(const std::string& args) {
    Outcome o;
    std::string cmd = std::string("\"") + SIMSOCK_BIN + "\" " + args + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return o;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), buf.size(), pipe)) o.output += buf.data();
    int status = pclose(pipe);
    o.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

class BrokenFile : public ::testing::TestWithParam<Broken> {};

TEST_P(BrokenFile, ValidateGivesOneExactDiagnosticAndExitCode2) {
    std::string path = std::string(SIMSOCK_BROKEN_DIR) + "/" + GetParam().file;
    Outcome o = runSimsock("validate \"" + path + "\"");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_EQ(o.output, path + GetParam().diagnostic + "\n");
}

TEST_P(BrokenFile, RunAlsoExitsWith2) {
    std::string path = std::string(SIMSOCK_BROKEN_DIR) + "/" + GetParam().file;
    Outcome o = runSimsock("run \"" + path + "\"");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.output.find("ERROR " + path + GetParam().diagnostic + "\n"), std::string::npos) << o.output;
    EXPECT_NE(o.output.find("0 passed, 1 failed\n"), std::string::npos) << o.output;
}

INSTANTIATE_TEST_SUITE_P(All, BrokenFile, ::testing::ValuesIn(kBroken), [](const auto& info) {
    std::string name = info.param.file;
    name = name.substr(0, name.find('.'));
    return name;
});

TEST(Cli, MissingPathIsBadInput) {
    Outcome o = runSimsock("run /nonexistent/dir");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.output.find("0 passed, 1 failed"), std::string::npos);
}

TEST(Cli, HelpWorksForEverySubcommand) {
    for (const char* sub : {"", "run ", "record ", "trace ", "validate "}) {
        Outcome o = runSimsock(std::string(sub) + "--help");
        EXPECT_EQ(o.exitCode, 0) << sub;
        EXPECT_NE(o.output.find("Usage"), std::string::npos) << sub;
    }
}

}  // namespace
