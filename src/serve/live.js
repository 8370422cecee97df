// briefing live preview client: injected by `briefing serve` into the HTML it
// serves (never written into site/). When this page changed, puts its new
// <main> in place (or reloads it when more than <main> changed), swaps
// stylesheets in place, shows build errors as an overlay and quotes
// that matched only approximately as a milder list, and offers
// "Annotate" for selected text in an article.
(function () {
  "use strict";
  var cfg = window.__briefingLive || {};
  var scrollKey = "briefing-scroll:" + location.pathname;

  // keep the reader's place across reloads
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved !== null) {
      sessionStorage.removeItem(scrollKey);
      var y = parseFloat(saved) || 0;
      window.scrollTo(0, y);
      window.addEventListener("load", function () { window.scrollTo(0, y); });
    }
  } catch (e) { /* storage disabled */ }

  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  }

  function sitePathOf(href) {
    var u = new URL(href, location.href);
    if (u.origin !== location.origin) return null;
    return decodeURIComponent(u.pathname.replace(/^\//, ""));
  }

  function swapCss(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var stamp = Date.now();
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var p = sitePathOf(link.getAttribute("href") || "");
      if (p === null || paths.indexOf(p) < 0) continue;
      var fresh = link.cloneNode();
      var base = link.href.split("?")[0];
      fresh.href = base + "?v=" + stamp;
      fresh.addEventListener("load", (function (old) {
        return function () { if (old.parentNode) old.parentNode.removeChild(old); };
      })(link));
      link.parentNode.insertBefore(fresh, link.nextSibling);
    }
  }

  // theme files may be in the browser's cache (the server lets them stay a
  // minute): fetch changed ones anew before a reload uses them
  function refreshThen(assets, then) {
    if (!assets.length || !window.fetch) return then();
    Promise.all(assets.map(function (a) {
      return fetch("/" + a, { cache: "reload" }).catch(function () {});
    })).then(then, then);
  }

  // this page changed: fetch it and put its new <main> in place of the old
  // one when the rest of the page (the `shell` digest the server gives
  // each page) is the same and <main> runs no script; else reload. One
  // fetch at a time: a change announced meanwhile fetches again after it.
  var swapping = false;
  var again = false;
  var lastDrifts = [];
  function liveCfg(doc) {
    var scripts = doc.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) {
      var t = scripts[i].textContent || "";
      if (t.indexOf("window.__briefingLive=") === 0) {
        try { return JSON.parse(t.slice(22).replace(/;\s*$/, "")); } catch (e) { return null; }
      }
    }
    return null;
  }
  function swapMain() {
    if (swapping) { again = true; return; }
    var old = document.querySelector("main");
    if (!window.fetch || !window.DOMParser || !cfg.shell || !old) return reload();
    swapping = true;
    again = false;
    fetch(location.pathname + location.search, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var next = liveCfg(doc);
      var main = doc.querySelector("main");
      var cur = document.querySelector("main");
      if (!next || next.shell !== cfg.shell || !main || !cur || main.querySelector("script")) {
        return reload();
      }
      cur.replaceWith(document.adoptNode(main));
      if (doc.title !== document.title) document.title = doc.title;
      cfg.build = next.build;
      showDrifts(lastDrifts);
      // (for measurements: when the new text is on screen)
      requestAnimationFrame(function () {
        window.__briefingSwappedAt = performance.timeOrigin + performance.now();
      });
      swapping = false;
      if (again) swapMain();
    }).catch(function () { reload(); });
  }

  function onReload(data) {
    var pages = data.pages || [];
    var assets = data.assets || [];
    var css = [];
    var other = [];
    for (var i = 0; i < assets.length; i++) {
      if (/\.css$/i.test(assets[i])) css.push(assets[i]);
      else other.push(assets[i]);
    }
    if (pages.indexOf("*") >= 0 || other.length) {
      return refreshThen(assets, reload);
    }
    if (pages.indexOf(cfg.page) >= 0) {
      if (css.length) swapCss(css);
      return swapMain();
    }
    if (css.length) swapCss(css);
  }

  // the error overlay; built with textContent, so nothing is interpreted
  var overlay = null;
  function el(tag, css, text) {
    var e = document.createElement(tag);
    if (css) e.style.cssText = css;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function showErrors(problems) {
    hideErrors();
    overlay = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,20,.92);color:#eee;font:14px/1.5 ui-monospace,monospace;padding:2em");
    overlay.id = "briefing-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.appendChild(el("h2", "color:#ff8080;margin:0 0 1em;font-size:18px",
      "briefing: the build failed — showing the last good version"));
    for (var i = 0; i < problems.length; i++) {
      var p = problems[i];
      var box = el("section", "border-left:4px solid #ff8080;padding:.5em 1em;margin:0 0 1.5em;background:#222");
      var where = p.file + (p.line ? ":" + p.line + (p.column ? ":" + p.column : "") : "");
      box.appendChild(el("div", "color:#9cf", where));
      box.appendChild(el("div", "color:#fff;font-weight:bold;white-space:pre-wrap", (p.severity || "error") + ": " + p.message));
      if (p.source_line) box.appendChild(el("pre", "background:#111;padding:.5em;margin:.5em 0;white-space:pre-wrap", p.source_line));
      if (p.help) box.appendChild(el("div", "color:#bfb;white-space:pre-wrap", "help: " + p.help));
      overlay.appendChild(box);
    }
    overlay.appendChild(el("p", "color:#aaa", "Fix the file and save: this page updates by itself."));
    (document.body || document.documentElement).appendChild(overlay);
  }
  function hideErrors() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
  }

  // drifted quotes: warnings, shown milder than errors — a dashed amber
  // line under the passage on its article page, and a small list in a
  // corner that can be folded away
  var driftBox = null;
  var driftOpen = true;
  function showDrifts(drifts) {
    lastDrifts = drifts;
    var marked = document.querySelectorAll(".briefing-drift");
    for (var i = 0; i < marked.length; i++) {
      marked[i].classList.remove("briefing-drift");
      marked[i].style.outline = "";
      marked[i].removeAttribute("data-briefing-drift");
    }
    if (driftBox && driftBox.parentNode) driftBox.parentNode.removeChild(driftBox);
    driftBox = null;
    if (!drifts.length) return;
    for (var j = 0; j < drifts.length; j++) {
      var d = drifts[j];
      if (!cfg.article || d.article !== cfg.article) continue;
      var at = document.getElementById("a-" + d.id);
      if (!at) continue;
      at.classList.add("briefing-drift");
      at.style.outline = "2px dashed #e0a000";
      at.setAttribute("data-briefing-drift", d.similarity + "% similar to the quote");
    }
    driftBox = el("aside", "position:fixed;right:1em;bottom:1em;z-index:2147483645;max-width:32em;" +
      "max-height:40vh;overflow:auto;background:#fffbe6;color:#3d3000;border:1px solid #e0a000;" +
      "border-radius:6px;font:13px/1.4 system-ui,sans-serif;padding:.5em .8em;box-shadow:0 2px 8px rgba(0,0,0,.15)");
    driftBox.id = "briefing-drift-list";
    driftBox.setAttribute("role", "status");
    var head = el("button", "all:unset;cursor:pointer;font-weight:bold",
      (driftOpen ? "▾ " : "▸ ") + drifts.length + " quote" + (drifts.length === 1 ? "" : "s") +
      " matched only approximately");
    head.type = "button";
    driftBox.appendChild(head);
    var list = el("ul", "margin:.4em 0 0;padding-left:1.2em;" + (driftOpen ? "" : "display:none"));
    for (var k = 0; k < drifts.length; k++) {
      var x = drifts[k];
      var li = el("li", "margin:.3em 0");
      li.appendChild(el("div", "color:#806000", x.file + ":" + x.line + ":" + x.column +
        " (" + x.similarity + "% similar)"));
      li.appendChild(el("div", "", "quoted “" + x.quoted + "”"));
      li.appendChild(el("div", "", "now reads “" + x.found + "”"));
      list.appendChild(li);
    }
    driftBox.appendChild(list);
    head.addEventListener("click", function () {
      driftOpen = !driftOpen;
      showDrifts(drifts);
    });
    (document.body || document.documentElement).appendChild(driftBox);
  }

  function parse(ev) { try { return JSON.parse(ev.data); } catch (e) { return {}; } }
  if (window.EventSource) {
    var es = new EventSource("/__briefing/events");
    es.addEventListener("reload", function (ev) { onReload(parse(ev)); });
    // a build that finished while this page loaded (its reload event went
    // to a stream that was already closed): this page may be behind — the
    // build may also have changed only other pages (the listings written
    // after an edited article's page), so fetch it rather than reload
    es.addEventListener("build", function (ev) {
      var b = parse(ev).build;
      if (typeof b === "number" && typeof cfg.build === "number" && b > cfg.build) swapMain();
    });
    es.addEventListener("error", function (ev) {
      // a build error event carries data; a connection error does not
      if (ev.data) showErrors(parse(ev).problems || []);
    });
    es.addEventListener("ok", function () { hideErrors(); });
    es.addEventListener("drift", function (ev) { showDrifts(parse(ev).drifts || []); });
  }

  // "Annotate" for text selected in an article
  if (!cfg.article) return;
  var button = el("button", "position:absolute;z-index:2147483646;display:none;" +
    "font:13px system-ui,sans-serif;padding:.3em .7em;border-radius:4px;border:1px solid #555;" +
    "background:#ffd54f;color:#111;cursor:pointer", "Annotate");
  button.id = "briefing-annotate";
  button.type = "button";
  var pending = "";
  button.addEventListener("mousedown", function (e) { e.preventDefault(); });
  button.addEventListener("click", function () {
    var quote = pending;
    button.style.display = "none";
    if (!quote) return;
    fetch("/__briefing/annotate", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Briefing-Token": cfg.token },
      body: JSON.stringify({ slug: cfg.article, quote: quote })
    }).then(function (r) {
      return r.text().then(function (t) { if (!r.ok) alert("briefing: " + t); });
    }, function (e) { alert("briefing: " + e); });
  });
  function place() {
    var sel = window.getSelection();
    var text = sel && sel.rangeCount ? sel.toString().trim() : "";
    var main = document.querySelector("main") || document.body;
    if (!text || !main.contains(sel.anchorNode)) { button.style.display = "none"; pending = ""; return; }
    pending = text;
    var rect = sel.getRangeAt(0).getBoundingClientRect();
    button.style.left = Math.max(0, rect.left + window.scrollX) + "px";
    button.style.top = Math.max(0, rect.bottom + window.scrollY + 6) + "px";
    button.style.display = "block";
  }
  document.addEventListener("mouseup", function () { setTimeout(place, 0); });
  document.addEventListener("keyup", function () { setTimeout(place, 0); });
  document.body.appendChild(button);
})();
