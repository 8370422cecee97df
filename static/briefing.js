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

/* == entities == */
// An entity's first link on a page carries its description in `title`;
// with JS it becomes a small popover shown on hover and keyboard focus for
// every link to that entity, in the text and in the lists of entities (and
// the native tooltip is suppressed). Without JS the first link's title
// still shows and every link works.
(function () {
  "use strict";
  var pop = null;
  function hide() {
    if (pop) { pop.remove(); pop = null; }
  }
  function kindOf(a) {
    var k = a.getAttribute("data-kind");
    if (k) return k;
    for (var el = a; el && el.className !== undefined; el = el.parentElement) {
      var m = /(?:^|\s)entity-(\w+)/.exec(el.className);
      if (m && m[1] !== "chips" && m[1] !== "popover") return m[1];
    }
    return "";
  }
  function show(a) {
    var text = a.getAttribute("data-preview");
    if (!text) return;
    hide();
    pop = document.createElement("div");
    pop.className = "entity-popover";
    pop.id = "entity-popover";
    pop.setAttribute("role", "tooltip");
    var name = document.createElement("strong");
    name.textContent = a.textContent;
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = kindOf(a);
    var body = document.createElement("p");
    body.textContent = text;
    pop.append(name, " ", kind, body);
    document.body.appendChild(pop);
    var r = a.getBoundingClientRect();
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8);
    pop.style.left = Math.max(8, left) + "px";
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
    a.setAttribute("aria-describedby", "entity-popover");
  }
  var links = document.querySelectorAll("a.entity, .entity-chips a");
  var previews = {};
  links.forEach(function (a) {
    var t = a.getAttribute("title");
    if (t) {
      previews[a.getAttribute("href")] = t;
      a.removeAttribute("title");
    }
  });
  links.forEach(function (a) {
    var text = previews[a.getAttribute("href")];
    if (!text) return;
    a.setAttribute("data-preview", text);
    a.addEventListener("mouseenter", function () { show(a); });
    a.addEventListener("focus", function () { show(a); });
    a.addEventListener("mouseleave", hide);
    a.addEventListener("blur", function () { hide(); a.removeAttribute("aria-describedby"); });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();
/* == /entities == */

/* == search == */
// The search page: loads the pagefind bundle relative to the page (works
// under any sub-path) and lists results with links made relative to the
// site root. From file:// module loading is blocked, so it says so.
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-bundle]");
  if (!form) return;
  var input = form.querySelector("input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (location.protocol === "file:") {
    document.getElementById("search-file").hidden = false;
    input.disabled = true;
    return;
  }
  var bundle = new URL(form.getAttribute("data-bundle"), location.href);
  var root = new URL("../", bundle).pathname; // the site root, under any sub-path
  var pagefind = null;
  function load() {
    if (!pagefind) {
      pagefind = import(bundle.href).then(function (pf) {
        return pf.options({ baseUrl: root }).then(function () { return pf; });
      });
    }
    return pagefind;
  }
  var seq = 0;
  function run() {
    var q = input.value.trim();
    var mine = ++seq;
    if (history.replaceState) history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
    if (!q) { list.textContent = ""; status.textContent = ""; return; }
    load().then(function (pf) { return pf.search(q); }).then(function (res) {
      if (mine !== seq) return null;
      return Promise.all(res.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (items) {
      if (!items || mine !== seq) return;
      list.textContent = "";
      status.textContent = items.length ? items.length + " result" + (items.length === 1 ? "" : "s") : "Nothing found for “" + q + "”.";
      items.forEach(function (d) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = d.url;
        a.textContent = (d.meta && d.meta.title) || d.url;
        var p = document.createElement("p");
        p.innerHTML = d.excerpt; // pagefind escapes the text and adds <mark>
        li.append(a, p);
        list.appendChild(li);
      });
    }).catch(function (err) {
      status.textContent = "Search is unavailable: " + err.message;
    });
  }
  input.addEventListener("input", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  var q0 = new URLSearchParams(location.search).get("q");
  if (q0) { input.value = q0; run(); }
})();
/* == /search == */
