#!/usr/bin/env python3
"""Full builds of two briefing binaries and Hugo, alternating in each round.

    scripts/bench/rounds.py WORK N ROUNDS OLD_BIN NEW_BIN HUGO_BIN

WORK holds bN/ (a briefing project) and hN/ (the same articles for Hugo),
as scripts/bench.sh makes them. Each round: OLD full build, NEW full build
(site/ removed first), Hugo (output removed first), the physical floor
(read every input file, copy the built site: `find … -exec cat`, `cp -r`),
then a no-op rebuild of each binary (after a build of its own: the stamp
names the binary). Every run under /usr/bin/time; one line per run with
the load average, and all of them in WORK/rounds-N-<time>.json.
Compare CPU time and ratios within a round: the machine is shared.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

W, n, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
bins = {"old": sys.argv[4], "new": sys.argv[5]}
hugo = sys.argv[6]
b, h, hout = f"{W}/b{n}", f"{W}/h{n}", f"{W}/h{n}-out"
res = []


def timed(label, cmd):
    with tempfile.NamedTemporaryFile("r") as tf:
        p = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name] + cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        w, u, s, m = tf.read().split()[-4:]
    r = dict(label=label, wall=float(w), user=float(u), sys=float(s),
             rss=int(m) / 1024, load=os.getloadavg()[0], rc=p.returncode)
    res.append(r)
    print(f"{label:10} wall {r['wall']:6.2f} user {r['user']:6.2f} sys {r['sys']:5.2f} "
          f"cpu {r['user'] + r['sys']:6.2f} rss {r['rss']:6.0f} MB load {r['load']:.1f} "
          f"rc {p.returncode}", flush=True)
    if p.returncode:
        print(p.stderr[-2000:])


for i in range(rounds):
    for k in ("old", "new"):
        shutil.rmtree(f"{b}/site", ignore_errors=True)
        timed(f"{k}-full", [bins[k], "-C", b, "build"])
    shutil.rmtree(hout, ignore_errors=True)
    timed("hugo", [hugo, "--source", h, "--destination", hout, "--quiet"])
    shutil.rmtree(f"{W}/floor-copy", ignore_errors=True)
    timed("floor", ["sh", "-c", f"cd {b} && find content annotations entities.yaml -type f "
                    f"-exec cat {{}} + > /dev/null && cp -r site {W}/floor-copy"])
    shutil.rmtree(f"{W}/floor-copy", ignore_errors=True)
    for k in ("old", "new"):
        shutil.rmtree(f"{b}/site", ignore_errors=True)
        subprocess.run([bins[k], "-C", b, "build"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        timed(f"{k}-noop", [bins[k], "-C", b, "build"])
json.dump(res, open(f"{W}/rounds-{n}-{int(time.time())}.json", "w"))
