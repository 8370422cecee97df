#!/usr/bin/env python3
"""Save -> page on disk in `briefing serve`: the latency of one annotation
(or article) edit, measured end to end (the watcher's debounce included).

    scripts/bench/save_to_disk.py PROJECT BRIEFING_BIN [RUNS] [annotation|article]

PROJECT is a copy of a briefing (e.g. of /dev/shm/briefing-bench/b10000: the
script edits its first annotation file and puts it back). It starts
`briefing serve` there, then RUNS times saves the annotation file by rename
(as editors do) with a new sentence in its first note, and polls the
article's page until the sentence is in it. Prints the median, min, p90 and
max, and the server's last rebuild lines (BRIEFING_TIMINGS=1).
With `article`, it edits the body of the article that annotation file is
about instead (a new sentence at the start of its first paragraph).
A measurement, not a test.
"""
import glob, os, re, signal, subprocess, sys, time

proj, binp = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 21
kind = sys.argv[4] if len(sys.argv) > 4 else "annotation"
ann = sorted(glob.glob(os.path.join(proj, "annotations", "*.md")))[0]
orig = open(ann, encoding="utf-8").read()
slug = re.search(r"^article:\s*(\S+)", orig, re.M).group(1)
page = os.path.join(proj, "site", "articles", slug, "index.html")
head = re.search(r"^## .*$", orig, re.M)
if kind == "article":
    # the article's file: the one whose front matter names the slug
    for f in sorted(glob.glob(os.path.join(proj, "content", "*.md"))):
        text = open(f, encoding="utf-8").read()
        if re.search(rf"^slug:\s*{re.escape(slug)}\s*$", text, re.M):
            ann, orig = f, text
            break
    else:
        sys.exit(f"no content file with slug {slug}")
    # the first paragraph of the body, after the front matter
    body = orig.index("\n---\n", 4) + len("\n---\n")
    head = re.compile(r"\n*").match(orig, body)
env = dict(os.environ, BRIEFING_TIMINGS="1")
p = subprocess.Popen([binp, "serve", "--port", "18765"], cwd=proj, env=env,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
# the first build is done when the server says where it serves
early = []
for line in p.stdout:
    early.append(line)
    if line.startswith("serving "):
        break
else:
    sys.exit("briefing serve stopped:\n" + "".join(early[-20:]))
time.sleep(2)  # the old site's removal, and the watcher


def save(text):
    tmp = ann + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, ann)


lat = []
try:
    for i in range(runs):
        marker = f"Edited in run {i} zq{i}x."
        if kind == "article":
            save(orig[: head.end()] + f"{marker} " + orig[head.end():])
        else:
            save(orig[: head.end()] + f"\n\n{marker}\n" + orig[head.end():])
        t = time.perf_counter()
        while True:
            try:
                if marker in open(page, encoding="utf-8").read():
                    break
            except FileNotFoundError:
                pass
            if time.perf_counter() - t > 10:
                sys.exit(f"run {i}: the page did not change in 10 s")
            time.sleep(0.0005)
        lat.append((time.perf_counter() - t) * 1000)
        time.sleep(0.4)
finally:
    save(orig)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    try:
        out = p.communicate(timeout=5)[0]
    except subprocess.TimeoutExpired:
        p.kill()
        out = p.communicate()[0]
lat.sort()
print(f"{kind} edit -> page on disk: median {lat[len(lat) // 2]:.1f} ms, "
      f"min {lat[0]:.1f}, p90 {lat[int(len(lat) * 0.9)]:.1f}, max {lat[-1]:.1f} ({runs} runs)")
whole = sorted(int(m.group(1)) for m in re.finditer(r"^rebuilt .* in (\d+) ms", out, re.M))
if whole:
    # the whole rebuild, from the watcher's batch to the last page written
    # (the listings and entity pages come after the edited page)
    print(f"whole rebuild (listings, entity pages included): median {whole[len(whole) // 2]} ms, "
          f"p90 {whole[int(len(whole) * 0.9)]} ms ({len(whole)} rebuilds)")
print("\n".join([l for l in out.splitlines() if "rebuilt" in l or "timing" in l][-14:]))
