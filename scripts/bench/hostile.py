#!/usr/bin/env python3
"""Hostile inputs: time and peak memory of the release binary on pages and
Markdown that are huge or deeply nested (issue 15, point 2).

    scripts/bench/hostile.py [--bin target/release/briefing] [--work DIR]
                             [--only SUBSTRING ...] [--timeout S] [--scale F]

Each case writes one small project into WORK/<case>/ (default
/dev/shm/briefing-hostile, or the system temp dir) and runs one command on
it through `/usr/bin/time -v`:

    seeds  `briefing -C P clean --out P/out`   (cleaning only)
    md     `briefing -C P build`               (an article or a note)

and reports wall time, peak RSS, the exit code, and the first warning or
error the binary printed (a case may be refused or flattened; it must never
crash or hang). A run longer than --timeout seconds is killed and reported
as a hang. Targets (issue 15): a 50 MB dump or HTML page cleaned in under
3 s and 400 MB; 100,000 levels of nesting in HTML, Markdown articles and
notes in under 1 s each.

Prints a Markdown table. Never run this from CI: it measures the machine.
--scale shrinks every input (0.1 = a tenth of the size/depth), for a quick
look at a slow binary.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

MB = 1 << 20

PARA = (
    "The council met on Tuesday evening to discuss the harbour bridge, "
    "which reopened after two years of repairs that cost far more than "
    "planned, and members said the work was finally done. "
)


def words(n):
    """About n bytes of prose."""
    return (PARA * (n // len(PARA) + 1))[:n]


def article_html(inner_open="", inner_close="", paras=6):
    body = "".join(f"<p>{PARA * 3}</p>\n" for _ in range(paras))
    return (
        "<!doctype html><html><head><title>Harbour bridge reopens</title></head>"
        "<body><article><h1>Harbour bridge reopens</h1>\n"
        f"{inner_open}{body}{inner_close}"
        "</article></body></html>\n"
    )


# ---- generators: each returns (kind, {relative path: bytes}, size/depth label)


def html_divs(n):
    return "seeds", {
        "seeds/deep.html": article_html("<div>" * n, "</div>" * n).encode()
    }, f"{n:,} nested <div>"


def html_divs_unclosed(n):
    return "seeds", {"seeds/deep.html": article_html("<div>" * n).encode()}, f"{n:,} unclosed <div>"


def html_inline(n):
    # unclosed formatting tags with text between: html5ever keeps them all
    # open and reconstructs them in every later paragraph
    inner = "".join(f"<b>w{i} " for i in range(n))
    return "seeds", {"seeds/deep.html": article_html(f"<p>{inner}</p>").encode()}, f"{n:,} unclosed <b>"


def html_font_attrs(n):
    # distinct attributes defeat the "Noah's ark" limit of three identical
    # formatting elements
    inner = "".join(f'<font color="#{i:06x}">' for i in range(n))
    return "seeds", {"seeds/deep.html": article_html(inner).encode()}, f"{n:,} unclosed <font color=…>"


def html_mixed(n):
    tags = ["div", "span", "section", "em", "li", "ul", "blockquote", "table", "td"]
    inner = "".join(f"<{tags[i % len(tags)]}>" for i in range(n))
    return "seeds", {"seeds/deep.html": article_html(inner).encode()}, f"{n:,} mixed open tags"


def html_tables(n):
    # tables in cells: html5ever keeps each table's own scope, and the
    # readability pass matches selectors over every level
    return "seeds", {"seeds/deep.html": article_html("<table><tr><td>" * n).encode()}, f"{n:,} nested <table><tr><td>"


def html_links(n):
    # links in links: the adoption agency closes and reopens each one
    return "seeds", {"seeds/deep.html": article_html("<a href=x>" * n).encode()}, f"{n:,} nested <a href>"


def html_big(size):
    n = size // (len(PARA) * 3 + 8)
    body = "".join(f"<p>{PARA * 3}</p>\n" for _ in range(n))
    page = (
        "<!doctype html><html><head><title>Harbour bridge reopens</title></head>"
        f"<body><article><h1>Harbour bridge reopens</h1>\n{body}</article></body></html>\n"
    )
    return "seeds", {"seeds/big.html": page.encode()}, f"{len(page) / MB:.0f} MB, {n:,} paragraphs"


def html_big_line(size):
    page = (
        "<!doctype html><html><head><title>Harbour bridge reopens</title></head>"
        f"<body><article><h1>Harbour bridge reopens</h1><p>{words(size)}</p></article></body></html>"
    )
    return "seeds", {"seeds/big.html": page.encode()}, f"{len(page) / MB:.0f} MB, one line"


def html_amp(size):
    # one paragraph of `&amp;`: html5ever's serializer searched the rest of
    # the text node at each `&` (quadratic) until clean/html/escape_cost.rs
    n = size // 5
    page = article_html(f"<p>{'&amp;' * n}</p>")
    return "seeds", {"seeds/amp.html": page.encode()}, f"{len(page) / MB:.0f} MB, {n:,} `&amp;` in one paragraph"


def dump_big_line(size):
    text = "Harbour bridge reopens\n\n" + words(size) + "\n"
    return "seeds", {"seeds/big.txt": text.encode()}, f"{len(text) / MB:.0f} MB, one line"


def dump_big_paras(size):
    n = size // (len(PARA) * 3 + 2)
    text = "Harbour bridge reopens\n\n" + "".join(PARA * 3 + "\n\n" for _ in range(n))
    return "seeds", {"seeds/big.txt": text.encode()}, f"{len(text) / MB:.0f} MB, {n:,} paragraphs"


def dump_big_lines(size):
    # one short line per paragraph-less line: a table dump
    n = size // 40
    text = "Harbour bridge reopens\n\n" + "".join(f"row {i} of the long table dump here\n" for i in range(n))
    return "seeds", {"seeds/big.txt": text.encode()}, f"{len(text) / MB:.0f} MB, {n:,} lines"


ARTICLE_HEAD = "---\ntitle: Deep\nslug: deep\n---\n\nThe passage is here.\n\n"


def dump_slides(n):
    # the same gallery counter on every block (each counter was once
    # compared with every other: quadratic)
    text = "Gallery\n\n" + "1of3Caption of a slide\n\n" * n
    return "seeds", {"seeds/slides.txt": text.encode()}, f"{n:,} slide counters"


def md_article(body, label):
    return "md", {"content/deep.md": (ARTICLE_HEAD + body + "\n").encode()}, label


def md_note(body, label):
    return "md", {
        "content/deep.md": (ARTICLE_HEAD + "A plain paragraph.\n").encode(),
        "annotations/deep.md": (
            '---\narticle: deep\n---\n\n## "The passage is here."\n\n' + body + "\n"
        ).encode(),
    }, label


def md_lists(n):
    return "- " * n + "x"


def md_quotes(n):
    return "> " * n + "x"


def md_ordered(n):
    return "1. " * n + "x"


def md_mixed(n):
    return "> - " * (n // 2) + "x"


def md_emph(n):
    return "*a " * n + "x" + " b*" * n


def md_links(n):
    return "[" * n + "x" + "](y)" * n


def md_wikilinks(n):
    return "[[" * n + "x" + "]]" * n


def md_indented(n):
    # each level on its own line, indented two more spaces: the input is
    # quadratic in the depth, so the depth is smaller
    return "".join(" " * (2 * i) + "- x\n" for i in range(n))


CASES = [
    # name, generator, argument (size in bytes or depth)
    ("html-divs", html_divs, 100_000),
    ("html-divs-unclosed", html_divs_unclosed, 100_000),
    ("html-inline", html_inline, 100_000),
    ("html-font-attrs", html_font_attrs, 100_000),
    ("html-mixed", html_mixed, 100_000),
    ("html-tables", html_tables, 100_000),
    ("html-links", html_links, 100_000),
    ("html-50mb", html_big, 50 * MB),
    ("html-50mb-line", html_big_line, 50 * MB),
    ("html-amp-50mb", html_amp, 50 * MB),
    ("dump-50mb-line", dump_big_line, 50 * MB),
    ("dump-50mb-paras", dump_big_paras, 50 * MB),
    ("dump-50mb-lines", dump_big_lines, 50 * MB),
    ("dump-slides", dump_slides, 100_000),
    ("md-lists", lambda n: md_article(md_lists(n), f"{n:,} nested `- `"), 100_000),
    ("md-quotes", lambda n: md_article(md_quotes(n), f"{n:,} nested `> `"), 100_000),
    ("md-ordered", lambda n: md_article(md_ordered(n), f"{n:,} nested `1. `"), 100_000),
    ("md-mixed", lambda n: md_article(md_mixed(n), f"{n:,} nested `> - `"), 100_000),
    ("md-emphasis", lambda n: md_article(md_emph(n), f"{n:,} nested `*`"), 100_000),
    ("md-links", lambda n: md_article(md_links(n), f"{n:,} nested `[`"), 100_000),
    ("md-indented", lambda n: md_article(md_indented(n), f"{n:,} indented list levels"), 3_000),
    ("note-lists", lambda n: md_note(md_lists(n), f"{n:,} nested `- `"), 100_000),
    ("note-quotes", lambda n: md_note(md_quotes(n), f"{n:,} nested `> `"), 100_000),
    ("note-emphasis", lambda n: md_note(md_emph(n), f"{n:,} nested `*`"), 100_000),
    ("note-wikilinks", lambda n: md_note(md_wikilinks(n), f"{n:,} nested `[[`"), 100_000),
]


def peak(stderr_file):
    """(wall s, user+sys CPU s, peak RSS MB) from /usr/bin/time -v output."""
    wall = rss = None
    cpu = 0.0
    with open(stderr_file, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith(("User time (seconds)", "System time (seconds)")):
                cpu += float(line.rsplit(" ", 1)[1])
            elif line.startswith("Elapsed (wall clock) time"):
                t = line.rsplit(" ", 1)[1]
                parts = [float(x) for x in t.split(":")]
                wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
            elif line.startswith("Maximum resident set size"):
                rss = int(line.rsplit(" ", 1)[1]) / 1024.0
    return wall, cpu, rss


def first_diagnostic(text):
    for line in text.splitlines():
        if re.search(r"\b(warning|error)\b|panicked|overflow", line):
            return line.strip()[:110]
    return ""


def run_case(binary, work, name, gen, arg, timeout):
    kind, files, label = gen(arg)
    proj = os.path.join(work, name)
    shutil.rmtree(proj, ignore_errors=True)
    # (an empty settings file: the binary works only inside a briefing)
    files = {"briefing.toml": b"", **files}
    for rel, data in files.items():
        p = os.path.join(proj, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    size = sum(len(d) for rel, d in files.items() if rel != "briefing.toml")
    if kind == "seeds":
        cmd = [binary, "-C", proj, "clean", "--out", os.path.join(proj, "out")]
    else:
        cmd = [binary, "-C", proj, "build"]
    timef = os.path.join(work, name + ".time")
    try:
        p = subprocess.run(
            ["/usr/bin/time", "-v", "-o", timef] + cmd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            env=dict(os.environ, NO_COLOR="1"),
        )
        wall, cpu, rss = peak(timef)
        rc = p.returncode
        if rc < 0 or rc > 128 or "panicked" in p.stderr or "overflow" in p.stderr:
            status = f"CRASH ({rc})"
        else:
            status = str(rc)
        diag = first_diagnostic(p.stderr)
    except subprocess.TimeoutExpired:
        wall, cpu, rss = float(timeout), None, None
        status, diag = "HANG", f"killed after {timeout:.0f} s"
    shutil.rmtree(proj, ignore_errors=True)
    return {
        "name": name,
        "label": label,
        "bytes": size,
        "wall": wall,
        "cpu": cpu,
        "rss": rss,
        "status": status,
        "diag": diag,
        "cmd": " ".join(["briefing", "-C", name] + cmd[3:]),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "..", "..", "target", "release", "briefing"))
    default_work = "/dev/shm/briefing-hostile" if os.path.isdir("/dev/shm") else os.path.join(
        tempfile.gettempdir(), "briefing-hostile"
    )
    ap.add_argument("--work", default=default_work)
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--scale", type=float, default=1.0)
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        sys.exit(f"no binary at {binary}: run `cargo build --release` first")
    os.makedirs(a.work, exist_ok=True)
    rows = []
    for name, gen, arg in CASES:
        if a.only and not any(o in name for o in a.only):
            continue
        arg = max(1, int(arg * a.scale))
        r = run_case(binary, a.work, name, gen, arg, a.timeout)
        rows.append(r)
        rss = f"{r['rss']:.0f} MB" if r["rss"] is not None else "–"
        print(f"  {name}: {r['wall']:.2f} s, {rss}, exit {r['status']}", file=sys.stderr)
    print("| case | input | bytes | wall | CPU | peak RSS | exit | first diagnostic |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for r in rows:
        rss = f"{r['rss']:.0f} MB" if r["rss"] is not None else "–"
        cpu = f"{r['cpu']:.2f} s" if r["cpu"] is not None else "–"
        diag = r["diag"].replace("|", "\\|")
        print(
            f"| {r['name']} | {r['label']} | {r['bytes'] / MB:.1f} MB | {r['wall']:.2f} s | {cpu} | {rss} | {r['status']} | {diag} |"
        )
    shutil.rmtree(a.work, ignore_errors=True)


if __name__ == "__main__":
    main()
