#!/usr/bin/env python3
"""The trace viewer in a real browser: headless Chromium driven over its DevTools protocol on a pipe
(--remote-debugging-pipe), with the standard library only.

Pages are made by the simsock binary: a trace page of a shipped scenario, a report page of a failing
negative scenario, and a trace page of a generated run of over 10,000 events. Checks: no console errors
or exceptions, the exact numbers of events and packet arrows drawn for a known scenario, that filters
hide events, that search and keyboard navigation work, that a failure page marks and scrolls to its
first difference, and how fast the large page loads and pans. Screenshots go to --out.

Usage: browser_test.py --simsock BIN --source REPO --out DIR [--chromium PATH]
Prints one line per check and "N passed, N failed"; exits 1 on a failure.
"""
import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--remote-debugging-pipe"]


class Browser:
    """One headless Chromium, one page, commands and events over the DevTools pipe."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="simsock-chromium-")
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def wire_fds():  # the protocol's fixed descriptors: 3 reads commands, 4 writes answers
            r, w = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        # close_fds closes everything but 0-2 and pass_fds after wire_fds ran: keep 3 and 4.
        self.proc = subprocess.Popen([chromium] + CHROMIUM_FLAGS + ["--user-data-dir=" + self.profile, "about:blank"],
                                     pass_fds=(3, 4), preexec_fn=wire_fds,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.call(domain, session=True)

    def send(self, method, params=None, session=False):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        return self.next_id

    def read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_child], [], [], left)[0]:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=False, timeout=60):
        wanted = self.send(method, params, session if method.split(".")[0] != "Target" else False)
        deadline = time.monotonic() + timeout
        while True:
            m = self.read_message(deadline)
            if m.get("id") == wanted:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, name, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            for k, e in enumerate(self.events):
                if e["method"] == name:
                    return self.events.pop(k)
            self.events.append(self.read_message(deadline))

    def eval(self, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                      session=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def open(self, path, width=1400, height=900, viewer=True):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=True)
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        began = time.monotonic()
        self.call("Page.navigate", {"url": "file://" + os.path.abspath(path)}, session=True)
        self.wait_event("Page.loadEventFired")
        while viewer and not self.eval("document.body && document.body.getAttribute('data-ready') === '1'"):
            if time.monotonic() - began > 30:
                raise TimeoutError(path + ": the page never became ready")
            time.sleep(0.02)
        return time.monotonic() - began

    def errors(self):
        """Console errors and uncaught exceptions since the last call."""
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                out.append(p["exceptionDetails"].get("text", "") + " " +
                           str(p["exceptionDetails"].get("exception", {}).get("description", "")))
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif e["method"] == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append(p["entry"].get("text", ""))
        self.events = []
        return out

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=10)
        except Exception:  # a browser that does not close is ended
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_child)
        os.close(self.from_child)
        shutil.rmtree(self.profile, ignore_errors=True)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def expect(self, name, actual, expected):
        if actual == expected:
            self.passed += 1
            print(f"ok   {name}: {actual!r}")
        else:
            self.failed += 1
            print(f"FAIL {name}: expected {expected!r}, got {actual!r}")

    def expect_true(self, name, value, shown=""):
        self.expect(name + (f" ({shown})" if shown else ""), bool(value), True)


def simsock(args, binary, source):
    r = subprocess.run([binary] + args, cwd=source, capture_output=True, text=True, timeout=300)
    return r.returncode, r.stdout + r.stderr


def large_scenario(path, writes):
    """A run of well over 10,000 events: a socket writing to an echo peer every 100 us, reading each echo."""
    actions = [{"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.0.0.2", "port": 7}]
    for k in range(writes):
        actions.append({"at": f"{1000 + 100 * k}us", "socket": "c", "call": "write", "data": "ping"})
        actions.append({"at": f"{1050 + 100 * k}us", "socket": "c", "call": "readAll"})
    scenario = {"format": 1, "description": "Generated by browser_test.py: many small echoes, for the viewer's speed.",
                "seed": 1, "engines": ["sim"],
                "peers": [{"name": "echo", "kind": "tcp-server", "host": "server", "port": 7,
                           "script": [{"accept": True}, {"echo": True}]}],
                "sockets": [{"name": "c", "type": "tcp"}], "actions": actions, "runFor": f"{writes // 10 + 10}ms"}
    with open(path, "w") as f:
        json.dump(scenario, f)


def check_trace_page(b, c, args):
    page = os.path.join(args.out, "remote_close_with_data.html")
    rc, out = simsock(["trace", "scenarios/close/remote_close_with_data.json", "--format", "html", "-o", page],
                      args.simsock, args.source)
    c.expect("trace --format html exit code", rc, 0)
    b.open(page)
    c.expect("trace page: console errors", b.errors(), [])
    s = b.eval("simsockViewer.stats()")
    # 2 calls and 11 signals of c, 4 actions of srv (listen, accept, send, close), 8 network events (syn,
    # synack, accept, data, close, fin, close, fin); packets: SYN, SYN-ACK, data 4 B, FIN, FIN.
    c.expect("trace page: events drawn", s["drawnEvents"], 25)
    c.expect("trace page: call events", b.eval("[...document.querySelectorAll('.ev-call text')].map(t => t.textContent)"),
             ['connectToHost("10.0.0.2", 8080)', 'readAll() -> "bye!"'])
    c.expect("trace page: packet arrows drawn", s["drawnPackets"], 5)
    c.expect("trace page: arrowheads on arrows", b.eval("document.querySelectorAll('.pkt line.wire[marker-end]').length"), 5)
    c.expect("trace page: no raw nanoseconds in the text",
             b.eval("/\\b\\d{5,} ?ns\\b|arrives=\\d/.test(document.body.innerText)"), False)
    c.expect("trace page: time labels", b.eval("[...document.querySelectorAll('svg .time')].map(t => t.textContent)"),
             ["0 s", "50 us", "100 us", "150 us", "500 ms"])
    c.expect("trace page: the script's readable times are readable_time.cpp's",
             b.eval("[0, 1, 999, 1000, 100000, 1500000000, 20050000, 1234567, 1001, 1000000001, -2000000]"
                    ".map(simsockViewer.formatTime)"),
             ["0 s", "1 ns", "999 ns", "1 us", "100 us", "1.5 s", "20.05 ms", "1.234567 ms", "1.001 us", "1.000000001 s",
              "-2 ms"])
    c.expect("trace page: signals in a call / from the loop",
             b.eval("[document.querySelectorAll('.ev-signal.in-call').length, document.querySelectorAll('.ev-signal.from-loop').length]"),
             [3, 8])
    b.screenshot(os.path.join(args.out, "remote_close_with_data.png"))
    # Filters: a lifeline, then a kind of signal.
    b.eval("document.getElementById('filter-toggle').click()")
    b.eval("document.querySelector('input[data-lane=\"srv\"]').click()")
    c.expect("filter srv off: events drawn", b.eval("simsockViewer.stats().drawnEvents"), 21)
    b.eval("document.querySelector('input[data-key=\"signal:stateChanged\"]').click()")
    c.expect("filter stateChanged off too: events drawn", b.eval("simsockViewer.stats().drawnEvents"), 16)
    c.expect("filter: no stateChanged label left",
             b.eval("[...document.querySelectorAll('.ev text')].some(t => t.textContent.startsWith('stateChanged'))"), False)
    b.eval("document.querySelector('input[data-lane=\"srv\"]').click()")
    b.eval("document.querySelector('input[data-key=\"signal:stateChanged\"]').click()")
    c.expect("filters back on: events drawn", b.eval("simsockViewer.stats().drawnEvents"), 25)
    b.eval("document.getElementById('filter-toggle').click()")
    # Search, keyboard navigation, pinning.
    search = "(q => { const s = document.getElementById('search'); s.value = q; s.dispatchEvent(new Event('input')); })"
    b.eval(search + "('readyRead')")
    c.expect("search readyRead: matches", b.eval("simsockViewer.stats().matches"), 1)
    c.expect("search: matched label", b.eval("document.querySelector('.match text').textContent"), "readyRead(4) ConnectedState")
    b.eval(search + "('')")
    b.eval("document.body.focus()")
    for key in ("ArrowDown", "ArrowDown", "ArrowDown", "Enter"):
        b.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": key, "code": key,
                                          "windowsVirtualKeyCode": {"ArrowDown": 40, "Enter": 13}[key]}, session=True)
        b.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": key}, session=True)
    c.expect("keys: third event focused and pinned", b.eval("[simsockViewer.current().focus, simsockViewer.current().pinned]"), [2, 2])
    c.expect_true("keys: details show the pinned event", b.eval("document.querySelector('.details').innerText.includes('lifeline')"))
    c.expect("after interaction: console errors", b.errors(), [])


def check_report_page(b, c, args):
    report = os.path.join(args.out, "report")
    rc, out = simsock(["run", "--html-report", report, "scenarios/negative/wrong_trace.json",
                       "scenarios/faults/partition_duration.json"], args.simsock, args.source)
    c.expect("run --html-report exit code", rc, 0)
    b.open(os.path.join(report, "index.html"), viewer=False)
    c.expect("index: summary", b.eval("document.getElementById('summary').textContent"), "2 passed, 0 failed, 0 skipped")
    c.expect("index: statuses", b.eval("[...document.querySelectorAll('td:first-child')].map(t => t.textContent)"),
             ["pass (expected failure)", "pass"])
    c.expect("index: links", b.eval("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"),
             ["scenarios--negative--wrong_trace.json.html"])
    b.open(os.path.join(report, "scenarios--negative--wrong_trace.json.html"), 1400, 1000)
    c.expect("failure page: console errors", b.errors(), [])
    c.expect("failure page: status", b.eval("document.getElementById('status').textContent"), "expected failure")
    first = b.eval("(() => { const r = document.querySelector('tr.first-difference'); return r && r.innerText; })()")
    c.expect_true("failure page: first difference row marked", first and "connectToHost{hostFound()}" in first, repr(first))
    c.expect("failure page: summary", b.eval("document.querySelector('.summary').textContent"), "first difference at event 3")
    # expected 1 2 3 4 5 6 against actual 1 2 4 3 5 6 (1: the connectToHost call): 3 removed, 4 = actual 3,
    # actual 4 added.
    c.expect("failure page: rows", b.eval("[...document.querySelectorAll('table.diff tbody tr')].map(r => r.className)"),
             ["row-same", "row-same", "row-removed first-difference", "row-same", "row-added", "row-same", "row-same"])
    c.expect("failure page: pinned event is the actual event 3",
             b.eval("(t => t.run.events[t.pinned].text)(simsockViewer.current())"),
             "c: connectToHost{stateChanged(ConnectingState)} in ConnectingState")
    in_view = b.eval("""(() => { const r = document.querySelector('tr.first-difference').getBoundingClientRect();
                          const box = document.querySelector('.diff-scroll').getBoundingClientRect();
                          return r.top >= box.top && r.bottom <= box.bottom && r.top >= 0 && r.bottom <= innerHeight; })()""")
    c.expect("failure page: first difference scrolled into view", in_view, True)
    b.screenshot(os.path.join(args.out, "wrong_trace_failure.png"))


def check_partition_page(b, c, args):
    page = os.path.join(args.out, "partition_connect.html")
    rc, _ = simsock(["trace", "scenarios/faults/partition_connect.json", "--format", "html", "-o", page],
                    args.simsock, args.source)
    c.expect("partition page exit code", rc, 0)
    b.open(page)
    c.expect("partition page: console errors", b.errors(), [])
    s = b.eval("simsockViewer.stats()")
    c.expect("partition page: fault bands", s["bands"], 1)
    # Both SYNs (the first and the retry) are lost in the partition: arrows ending in a cross.
    c.expect("partition page: packet arrows, dropped", [s["drawnPackets"], s["droppedPackets"]], [2, 2])
    c.expect("partition page: crosses", b.eval("document.querySelectorAll('.pkt .cross').length"), 2)
    b.screenshot(os.path.join(args.out, "partition_connect.png"))


def check_large_page(b, c, args, writes=1800):
    scenario = os.path.join(args.out, "large_echo.json")
    large_scenario(scenario, writes)
    page = os.path.join(args.out, "large_echo.html")
    rc, out = simsock(["trace", scenario, "--format", "html", "-o", page], args.simsock, args.source)
    c.expect("large page exit code", rc, 0)
    seconds = b.open(page)
    c.expect("large page: console errors", b.errors(), [])
    s = b.eval("simsockViewer.stats()")
    c.expect_true("large page: at least 10,000 events", s["events"] >= 10000, str(s["events"]))
    ready_ms = b.eval("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    c.expect_true("large page: loads in under 2 s", seconds < 2.0, f"{seconds * 1000:.0f} ms to ready, DOMContentLoaded {ready_ms:.0f} ms")
    pan = b.eval("""new Promise(done => {
        const sc = simsockViewer.current().scroller, frames = [], steps = 120;
        let k = 0, last = performance.now();
        function frame(now) {
          frames.push(now - last); last = now;
          if (k++ === steps) { frames.shift(); frames.sort((a, b) => a - b);
            return done({mean: frames.reduce((a, b) => a + b, 0) / frames.length, p95: frames[Math.floor(frames.length * 0.95)],
                         max: frames[frames.length - 1], height: sc.scrollHeight}); }
          sc.scrollTop += sc.clientHeight / 3;
          requestAnimationFrame(frame);
        }
        requestAnimationFrame(frame);
      })""")
    # Frames come at the display rate (16.7 ms) when drawing keeps up; the bound leaves room for a busy CI machine.
    c.expect_true("large page: pans smoothly (mean frame under 50 ms)", pan["mean"] < 50,
                  f"mean {pan['mean']:.1f} ms, p95 {pan['p95']:.1f} ms, max {pan['max']:.1f} ms per frame over 120 scroll steps")
    b.eval("simsockViewer.current().zoomBy(4)")
    c.expect("large page: zoom keeps drawing", b.errors(), [])
    print(f"figure: {s['events']} events, {b.eval('simsockViewer.current().run.packets.length')} packets; "
          f"page ready in {seconds * 1000:.0f} ms; pan frames mean {pan['mean']:.1f} ms, p95 {pan['p95']:.1f} ms")
    b.screenshot(os.path.join(args.out, "large_echo.png"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--simsock", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--docs", help="also copy the three documented screenshots into this folder (docs/)")
    args = ap.parse_args()
    if not os.access(args.chromium, os.X_OK):
        print(f"FAIL {args.chromium} not found: tools/install-deps installs Debian's chromium")
        print("0 passed, 1 failed")
        return 1
    os.makedirs(args.out, exist_ok=True)
    c = Checks()
    b = Browser(args.chromium)
    try:
        for check in (check_trace_page, check_report_page, check_partition_page, check_large_page):
            try:
                check(b, c, args)
            except Exception as e:  # a check that cannot finish is a failure, and the others still run
                c.failed += 1
                print(f"FAIL {check.__name__}: {type(e).__name__}: {e}")
    finally:
        b.close()
    print(f"screenshots in {args.out}")
    if args.docs:
        for name in ("remote_close_with_data.png", "partition_connect.png", "wrong_trace_failure.png"):
            shutil.copy(os.path.join(args.out, name), os.path.join(args.docs, "viewer_" + name))
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
