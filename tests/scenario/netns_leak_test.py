#!/usr/bin/env python3
"""Runs fault scenarios on the epoll engine N times (each in a namespace of its own) and checks that nothing
is left behind in the root namespace: network namespaces, nft tables, ip rules, routes, processes (this
script is a child subreaper: an orphaned namespace child would become its child) and temp files.

usage: netns_leak_test.py SIMSOCK SCENARIOS_DIR [RUNS]"""
import ctypes, json, os, subprocess, sys, tempfile

PR_SET_CHILD_SUBREAPER = 36


def out(*argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def counts(tmp):
    return {
        "netns": out("ip", "netns", "list"),
        "nft tables": out("nft", "list", "tables"),
        "ip rules": out("ip", "rule", "list"),
        "ipv4 routes": out("ip", "route", "show", "table", "all"),
        "ipv6 routes": out("ip", "-6", "route", "show", "table", "all"),
        "temp files": "\n".join(sorted(os.listdir(tmp))),
        "mounts": out("cat", "/proc/self/mountinfo"),
    }


def fast_copy(src, dst):
    """The file on epoll alone, with a short runFor (room for the fault set-up, which runs on the real clock): the fault still decides the outcome."""
    with open(src) as f:
        s = json.load(f)
    s["engines"] = ["epoll"]
    s["runFor"] = "300ms"
    with open(dst, "w") as f:
        json.dump(s, f)


def main():
    simsock, scenarios = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    if os.geteuid() != 0:
        print("SKIP: needs root to create network namespaces")
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    with tempfile.TemporaryDirectory() as work, tempfile.TemporaryDirectory() as tmp:
        files = []
        # The DNS file adds the run's DNS server and the resolver files it bind-mounts (temp files unlinked).
        for name in ("faults/refuse_port", "faults/network_unreachable", "faults/address_in_use", "lookup/lookup_failure_fault"):
            files.append(os.path.join(work, name.replace("/", "_") + ".json"))
            fast_copy(os.path.join(scenarios, name + ".json"), files[-1])
        before = counts(tmp)
        env = dict(os.environ, TMPDIR=tmp)
        for i in range(runs):
            r = subprocess.run([simsock, "run", "--engine", "epoll", files[i % len(files)]], env=env,
                               capture_output=True, text=True, timeout=60)
            if "no network namespace" in r.stdout:
                print("SKIP: " + r.stdout.strip())
                return 0
            if r.returncode != 0:
                print(f"run {i} failed:\n{r.stdout}{r.stderr}")
                return 1
        after = counts(tmp)
        leaked = [k for k in before if before[k] != after[k]]
        for k in leaked:
            print(f"left behind: {k}:\n--- before\n{before[k]}\n--- after\n{after[k]}")
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                print("left behind: a process (an orphaned namespace child is still running)")
                leaked.append("process")
        except ChildProcessError:
            pass
        if leaked:
            return 1
        print(f"{runs} namespace runs: no netns, nft table, ip rule, route, mount, process or temp file left behind")
        return 0


if __name__ == "__main__":
    sys.exit(main())
