"use strict";
(function () {
  var $ = function (s, root) { return Array.prototype.slice.call((root || document).querySelectorAll(s)); };
  // Tasks in the tree: scroll to the task and mark it.
  $("#tree a[data-goto]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var t = document.getElementById("t-" + a.getAttribute("data-goto"));
      if (!t) { return; }
      e.preventDefault();
      $(".task.current").forEach(function (x) { x.classList.remove("current"); });
      t.classList.add("current");
      t.scrollIntoView({ block: "start" });
    });
  });
  // Diagnostics: scroll to the place and flash it.
  $("#diags a[data-goto-diag]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var d = document.getElementById(a.getAttribute("data-goto-diag"));
      if (!d) { return; }
      e.preventDefault();
      $(".diag.flash").forEach(function (x) { x.classList.remove("flash"); });
      d.classList.add("flash");
      d.scrollIntoView({ block: "center" });
    });
  });
  // The department filter: that department's tasks and names stand out.
  var sel = document.getElementById("dept");
  if (sel) {
    sel.addEventListener("change", function () {
      var opt = sel.options[sel.selectedIndex];
      var on = sel.value !== "";
      var read = function (k) { return new Set(on ? JSON.parse(opt.getAttribute(k) || "[]") : []); };
      var lead = read("data-lead"), part = read("data-participates"), names = read("data-aliases");
      document.body.classList.toggle("filtering", on);
      var n = 0;
      $(".task").forEach(function (t) {
        var id = t.getAttribute("data-id");
        var hit = lead.has(id) || part.has(id);
        t.classList.toggle("hit", hit);
        if (hit) { n += 1; }
      });
      $("#tree li[data-id]").forEach(function (li) {
        var id = li.getAttribute("data-id");
        li.classList.toggle("hit", lead.has(id) || part.has(id));
      });
      $(".dept").forEach(function (d) { d.classList.toggle("hit", names.has(d.getAttribute("data-dept"))); });
      var count = document.getElementById("filter-count");
      if (count) { count.textContent = on ? String(n) + " " + count.getAttribute("data-unit") : ""; }
    });
  }
  // A target's details on click (or Enter).
  var detail = document.getElementById("detail");
  var show = function (el) {
    var g = el.closest(".tgt");
    if (!g || !detail) { return; }
    var first = g.getAttribute("data-ref") ? document.getElementById(g.getAttribute("data-ref")) : g;
    $(".tgt.picked").forEach(function (x) { x.classList.remove("picked"); });
    first.classList.add("picked");
    detail.textContent = first.getAttribute("data-detail");
    detail.hidden = false;
  };
  var doc = document.getElementById("doc");
  doc.addEventListener("click", function (e) { show(e.target); });
  doc.addEventListener("keydown", function (e) { if (e.key === "Enter") { show(e.target); } });
  // The diff page: show or hide changes by kind.
  $("#kinds input").forEach(function (box) {
    box.addEventListener("change", function () {
      var shown = new Set($("#kinds input").filter(function (b) { return b.checked; }).map(function (b) { return b.value; }));
      $(".chg").forEach(function (li) {
        var st = ["added", "removed", "changed", "moved"].filter(function (s) { return li.classList.contains(s); })[0];
        li.classList.toggle("hidden", !shown.has(st));
      });
      $(".card").forEach(function (c) {
        var any = $(".chg", c).some(function (li) { return !li.classList.contains("hidden"); });
        var whole = c.classList.contains("added") || c.classList.contains("removed");
        var st = c.classList.contains("added") ? "added" : "removed";
        c.classList.toggle("hidden", whole ? !shown.has(st) && !any : !any);
      });
    });
  });
}());
