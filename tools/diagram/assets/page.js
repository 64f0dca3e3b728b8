// simsock trace viewer: the page around the timelines (viewer.js). A trace page is a header, the
// toolbar (search, filters, zoom) and the timeline. A report page adds the failures and each comparison
// side by side (expected beside actual, or the sim beside another engine), scrolled to its first
// difference, and a tab per run. window.simsockViewer lets tests read what is drawn.
"use strict";

(function () {
  var V = SimsockViewer, el = V.el, esc = V.esc;
  var started = performance.now();
  var data = JSON.parse(document.getElementById("simsock-data").textContent);
  var app = el("div", "app");
  document.body.appendChild(app);
  var timelines = [], current = 0, runBox, toolbar;

  function header() {
    var h = el("header", "page-head");
    var title = el("h1", "", data.title);
    if (data.status) {
      var badge = el("span", "status status-" + data.status.replace(/ /g, "-"), data.status);
      badge.id = "status";
      title.appendChild(badge);
    }
    h.appendChild(title);
    if (data.description) h.appendChild(el("p", "description", data.description));
    h.appendChild(legend());
    app.appendChild(h);
  }

  function legend() {
    var items = [["in-call", "signal emitted inside a public call"], ["from-loop", "signal from the event loop"],
                 ["call", "call made by the scenario"],
                 ["peer", "peer action"], ["net", "network event"], ["fault", "fault decision"],
                 ["wire", "packet (host to host)"], ["dropped", "dropped packet"], ["band", "fault in force"]];
    var box = el("div", "legend");
    var calls = data.runs.some(function (r) { return r.events.some(function (e) { return e.kind === "call"; }); });
    items.filter(function (it) { return it[0] !== "call" || calls; }).forEach(function (it) {
      var item = el("span", "legend-item");
      item.appendChild(el("span", "swatch sw-" + it[0]));
      item.appendChild(document.createTextNode(it[1]));
      box.appendChild(item);
    });
    box.appendChild(el("span", "keys", "keys: \u2191\u2193 or j/k events \u00b7 n/N matches \u00b7 Enter pin \u00b7 Esc unpin \u00b7 +/\u2212/0 zoom \u00b7 / search \u00b7 drag to pan, Ctrl+wheel to zoom"));
    return box;
  }

  function failures() {
    if (!data.failures.length) return;
    var box = el("section", "failures");
    box.id = "failures";
    box.appendChild(el("h2", "", data.status === "expected failure" ? "What this negative scenario catches" : "Failures"));
    var list = el("ul");
    data.failures.forEach(function (f) { list.appendChild(el("li", "", f)); });
    box.appendChild(list);
    app.appendChild(box);
  }

  // One comparison as a two-column table, rows aligned, the first difference marked and scrolled to.
  function comparison(c, index) {
    var box = el("section", "comparison");
    box.id = "comparison-" + index;
    var head = el("h2", "", c.title + " \u2014 ");
    head.appendChild(el("span", c.first ? "summary differs" : "summary same", c.summary));
    box.appendChild(head);
    var scroll = el("div", "diff-scroll");
    var table = el("table", "diff");
    table.innerHTML = "<thead><tr><th class=\"num\">#</th><th>" + esc(c.leftTitle) + "</th><th class=\"num\">#</th><th>" +
                      esc(c.rightTitle) + "</th></tr></thead>";
    var body = el("tbody");
    c.rows.forEach(function (r, k) {
      var tr = el("tr", "row-" + r[0] + (k === c.firstRow ? " first-difference" : ""));
      if (k === c.firstRow) tr.id = "first-difference-" + index;
      tr.innerHTML = "<td class=\"num\">" + (r[1] >= 0 ? r[1] + 1 : "") + "</td><td class=\"side left\">" +
                     (r[1] >= 0 ? esc(c.left[r[1]]) : "") + "</td><td class=\"num\">" + (r[2] >= 0 ? r[2] + 1 : "") +
                     "</td><td class=\"side right\">" + (r[2] >= 0 ? esc(c.right[r[2]]) : "") +
                     (k === c.firstRow ? "<span class=\"first-mark\">\u25C0 first difference</span>" : "") + "</td>";
      tr.onclick = function () { showComparedEvent(c, r); };
      body.appendChild(tr);
    });
    table.appendChild(body);
    scroll.appendChild(table);
    box.appendChild(scroll);
    app.appendChild(box);
    return scroll;
  }

  // The event a comparison row stands for, focused and pinned in its run's timeline.
  function showComparedEvent(c, r) {
    var run = r[2] >= 0 ? c.rightRun : c.leftRun, entry = r[2] >= 0 ? r[2] : r[1];
    var events = r[2] >= 0 ? c.rightEvents : c.leftEvents;
    if (run < 0 || !events || events[entry] === undefined || events[entry] < 0) return false;
    selectRun(run);
    timelines[run].pin(events[entry]);
    return true;
  }

  function selectRun(k) {
    current = k;
    timelines.forEach(function (t, i) { t.root.hidden = i !== k; });
    document.querySelectorAll(".run-tab").forEach(function (b, i) { b.classList.toggle("active", i === k); });
    buildFilters();
    timelines[k].draw(true);
    updateStatus();
  }

  function buildToolbar() {
    toolbar = el("div", "toolbar");
    var search = el("input", "search");
    search.type = "search";
    search.id = "search";
    search.placeholder = "search events (Enter: next match)";
    search.addEventListener("input", function () { timelines[current].setSearch(search.value); updateStatus(); });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { timelines[current].step(ev.shiftKey ? -1 : 1, timelines[current].matches); updateStatus(); }
      if (ev.key === "Escape") { search.blur(); timelines[current].root.focus(); }
    });
    toolbar.appendChild(search);
    [["\u2212", "zoom out (-)", function () { timelines[current].zoomBy(1 / 1.5); }],
     ["+", "zoom in (+)", function () { timelines[current].zoomBy(1.5); }],
     ["fit", "whole run (0)", function () { timelines[current].fit(); }]].forEach(function (b) {
      var button = el("button", "zoom", b[0]);
      button.title = b[1];
      button.onclick = function () { b[2](); updateStatus(); };
      toolbar.appendChild(button);
    });
    var filterButton = el("button", "filter-toggle", "filters \u25BE");
    filterButton.id = "filter-toggle";
    toolbar.appendChild(filterButton);
    var status = el("span", "status-line");
    status.id = "status-line";
    toolbar.appendChild(status);
    var filters = el("div", "filters");
    filters.id = "filters";
    filters.hidden = true;
    filterButton.onclick = function () { filters.hidden = !filters.hidden; };
    toolbar.appendChild(filters);
    document.addEventListener("keydown", function (ev) {
      if (ev.target.tagName === "INPUT") return;
      if (ev.key === "/") { ev.preventDefault(); search.focus(); return; }
      timelines[current].key(ev);
      updateStatus();
    });
    return toolbar;
  }

  function checkbox(label, checked, onChange, attrs) {
    var l = el("label", "check");
    var c = el("input");
    c.type = "checkbox";
    c.checked = checked;
    Object.keys(attrs).forEach(function (k) { c.setAttribute(k, attrs[k]); });
    c.onchange = function () { onChange(c.checked); updateStatus(); };
    l.appendChild(c);
    l.appendChild(document.createTextNode(" " + label));
    return l;
  }

  // Filters of the shown run: a box per lifeline, and one per kind of event (signal names, peer actions,
  // packet kinds, network events, faults) with how many there are.
  function buildFilters() {
    var box = document.getElementById("filters"), t = timelines[current];
    box.innerHTML = "";
    var lanes = el("div", "filter-group");
    lanes.appendChild(el("h3", "", "lifelines"));
    t.run.lanes.forEach(function (lane, i) {
      lanes.appendChild(checkbox(lane.name + " (" + lane.kind + ")", !t.hiddenLanes.has(i),
                                 function (on) { t.setLaneShown(i, on); }, {"data-lane": lane.name}));
    });
    var kinds = el("div", "filter-group");
    kinds.appendChild(el("h3", "", "events"));
    t.keyCounts().forEach(function (n, key) {
      kinds.appendChild(checkbox(key + " (" + n + ")", !t.hiddenKeys.has(key),
                                 function (on) { t.setKeyShown(key, on); }, {"data-key": key}));
    });
    box.appendChild(lanes);
    box.appendChild(kinds);
  }

  function updateStatus() {
    var t = timelines[current], s = t.stats();
    var text = s.shown + " of " + s.events + " events shown, " + t.run.packets.length + " packets";
    if (t.query) text += " \u00b7 " + s.matches + " match" + (s.matches === 1 ? "" : "es");
    text += " \u00b7 run " + V.formatTime(t.run.end) + " \u00b7 zoom \u00d7" + (t.scale / t.baseScale).toPrecision(3).replace(/\.?0+$/, "");
    document.getElementById("status-line").textContent = text;
  }

  function runs() {
    var section = el("section", "runs");
    if (data.runs.length > 1) {
      var tabs = el("div", "run-tabs");
      data.runs.forEach(function (r, k) {
        var b = el("button", "run-tab", r.engine);
        b.onclick = function () { selectRun(k); };
        tabs.appendChild(b);
      });
      section.appendChild(tabs);
    }
    section.appendChild(buildToolbar());
    runBox = el("div", "run-box");
    section.appendChild(runBox);
    app.appendChild(section);
    var options = {onFilter: buildFilters, onZoom: updateStatus, onFocus: updateStatus};
    data.runs.forEach(function (r) { timelines.push(new V.Timeline(runBox, r, options)); });
  }

  header();
  failures();
  var scrollers = data.comparisons.map(comparison);
  if (data.runs.length) {
    runs();
    selectRun(0);
  }
  // A report opens at the first difference: its row in view and its event pinned in the timeline.
  var firstWith = data.comparisons.findIndex(function (c) { return c.firstRow >= 0; });
  if (firstWith >= 0) {
    var c = data.comparisons[firstWith], row = document.getElementById("first-difference-" + firstWith);
    scrollers[firstWith].scrollTop = row.offsetTop - scrollers[firstWith].clientHeight / 3;
    // The actual event at the first difference ("got ..." of the summary), else the row's own.
    var row0 = c.rows[c.firstRow], at = c.first - 1;
    var shown = c.rightRun >= 0 && at < c.right.length && showComparedEvent(c, ["added", -1, at]);
    if (!shown) showComparedEvent(c, row0);
    document.getElementById("comparison-" + firstWith).scrollIntoView({block: "nearest"});
  } else if (timelines.length) {
    timelines[0].root.focus({preventScroll: true});
  }
  window.simsockViewer = {
    data: data,
    timelines: timelines,
    loadMs: performance.now() - started,
    stats: function () { return timelines[current].stats(); },
    formatTime: V.formatTime,
    current: function () { return timelines[current]; }
  };
  document.body.setAttribute("data-ready", "1");
})();
