/* launchbook graph page: highlight neighbours, find by name, zoom and pan. No dependencies. */
(function () {
  function init() {
    var svg = document.getElementById("lb-graph");
    if (!svg || svg.dataset.lbReady) return;
    svg.dataset.lbReady = "1";
    var nodes = Array.prototype.slice.call(svg.querySelectorAll(".lb-node"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".lb-edge"));
    function clear() {
      svg.classList.remove("lb-focus");
      nodes.concat(edges).forEach(function (el) { el.classList.remove("lb-near", "lb-hit"); });
    }
    function focus(id) {
      clear();
      svg.classList.add("lb-focus");
      edges.forEach(function (e) {
        if (e.dataset.from === id || e.dataset.to === id) {
          e.classList.add("lb-near");
          var other = e.dataset.from === id ? e.dataset.to : e.dataset.from;
          nodes.forEach(function (n) { if (n.dataset.id === other) n.classList.add("lb-near"); });
        }
      });
      nodes.forEach(function (n) { if (n.dataset.id === id) n.classList.add("lb-hit"); });
    }
    nodes.forEach(function (n) {
      n.addEventListener("mouseenter", function () { focus(n.dataset.id); });
      n.addEventListener("focus", function () { focus(n.dataset.id); });
      n.addEventListener("mouseleave", clear);
      n.addEventListener("blur", clear);
    });
    var input = document.getElementById("lb-graph-filter");
    if (input) {
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        clear();
        if (!q) return;
        svg.classList.add("lb-focus");
        nodes.forEach(function (n) {
          if (n.dataset.title.indexOf(q) >= 0 || n.dataset.id.indexOf(q) >= 0) n.classList.add("lb-hit");
        });
      });
    }
    var vb = svg.getAttribute("viewBox").split(" ").map(Number);
    var base = vb.slice();
    function apply() { svg.setAttribute("viewBox", vb.map(function (v) { return v.toFixed(1); }).join(" ")); }
    function zoom(f) {
      var cx = vb[0] + vb[2] / 2, cy = vb[1] + vb[3] / 2;
      vb[2] *= f; vb[3] *= f; vb[0] = cx - vb[2] / 2; vb[1] = cy - vb[3] / 2; apply();
    }
    document.querySelectorAll(".lb-graph-tools button").forEach(function (b) {
      b.addEventListener("click", function () {
        if (b.dataset.zoom === "in") zoom(0.8);
        else if (b.dataset.zoom === "out") zoom(1.25);
        else { vb = base.slice(); apply(); }
      });
    });
    var drag = null;
    svg.addEventListener("pointerdown", function (e) {
      if (e.target.closest && e.target.closest(".lb-node")) return;
      drag = { x: e.clientX, y: e.clientY, vb: vb.slice() };
    });
    window.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var scale = vb[2] / svg.clientWidth;
      vb[0] = drag.vb[0] - (e.clientX - drag.x) * scale;
      vb[1] = drag.vb[1] - (e.clientY - drag.y) * scale;
      apply();
    });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
