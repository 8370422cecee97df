#!/usr/bin/env python3
"""Where the bytes of an article page go.

    scripts/bench/page_bytes.py SITE [--sample N] [--page articles/SLUG]

Reads `SITE/articles/*/index.html` (every article page; `--sample N`
takes N of them, chosen with a fixed seed, for a quick look) and prints
the mean bytes per page of each region, its markup (tags, attributes)
and text (everything between tags, whitespace included) apart, the mean
gzip size (level 6, as servers commonly send) and the mention markup
per mention. `--page` prints one page's breakdown instead.

Regions (by the element a byte sits in, innermost decisive one first):

- head: `<head>` but its scripts
- inline scripts/JSON: `<script>` elements with content (JSON-LD) and
  `<script src>` tags
- header/nav: the skip link and the masthead
- article header: the page head (title, dateline, tags)
- note: the analyst's note on the whole article
- body text / body markup: the article body's text and its own tags
  (paragraphs, quotes, emphasis, ...)
- mention markup: entity-mention tags in the body (`a.entity`,
  `span.mention` or whatever the page uses: an `<a>` to an entity page
  or an element with a `mention-` id), text excluded
- annotation markup / annotation text: highlights (`<mark>`) and the
  sidenotes after paragraphs (their text apart)
- entity chips, related articles, backlinks: the sections "Named in
  this article", "Related articles", "Pointed to from"
- footer: the provenance footer and the colophon
- other: the document's own tags (doctype, html, body, main, article)

The page is read as a flat sequence of tags and text (the pages are
generated, well formed), so this needs no HTML parser.
"""

import glob
import gzip
import os
import random
import re
import sys
from collections import defaultdict

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
    "meta", "source", "track", "wbr",
}
TAG = re.compile(r"<!--.*?-->|<![^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>", re.S)
ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+)))?')

ORDER = [
    "head", "inline scripts/JSON", "header/nav", "article header", "note",
    "body text", "body markup", "mention markup", "annotation markup",
    "annotation text", "entity chips", "related articles", "backlinks",
    "footer", "other",
]


def attrs(s):
    out = {}
    for m in ATTR.finditer(s):
        out[m.group(1).lower()] = m.group(2) or m.group(3) or m.group(4) or ""
    return out


def own_region(name, a, parent):
    """The region an element opens, or None when it keeps its parent's."""
    cls = a.get("class", "").split()
    if name == "head":
        return "head"
    if name == "script":
        return "inline scripts/JSON"
    if parent in ("body", "mark"):
        if name == "mark":
            return "mark"
        if "sidenotes" in cls or "sidenote" in cls:
            return "sidenote"
        if is_mention(name, a, cls):
            return "mention"
        return None
    if parent in ("mention", "sidenote", "head", "inline scripts/JSON"):
        return None
    if "skip" in cls or "masthead" in cls:
        return "header/nav"
    if "page-head" in cls:
        return "article header"
    if "article-note" in cls:
        return "note"
    if "body" in cls and name == "div":
        return "body"
    if name == "section":
        for c, r in SECTIONS.items():
            if c in cls:
                return r
    if name == "footer":
        return "footer"
    return None


def is_mention(name, a, cls):
    if a.get("id", "").startswith("mention-") or "mention" in cls or "entity" in cls:
        return True
    href = a.get("href", "")
    return name == "a" and "/entities/" in href and "#" not in href


SECTIONS = {
    "article-entities": "entity chips",
    "related": "related articles",
    "backlinks": "backlinks",
}
MARKUP = {
    "body": "body markup",
    "mention": "mention markup",
    "mark": "annotation markup",
    "sidenote": "annotation markup",
    None: "other",
}
TEXT = {
    "body": "body text",
    "mention": "body text",
    "mark": "body text",
    "sidenote": "annotation text",
    None: "other",
}


def breakdown(html):
    """Bytes by region (markup and text apart), and the mentions seen."""
    out = defaultdict(int)
    stack = []  # (tag name, region)
    mentions = 0
    pos = 0
    for m in TAG.finditer(html):
        region = stack[-1][1] if stack else None
        if m.start() > pos:
            text = html[pos:m.start()]
            out[("text", TEXT.get(region, region))] += len(text.encode())
        size = len(m.group(0).encode())
        pos = m.end()
        if m.group(2) is None:  # comment, doctype
            out[("markup", "other")] += size
            continue
        name = m.group(2).lower()
        if m.group(1):  # end tag: pop to its element (the pages are well formed)
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    region = stack[i][1]
                    del stack[i:]
                    break
            out[("markup", MARKUP.get(region, region))] += size
            continue
        a = attrs(m.group(3))
        mine = own_region(name, a, region)
        if mine == "mention":
            mentions += 1
        region = mine or region
        out[("markup", MARKUP.get(region, region))] += size
        if name not in VOID:
            stack.append((name, region))
    if pos < len(html):
        out[("text", "other")] += len(html[pos:].encode())
    return out, mentions


def report(pages, out_file=sys.stdout):
    total = defaultdict(int)
    size = gz = mentions = 0
    for p in pages:
        data = open(p, "rb").read()
        size += len(data)
        gz += len(gzip.compress(data, 6, mtime=0))
        b, n = breakdown(data.decode())
        mentions += n
        for k, v in b.items():
            total[k] += v
    n = len(pages)
    w = out_file.write
    w(f"pages: {n}\n")
    w(f"{'region':<22}{'markup':>10}{'text':>10}{'total':>10}\n")
    summed = 0
    for r in ORDER:
        mk = total[("markup", r)] / n
        tx = total[("text", r)] / n
        if mk == 0 and tx == 0:
            continue
        summed += mk + tx
        w(f"{r:<22}{mk:>10.0f}{tx:>10.0f}{mk + tx:>10.0f}\n")
    w(f"{'page (mean bytes)':<22}{'':>10}{'':>10}{size / n:>10.0f}\n")
    w(f"{'gzip -6 (mean bytes)':<22}{'':>10}{'':>10}{gz / n:>10.0f}\n")
    assert abs(summed - size / n) < 1, (summed, size / n)
    if mentions:
        w(f"mentions: {mentions / n:.1f} a page, "
          f"{total[('markup', 'mention markup')] / mentions:.1f} bytes of markup each\n")


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    site = argv[1]
    sample = None
    page = None
    args = argv[2:]
    while args:
        if args[0] == "--sample":
            sample = int(args[1])
            args = args[2:]
        elif args[0] == "--page":
            page = args[1]
            args = args[2:]
        else:
            print(f"unknown argument {args[0]!r}", file=sys.stderr)
            return 2
    if page:
        pages = [os.path.join(site, page, "index.html")]
    else:
        pages = sorted(
            p for p in glob.glob(os.path.join(site, "articles", "*", "index.html"))
            if not os.path.basename(os.path.dirname(p)).startswith("index")
        )
        # the archive's pages are articles/index*.html, not in a directory
        if sample and sample < len(pages):
            pages = random.Random(16).sample(pages, sample)
    if not pages:
        print(f"no article pages under {site}/articles/", file=sys.stderr)
        return 1
    report(pages)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
