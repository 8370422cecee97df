// briefing — progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* == annotations == */
  // Sidenotes are <details>: folded on narrow screens, open beside the
  // text on wide ones, open when their passage is linked, open in print.
  var wide = window.matchMedia("(min-width: 75rem)");
  function notes() {
    return Array.prototype.slice.call(document.querySelectorAll(".sidenote > details"));
  }
  function layout() {
    notes().forEach(function (d) { d.open = wide.matches || d.dataset.pinned === "1"; });
  }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("a-") !== 0) return;
    var note = document.getElementById("n-" + id.slice(2));
    var d = note && note.querySelector("details");
    if (d) { d.open = true; d.dataset.pinned = "1"; }
  }
  if (notes().length) {
    layout();
    openTarget();
    if (wide.addEventListener) wide.addEventListener("change", layout);
    window.addEventListener("hashchange", openTarget);
    window.addEventListener("beforeprint", function () {
      notes().forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", layout);
  }
  /* == end annotations == */
})();
