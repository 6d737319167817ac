/* kg report: the page's behaviour. Data comes from <script type="application/json" id="ckg-data">;
   every string from the graph reaches the page through textContent or an attribute set by the DOM,
   never through innerHTML, so news text cannot inject markup or script. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("ckg-data").textContent);
  var COLORS = {Airstrike: "#d62728", Shelling: "#ff7f0e", Bombing: "#8c564b", ArmedClash: "#1f77b4",
    Offensive: "#9467bd", TerritoryCapture: "#2ca02c", Withdrawal: "#17becf", AttackOnCivilians: "#e377c2",
    Killing: "#7f0000", Arrest: "#7f7f7f", Protest: "#bcbd22", Ceasefire: "#006d2c"};
  var ACTOR_COLORS = {Army: "#1f77b4", AirForce: "#4a90d9", Navy: "#0b3d91", ArmedForce: "#1f77b4",
    SecurityForce: "#6baed6", Government: "#08306b", RebelGroup: "#2ca02c", JihadistGroup: "#111111",
    Militia: "#8c564b", Civilians: "#e377c2", Monitor: "#bcbd22", MediaOutlet: "#17becf", Person: "#9467bd",
    Organisation: "#7f7f7f", Country: "#ff7f0e"};
  function color(cls) { return COLORS[cls] || "#555"; }
  function actorColor(cls) { return ACTOR_COLORS[cls] || "#999"; }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { for (var k in attrs) { e.setAttribute(k, attrs[k]); } }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    return e;
  }
  function names(ids) { return ids.map(function (i) { return D.actors[i].label; }).join(", "); }
  function placeOf(ev) { return ev.place === null ? null : D.places[ev.place]; }
  function dayOf(ev) { return ev.from || ev.date; }
  function endOf(ev) { return ev.to || ev.date; }
  function when(ev) {
    var a = dayOf(ev), b = endOf(ev);
    if (!a) { return "undated"; }
    return a === b ? a : a + " to " + b;
  }
  function toll(ev) {
    if (ev.fmin === null && ev.fmax === null) { return ""; }
    return ev.fmin === ev.fmax ? String(ev.fmin) : ev.fmin + "–" + ev.fmax;
  }
  function placeText(ev) {
    var p = placeOf(ev);
    if (!p) { return "(no place)"; }
    var parts = [p.label + (p.kind && p.kind !== "Country" ? " (" + p.kind.toLowerCase() + ")" : "")];
    if (p.province && p.province !== p.label) { parts.push(p.province); }
    if (p.country && p.country !== p.label) { parts.push(p.country); }
    return parts.join(", ");
  }
  function roles(ev) {
    var s = names(ev.agent) || "?";
    if (ev.target.length) { s += " → " + names(ev.target); }
    return s;
  }
  var DAY = 86400000;
  function toMs(s) { return Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)); }
  function toDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  var state = {from: null, to: null};
  function inRange(ev) {
    if (state.from === null) { return true; }
    var a = dayOf(ev), b = endOf(ev);
    return !!a && b >= state.from && a <= state.to;
  }
  var listeners = [];
  function update() {
    document.getElementById("range-text").textContent = state.from === null
      ? "Showing every day." : "Showing " + state.from + " to " + state.to + ".";
    listeners.forEach(function (f) { f(); });
  }

  /* ---- map ---- */
  var markers = [];
  var map = null;
  function popup(ev) {
    var box = el("div", {"class": "popup"});
    box.appendChild(el("p", null, ev.cls + " — " + when(ev))).style.fontWeight = "bold";
    box.appendChild(el("p", null, placeText(ev)));
    box.appendChild(el("p", null, roles(ev)));
    if (ev.supporter.length) { box.appendChild(el("p", null, "Backed by " + names(ev.supporter))); }
    if (toll(ev)) { box.appendChild(el("p", null, "Killed: " + toll(ev))); }
    if (ev.reportedBy.length) { box.appendChild(el("p", null, "Sources cited: " + names(ev.reportedBy))); }
    if (ev.disputed.length) { box.appendChild(el("p", null, "Disputed: " + ev.disputed.join(", "))); }
    ev.accounts.forEach(function (a) {
      var p = el("p", null, (a.outlet || "unknown outlet") + (a.published ? ", " + a.published : "") + ": ");
      if (a.url) {
        var link = el("a", {href: a.url, target: "_blank", rel: "noopener noreferrer"}, a.headline || a.url);
        p.appendChild(link);
      } else if (a.headline) { p.appendChild(document.createTextNode(a.headline)); }
      box.appendChild(p);
      if (a.evidence) { box.appendChild(el("blockquote", null, a.evidence)); }
    });
    return box;
  }
  /* Natural Earth rings that cross the antimeridian (Russia's far east, Fiji) would be drawn as lines
     across the whole map: their western longitudes move past 180. Antarctica, which wraps the globe,
     is left out. */
  function worldOutlines(fc) {
    function unwrap(ring) {
      var lons = ring.map(function (c) { return c[0]; });
      if (Math.max.apply(null, lons) - Math.min.apply(null, lons) <= 180) { return ring; }
      return ring.map(function (c) { return c[0] < 0 ? [c[0] + 360, c[1]] : c; });
    }
    fc.features = fc.features.filter(function (f) { return f.geometry && (f.properties || {}).name !== "Antarctica"; });
    fc.features.forEach(function (f) {
      var g = f.geometry;
      if (g.type === "Polygon") { g.coordinates = g.coordinates.map(unwrap); }
      if (g.type === "MultiPolygon") { g.coordinates = g.coordinates.map(function (p) { return p.map(unwrap); }); }
    });
    return fc;
  }
  function buildMap() {
    if (typeof L === "undefined") { return; }
    map = L.map("map", {worldCopyJump: false, attributionControl: true});
    map.attributionControl.setPrefix("Leaflet");
    var topo = JSON.parse(document.getElementById("ckg-topo").textContent);
    if (topo && topo.objects && typeof topojson !== "undefined") {
      L.geoJSON(worldOutlines(topojson.feature(topo, topo.objects.countries)), {
        style: {color: "#8a8a8a", weight: 1, fillColor: "#f2efe9", fillOpacity: 1}, interactive: false,
        attribution: "Natural Earth"}).addTo(map);
    }
    var pts = [];
    D.events.forEach(function (ev) {
      var p = placeOf(ev);
      if (!p || p.lat === null || p.lat === undefined) { return; }
      var n = Math.max(ev.fmax || 0, ev.fmin || 0);
      var m = L.circleMarker([p.lat, p.lon], {radius: Math.min(22, 5 + 2.2 * Math.sqrt(n)), color: "#333",
        weight: 1, fillColor: color(ev.cls), fillOpacity: 0.75, className: "ckg-marker"});
      m.bindPopup(function () { return popup(ev); }, {maxWidth: 420});
      m.ckgEvent = ev;
      markers.push(m);
      pts.push([p.lat, p.lon]);
    });
    if (pts.length) { map.fitBounds(L.latLngBounds(pts).pad(0.3), {maxZoom: 8}); } else { map.setView([20, 20], 2); }
    listeners.push(function () {
      markers.forEach(function (m) {
        var show = inRange(m.ckgEvent);
        if (show && !map.hasLayer(m)) { m.addTo(map); } else if (!show && map.hasLayer(m)) { map.removeLayer(m); }
      });
    });
    var legend = document.getElementById("legend");
    var seen = {};
    D.events.forEach(function (ev) { seen[ev.cls] = true; });
    Object.keys(seen).sort().forEach(function (c) {
      var s = el("span"); var i = el("i"); i.style.background = color(c);
      s.appendChild(i); s.appendChild(document.createTextNode(c)); legend.appendChild(s);
    });
  }

  /* ---- timeline ---- */
  function buildTimeline() {
    var dated = D.events.filter(function (ev) { return !!dayOf(ev); });
    var box = document.getElementById("timeline");
    if (!dated.length) { box.appendChild(el("p", null, "No dated events.")); return; }
    var days = dated.map(function (ev) { return toMs(dayOf(ev)); });
    var t0 = Math.min.apply(null, days), t1 = Math.max.apply(null, days);
    var n = Math.round((t1 - t0) / DAY) + 1;
    var W = Math.max(600, Math.min(1200, (box.clientWidth || 900))), H = 140, pad = 24;
    var bw = (W - 2 * pad) / n;
    var counts = {}, max = 1;
    dated.forEach(function (ev) {
      var d = Math.round((toMs(dayOf(ev)) - t0) / DAY);
      counts[d] = counts[d] || {}; counts[d][ev.cls] = (counts[d][ev.cls] || 0) + 1;
    });
    Object.keys(counts).forEach(function (d) {
      var s = 0; for (var c in counts[d]) { s += counts[d][c]; } max = Math.max(max, s);
    });
    var svg = svgEl("svg", {width: W, height: H, id: "timeline-svg"});
    Object.keys(counts).forEach(function (d) {
      var y = H - pad;
      Object.keys(counts[d]).sort().forEach(function (c) {
        var h = counts[d][c] / max * (H - 2 * pad);
        var r = svgEl("rect", {x: pad + d * bw, y: y - h, width: Math.max(1, bw - 1), height: h, fill: color(c)});
        var tip = svgEl("title", {}); tip.textContent = toDay(t0 + d * DAY) + ": " + counts[d][c] + " " + c;
        r.appendChild(tip); svg.appendChild(r); y -= h;
      });
    });
    [t0, t1].forEach(function (t, i) {
      var tx = svgEl("text", {x: i ? W - pad : pad, y: H - 6, "font-size": 11, "text-anchor": i ? "end" : "start"});
      tx.textContent = toDay(t); svg.appendChild(tx);
    });
    var brush = svgEl("rect", {"class": "brush", x: 0, y: pad / 2, width: 0, height: H - 1.5 * pad, visibility: "hidden"});
    svg.appendChild(brush);
    function dayAt(evt) {
      var x = evt.clientX - svg.getBoundingClientRect().left;
      return Math.max(0, Math.min(n - 1, Math.floor((x - pad) / bw)));
    }
    var start = null;
    function draw(a, b) {
      var lo = Math.min(a, b), hi = Math.max(a, b);
      brush.setAttribute("x", pad + lo * bw); brush.setAttribute("width", (hi - lo + 1) * bw);
      brush.setAttribute("visibility", "visible");
    }
    svg.addEventListener("mousedown", function (e) { start = dayAt(e); draw(start, start); });
    svg.addEventListener("mousemove", function (e) { if (start !== null) { draw(start, dayAt(e)); } });
    window.addEventListener("mouseup", function (e) {
      if (start === null) { return; }
      var end = dayAt(e), lo = Math.min(start, end), hi = Math.max(start, end);
      start = null;
      api.setRange(toDay(t0 + lo * DAY), toDay(t0 + hi * DAY));
    });
    svg.addEventListener("dblclick", function () { api.clearRange(); });
    listeners.push(function () {
      if (state.from === null) { brush.setAttribute("visibility", "hidden"); return; }
      var a = Math.round((toMs(state.from) - t0) / DAY), b = Math.round((toMs(state.to) - t0) / DAY);
      draw(Math.max(0, a), Math.min(n - 1, b));
    });
    box.appendChild(svg);
  }

  /* ---- network: a small force layout, computed once in the page ---- */
  function layout(nodes, edges, W, H) {
    var k = Math.sqrt(W * H / Math.max(1, nodes.length)) * 0.6;
    nodes.forEach(function (nd, i) {
      var a = 2 * Math.PI * i / nodes.length;
      nd.x = W / 2 + W / 3 * Math.cos(a); nd.y = H / 2 + H / 3 * Math.sin(a);
    });
    for (var it = 0; it < 300; it++) {
      var t = 0.1 * W * (1 - it / 300);
      nodes.forEach(function (a) { a.dx = 0; a.dy = 0; });
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, d = Math.sqrt(dx * dx + dy * dy) || 0.01;
          var f = k * k / d; a.dx += dx / d * f; a.dy += dy / d * f; b.dx -= dx / d * f; b.dy -= dy / d * f;
        }
      }
      edges.forEach(function (e) {
        var a = e.a, b = e.b, dx = a.x - b.x, dy = a.y - b.y, d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        var f = d * d / k; a.dx -= dx / d * f; a.dy -= dy / d * f; b.dx += dx / d * f; b.dy += dy / d * f;
      });
      nodes.forEach(function (a) {
        a.dx += (W / 2 - a.x) * 0.02 * k; a.dy += (H / 2 - a.y) * 0.02 * k;
        var d = Math.sqrt(a.dx * a.dx + a.dy * a.dy) || 0.01;
        a.x += a.dx / d * Math.min(d, t); a.y += a.dy / d * Math.min(d, t);
      });
    }
    /* fit the drawing into the box afterwards (clamping while it runs piles nodes on the border) */
    var xs = nodes.map(function (a) { return a.x; }), ys = nodes.map(function (a) { return a.y; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    nodes.forEach(function (a) {
      a.x = 30 + (W - 160) * (x1 > x0 ? (a.x - x0) / (x1 - x0) : 0.5);
      a.y = 20 + (H - 40) * (y1 > y0 ? (a.y - y0) / (y1 - y0) : 0.5);
    });
  }
  function buildNetwork() {
    var box = document.getElementById("network");
    var byId = {}, nodes = [], edges = [];
    function node(i) {
      if (!byId[i]) { byId[i] = {i: i, deg: 0}; nodes.push(byId[i]); }
      return byId[i];
    }
    D.fights.forEach(function (f) { edges.push({a: node(f.from), b: node(f.to), n: f.n, kind: "fight"}); });
    D.supports.forEach(function (s) { edges.push({a: node(s.from), b: node(s.to), n: s.n, kind: "support", s: s}); });
    if (!nodes.length) { box.appendChild(el("p", null, "No fighting or backing between actors.")); return; }
    edges.forEach(function (e) { e.a.deg += e.n; e.b.deg += e.n; });
    var W = 900, H = Math.min(700, 260 + 6 * nodes.length);
    layout(nodes, edges, W, H);
    var svg = svgEl("svg", {width: W, height: H, id: "network-svg"});
    var defs = svgEl("defs", {});
    var mk = svgEl("marker", {id: "arrow", viewBox: "0 0 10 10", refX: 22, refY: 5, markerWidth: 8, markerHeight: 8,
      markerUnits: "userSpaceOnUse", orient: "auto"});
    mk.appendChild(svgEl("path", {d: "M0,0L10,5L0,10z", fill: "#777"})); defs.appendChild(mk); svg.appendChild(defs);
    edges.forEach(function (e) {
      var line = svgEl("line", {x1: e.a.x, y1: e.a.y, x2: e.b.x, y2: e.b.y, stroke: e.kind === "fight" ? "#c33" : "#393",
        "stroke-width": Math.min(6, 1 + Math.log(1 + e.n) * 1.5), "stroke-dasharray": e.kind === "fight" ? "" : "5,3",
        "marker-end": "url(#arrow)", opacity: 0.7});
      var tip = svgEl("title", {});
      tip.textContent = D.actors[e.a.i].label + (e.kind === "fight" ? " fought " : " backs ") + D.actors[e.b.i].label +
        (e.kind === "fight" ? " (" + e.n + " events)" : e.s.statements.map(function (st) {
          return "\n" + (st.outlet || "") + (st.asOf ? " " + st.asOf : "") + ": " + (st.evidence || "");
        }).join(""));
      line.appendChild(tip); svg.appendChild(line);
    });
    nodes.forEach(function (nd) {
      var a = D.actors[nd.i], g = svgEl("g", {"class": "node"});
      g.appendChild(svgEl("circle", {cx: nd.x, cy: nd.y, r: Math.min(14, 5 + Math.sqrt(nd.deg)), fill: actorColor(a.cls), stroke: "#fff"}));
      var tx = svgEl("text", {x: nd.x + 8, y: nd.y - 8}); tx.textContent = a.label; g.appendChild(tx);
      var tip = svgEl("title", {}); tip.textContent = a.label + " (" + a.cls + ")"; g.appendChild(tip);
      svg.appendChild(g);
    });
    box.appendChild(svg);
  }

  /* ---- control ---- */
  function buildControl() {
    var tbody = document.querySelector("#control-table tbody");
    var slider = document.getElementById("control-date"), out = document.getElementById("control-date-text");
    if (!D.control.length) {
      document.getElementById("control-section").appendChild(el("p", null, "No statements of control."));
      slider.disabled = true; return;
    }
    var dates = [];
    D.control.forEach(function (c) { if (c.asOf && dates.indexOf(c.asOf) < 0) { dates.push(c.asOf); } });
    dates.sort();
    slider.max = Math.max(0, dates.length - 1); slider.value = slider.max;
    var byPlace = {};
    D.control.forEach(function (c) { (byPlace[c.place] = byPlace[c.place] || []).push(c); });
    var order = Object.keys(byPlace).sort(function (a, b) { return D.places[a].label.localeCompare(D.places[b].label); });
    function holder(c) { return c.change === "withdrew from" ? null : D.actors[c.actor].label; }
    function uniq(xs) { return xs.filter(function (x, i) { return x && xs.indexOf(x) === i; }); }
    function render() {
      var asOf = dates.length ? dates[+slider.value] : null;
      out.textContent = asOf || "(no dated statements)";
      tbody.textContent = "";
      order.forEach(function (p) {
        var rows = byPlace[p], dated = rows.filter(function (c) { return c.asOf && c.asOf <= asOf; });
        var now;
        if (dated.length) {
          var last = dated[dated.length - 1].asOf;
          now = uniq(dated.filter(function (c) { return c.asOf === last; }).map(holder));
          now = now.length ? now.join(", ") + " (as of " + last + ")" : "withdrawn (" + last + ")";
        } else {
          var und = uniq(rows.filter(function (c) { return !c.asOf; }).map(holder));
          now = und.length ? und.join(", ") + " (undated)" : "—";
        }
        var tr = el("tr");
        tr.appendChild(el("td", null, placeText({place: +p})));
        tr.appendChild(el("td", null, now));
        var hist = el("details"), td = el("td");
        hist.appendChild(el("summary", null, rows.length + " statement" + (rows.length > 1 ? "s" : "")));
        rows.forEach(function (c) {
          hist.appendChild(el("p", null, (c.asOf || "undated") + ": " + D.actors[c.actor].label + " " + c.change +
            " (" + (c.outlet || "unknown outlet") + ")"));
          if (c.evidence) { hist.appendChild(el("blockquote", null, c.evidence)); }
        });
        td.appendChild(hist); tr.appendChild(td); tbody.appendChild(tr);
      });
    }
    slider.addEventListener("input", render);
    render();
  }

  /* ---- lists ---- */
  var byEvent = {};
  D.events.forEach(function (ev) { byEvent[ev.id] = ev; });
  function row(cells) {
    var tr = el("tr");
    cells.forEach(function (c) { tr.appendChild(el("td", null, c)); });
    return tr;
  }
  function buildLists() {
    var ev = document.querySelector("#events-table tbody"), un = document.querySelector("#unlocated-table tbody");
    var dis = document.querySelector("#disputed-table tbody");
    function render() {
      ev.textContent = ""; un.textContent = ""; dis.textContent = "";
      var shown = 0, unlocated = 0;
      D.events.forEach(function (e) {
        if (!inRange(e)) { return; }
        shown++;
        ev.appendChild(row([when(e), e.cls, placeText(e), roles(e), toll(e), String(e.outlets)]));
        var p = placeOf(e);
        if (!p || p.lat === null || p.lat === undefined) {
          unlocated++;
          un.appendChild(row([when(e), e.cls, placeText(e), roles(e), toll(e)]));
        }
      });
      document.getElementById("events-count").textContent = "(" + shown + " shown)";
      document.getElementById("unlocated-section").classList.toggle("hidden", !unlocated);
      D.disputed.forEach(function (d) {
        var e = byEvent[d.event];
        if (!e || !inRange(e)) { return; }
        dis.appendChild(row([when(e), d.cls, placeText(e), d.dispute, d.detail]));
      });
      document.getElementById("disputed-section").classList.toggle("hidden", !dis.children.length);
    }
    listeners.push(render);
  }

  var api = {
    data: D,
    setRange: function (from, to) { state.from = from; state.to = to; update(); },
    clearRange: function () { state.from = null; state.to = null; update(); },
    markerCount: function () { return markers.length; },
    visibleMarkers: function () { return markers.filter(function (m) { return map && map.hasLayer(m); }).length; }
  };
  window.ckgReport = api;
  document.getElementById("range-clear").addEventListener("click", function () { api.clearRange(); });
  var s = D.counts;
  document.getElementById("summary").textContent = s.events + " merged events, " + s.located + " on the map, " +
    D.actors.length + " actors, " + D.control.length + " statements of control, " + D.disputed.length +
    " disputes" + (D.filters.place ? "; place " + D.filters.place : "") + (D.filters.actor ? "; actor " + D.filters.actor : "") +
    (D.filters.from ? "; from " + D.filters.from : "") + (D.filters.to ? "; to " + D.filters.to : "") + ".";
  if (!D.events.length) { document.getElementById("empty").hidden = false; }
  buildMap();
  buildTimeline();
  buildNetwork();
  buildControl();
  buildLists();
  update();
}());
