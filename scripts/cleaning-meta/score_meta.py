#!/usr/bin/env python3
"""Score the metadata `briefing clean --out` wrote against hand-checked labels.

Usage: score_meta.py LABELS.tsv KIND MD_DIR [--split dev|heldout|all] [--worst N]

LABELS.tsv (tab-separated, header first):
  id title date updated meta_date outlet outlet_aliases url note split
MD_DIR holds `<id>.md` files with YAML front matter (title, date, outlet, url).

How a field is judged (the same for every page and both input kinds):

* title: equal after normalising Unicode (NFKC), case, whitespace, quotes
  (all single quotes -> ', all double quotes -> "), dashes (-), the
  ellipsis (...) and a trailing full stop. Not a substring match: a title
  with a site-name suffix, or a shorter variant, is wrong.
* date: the calendar day (YYYY-MM-DD, the first ten characters) of `date`.
  - on a page that prints a date (label `date` not empty): *right* when it
    equals the printed publication date or the printed update date
    (`updated`; counted apart as "upd"), *missing* when there is none,
    *wrong* otherwise;
  - on a page that prints none: a date given is "date where none shown"
    (reported separately, with how many of those equal the page's
    machine-readable date `meta_date`); none given is right.
  "date right" is right / pages that print a date; "date wrong" is wrong /
  all pages (the target: at most 2 % of pages).
* outlet: equal to `outlet` or one of `outlet_aliases` (split on " | ")
  after normalising case, a leading "the ", and anything but letters and
  digits ("NYTimes.com" = "nytimes com").
* url: equal after normalising scheme (http = https), a leading "www.", case
  of the host, a trailing slash, and dropping the #fragment.

Python 3 standard library only.
"""

import argparse
import os
import re
import sys
import unicodedata


def read_labels(path, split):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            fields = line.split("\t")
            fields += [""] * (len(header) - len(fields))
            row = dict(zip(header, fields))
            if split != "all" and row.get("split", "dev") != split:
                continue
            rows.append(row)
    return rows


def unquote_yaml(v):
    """A YAML scalar as serde_yaml writes it on one line."""
    v = v.strip()
    if v in ("", "~", "null"):
        return None
    if v.startswith("'") and v.endswith("'") and len(v) >= 2:
        return v[1:-1].replace("''", "'")
    if v.startswith('"') and v.endswith('"') and len(v) >= 2:
        out, i, s = [], 0, v[1:-1]
        simple = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "/": "/", "0": "\0",
                  " ": " ", "_": "\u00a0", "N": "\u0085", "L": "\u2028", "P": "\u2029"}
        while i < len(s):
            c = s[i]
            if c == "\\" and i + 1 < len(s):
                e = s[i + 1]
                if e in simple:
                    out.append(simple[e])
                    i += 2
                    continue
                width = {"x": 2, "u": 4, "U": 8}.get(e)
                if width:
                    out.append(chr(int(s[i + 2:i + 2 + width], 16)))
                    i += 2 + width
                    continue
            out.append(c)
            i += 1
        return "".join(out)
    return v


