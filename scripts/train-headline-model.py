#!/usr/bin/env python3
"""Learn the text-dump headline scorer's weights and export them to Rust.

The cleaner scores every headline candidate of a dump (a block shortly
before the article text) as a weighted sum of features
(src/clean/dump/headline.rs: NAMES, WEIGHTS) and takes the best. This
script fits those weights as a conditional logit (softmax over one page's
candidates; the right candidate is the one equal to the labelled title)
with an L2 penalty pulling the weights towards a prior: 0 (`--prior
zero`, the default and how the shipped weights were made) or the weights
now in the source (`--prior hand`), so that the penalty's strength says how
far the data may move them.

Honest evaluation: pages are grouped by site (the label's URL host) and
every site is left out in turn (leave-site-out): the weights are fitted on
the other sites and the left-out site's pages are scored with them. The
out-of-fold accuracy, for each penalty strength, is the number to compare
with the current weights' accuracy; the strength with the best out-of-fold
accuracy (ties: the strongest penalty, i.e. the smallest change) is used
to fit the exported weights on all pages. (Choosing that strength among a
few by the same out-of-fold number makes the forecast slightly optimistic.)

Only the "dev" split of the labels is read: the held-out pages are not
looked at, not even their labels.

Features come from the crate itself (examples/headline_candidates --json).

The shipped weights are fitted with no prior at all (`--prior zero`: every
weight is pulled towards 0, none towards a hand-set value), so that the
leave-site-out number printed is the honest forecast for the weights
exported: a site's pages are scored by weights that never saw the site.
To re-train after changing a feature (the example must be rebuilt first):

  cargo build --example headline_candidates
  scripts/train-headline-model.py --prior zero --show-errors   # forecast
  scripts/train-headline-model.py --prior zero --export        # ship
  scripts/train-headline-model.py --prior zero --ablate        # each feature's worth

Usage:
  scripts/train-headline-model.py [--dev DIR] [--prior hand|zero] [--export]
                                  [--show-errors] [--no-cv] [--ablate]
"""
import argparse
import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

REPO = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(REPO / "scripts"))
from shared_dir import find_shared  # noqa: E402
sys.path.insert(0, str(REPO / "scripts" / "cleaning-meta"))
from score_meta import norm_title  # noqa: E402

SOURCE = REPO / "src" / "clean" / "dump" / "headline.rs"
# (strength towards the prior for the features with a non-zero prior,
# strength towards it for the others; with `--prior zero` only the second
# counts)
LAMBDAS = [(1000.0, 1000.0), (1000.0, 3.0), (1000.0, 1.0), (1000.0, 0.3),
           (30.0, 3.0), (30.0, 1.0), (10.0, 1.0)]


