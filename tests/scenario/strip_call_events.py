#!/usr/bin/env python3
"""Drops the call events from a `simsock run --trace` JSON Lines file, keeping every other line byte for byte.

A call event is a line with a "call" key and no "signal" key (TraceEvent::toJson); signal lines and the
network's log lines pass through unchanged. Usage: strip_call_events.py IN [OUT] (OUT: standard output).
With --compare BASELINE, exits 0 when the stripped trace equals BASELINE byte for byte, else 1 and names
the first differing line. Lines of scenario files the baseline does not have (files added since) are set
aside first and counted.
"""
import json
import sys


def strip(lines):
    for line in lines:
        event = json.loads(line)
        if "call" in event and "signal" not in event:
            continue
        yield line


def main(argv):
    compare = None
    if "--compare" in argv:
        i = argv.index("--compare")
        compare = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    with open(argv[1], "rb") as f:
        kept = list(strip(f.read().decode("utf-8").splitlines(keepends=True)))
    if compare is None:
        out = open(argv[2], "w", encoding="utf-8", newline="") if len(argv) > 2 else sys.stdout
        out.writelines(kept)
        return 0
    with open(compare, "rb") as f:
        want = f.read().decode("utf-8").splitlines(keepends=True)
    known = {json.loads(line)["scenario"] for line in want}
    added = {json.loads(line)["scenario"] for line in kept} - known
    kept = [line for line in kept if json.loads(line)["scenario"] in known]
    if added:
        print(f"set aside: {len(added)} scenario files the baseline does not have")
    for n, (a, b) in enumerate(zip(kept, want), 1):
        if a != b:
            print(f"differ at line {n} of the stripped trace:\n- {b}+ {a}", end="")
            return 1
    if len(kept) != len(want):
        print(f"differ in length: {len(kept)} lines stripped, {len(want)} in {compare}")
        return 1
    print(f"identical: {len(kept)} lines ({compare})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