def front_matter(path):
    """Top-level scalar keys of a Markdown file's YAML front matter."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return None
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---\n", 4)
    if end < 0:
        return {}
    fm = {}
    for line in text[4:end].split("\n"):
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):(?:\s+(.*))?$", line)
        if m:
            fm[m.group(1)] = unquote_yaml(m.group(2) or "")
    return fm


QUOTES = {ord(c): "'" for c in "‘’‚‛′`´"}
QUOTES.update({ord(c): '"' for c in "“”„‟″«»"})
QUOTES.update({ord(c): "-" for c in "‐‑‒–—―−"})


def norm_title(t):
    t = unicodedata.normalize("NFKC", t or "").translate(QUOTES)
    t = t.replace("…", "...")
    t = " ".join(t.split()).casefold()
    return t.rstrip(".").strip()


def norm_outlet(o):
    o = unicodedata.normalize("NFKC", o or "").casefold().strip()
    o = re.sub(r"^the\s+", "", o)
    return re.sub(r"[\W_]+", "", o)


def norm_url(u):
    u = (u or "").strip()
    if not u:
        return ""
    u = u.split("#", 1)[0]
    m = re.match(r"^(?:https?:)?//([^/?]*)(.*)$", u, re.I)
    if not m:
        return u
    host, rest = m.group(1).lower(), m.group(2)
    host = host[4:] if host.startswith("www.") else host
    if rest.endswith("/"):
        rest = rest.rstrip("/")
    return host + rest


def day(d):
    d = (d or "").strip()
    return d[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", d) else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("labels")
    ap.add_argument("kind")
    ap.add_argument("md_dir")
    ap.add_argument("--split", default="all")
    ap.add_argument("--worst", type=int, default=8)
    a = ap.parse_args()
    rows = read_labels(a.labels, a.split)
    if not rows:
        return
    n = len(rows)
    title_ok = outlet_ok = url_ok = 0
    shown = right = upd = wrong = missing = none_given = none_given_meta = 0
    bad = {"title": [], "date": [], "outlet": [], "url": []}
    for r in rows:
        fm = front_matter(os.path.join(a.md_dir, r["id"] + ".md"))
        short = r["id"][:8]
        if fm is None:
            fm = {}
        got_t = fm.get("title") or ""
        if norm_title(got_t) == norm_title(r["title"]):
            title_ok += 1
        else:
            bad["title"].append(f"{short} got {got_t!r} want {r['title']!r}")
        got_d = day(fm.get("date"))
        if r["date"]:
            shown += 1
            if got_d == r["date"]:
                right += 1
            elif got_d and got_d == r["updated"]:
                right += 1
                upd += 1
            elif got_d:
                wrong += 1
                bad["date"].insert(0, f"{short} WRONG got {got_d} want {r['date']}")
            else:
                missing += 1
                bad["date"].append(f"{short} missing, want {r['date']}")
        elif got_d:
            none_given += 1
            same = got_d == r["meta_date"]
            none_given_meta += same
            bad["date"].append(
                f"{short} {got_d} where none shown (meta_date {r['meta_date'] or '-'}{', same' if same else ''})")
        names = [r["outlet"]] + [x for x in r["outlet_aliases"].split(" | ") if x.strip()]
        got_o = fm.get("outlet") or ""
        if got_o and norm_outlet(got_o) in {norm_outlet(x) for x in names if x}:
            outlet_ok += 1
        else:
            bad["outlet"].append(f"{short} got {got_o!r} want {r['outlet']!r}")
        got_u = fm.get("url") or ""
        if got_u and norm_url(got_u) == norm_url(r["url"]):
            url_ok += 1
        else:
            bad["url"].append(f"{short} got {got_u!r} want {r['url']!r}")

    def pct(k, d):
        return f"{k}/{d} ({100 * k / d:.0f}%)" if d else "-"

    print(f"-- metadata, {a.kind}, split {a.split} ({n} pages)")
    print(f"   title        {pct(title_ok, n)}")
    print(f"   date right   {pct(right, shown)} of pages that print one"
          + (f" ({upd} the printed update date)" if upd else "")
          + f"; missing {missing}")
    print(f"   date wrong   {pct(wrong, n)} of all pages")
    print(f"   date where none shown  {none_given}/{n - shown}"
          f" ({none_given_meta} equal to the page's machine-readable date)")
    print(f"   outlet       {pct(outlet_ok, n)}")
    print(f"   url          {pct(url_ok, n)}")
    # one line for tables: kind split n title date_right date_wrong none outlet url
    print(f"   TSV\t{a.kind}\t{a.split}\t{n}\t{title_ok / n:.3f}\t"
          f"{(right / shown if shown else 0):.3f}\t{wrong / n:.3f}\t{none_given}\t"
          f"{outlet_ok / n:.3f}\t{url_ok / n:.3f}")
    if a.worst:
        for field in ("title", "date", "outlet", "url"):
            if bad[field]:
                print(f"   worst {field} ({len(bad[field])}):")
                for line in bad[field][: a.worst]:
                    print(f"     {line}"[:220])


if __name__ == "__main__":
    sys.exit(main())
