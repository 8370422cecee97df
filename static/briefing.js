// briefing — progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* == annotations == */
  // Sidenotes are <details>: folded on narrow screens, open beside the
  // text on wide ones, open when their passage is linked, open in print.
  // On wide screens each note is placed in the margin level with the line
  // its passage starts on; a note that would overlap the one above is
  // pushed down below it (only notes move: the text keeps its spacing).
  var wide = window.matchMedia("(min-width: 75rem)");
  var GAP = 12; // px between stacked notes
  function notes() {
    return Array.prototype.slice.call(document.querySelectorAll(".sidenote > details"));
  }
  function place() {
    var body = document.querySelector(".article .body");
    if (!body) return;
    var asides = Array.prototype.slice.call(body.querySelectorAll("aside.sidenote"));
    if (!wide.matches) {
      asides.forEach(function (n) { n.classList.remove("placed"); n.style.top = ""; });
      body.style.minHeight = "";
      return;
    }
    // out of the flow first, so that measuring sees the text as it stays
    asides.forEach(function (n) { n.classList.add("placed"); });
    body.style.minHeight = "";
    var origin = body.getBoundingClientRect().top;
    var wanted = asides.map(function (n, i) {
      var mark = document.getElementById("a-" + n.getAttribute("data-ann"));
      var r = mark && mark.getClientRects()[0];
      // the wrapper after the paragraph, when the passage is not found
      var at = r ? r.top : n.parentNode.getBoundingClientRect().top;
      return { note: n, top: at - origin, order: i };
    });
    wanted.sort(function (a, b) { return a.top - b.top || a.order - b.order; });
    var bottom = -Infinity;
    wanted.forEach(function (w) {
      var top = Math.max(w.top, bottom + GAP);
      w.note.style.top = Math.round(top) + "px";
      bottom = top + w.note.offsetHeight;
    });
    // the last notes may reach below the text: keep them in the article
    if (bottom > body.offsetHeight) body.style.minHeight = Math.ceil(bottom) + "px";
  }
  function layout() {
    notes().forEach(function (d) { d.open = wide.matches || d.dataset.pinned === "1"; });
    place();
  }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("a-") !== 0) return;
    var note = document.getElementById("n-" + id.slice(2));
    var d = note && note.querySelector("details");
    if (d && !d.open) { d.open = true; d.dataset.pinned = "1"; place(); }
  }
  if (notes().length) {
    layout();
    openTarget();
    if (wide.addEventListener) wide.addEventListener("change", layout);
    window.addEventListener("hashchange", openTarget);
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(place, 100);
    });
    // text reflows when the web fonts arrive
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(place);
    window.addEventListener("load", place);
    notes().forEach(function (d) {
      d.addEventListener("toggle", function () { if (wide.matches) place(); });
    });
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
// The search page. The index in search/ (written by src/link/search.rs:
// index.js, terms/t<key>.js, docs/<n>.js) is plain scripts that call
// briefingSearch.init/add/docs; they are loaded on demand with <script src>
// relative to the page, so search works from file:// too and under any
// sub-path. Every query word must match (AND); the last one matches as a
// prefix while it is being typed; results are ranked by BM25 (IDF here,
// the term-frequency part and title bonus precomputed per posting).
// Index text is scraped from the web: results are built with textContent.
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-index]");
  if (!form) return;
  var input = form.querySelector("input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var indexUrl = new URL(form.getAttribute("data-index"), location.href);
  var root = form.getAttribute("data-root") || "";
  var SHOWN = 20, MAX_WEIGHT = 63;

  // The index calls these as its files load.
  var manifest = null, shards = {}, chunks = {};
  window.briefingSearch = {
    init: function (m) { manifest = m; },
    add: function (key, terms) { shards[key] = terms; },
    docs: function (n, docs) { chunks[n] = docs; }
  };
  var loading = {};
  function load(file) {
    if (!loading[file]) {
      loading[file] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = new URL(file, indexUrl).href;
        s.onload = function () { resolve(); };
        s.onerror = function () {
          delete loading[file];
          reject(new Error("cannot load " + file));
        };
        document.head.appendChild(s);
      });
    }
    return loading[file];
  }

  // Terms, as src/link/search.rs makes them: runs of letters and digits,
  // lowercased, Latin diacritics folded, 2 to 40 characters.
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var EXTRA = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ς": "σ" };
  function fold(word) {
    var out = "";
    Array.from(word.toLowerCase()).forEach(function (ch) {
      var c = ch.codePointAt(0);
      if (EXTRA[ch]) { out += EXTRA[ch]; return; }
      if (c >= 0xc0 && c <= 0x24f) {
        var d = ch.normalize("NFD");
        if (/^[a-z][\u0300-\u036f]+$/.test(d)) { out += d[0]; return; }
      }
      out += ch;
    });
    return out;
  }
  function isTerm(t) {
    var n = Array.from(t).length;
    return n >= 2 && n <= 40;
  }
  // The query's terms; the last is a prefix unless a space or
  // punctuation follows it. A word given twice counts once (the last time,
  // which may be the prefix).
  function parse(q) {
    var words = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(q))) {
      var t = fold(m[0]);
      if (isTerm(t)) words.push({ term: t, prefix: m.index + m[0].length === q.length });
    }
    return words.filter(function (w, i) {
      return !words.slice(i + 1).some(function (v) { return v.term === w.term; });
    });
  }

  function shardFile(key) {
    return "terms/t" + Array.from(key).map(function (ch) {
      return /[a-z0-9]/.test(ch) ? ch : "_" + ch.codePointAt(0).toString(16) + "_";
    }).join("") + ".js";
  }
  // A term lives in the shard with the longest key that starts it; terms
  // starting with a prefix are there or in the shards whose keys start
  // with the prefix.
  function shardsFor(w) {
    var best = null, keys = [];
    manifest.shards.forEach(function (k) {
      if (w.term.slice(0, k.length) === k) {
        if (best === null || k.length > best.length) best = k;
      } else if (w.prefix && k.slice(0, w.term.length) === w.term) {
        keys.push(k);
      }
    });
    if (best !== null) keys.push(best);
    return keys;
  }

  var VAL = {};
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, i) { VAL[c] = i; });
  var decoded = {};
  // Postings: per document, the id gap as a base-32 varint (low digits
  // first, digits of 32 and more mean "more follows"), then the weight.
  function postings(key, term) {
    var id = key + "\u0000" + term;
    if (decoded[id]) return decoded[id];
    var s = shards[key][term], docs = [], weights = [], doc = 0, i = 0;
    while (i < s.length) {
      var gap = 0, shift = 0, d;
      do {
        d = VAL[s[i++]];
        gap += (d & 31) * Math.pow(2, shift);
        shift += 5;
      } while (d >= 32);
      doc = docs.length ? doc + gap : gap;
      docs.push(doc);
      weights.push(VAL[s[i++]]);
    }
    decoded[id] = { docs: docs, weights: weights };
    return decoded[id];
  }
  // doc → score for one query word (the best of the terms it matches).
  function scores(w) {
    var out = new Map(), n = manifest.docs;
    shardsFor(w).forEach(function (key) {
      var shard = shards[key];
      Object.keys(shard).forEach(function (term) {
        if (w.prefix ? term.slice(0, w.term.length) !== w.term : term !== w.term) return;
        var p = postings(key, term);
        var df = p.docs.length;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (var i = 0; i < df; i++) {
          var s = idf * p.weights[i] / MAX_WEIGHT;
          var had = out.get(p.docs[i]);
          if (had === undefined || s > had) out.set(p.docs[i], s);
        }
      });
    });
    return out;
  }
  // Every document that matches every word, best first.
  function rank(words) {
    var maps = words.map(scores).sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    maps[0].forEach(function (s, doc) {
      for (var i = 1; i < maps.length; i++) {
        var t = maps[i].get(doc);
        if (t === undefined) return;
        s += t;
      }
      hits.push({ doc: doc, score: s });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return hits;
  }

  function search(words) {
    return load("index.js").then(function () {
      var files = {};
      words.forEach(function (w) {
        shardsFor(w).forEach(function (k) { files[shardFile(k)] = true; });
      });
      return Promise.all(Object.keys(files).map(load));
    }).then(function () {
      var hits = rank(words);
      var files = {};
      hits.slice(0, SHOWN).forEach(function (h) {
        files["docs/" + Math.floor(h.doc / manifest.chunk) + ".js"] = true;
      });
      return Promise.all(Object.keys(files).map(load)).then(function () { return hits; });
    });
  }

  function doc(id) {
    var d = chunks[Math.floor(id / manifest.chunk)][id % manifest.chunk];
    return { path: d[0], title: d[1], kind: d[2], date: d[3], excerpt: d[4] };
  }
  // Append `text` to `el`, query words in <mark>.
  function highlight(el, text, words) {
    var at = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var t = fold(m[0]);
      var hit = words.some(function (w) {
        return w.prefix ? t.slice(0, w.term.length) === w.term : t === w.term;
      });
      if (!hit) continue;
      if (m.index > at) el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      at = m.index + m[0].length;
    }
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }
  function show(q, words, hits) {
    list.textContent = "";
    if (!hits.length) {
      status.textContent = "Nothing found for “" + q + "”.";
      return;
    }
    var n = hits.length;
    status.textContent = n + (n === 1 ? " result" : " results") +
      (n > SHOWN ? "; the best " + SHOWN + " are shown." : ".");
    hits.slice(0, SHOWN).forEach(function (h) {
      var d = doc(h.doc);
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + d.path;
      highlight(a, d.title || d.path, words);
      var meta = document.createElement("p");
      meta.className = "search-meta";
      meta.textContent = d.kind + (d.date ? " · " + d.date : "");
      li.append(a, meta);
      if (d.excerpt) {
        var p = document.createElement("p");
        p.className = "search-excerpt";
        highlight(p, d.excerpt, words);
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  var seq = 0;
  function run() {
    var raw = input.value.replace(/^\s+/, ""), q = raw.trim();
    var mine = ++seq;
    try {
      history.replaceState(null, "", location.pathname + (q ? "?q=" + encodeURIComponent(q) : "") + location.hash);
    } catch (e) { /* some browsers refuse it from file:// */ }
    if (!q) { list.textContent = ""; status.textContent = ""; return; }
    var words = parse(raw);
    if (!words.length) {
      list.textContent = "";
      status.textContent = "Type at least two letters of a word.";
      return;
    }
    status.textContent = "Searching…";
    search(words).then(function (hits) {
      if (mine === seq) show(q, words, hits);
    }).catch(function (err) {
      if (mine === seq) status.textContent = "The search index could not be loaded (" + err.message + ").";
    });
  }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  // ↓ from the field to the results, ↑/↓ between them, Escape back.
  function links() { return Array.prototype.slice.call(list.querySelectorAll("li > a")); }
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && links().length) { e.preventDefault(); links()[0].focus(); }
  });
  list.addEventListener("keydown", function (e) {
    var all = links(), i = all.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowDown" && i + 1 < all.length) { e.preventDefault(); all[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i ? all[i - 1] : input).focus(); }
    else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
  });
  var q0 = new URLSearchParams(location.search).get("q");
  if (q0) { input.value = q0; run(); }
})();
/* == /search == */
