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
// Pointing at a link to an entity (hover or keyboard focus) — a mention in
// the text, a chip of "Named in this article" — shows a small popover with
// its name, kind and description. The descriptions are not on the pages:
// one file for the whole site, entities/previews.js (src/render/entities.rs
// writes it: `briefingPreviews({slug: [name, kind, preview]})`), is loaded
// with <script src> (which works from file://) the first time a reader
// points at an entity; a link's own `title` (the home page's key entities)
// is used as it is, and the native tooltip suppressed. Without JS every
// link still goes to the entity's page.
(function () {
  "use strict";
  var script = document.currentScript;
  var pop = null;
  function hide() {
    if (pop) { pop.remove(); pop = null; }
  }
  // the kind: on the link or an element around it (a chip's item)
  function ownKind(a) {
    var k = a.getAttribute("data-kind");
    if (k) return k;
    for (var el = a; el && el.className !== undefined; el = el.parentElement) {
      var m = /(?:^|\s)entity-(\w+)/.exec(el.className);
      if (m && m[1] !== "chips" && m[1] !== "popover") return m[1];
    }
    return "";
  }
  function slugOf(a) {
    var m = /(?:^|\/)entities\/([^\/]+)\/index\.html$/.exec(a.getAttribute("href") || "");
    return m ? m[1] : "";
  }
  var titles = {};  // href -> a link's own title
  var known = null; // slug -> [name, kind, preview], once loaded
  var loading = false;
  var waiting = null; // the link pointed at while the file loads
  window.briefingPreviews = function (data) {
    known = data || {};
    var a = waiting;
    waiting = null;
    if (a) show(a);
  };
  function load() {
    if (loading || !script || !script.src) return;
    loading = true;
    var s = document.createElement("script");
    s.src = new URL("../entities/previews.js", script.src).href;
    s.onerror = function () { loading = false; waiting = null; };
    document.head.appendChild(s);
  }
  function show(a) {
    var row = known && known[slugOf(a)];
    var text = titles[a.getAttribute("href")] || (row && row[2]);
    if (!text) {
      if (!known) { waiting = a; load(); }
      return;
    }
    hide();
    pop = document.createElement("div");
    pop.className = "entity-popover";
    pop.id = "entity-popover";
    pop.setAttribute("role", "tooltip");
    var name = document.createElement("strong");
    // the entity's own name (a mention may say less, or be one piece of
    // itself that a highlight cut)
    name.textContent = (row && row[0]) || a.textContent;
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = ownKind(a) || (row && row[1]) || "";
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
  function leave(a) {
    if (waiting === a) waiting = null;
    hide();
  }
  // mentions in an article's text are told by their anchor (`mention-` on
  // an entity's first) or `.mention` (later links, and the rest of one a
  // highlight cuts)
  var links = document.querySelectorAll("a[id^='mention-'], a.mention, .entity-chips a");
  links.forEach(function (a) {
    var t = a.getAttribute("title");
    if (t) {
      titles[a.getAttribute("href")] = t;
      a.removeAttribute("title");
    }
  });
  links.forEach(function (a) {
    if (!titles[a.getAttribute("href")] && !slugOf(a)) return;
    a.addEventListener("mouseenter", function () { show(a); });
    a.addEventListener("focus", function () { show(a); });
    a.addEventListener("mouseleave", function () { leave(a); });
    a.addEventListener("blur", function () { leave(a); a.removeAttribute("aria-describedby"); });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();
/* == /entities == */

/* == search == */
// The search page. Two indexes in search/ (written by src/link/search.rs):
// the articles, the executive summary and the entities in search/, the
// analyst's notes and claims in search/notes/; each is plain scripts
// (index.js, terms/t<key>.js, docs/<n>.js) that call
// briefingSearch.init/add/docz with the index's name. They are loaded on
// demand with <script src> relative to the page, so search works from
// file:// too and under any sub-path.
// Words: runs of letters and digits, lowercased, Latin diacritics folded;
// Chinese, Japanese and Korean as overlapping character pairs. The index
// holds Snowball stems, and for every word of the briefing whose stem
// differs its stem (the "forms" of a shard): a query word is looked up
// there, so "missile" and "missiles" find the same; a word the briefing
// does not use matches the longest stem that starts it with at most four
// letters to spare ("announcing": "announc", from "announced"); the last
// word also matches as the start of a word while it is typed; a word of
// five letters or more that matches nothing else matches the words one
// typo away.
// Every query word must match (AND); results are ranked by BM25 (IDF
// here, the term-frequency part and title bonus precomputed per posting).
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
  var SHOWN = 20, MAX_WEIGHT = 63, TYPO_MIN = 5, SUFFIX = 4, SNIPPET = 240;
  var NAMES = ["", "notes"];

  // The indexes, by name; their files call these as they load.
  var indexes = {};
  function idx(name) {
    if (!indexes[name]) {
      indexes[name] = {
        name: name,
        base: name ? new URL(name + "/index.js", indexUrl) : indexUrl,
        manifest: null, shards: {}, forms: {}, chunks: {}, decoded: {}, loading: {}, inflating: {}
      };
    }
    return indexes[name];
  }
  window.briefingSearch = {
    init: function (name, m) { idx(name).manifest = m; },
    add: function (name, key, terms, forms) {
      var x = idx(name);
      x.shards[key] = terms;
      x.forms[key] = forms || {};
    },
    // a chunk of documents: JSON, raw DEFLATE, base 85 (the browser's own
    // DecompressionStream inflates it); its file's load waits for it
    docz: function (name, n, text) {
      var x = idx(name);
      x.inflating["docs/" + n + ".js"] = inflate(text).then(function (docs) { x.chunks[n] = docs; });
    }
  };
  // Base 85 as src/link/search.rs writes it: four bytes as five digits,
  // most significant first; a last group of k bytes as k + 1 digits
  // (read as if padded with the largest digit).
  var B85 = {};
  "!#$%()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|"
    .split("").forEach(function (c, i) { B85[c] = i; });
  function unbase85(text) {
    var out = new Uint8Array(Math.floor(text.length / 5) * 4 + Math.max(0, text.length % 5 - 1)), o = 0;
    for (var i = 0; i < text.length; i += 5) {
      var n = 0, k = Math.min(5, text.length - i);
      for (var j = 0; j < 5; j++) n = n * 85 + (j < k ? B85[text[i + j]] : 84);
      for (j = 0; j < k - 1; j++) out[o++] = Math.floor(n / Math.pow(256, 3 - j)) % 256;
    }
    return out;
  }
  function inflate(text) {
    var stream = new Blob([unbase85(text)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text().then(JSON.parse);
  }
  function load(x, file) {
    if (!x.loading[file]) {
      x.loading[file] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = new URL(file, x.base).href;
        s.onload = function () { resolve(x.inflating[file]); };
        s.onerror = function () {
          delete x.loading[file];
          reject(new Error("cannot load " + file));
        };
        document.head.appendChild(s);
      });
    }
    return x.loading[file];
  }

  // Words, as src/link/search.rs makes them (keep the two in step).
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var CJK = /[\u1100-\u11FF\u3040-\u30FF\u3130-\u318F\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{3FFFF}]/u;
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
  // The words of `text`: {term, start, end} (offsets in `text`), in order.
  function tokens(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var at = m.index, run = null, prev = null, chars = Array.from(m[0]);
      var flush = function (end) {
        if (run !== null) {
          var t = fold(text.slice(run, end)), n = Array.from(t).length;
          if (n >= 2 && n <= 40) out.push({ term: t, start: run, end: end });
          run = null;
        }
      };
      var single = null;
      chars.forEach(function (ch) {
        var end = at + ch.length;
        if (CJK.test(ch)) {
          flush(at);
          if (prev !== null) { out.push({ term: text.slice(prev, end), start: prev, end: end, cjk: true }); single = null; }
          else single = { term: ch, start: at, end: end, cjk: true };
          prev = at;
        } else {
          if (single) { out.push(single); single = null; }
          prev = null;
          if (run === null) run = at;
        }
        at = end;
      });
      if (single) out.push(single);
      flush(at);
    }
    return out;
  }
  // The query's words; the last is a prefix unless a space or punctuation
  // follows it. A word given twice counts once.
  function parse(q) {
    var words = tokens(q).map(function (t) {
      return { term: t.term, cjk: !!t.cjk, prefix: t.end === q.length };
    });
    return words.filter(function (w, i) {
      return !words.slice(i + 1).some(function (v) { return v.term === w.term; });
    });
  }

  function shardFile(key) {
    return "terms/t" + Array.from(key).map(function (ch) {
      return /[a-z0-9]/.test(ch) ? ch : "_" + ch.codePointAt(0).toString(16) + "_";
    }).join("") + ".js";
  }
  // A word lives in the shard with the longest key that starts it; words
  // starting with a prefix are there or in the shards whose keys start
  // with the prefix.
  function home(x, term) {
    var best = null;
    x.manifest.shards.forEach(function (k) {
      if (term.slice(0, k.length) === k && (best === null || k.length > best.length)) best = k;
    });
    return best;
  }
  // ...and the shards of the stems a word may have (see matchStems)
  function shardsOfStems(x, term) {
    var chars = Array.from(term), keys = {};
    for (var n = chars.length - 1; n >= Math.max(3, chars.length - SUFFIX); n--) {
      var k = home(x, chars.slice(0, n).join(""));
      if (k !== null) keys[k] = true;
    }
    return Object.keys(keys);
  }
  function shardsFor(x, term, prefix) {
    var keys = [], best = home(x, term);
    if (prefix) {
      x.manifest.shards.forEach(function (k) {
        if (k !== best && k.slice(0, term.length) === term) keys.push(k);
      });
    }
    if (best !== null) keys.push(best);
    return keys;
  }
  function loadShards(x, keys) {
    return Promise.all(keys.map(function (k) { return load(x, shardFile(k)); }));
  }
  // The stem a form stands for (a number: that many leading characters).
  function stemOf(form, v) {
    return typeof v === "number" ? Array.from(form).slice(0, v).join("") : v;
  }
  // The stem of a word of the text, from the loaded shards (else itself).
  function stemOfWord(t) {
    for (var i = 0; i < NAMES.length; i++) {
      var x = indexes[NAMES[i]];
      if (!x || !x.manifest) continue;
      var k = home(x, t), f = k !== null && x.forms[k];
      if (f && Object.prototype.hasOwnProperty.call(f, t)) return stemOf(t, f[t]);
    }
    return t;
  }
  // At most one edit (insert, delete, replace, swap two neighbours) apart.
  function oneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }
  // The stems a query word matches in index x: stem → factor (1 for the
  // word or its start, less for a typo).
  function matchStems(x, w) {
    var out = new Map(), keys = shardsFor(x, w.term, w.prefix);
    function add(stem, f) { if (!(out.get(stem) >= f)) out.set(stem, f); }
    keys.forEach(function (k) {
      var terms = x.shards[k] || {}, forms = x.forms[k] || {};
      if (Object.prototype.hasOwnProperty.call(forms, w.term)) add(stemOf(w.term, forms[w.term]), 1);
      else if (Object.prototype.hasOwnProperty.call(terms, w.term)) add(w.term, 1);
      if (w.prefix) {
        Object.keys(terms).forEach(function (t) { if (t.slice(0, w.term.length) === w.term) add(t, 0.9); });
        Object.keys(forms).forEach(function (t) { if (t.slice(0, w.term.length) === w.term) add(stemOf(t, forms[t]), 0.9); });
      }
    });
    // a word the briefing does not use ("announcing"): the longest stem
    // of the index that starts it, a suffix of at most four letters away
    // ("announc", the stem of "announced"), as Snowball would cut it
    if (!out.size && !w.cjk) {
      var chars = Array.from(w.term);
      for (var n = chars.length - 1; n >= Math.max(3, chars.length - SUFFIX) && !out.size; n--) {
        var stem = chars.slice(0, n).join(""), k = home(x, stem), terms = k !== null && x.shards[k];
        if (terms && Object.prototype.hasOwnProperty.call(terms, stem) && /^\p{L}+$/u.test(chars.slice(n).join(""))) add(stem, 0.8);
      }
    }
    if (!out.size && !w.cjk && Array.from(w.term).length >= TYPO_MIN) {
      keys.forEach(function (k) {
        var terms = x.shards[k] || {}, forms = x.forms[k] || {};
        Object.keys(terms).forEach(function (t) { if (oneEdit(t, w.term)) add(t, 0.5); });
        Object.keys(forms).forEach(function (t) { if (oneEdit(t, w.term)) add(stemOf(t, forms[t]), 0.5); });
      });
    }
    return out;
  }

  var VAL = {}, SKIP = {};
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, i) { VAL[c] = i; });
  "!#$%()*+,./:;=?@[]^`{|}~".split("").forEach(function (c, i) { SKIP[c] = i; });
  // Postings: per document, the documents skipped since the previous one
  // (the first: since the start) as base-24 digits of SKIP, low digits
  // first, none for the next document; then its weight (base64url).
  function postings(x, term) {
    if (x.decoded[term]) return x.decoded[term];
    var k = home(x, term), s = k !== null && x.shards[k] && x.shards[k][term];
    var docs = [], weights = [], next = 0, skipped = 0, scale = 1;
    for (var i = 0; s && i < s.length; i++) {
      var c = s[i];
      if (Object.prototype.hasOwnProperty.call(SKIP, c)) {
        skipped += SKIP[c] * scale;
        scale *= 24;
      } else {
        var doc = next + skipped;
        docs.push(doc);
        weights.push(VAL[c]);
        next = doc + 1; skipped = 0; scale = 1;
      }
    }
    x.decoded[term] = { docs: docs, weights: weights };
    return x.decoded[term];
  }
  // doc → score for one query word in index x (the best of its stems).
  function scores(x, stems) {
    var out = new Map(), n = x.manifest.docs;
    stems.forEach(function (factor, stem) {
      var p = postings(x, stem), df = p.docs.length;
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (var i = 0; i < df; i++) {
        var s = factor * idf * p.weights[i] / MAX_WEIGHT;
        var had = out.get(p.docs[i]);
        if (had === undefined || s > had) out.set(p.docs[i], s);
      }
    });
    return out;
  }
  // Every document of index x that matches every word, with its score.
  function rank(x, perWord) {
    var maps = perWord.map(function (stems) { return scores(x, stems); })
      .sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    maps[0].forEach(function (s, doc) {
      for (var i = 1; i < maps.length; i++) {
        var t = maps[i].get(doc);
        if (t === undefined) return;
        s += t;
      }
      hits.push({ x: x, doc: doc, score: s });
    });
    return hits;
  }
  function chunkOf(x, id) { return Math.floor(id / x.manifest.chunk); }
  function record(x, id) {
    var d = x.chunks[chunkOf(x, id)][id % x.manifest.chunk];
    return { path: d[0], title: d[1], kind: d[2], meta: d[3], excerpt: d[4], back: d[5] };
  }
  // Search one index: the words' shards, then their stems' shards.
  function searchIn(x, words) {
    return load(x, "index.js").then(function () {
      return loadShards(x, [].concat.apply([], words.map(function (w) {
        return shardsFor(x, w.term, w.prefix).concat(w.cjk ? [] : shardsOfStems(x, w.term));
      })));
    }).then(function () {
      var perWord = words.map(function (w) { return matchStems(x, w); });
      var keys = {};
      perWord.forEach(function (m) { m.forEach(function (_, stem) { var k = home(x, stem); if (k !== null) keys[k] = true; }); });
      return loadShards(x, Object.keys(keys)).then(function () {
        words.forEach(function (w, i) { w.stems = w.stems || new Set(); perWord[i].forEach(function (_, st) { w.stems.add(st); }); });
        return perWord.some(function (m) { return !m.size; }) ? [] : rank(x, perWord);
      });
    });
  }
  function search(words) {
    words.forEach(function (w) { w.stems = new Set(); });
    var main = idx("");
    return Promise.all(NAMES.map(function (name) {
      return searchIn(idx(name), words).catch(function (err) {
        // a briefing without notes has no notes index
        if (name) return [];
        throw err;
      });
    })).then(function (lists) {
      var hits = [].concat.apply([], lists);
      hits.sort(function (a, b) { return b.score - a.score || (a.x.name < b.x.name ? -1 : a.x.name > b.x.name ? 1 : a.doc - b.doc); });
      var files = [];
      hits.slice(0, SHOWN).forEach(function (h) { files.push([h.x, "docs/" + chunkOf(h.x, h.doc) + ".js"]); });
      return Promise.all(files.map(function (f) { return load(f[0], f[1]); })).then(function () {
        // a note names its article: the main index's record
        var parents = [];
        hits.slice(0, SHOWN).forEach(function (h) {
          var r = record(h.x, h.doc);
          if (typeof r.back === "number") parents.push(load(main, "docs/" + chunkOf(main, r.back) + ".js"));
        });
        return Promise.all(parents);
      }).then(function () { return hits; });
    });
  }

  // A path as the index writes it, with `index.html` put back.
  function expand(p) { return p.replace(/(^|\/)(#|$)/, "$1index.html$2"); }
  function matches(t, words) {
    var st = null;
    return words.some(function (w) {
      if (t === w.term || (w.prefix && t.slice(0, w.term.length) === w.term)) return true;
      if (st === null) st = stemOfWord(t);
      return w.stems.has(st) || w.stems.has(t);
    });
  }
  // Where the query's words are in `text`: merged [start, end) ranges.
  function found(text, words) {
    var out = [];
    tokens(text).forEach(function (t) {
      if (!matches(t.term, words)) return;
      var last = out[out.length - 1];
      if (last && t.start <= last[1]) last[1] = Math.max(last[1], t.end);
      else out.push([t.start, t.end]);
    });
    return out;
  }
  // Append `text` to `el`, the query's words in <mark>.
  function highlight(el, text, words, ranges) {
    var at = 0;
    (ranges || found(text, words)).forEach(function (r) {
      if (r[0] > at) el.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      el.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }
  // A window of `text` around its first match, cut at spaces.
  function snippet(text, words) {
    var ranges = found(text, words), from = 0, to = text.length;
    if (ranges.length && ranges[0][0] > 60) {
      from = text.lastIndexOf(" ", ranges[0][0] - 40) + 1;
    }
    if (to - from > SNIPPET) {
      to = text.lastIndexOf(" ", from + SNIPPET);
      if (to <= from) to = from + SNIPPET;
    }
    var cut = (from > 0 ? "…" : "") + text.slice(from, to) + (to < text.length && !/…$/.test(text.slice(from, to)) ? "…" : "");
    return cut;
  }
  function show(q, words, hits) {
    list.textContent = "";
    if (!hits.length) {
      status.textContent = "Nothing found for “" + q + "”.";
      return;
    }
    var n = hits.length, main = idx("");
    status.textContent = n + (n === 1 ? " result" : " results") +
      (n > SHOWN ? "; the best " + SHOWN + " are shown." : ".");
    hits.slice(0, SHOWN).forEach(function (h) {
      var d = record(h.x, h.doc);
      var parent = typeof d.back === "number" ? record(main, d.back) : null;
      var li = document.createElement("li");
      li.className = "result-" + d.kind;
      var a = document.createElement("a");
      a.href = root + (parent ? expand(parent.path) + d.path : expand(d.path));
      highlight(a, d.title || d.path, words);
      var meta = document.createElement("p");
      meta.className = "search-meta";
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = d.kind;
      meta.appendChild(kind);
      var rest = (d.meta ? " · " + d.meta : "") + (parent ? " · in " : "");
      meta.appendChild(document.createTextNode(rest));
      if (parent) {
        var cite = document.createElement("cite");
        cite.textContent = parent.title;
        meta.appendChild(cite);
      }
      li.append(a, meta);
      if (d.excerpt) {
        var p = document.createElement("p");
        p.className = "search-excerpt";
        highlight(p, snippet(d.excerpt, words), words);
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
