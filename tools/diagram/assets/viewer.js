// simsock trace viewer: the timeline of one run. Hand-written, no dependencies; page.js builds the page
// around it. The page's data (viewer_json.cpp) is one JSON object in #simsock-data:
//   {title, description, status, failures: [text], comparisons: [...], runs: [run]}
// A run: {engine, end (ns), lanes: [{name, kind: host|socket|server|peer|network, host}],
//   events: [{t (ns), lane, kind: signal|call|peer|net|fault, name, label, text, state?, call?, trace?, packet?}],
//   packets: [{event, kind, from (lane), to (lane), bytes, sent, arrival (-1: never), lost (-1: not),
//              retransmit (ns, 0: none)}],
//   bands: [{label, from, to (-1: to the end), lanes: [lane]}]}
// Time runs downwards. Events at one instant get a row each; the gaps between instants are drawn in
// proportion to the time that passes (zoom scales them), and a gap too long for the screen is drawn
// shortened with a break mark that says how long it is.
"use strict";

var SimsockViewer = (function () {
  var ROW = 20, TOP = 12, LEFT = 96, LANE_W = 210, MIN_GAP = 6, BASE_MAX_GAP = 120;
  var MAX_DRAWN = 1500;  // above this many events only what is near the screen is drawn
  var SVG_NS = "http://www.w3.org/2000/svg";

  // Nanoseconds as a person reads them, exactly as readable_time.cpp: "0 s", "123 ns", "100 us", "1.5 s".
  function formatTime(ns) {
    if (ns === 0) return "0 s";
    var sign = ns < 0 ? "-" : "", m = Math.abs(ns);
    var units = [["s", 1e9, 9], ["ms", 1e6, 6], ["us", 1e3, 3], ["ns", 1, 0]];
    for (var i = 0; i < units.length; i++) {
      var u = units[i];
      if (m < u[1] && u[1] !== 1) continue;
      var whole = Math.floor(m / u[1]), rest = m - whole * u[1];
      var text = sign + whole;
      if (rest !== 0) text += "." + String(rest).padStart(u[2], "0").replace(/0+$/, "");
      return text + " " + u[0];
    }
    return sign + m + " ns";
  }

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // What the filter calls an event: "signal:readyRead", "peer:send", "packet:data", "net:accept", "fault".
  function filterKey(run, e) {
    if (e.packet !== undefined) return "packet:" + run.packets[e.packet].kind;
    if (e.kind === "fault") return "fault";
    return e.kind + ":" + e.name;
  }

  function packetLabel(p) {
    var names = {syn: "SYN", synack: "SYN-ACK", fin: "FIN", rst: "RST", udp: "UDP", "icmp-unreach": "ICMP unreachable"};
    return (names[p.kind] || p.kind) + (p.bytes ? " " + p.bytes + " B" : "");
  }

  function Timeline(container, run, options) {
    this.run = run;
    this.options = options || {};
    this.hiddenLanes = new Set();
    this.hiddenKeys = new Set();
    this.query = "";
    this.matches = [];
    this.focus = -1;
    this.pinned = -1;
    this.keys = run.events.map(function (e) { return filterKey(run, e); });
    this.build(container);
    this.scale = this.initialScale();
    this.baseScale = this.scale;
    this.relayout();
  }

  Timeline.prototype.build = function (container) {
    var self = this;
    this.root = el("div", "timeline");
    this.root.tabIndex = 0;
    this.header = el("div", "lanes-head");
    this.scroller = el("div", "scroller");
    this.svg = document.createElementNS(SVG_NS, "svg");
    this.svg.setAttribute("class", "chart");
    this.scroller.appendChild(this.svg);
    this.tooltip = el("div", "tooltip");
    this.tooltip.hidden = true;
    this.details = el("div", "details");
    this.details.hidden = true;
    this.root.appendChild(this.header);
    this.root.appendChild(this.scroller);
    this.root.appendChild(this.tooltip);
    this.root.appendChild(this.details);
    container.appendChild(this.root);
    this.scroller.addEventListener("scroll", function () {
      self.header.scrollLeft = self.scroller.scrollLeft;
      self.scheduleDraw(false);
    });
    this.svg.addEventListener("mousemove", function (ev) { self.hover(ev); });
    this.svg.addEventListener("mouseleave", function () { self.tooltip.hidden = true; });
    this.svg.addEventListener("click", function (ev) {
      if (self.dragged) return;
      var i = self.eventAt(ev.target);
      if (i >= 0) self.pin(self.pinned === i ? -1 : i, true);
    });
    this.scroller.addEventListener("wheel", function (ev) {
      if (!ev.ctrlKey && !ev.metaKey) return;
      ev.preventDefault();
      self.zoomBy(ev.deltaY < 0 ? 1.25 : 0.8, ev.clientY);
    }, {passive: false});
    this.enableDrag();
  };

  // Dragging the chart pans it (both axes); a click that did not move pins.
  Timeline.prototype.enableDrag = function () {
    var self = this, start = null;
    this.scroller.addEventListener("mousedown", function (ev) {
      if (ev.button !== 0) return;
      start = {x: ev.clientX, y: ev.clientY, left: self.scroller.scrollLeft, top: self.scroller.scrollTop};
      self.dragged = false;
    });
    window.addEventListener("mousemove", function (ev) {
      if (!start) return;
      var dx = ev.clientX - start.x, dy = ev.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) self.dragged = true;
      if (!self.dragged) return;
      self.scroller.scrollLeft = start.left - dx;
      self.scroller.scrollTop = start.top - dy;
      self.scroller.classList.add("panning");
    });
    window.addEventListener("mouseup", function () {
      start = null;
      self.scroller.classList.remove("panning");
      setTimeout(function () { self.dragged = false; }, 0);
    });
  };

  // The zoom at which a typical gap between instants (the quarter-shortest) is two rows high.
  Timeline.prototype.initialScale = function () {
    var times = Array.from(new Set(this.run.events.map(function (e) { return e.t; }))).sort(function (a, b) { return a - b; });
    var gaps = [];
    for (var i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
    if (!gaps.length) return 1e-3;
    gaps.sort(function (a, b) { return a - b; });
    return (2 * ROW) / gaps[Math.floor(gaps.length / 4)];
  };

  Timeline.prototype.visible = function (i) {
    var e = this.run.events[i];
    return !this.hiddenLanes.has(e.lane) && !this.hiddenKeys.has(this.keys[i]);
  };

  // Rows and gaps for the shown events at the current zoom.
  Timeline.prototype.relayout = function () {
    var run = this.run, self = this;
    this.shown = [];
    for (var i = 0; i < run.events.length; i++) if (this.visible(i)) this.shown.push(i);
    var instants = new Map();
    function note(t) { if (t >= 0 && !instants.has(t)) instants.set(t, 0); }
    this.shown.forEach(function (i) {
      var e = run.events[i];
      instants.set(e.t, (instants.get(e.t) || 0) + 1);
      if (e.packet !== undefined) {
        var p = run.packets[e.packet];
        note(p.arrival); note(p.lost);
        if (p.retransmit > 0) note(p.sent + p.retransmit);
      }
    });
    run.bands.forEach(function (b) { note(b.from); note(b.to); });
    var times = Array.from(instants.keys()).sort(function (a, b) { return a - b; });
    var maxGap = BASE_MAX_GAP * Math.max(1, this.scale / this.baseScale);
    var y = TOP;
    this.instants = times.map(function (t, k) {
      var at = {t: t, y: y, rows: instants.get(t), gap: 0, broken: false};
      y += Math.max(at.rows, k === 0 ? 1 : 0) * ROW;
      if (k + 1 < times.length) {
        var natural = (times[k + 1] - t) * self.scale;
        at.gap = Math.max(MIN_GAP, Math.min(natural, maxGap));
        at.broken = natural > maxGap;
        y += at.gap;
      }
      return at;
    });
    this.rowY = new Map();
    var cursor = new Map();
    this.instantIndex = new Map(times.map(function (t, k) { return [t, k]; }));
    this.shown.forEach(function (i) {
      var e = run.events[i], at = self.instants[self.instantIndex.get(e.t)];
      var n = cursor.get(e.t) || 0;
      cursor.set(e.t, n + 1);
      self.rowY.set(i, at.y + n * ROW + ROW / 2);
    });
    this.height = y + ROW * 2;
    this.width = LEFT + run.lanes.length * LANE_W + 120;
    this.svg.setAttribute("width", this.width);
    this.svg.setAttribute("height", this.height);
    this.drawHeader();
    this.drawnRange = null;
    this.draw(true);
  };

  // Where time t is drawn: the top of its instant, or within the gap it falls in.
  Timeline.prototype.yOf = function (t) {
    var list = this.instants;
    if (!list.length) return TOP;
    if (t <= list[0].t) return list[0].y;
    var lo = 0, hi = list.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (list[mid].t <= t) lo = mid; else hi = mid - 1;
    }
    var at = list[lo];
    if (at.t === t || lo + 1 >= list.length) return at.t === t ? at.y : at.y + at.rows * ROW + ROW;
    var next = list[lo + 1], start = at.y + at.rows * ROW;
    return start + (next.y - start) * (t - at.t) / (next.t - at.t);
  };

  Timeline.prototype.laneX = function (lane) { return LEFT + lane * LANE_W + LANE_W / 2; };

  Timeline.prototype.drawHeader = function () {
    var run = this.run, html = "<div class=\"lanes-inner\" style=\"width:" + this.width + "px\">";
    for (var l = 0; l < run.lanes.length; l++) {
      var lane = run.lanes[l];
      html += "<div class=\"lane-name lane-" + lane.kind + (this.hiddenLanes.has(l) ? " off" : "") + "\" style=\"left:" +
              (this.laneX(l) - LANE_W / 2) + "px;width:" + LANE_W + "px\" title=\"" + esc(lane.kind + " " + lane.name) +
              "\">" + esc(lane.name) + "<span class=\"lane-kind\">" + esc(lane.kind) + "</span></div>";
    }
    this.header.innerHTML = html + "</div>";
  };

  Timeline.prototype.scheduleDraw = function (force) {
    var self = this;
    if (this.pendingDraw) return;
    this.pendingDraw = true;
    requestAnimationFrame(function () {
      self.pendingDraw = false;
      self.draw(force);
    });
  };

  // Draws what lies near the screen (everything for small runs); a scroll within it draws nothing.
  Timeline.prototype.draw = function (force) {
    var top = this.scroller.scrollTop, h = this.scroller.clientHeight || 800;
    var all = this.shown.length <= MAX_DRAWN;
    var lo = all ? -Infinity : top - h, hi = all ? Infinity : top + 2 * h;
    if (!force && this.drawnRange && (all || (top >= this.drawnRange[0] && top + h <= this.drawnRange[1]))) return;
    this.drawnRange = [lo, hi];
    var parts = [this.drawDefs(), this.drawBands(lo, hi), this.drawLifelines(), this.drawTimes(lo, hi),
                 this.drawPackets(lo, hi), this.drawEvents(lo, hi)];
    this.svg.innerHTML = parts.join("");
    this.markState();
  };

  Timeline.prototype.drawDefs = function () {
    return "<defs><marker id=\"arrowhead\" markerWidth=\"9\" markerHeight=\"9\" refX=\"8\" refY=\"4.5\" orient=\"auto\">" +
           "<path d=\"M0,0 L9,4.5 L0,9 z\" fill=\"context-stroke\"/></marker></defs>";
  };

  Timeline.prototype.drawLifelines = function () {
    var out = "";
    for (var l = 0; l < this.run.lanes.length; l++) {
      if (this.hiddenLanes.has(l)) continue;
      var x = this.laneX(l);
      out += "<line class=\"life life-" + this.run.lanes[l].kind + "\" x1=\"" + x + "\" y1=\"0\" x2=\"" + x + "\" y2=\"" + this.height + "\"/>";
    }
    return out;
  };

  Timeline.prototype.drawBands = function (lo, hi) {
    var out = "", self = this, run = this.run;
    run.bands.forEach(function (b) {
      var y1 = self.yOf(b.from), y2 = b.to < 0 ? self.height : self.yOf(b.to);
      if (y2 < lo || y1 > hi) return;
      var lanes = b.lanes.length ? b.lanes : run.lanes.map(function (_, i) { return i; });
      var x1 = self.laneX(Math.min.apply(null, lanes)) - LANE_W / 2 + 8, x2 = self.laneX(Math.max.apply(null, lanes)) + LANE_W / 2 - 8;
      out += "<g class=\"band\"><rect x=\"" + x1 + "\" y=\"" + y1 + "\" width=\"" + (x2 - x1) + "\" height=\"" + Math.max(y2 - y1, 3) +
             "\"/><text x=\"" + (x1 + 6) + "\" y=\"" + (y1 + 13) + "\">" + esc(b.label + " (" + formatTime(b.from) + " \u2013 " +
             (b.to < 0 ? "end" : formatTime(b.to)) + ")") + "</text></g>";
    });
    return out;
  };

  // The time of each instant at the left, and a break mark on every shortened gap.
  Timeline.prototype.drawTimes = function (lo, hi) {
    var out = "", lastY = -1e9, right = this.width - 20;
    for (var k = 0; k < this.instants.length; k++) {
      var at = this.instants[k];
      if (at.y > hi) break;
      if (at.y + at.rows * ROW + at.gap < lo) continue;
      if (at.y - lastY >= 14) {
        out += "<text class=\"time\" x=\"8\" y=\"" + (at.y + 14) + "\">" + esc(formatTime(at.t)) + "</text>";
        lastY = at.y;
      }
      out += "<line class=\"tick\" x1=\"0\" x2=\"" + right + "\" y1=\"" + at.y + "\" y2=\"" + at.y + "\"/>";
      if (at.broken) {
        var by = at.y + at.rows * ROW + at.gap / 2, next = this.instants[k + 1];
        out += "<g class=\"break\"><path d=\"M" + (LEFT - 20) + "," + (by - 3) + " l8,6 l8,-6 l8,6\"/><text x=\"" + (LEFT - 8) +
               "\" y=\"" + (by + 4) + "\">" + esc("\u22EF " + formatTime(next.t - at.t) + " later") + "</text></g>";
      }
    }
    return out;
  };

  Timeline.prototype.drawEvents = function (lo, hi) {
    var out = [], run = this.run, self = this;
    this.shown.forEach(function (i) {
      var y = self.rowY.get(i);
      if (y < lo || y > hi) return;
      var e = run.events[i], x = self.laneX(e.lane);
      if (e.packet !== undefined && e.kind !== "fault") {
        out.push("<g class=\"ev ev-packet\" data-i=\"" + i + "\"><circle cx=\"" + x + "\" cy=\"" + y + "\" r=\"3\"/></g>");
        return;
      }
      var cls = "ev ev-" + e.kind, mark;
      if (e.kind === "signal") {
        cls += e.call ? " in-call" : " from-loop";
        mark = "<circle cx=\"" + x + "\" cy=\"" + y + "\" r=\"5\"/>";
      } else if (e.kind === "call") {
        mark = "<rect x=\"" + (x - 5) + "\" y=\"" + (y - 5) + "\" width=\"10\" height=\"10\"/>";
      } else if (e.kind === "fault") {
        mark = "<path d=\"M" + x + "," + (y - 6) + " l6,6 l-6,6 l-6,-6 z\"/>";
      } else if (e.kind === "peer") {
        mark = "<rect x=\"" + (x - 4) + "\" y=\"" + (y - 4) + "\" width=\"8\" height=\"8\"/>";
      } else {
        mark = "<circle cx=\"" + x + "\" cy=\"" + y + "\" r=\"3\"/>";
      }
      var label = "<text x=\"" + (x + 9) + "\" y=\"" + (y + 4) + "\">" + esc(e.label);
      if (e.state && e.label.indexOf(e.state) < 0) label += "<tspan class=\"state\"> " + esc(e.state) + "</tspan>";
      out.push("<g class=\"" + cls + "\" data-i=\"" + i + "\">" + mark + label + "</text></g>");
    });
    return out.join("");
  };

  // Packets: an arrow from the sending host at the send time to the receiving host at the arrival; a
  // dropped one ends in a cross part way; a lost first copy is such a cross, its copy sent again an arrow.
  Timeline.prototype.drawPackets = function (lo, hi) {
    var out = [], run = this.run, self = this;
    this.shown.forEach(function (i) {
      var e = run.events[i];
      if (e.packet === undefined) return;
      var p = run.packets[e.packet], y1 = self.rowY.get(i);
      var x1 = self.laneX(p.from), x2 = self.laneX(p.to);
      if (x1 === x2) x2 += 40;
      var end = p.lost >= 0 ? p.lost : p.arrival >= 0 ? p.arrival : -1;
      var y2 = end >= 0 ? Math.max(self.yOf(end), y1 + 6) : y1 + 10;
      if (Math.max(y1, y2) < lo || y1 > hi) return;
      var kind = "pkt pkt-" + p.kind.replace(/[^a-z]/g, ""), body = "", labelY = y1;
      if (p.lost >= 0 || end < 0) {
        var xe = x1 + (x2 - x1) * 0.6;
        body = self.line(x1, y1, xe, y2, "wire lost", false) + self.cross(xe, y2);
        kind += end < 0 ? " unknown" : " dropped";
      } else if (p.retransmit > 0) {
        var xl = x1 + (x2 - x1) * 0.45, yr = self.yOf(p.sent + p.retransmit);
        body = self.line(x1, y1, xl, y1 + 8, "wire lost", false) + self.cross(xl, y1 + 8) +
               self.line(x1, yr, x2, Math.max(y2, yr + 4), "wire", true);
        kind += " retransmitted";
        labelY = yr;
      } else {
        body = self.line(x1, y1, x2, y2, "wire", true);
      }
      var lx = (x1 + x2) / 2, ly = labelY + ((y2 - labelY) * 0.5) - 4;
      body += "<text class=\"pkt-label\" x=\"" + lx + "\" y=\"" + ly + "\" text-anchor=\"middle\">" + esc(packetLabel(p)) + "</text>";
      out.push("<g class=\"" + kind + "\" data-i=\"" + i + "\" data-p=\"" + e.packet + "\">" + body + "</g>");
    });
    return out.join("");
  };

  Timeline.prototype.line = function (x1, y1, x2, y2, cls, head) {
    return "<line class=\"" + cls + "\" x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\"" +
           (head ? " marker-end=\"url(#arrowhead)\"" : "") + "/>" +
           "<line class=\"hit\" x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\"/>";
  };

  Timeline.prototype.cross = function (x, y) {
    return "<path class=\"cross\" d=\"M" + (x - 5) + "," + (y - 5) + " l10,10 m0,-10 l-10,10\"/>";
  };

  // Search matches, the focused and the pinned event, as classes on what is drawn.
  Timeline.prototype.markState = function () {
    var self = this, matchSet = new Set(this.matches);
    this.svg.classList.toggle("searching", this.query !== "");
    this.svg.querySelectorAll("[data-i]").forEach(function (g) {
      var i = +g.getAttribute("data-i");
      g.classList.toggle("match", matchSet.has(i));
      g.classList.toggle("focus", i === self.focus);
      g.classList.toggle("pinned", i === self.pinned);
    });
  };

  Timeline.prototype.eventAt = function (target) {
    var g = target.closest ? target.closest("[data-i]") : null;
    return g ? +g.getAttribute("data-i") : -1;
  };

  Timeline.prototype.describe = function (i) {
    var run = this.run, e = run.events[i], lane = run.lanes[e.lane];
    var rows = [["time", formatTime(e.t)], ["lifeline", lane.name + " (" + lane.kind + ")"], ["event", e.text]];
    if (e.kind === "signal") {
      rows.push(["state at delivery", e.state]);
      rows.push(["emitted", e.call ? "inside " + e.call + "()" : "from the event loop"]);
    }
    if (e.packet !== undefined) {
      var p = run.packets[e.packet];
      rows.push(["packet", packetLabel(p) + ", " + run.lanes[p.from].name + " \u2192 " + run.lanes[p.to].name]);
      rows.push(["sent", formatTime(p.sent)]);
      if (p.retransmit > 0) rows.push(["first copy", "lost; sent again after " + formatTime(p.retransmit)]);
      if (p.lost >= 0) rows.push(["dropped", "at " + formatTime(p.lost)]);
      else if (p.arrival >= 0) rows.push(["arrived", formatTime(p.arrival) + " (after " + formatTime(p.arrival - p.sent) + ")"]);
      else rows.push(["arrived", "never (still in flight when the socket went away)"]);
    }
    return "<table>" + rows.map(function (r) { return "<tr><th>" + esc(r[0]) + "</th><td>" + esc(r[1]) + "</td></tr>"; }).join("") + "</table>";
  };

  Timeline.prototype.hover = function (ev) {
    var i = this.eventAt(ev.target);
    if (i < 0) { this.tooltip.hidden = true; return; }
    this.tooltip.innerHTML = this.describe(i);
    this.tooltip.hidden = false;
    var box = this.root.getBoundingClientRect();
    this.tooltip.style.left = Math.min(ev.clientX - box.left + 14, box.width - 380) + "px";
    this.tooltip.style.top = (ev.clientY - box.top + 14) + "px";
  };

  Timeline.prototype.pin = function (i, keepScroll) {
    this.pinned = i;
    if (i >= 0) {
      this.focus = i;
      this.details.innerHTML = "<div class=\"details-head\">pinned event <button class=\"unpin\" title=\"Escape\">\u00d7</button></div>" +
                               this.describe(i);
      var self = this;
      this.details.querySelector(".unpin").onclick = function () { self.pin(-1, true); };
    }
    this.details.hidden = i < 0;
    if (i >= 0 && !keepScroll) this.reveal(i);
    this.markState();
    if (this.options.onPin) this.options.onPin(i);
  };

  // Scrolls event i into view (showing its lane and kind first if a filter hid it).
  Timeline.prototype.reveal = function (i) {
    if (!this.visible(i)) {
      this.hiddenLanes.delete(this.run.events[i].lane);
      this.hiddenKeys.delete(this.keys[i]);
      this.relayout();
      if (this.options.onFilter) this.options.onFilter();
    }
    var y = this.rowY.get(i), x = this.laneX(this.run.events[i].lane);
    var s = this.scroller;
    if (y < s.scrollTop + 40 || y > s.scrollTop + s.clientHeight - 40) s.scrollTop = y - s.clientHeight / 3;
    if (x < s.scrollLeft + 60 || x > s.scrollLeft + s.clientWidth - 200) s.scrollLeft = x - s.clientWidth / 3;
    this.draw(true);
  };

  Timeline.prototype.setFocus = function (i) {
    if (i < 0) return;
    this.focus = i;
    this.reveal(i);
    if (this.options.onFocus) this.options.onFocus(i);
  };

  // The next (step 1) or previous (-1) shown event, or search match, from the focused one.
  Timeline.prototype.step = function (step, list) {
    list = list || this.shown;
    if (!list.length) return;
    var at = list.indexOf(this.focus), next;
    if (at < 0) {
      var f = this.focus;
      next = step > 0 ? list.findIndex(function (i) { return i > f; }) : list.length - 1 - list.slice().reverse().findIndex(function (i) { return i < f; });
      if (next < 0 || next >= list.length) next = step > 0 ? 0 : list.length - 1;
    } else {
      next = (at + step + list.length) % list.length;
    }
    this.setFocus(list[next]);
    if (this.pinned >= 0) this.pin(this.focus);
  };

  Timeline.prototype.key = function (ev) {
    if (ev.target.tagName === "INPUT") return;
    var handled = true;
    switch (ev.key) {
    case "ArrowDown": case "j": this.step(1); break;
    case "ArrowUp": case "k": this.step(-1); break;
    case "n": this.step(1, this.matches); break;
    case "N": this.step(-1, this.matches); break;
    case "Home": this.setFocus(this.shown[0]); break;
    case "End": this.setFocus(this.shown[this.shown.length - 1]); break;
    case "Enter": if (this.focus >= 0) this.pin(this.pinned === this.focus ? -1 : this.focus); break;
    case "Escape": this.pin(-1, true); break;
    case "+": case "=": this.zoomBy(1.5); break;
    case "-": this.zoomBy(1 / 1.5); break;
    case "0": this.fit(); break;
    default: handled = false;
    }
    if (handled) ev.preventDefault();
  };

  // Zooms the time axis by factor, keeping the time under clientY (or the middle of the screen) in place.
  Timeline.prototype.zoomBy = function (factor, clientY) {
    var s = this.scroller, box = s.getBoundingClientRect();
    var offset = clientY === undefined ? s.clientHeight / 2 : clientY - box.top;
    var anchorT = this.timeAt(s.scrollTop + offset);
    this.scale = Math.min(Math.max(this.scale * factor, this.baseScale / 64), this.baseScale * 1e6);
    this.relayout();
    s.scrollTop = this.yOf(anchorT) - offset;
    this.draw(true);
    if (this.options.onZoom) this.options.onZoom(this.scale / this.baseScale);
  };

  Timeline.prototype.fit = function () {
    this.scale = this.baseScale;
    this.relayout();
    this.scroller.scrollTop = 0;
    this.draw(true);
    if (this.options.onZoom) this.options.onZoom(1);
  };

  // The time drawn at height y (the inverse of yOf within gaps; an instant's rows all mean its time).
  Timeline.prototype.timeAt = function (y) {
    var list = this.instants;
    for (var k = 0; k < list.length; k++) {
      var at = list[k], end = at.y + at.rows * ROW;
      if (y <= end) return at.t;
      if (k + 1 < list.length && y < list[k + 1].y) return at.t + (list[k + 1].t - at.t) * (y - end) / (list[k + 1].y - end);
    }
    return list.length ? list[list.length - 1].t : 0;
  };

  Timeline.prototype.setSearch = function (query) {
    var q = query.trim().toLowerCase(), run = this.run;
    this.query = q;
    this.matches = q === "" ? [] : this.shown.filter(function (i) {
      var e = run.events[i];
      return e.text.toLowerCase().indexOf(q) >= 0 || e.label.toLowerCase().indexOf(q) >= 0;
    });
    this.markState();
    return this.matches.length;
  };

  Timeline.prototype.setLaneShown = function (lane, shown) {
    if (shown) this.hiddenLanes.delete(lane); else this.hiddenLanes.add(lane);
    this.relayout();
    this.setSearch(this.query);
  };

  Timeline.prototype.setKeyShown = function (key, shown) {
    if (shown) this.hiddenKeys.delete(key); else this.hiddenKeys.add(key);
    this.relayout();
    this.setSearch(this.query);
  };

  // How many events have each filter key, in first-seen order.
  Timeline.prototype.keyCounts = function () {
    var counts = new Map();
    this.keys.forEach(function (k) { counts.set(k, (counts.get(k) || 0) + 1); });
    return counts;
  };

  // What is drawn now, for tests and the status line.
  Timeline.prototype.stats = function () {
    return {
      events: this.run.events.length,
      shown: this.shown.length,
      drawnEvents: this.svg.querySelectorAll(".ev").length,
      drawnPackets: this.svg.querySelectorAll(".pkt").length,
      droppedPackets: this.svg.querySelectorAll(".pkt.dropped").length,
      bands: this.svg.querySelectorAll(".band").length,
      matches: this.matches.length,
      height: this.height
    };
  };

  return {Timeline: Timeline, formatTime: formatTime, esc: esc, el: el};
})();
