// goalkit dashboard: draws the charts, and reads the page again when the
// data changes (the stream) or, in kiosk mode, every few seconds. Every
// number shown comes from the server, rounded there; this file only
// places them.
(function () {
  "use strict";

  var charts = [];

  function parse(el, name) {
    try { return JSON.parse(el.getAttribute(name) || "null"); } catch (e) { return null; }
  }

  // The days under a chart are whole days written as the page writes
  // dates (1 Dec, 01.12), in the plan's zone, not in the chart library's
  // American month/day. From 30 days on, the steps are the chart
  // library's months and years (it splits those by the calendar).
  var dayIncrs = [1, 2, 3, 4, 5, 7, 10, 14, 15, 30, 60, 90, 180, 365].map(function (d) { return d * 86400; });

  function dayFormat(zone) {
    var ru = document.documentElement.lang === "ru";
    var opts = ru ? { day: "2-digit", month: "2-digit" } : { day: "numeric", month: "short" };
    var f;
    try {
      f = new Intl.DateTimeFormat(ru ? "ru-RU" : "en-GB", Object.assign({ timeZone: zone || undefined }, opts));
    } catch (e) {
      f = new Intl.DateTimeFormat(ru ? "ru-RU" : "en-GB", opts);
    }
    return function (d) { return f.format(d); };
  }

  // axisSize is the width of the numbers' axis: its widest number, drawn
  // in the axis's font, and the ticks and the gap beside it, so that
  // hundreds of millions keep their first digits. The chart library asks
  // again after it has laid out with the size; its first answer stands.
  function axisSize(u, values, i, cycle) {
    var axis = u.axes[i];
    if (cycle > 1) return axis._size;
    var widest = 0;
    u.ctx.font = axis.font[0];
    (values || []).forEach(function (v) { widest = Math.max(widest, u.ctx.measureText(v).width); });
    return Math.ceil(axis.ticks.size + axis.gap + widest / devicePixelRatio) + 2;
  }

  function drawCharts(root) {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    if (typeof uPlot === "undefined") return;
    root.querySelectorAll(".chart[data-x]").forEach(function (el) {
      var x = parse(el, "data-x") || [];
      var num = function (v) { return v === null ? null : Number(v); };
      var actual = (parse(el, "data-actual") || []).map(num);
      var plan = (parse(el, "data-plan") || []).map(num);
      var actualText = parse(el, "data-actual-text") || [];
      var planText = parse(el, "data-plan-text") || [];
      var dayText = parse(el, "data-x-text") || [];
      var zone = el.getAttribute("data-zone");
      var tick = dayFormat(zone);
      var text = function (list) {
        return function (u, v, si, i) { return i == null ? "" : (list[i] || "—"); };
      };
      var opts = {
        width: Math.max(240, el.clientWidth),
        height: 300,
        tzDate: function (ts) { return zone ? uPlot.tzDate(new Date(ts * 1000), zone) : new Date(ts * 1000); },
        scales: { x: { time: true } },
        axes: [{ incrs: dayIncrs, values: function (u, vals) { return vals.map(function (v) { return tick(new Date(v * 1000)); }); } }, { size: axisSize, values: function (u, vals) { return vals.map(function (v) { return v.toLocaleString(document.documentElement.lang); }); } }],
        series: [
          { label: el.getAttribute("data-day-label"), value: text(dayText) },
          { label: el.getAttribute("data-plan-label"), stroke: "#8a96a3", width: 2, dash: [6, 4], value: text(planText) },
          { label: el.getAttribute("data-actual-label"), stroke: "#2456c6", fill: "rgba(36,86,198,0.10)", width: 2.5, value: text(actualText) }
        ]
      };
      var data = [x, plan, actual];
      // The P10–P90 range of the final value, at the period's last day:
      // three points joined by a whisker.
      var p50 = parse(el, "data-p50");
      if (p50) {
        var point = function (stroke) { return { show: true, size: 9, stroke: stroke, fill: stroke, width: 2 }; };
        ["p90", "p50", "p10"].forEach(function (q) {
          var stroke = q === "p50" ? "#2456c6" : "#7b8fb8";
          opts.series.push({ label: el.getAttribute("data-" + q + "-label"), stroke: stroke, width: 0, points: point(stroke), value: text(parse(el, "data-" + q + "-text") || []) });
          data.push((parse(el, "data-" + q) || []).map(num));
        });
        opts.hooks = { draw: [function (u) {
          var i = x.length - 1, hi = data[3][i], lo = data[5][i];
          if (hi === null || lo === null) return;
          var cx = u.valToPos(x[i], "x", true), ctx = u.ctx, w = 10 * devicePixelRatio;
          var y1 = u.valToPos(hi, "y", true), y2 = u.valToPos(lo, "y", true);
          ctx.save();
          ctx.strokeStyle = "#7b8fb8";
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(cx, y1); ctx.lineTo(cx, y2);
          ctx.moveTo(cx - w, y1); ctx.lineTo(cx + w, y1);
          ctx.moveTo(cx - w, y2); ctx.lineTo(cx + w, y2);
          ctx.stroke();
          ctx.restore();
        }] };
      }
      charts.push(new uPlot(opts, data, el));
    });
  }

  var busy = false, again = false;

  // What a reader does on a page outlives a refresh: the folds they opened
  // or closed stay so, and the element the keyboard is on keeps the
  // focus. Each is known by what it leads to, which stays when its numbers
  // change (a link's address, a fold's first link's; else its place among
  // its kind), and by how many before it have the same.
  var focusable = "a[href], summary, button, input, select, textarea, [tabindex]";

  function keyed(list, fn) {
    var seen = {};
    Array.prototype.forEach.call(list, function (el, i) {
      var a = el.matches("a[href]") ? el : el.querySelector("a[href]");
      var k = a ? a.getAttribute("href") : "#" + i;
      seen[k] = (seen[k] || 0) + 1;
      fn(el, k + "@" + seen[k]);
    });
  }

  function remember(root) {
    var open = {}, focus = null, active = document.activeElement;
    keyed(root.querySelectorAll("details"), function (d, k) { open[k] = d.open; });
    if (active && root.contains(active)) {
      keyed(root.querySelectorAll(focusable), function (e, k) { if (e === active) focus = k; });
    }
    return { open: open, focus: focus };
  }

  function restore(root, kept) {
    keyed(root.querySelectorAll("details"), function (d, k) {
      if (Object.prototype.hasOwnProperty.call(kept.open, k)) d.open = kept.open[k];
    });
    if (kept.focus === null) return;
    keyed(root.querySelectorAll(focusable), function (e, k) {
      if (k === kept.focus) e.focus({ preventScroll: true });
    });
  }

  // refresh reads the page again and puts its main part in place of this
  // one's: the server renders every number.
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var main = doc.getElementById("main"), asof = doc.getElementById("asof");
        if (main) {
          var here = document.getElementById("main"), kept = remember(here);
          here.replaceChildren.apply(here, Array.from(main.childNodes).map(function (n) { return document.importNode(n, true); }));
          restore(here, kept);
          drawCharts(here);
        }
        var mine = document.getElementById("asof");
        if (asof && mine) mine.textContent = asof.textContent;
        var v = doc.body && doc.body.getAttribute("data-version");
        if (v) version = v;
        document.body.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var timer = null;
  function soon() {
    if (timer) return;
    timer = setTimeout(function () { timer = null; refresh(); }, 150);
  }

  // version is the version of the data the page was rendered at (its
  // last refresh's): the stream, asked with it, says at once whether a
  // change came between the render and the connection, which the page
  // would otherwise show only at the next change.
  var version = null;

  function streamURL(url) {
    if (!version) return url;
    try {
      var u = new URL(url, location.href);
      u.searchParams.set("since", version);
      return u.href;
    } catch (e) { return url; }
  }

  function listen() {
    var url = document.body.getAttribute("data-stream");
    if (!url || typeof EventSource === "undefined") return;
    version = document.body.getAttribute("data-version");
    var live = document.getElementById("live"), opened = false, refused = 0;
    function connect() {
      var es = new EventSource(streamURL(url), { withCredentials: true });
      // A reconnection may have missed changes: read the page again.
      es.onopen = function () {
        if (live) live.hidden = false;
        if (opened) soon();
        opened = true;
        refused = 0;
      };
      es.onerror = function () {
        if (live) live.hidden = true;
        // The browser connects again by itself after a dropped
        // connection, but gives up for good on an answer other than 200
        // (a proxy's 502 while the server restarts): open the stream
        // again, 2 s later, then twice as late each time up to a minute,
        // and read the page again once it is open.
        if (es.readyState !== EventSource.CLOSED) return;
        es.close();
        opened = true;
        refused++;
        setTimeout(connect, Math.min(60, Math.pow(2, refused)) * 1000);
      };
      es.onmessage = soon;
      es.addEventListener("change", soon);
    }
    connect();
  }

  function start() {
    drawCharts(document);
    listen();
    var every = Number(document.body.getAttribute("data-refresh") || 0);
    if (every > 0) setInterval(refresh, every * 1000);
    var resize = null;
    window.addEventListener("resize", function () {
      clearTimeout(resize);
      resize = setTimeout(function () { drawCharts(document); }, 200);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
