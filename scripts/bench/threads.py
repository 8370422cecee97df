#!/usr/bin/env python3
"""How many of a full build's threads can run, over time, with its stages.

    scripts/bench/threads.py BIN PROJECT [BUCKET_SECONDS]

Removes PROJECT/site and PROJECT/.briefing (a full build), runs
`BIN -C PROJECT build` with BRIEFING_TIMINGS=1, and every 5 ms counts the
process's threads in state R (running or waiting for a core) from
/proc/PID/task/*/stat. Prints, per bucket (0.1 s by default), the mean
count and the `timing` lines that ended in it, then the share of samples
with fewer runnable threads than cores.

On a shared machine the wall time is the load's, but whether a thread is
runnable is the build's own: a stage that keeps one core busy while the
other thread sleeps shows as 1 whatever the load (Linux only).
"""
import os
import subprocess
import sys
import threading
import time

binary, proj = sys.argv[1], sys.argv[2]
bucket = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
subprocess.run(["rm", "-rf", f"{proj}/site", f"{proj}/.briefing"], check=True)
env = dict(os.environ, BRIEFING_TIMINGS="1")
t0 = time.monotonic()
p = subprocess.Popen([binary, "-C", proj, "build"], env=env,
                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
events = []


def read_stderr():
    for line in p.stderr:
        events.append((time.monotonic() - t0, line.strip()))


reader = threading.Thread(target=read_stderr)
reader.start()
samples = []
while p.poll() is None:
    t = time.monotonic() - t0
    runnable = 0
    try:
        tids = os.listdir(f"/proc/{p.pid}/task")
    except OSError:
        break
    for tid in tids:
        try:
            with open(f"/proc/{p.pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # the state follows the command name, which may hold spaces
        if stat.rsplit(")", 1)[1].split()[0] == "R":
            runnable += 1
    samples.append((t, runnable))
    time.sleep(0.005)
reader.join()

cores = os.cpu_count() or 1
by_bucket = {}
for t, r in samples:
    by_bucket.setdefault(int(t / bucket), []).append(r)
events.sort()
e = 0
for k in sorted(by_bucket):
    v = by_bucket[k]
    mean = sum(v) / len(v)
    labels = []
    while e < len(events) and events[e][0] < (k + 1) * bucket:
        labels.append(events[e][1].split(" (peak")[0][:70])
        e += 1
    print(f"{k * bucket:6.1f} s  {mean:4.2f} {'#' * round(10 * mean):24} {' | '.join(labels)}")
below = sum(1 for _, r in samples if r < cores)
print(f"{len(samples)} samples; fewer runnable threads than the {cores} cores in "
      f"{below} ({100 * below / max(1, len(samples)):.1f}%)")