def dev_labels():
    with open(REPO / "scripts" / "cleaning-meta" / "dev.tsv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["split"] == "dev"]
    out = {}
    for r in rows:
        host = re.match(r"^https?://([^/]+)", r["url"]).group(1).lower()
        out[r["id"]] = dict(title=r["title"], site=re.sub(r"^www\.", "", host))
    return out


def hand_weights():
    src = SOURCE.read_text(encoding="utf-8")
    block = src.split("// BEGIN WEIGHTS", 1)[1].split("// END WEIGHTS", 1)[0]
    body = block.split("= [", 1)[1].rsplit("];", 1)[0]
    return np.array([float(line.split(",")[0]) for line in body.strip().splitlines()])


def load(dev, labels):
    exe = REPO / "target" / "release" / "examples" / "headline_candidates"
    if not exe.exists():
        exe = REPO / "target" / "debug" / "examples" / "headline_candidates"
    paths = [str(dev / f"{pid}.txt") for pid in sorted(labels)]
    out = subprocess.run([str(exe), "--json", *paths], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    names = json.loads(out[0])["feature_names"]
    pages = []
    for line in out[1:]:
        d = json.loads(line)
        lab = labels[d["page"]]
        want = norm_title(lab["title"])
        cands = d["candidates"]
        X = np.array([c["x"] for c in cands], dtype=float).reshape(-1, len(names))
        y = [k for k, c in enumerate(cands) if norm_title(c["text"]) == want]
        pages.append(dict(page=d["page"], site=lab["site"], X=X, y=y,
                          texts=[c["text"] for c in cands], want=lab["title"]))
    return names, pages


def right(w, p):
    """Is the page's best candidate under weights `w` the labelled title?"""
    if not len(p["X"]) or not p["y"]:
        return False
    s = p["X"] @ w
    best = max(range(len(s)), key=lambda k: (s[k], -k))  # ties: the first
    return best in p["y"]


def chosen(w, p):
    """The text of the page's best candidate under weights `w`."""
    if not len(p["X"]):
        return None
    s = p["X"] @ w
    return p["texts"][max(range(len(s)), key=lambda k: (s[k], -k))]


def margin(w, p):
    """The right candidate's score less the best other's (how safely it
    wins; negative: it loses), None when the title is not a candidate."""
    if not len(p["X"]) or not p["y"]:
        return None
    s = p["X"] @ w
    others = [s[k] for k in range(len(s)) if k not in p["y"]]
    return max(s[k] for k in p["y"]) - max(others) if others else 99.0


def fit(pages, prior, lam):
    lam = np.where(prior != 0, lam[0], lam[1])
    train = [p for p in pages if p["y"] and len(p["X"])]
    # all candidates in one matrix; `starts` marks each page's first row
    X = np.vstack([p["X"] for p in train])
    sizes = np.array([len(p["X"]) for p in train])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    page_of = np.repeat(np.arange(len(train)), sizes)
    is_y = np.zeros(len(X), dtype=bool)
    for k, p in enumerate(train):
        is_y[starts[k] + np.array(p["y"])] = True

    def loss(w):
        s = X @ w
        m = np.maximum.reduceat(s, starts)
        e = np.exp(s - m[page_of])
        z = np.add.reduceat(e, starts)
        zy = np.add.reduceat(np.where(is_y, e, 0.0), starts)
        total = -np.sum(np.log(np.maximum(zy, 1e-300)) - np.log(z))
        # d/dw: expected features over all candidates minus over the right ones
        p_all = e / z[page_of]
        p_y = np.where(is_y, e, 0.0) / np.maximum(zy, 1e-300)[page_of]
        grad = (p_all - p_y) @ X
        d = w - prior
        return total + (lam * d) @ d, grad + 2 * lam * d

    r = minimize(loss, prior.copy(), jac=True, method="L-BFGS-B")
    return r.x


def leave_site_out(pages, prior, lam):
    sites = sorted({p["site"] for p in pages})
    ok = {}
    for s in sites:
        w = fit([p for p in pages if p["site"] != s], prior, lam)
        for p in pages:
            if p["site"] == s:
                ok[p["page"]] = right(w, p)
                p.setdefault("oof_got", {})[lam] = chosen(w, p)
    return ok


def export(names, w):
    src = SOURCE.read_text(encoding="utf-8")
    head, rest = src.split("// BEGIN WEIGHTS", 1)
    _, tail = rest.split("// END WEIGHTS", 1)
    lines = "".join(f"    {round(float(x), 4)!r}, // {n}\n" for x, n in zip(w, names))
    block = ("// BEGIN WEIGHTS (written by scripts/train-headline-model.py)\n"
             "/// The features' weights: a candidate's score is their weighted sum.\n"
             "#[rustfmt::skip]\n"
             f"const WEIGHTS: [f64; FEATURES] = [\n{lines}];\n")
    SOURCE.write_text(head + block + "// END WEIGHTS" + tail, encoding="utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path)
    ap.add_argument("--export", action="store_true")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--no-cv", action="store_true", help="only the current weights' numbers")
    ap.add_argument("--prior", choices=["hand", "zero"], default="zero")
    ap.add_argument("--ablate", action="store_true",
                    help="also score, at the chosen strength, each feature left out")
    a = ap.parse_args()
    dev = a.dev or find_shared() / "eval" / "cleaning" / "dev"
    labels = dev_labels()
    names, pages = load(dev, labels)
    prior = hand_weights() if a.prior == "hand" else np.zeros(len(names))
    n = len(pages)
    reach = sum(bool(p["y"]) for p in pages)
    hand = hand_weights()
    base = sum(right(hand, p) for p in pages)
    print(f"{n} dev pages, {len({p['site'] for p in pages})} sites; "
          f"the title is among the candidates on {reach}")
    print(f"current weights (set on these pages, no held-out): {base}/{n} ({100 * base / n:.1f}%)")
    ms = [m for m in (margin(hand, p) for p in pages) if m is not None]
    print("current weights' margins (right candidate over the best other): "
          + ", ".join(f"< {c}: {sum(m < c for m in ms)}" for c in (0, 0.25, 0.5, 1.0)))
    if a.no_cv:
        return
    best = None
    # (with no prior only the second strength counts: fit each once)
    lambdas = LAMBDAS if a.prior == "hand" else sorted({(1000.0, l) for _, l in LAMBDAS},
                                                        key=lambda l: -l[1])
    for lam in lambdas:
        ok = leave_site_out(pages, prior, lam)
        k = sum(ok.values())
        print(f"lambda {lam}: leave-site-out {k}/{n} ({100 * k / n:.1f}%)")
        if best is None or k > best[1]:
            best = (lam, k, ok)
    lam, k, ok = best
    # out-of-fold accuracy by site (the chosen strength)
    by_site = {}
    for p in pages:
        r = by_site.setdefault(p["site"], [0, 0])
        r[0] += ok[p["page"]]
        r[1] += 1
    wrong_sites = sorted(s for s, (g, m) in by_site.items() if g < m)
    print(f"by site: {len(by_site) - len(wrong_sites)}/{len(by_site)} sites all right; "
          + "wrong on: " + (", ".join(f"{s} {by_site[s][0]}/{by_site[s][1]}" for s in wrong_sites)
                            or "none"))
    w = fit(pages, prior, lam)
    print(f"chosen lambda {lam} (out-of-fold {k}/{n}); weights fitted on all dev pages:")
    for name, h, x in zip(names, hand, w):
        print(f"  {name:28s} {h:+8.3f} -> {x:+8.3f}")
    if a.ablate:
        # each feature's worth out of fold: the same leave-site-out score
        # with its column zeroed (a feature that costs nothing to leave out
        # is a candidate for removal: fewer weights to learn from 81 pages)
        for j, name in enumerate(names):
            mask = np.ones(len(names))
            mask[j] = 0.0
            left = [dict(p, X=p["X"] * mask) if len(p["X"]) else p for p in pages]
            kj = sum(leave_site_out(left, prior, lam).values())
            print(f"  without {name:36s} {kj}/{n} ({kj - k:+d})")
    if a.show_errors:
        for p in pages:
            if not ok[p["page"]]:
                # what the weights fitted without the page's site chose
                got = p["oof_got"][lam]
                print(f"  OOF wrong {p['page'][:8]} {p['site']}: got {got!r} want {p['want']!r}"
                      + ("" if p["y"] else " (not a candidate)"))
    if a.export:
        export(names, w)
        print(f"weights written to {SOURCE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
