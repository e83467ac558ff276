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
      var text = function (list) {
        return function (u, v, si, i) { return i == null ? "" : (list[i] || "—"); };
      };
      var opts = {
        width: Math.max(240, el.clientWidth),
        height: 300,
        tzDate: function (ts) { return zone ? uPlot.tzDate(new Date(ts * 1000), zone) : new Date(ts * 1000); },
        scales: { x: { time: true } },
        axes: [{}, { size: 80, values: function (u, vals) { return vals.map(function (v) { return v.toLocaleString(document.documentElement.lang); }); } }],
        series: [
          { label: el.getAttribute("data-day-label"), value: text(dayText) },
          { label: el.getAttribute("data-plan-label"), stroke: "#8a96a3", width: 2, dash: [6, 4], value: text(planText) },
          { label: el.getAttribute("data-actual-label"), stroke: "#2456c6", fill: "rgba(36,86,198,0.10)", width: 2.5, value: text(actualText) }
        ]
      };
      charts.push(new uPlot(opts, [x, plan, actual], el));
    });
  }

  var busy = false, again = false;

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
          var here = document.getElementById("main");
          here.replaceChildren.apply(here, Array.from(main.childNodes).map(function (n) { return document.importNode(n, true); }));
          drawCharts(here);
        }
        var mine = document.getElementById("asof");
        if (asof && mine) mine.textContent = asof.textContent;
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

  function listen() {
    var url = document.body.getAttribute("data-stream");
    if (!url || typeof EventSource === "undefined") return;
    var es = new EventSource(url, { withCredentials: true });
    var live = document.getElementById("live"), opened = false;
    // A reconnection may have missed changes: read the page again.
    es.onopen = function () {
      if (live) live.hidden = false;
      if (opened) soon();
      opened = true;
    };
    es.onerror = function () { if (live) live.hidden = true; };
    es.onmessage = soon;
    es.addEventListener("change", soon);
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
