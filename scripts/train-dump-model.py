#!/usr/bin/env python3
"""Train the text-dump block classifier and export it as Rust constants.

Reproducible: features come from the crate itself (examples/dump_features),
labels from the benchmark's ground truth (a block is "body" when most of its
4-token shingles occur in the truth). The model is a small gradient-boosted
tree ensemble (scikit-learn), exported to src/clean/dump/weights.rs.

Out-of-fold evaluation (--cv): pages are split into 5 folds (by page, or by
site with --group-by-site); for each fold a model is fitted on the other
folds, written as JSON, and the Rust cleaner (examples/clean_dir --model)
cleans the held-out pages with it; the pooled outputs are scored with
score.py. That out-of-fold score is the number to report.

Usage:
  scripts/train-dump-model.py [--dev DIR] [--cv] [--group-by-site] [--no-export]
"""
import argparse, json, math, os, re, subprocess, sys, tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier

REPO = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(REPO / "scripts"))
from shared_dir import find_shared  # noqa: E402
WORD = re.compile(r"\w+")
STAGE2 = []
PARAMS = dict(n_estimators=int(os.environ.get("GBT_TREES", 160)), max_depth=int(os.environ.get("GBT_DEPTH", 4)), learning_rate=0.1, subsample=0.8,
              min_samples_leaf=20, random_state=7)


def ngrams(toks, n):
    return [tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)]


def label(text, truth_sets):
    toks = WORD.findall(text)
    if not toks:
        return 0.0, 0
    n = min(4, len(toks))
    grams = ngrams(toks, n)
    hit = sum(g in truth_sets[n] for g in grams)
    return hit / len(grams), len(toks)


def features(features_bin, paths, stage1=None):
    args = [str(features_bin)] + (["--stage1", str(stage1)] if stage1 else []) + [str(p) for p in paths]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.splitlines()


def load(dev, features_bin):
    dumps = sorted(p for p in dev.glob("*.txt") if not p.name.endswith(".truth.txt"))
    out = features(features_bin, dumps)
    names = json.loads(out[0])["feature_names"]
    STAGE2[:] = json.loads(out[0])["stage2_names"]
    pages = []
    for line in out[1:]:
        d = json.loads(line)
        truth = (dev / (d["page"] + ".truth.txt")).read_text(encoding="utf-8")
        tt = WORD.findall(truth)
        sets = {n: set(ngrams(tt, n)) for n in range(1, 5)}
        labs = [label(t, sets) for t in d["texts"]]
        pages.append(dict(page=d["page"], X=np.array(d["rows"], dtype=float).reshape(-1, len(names)),
                          y=np.array([f >= 0.5 for f, _ in labs], dtype=int),
                          ntok=np.array([k for _, k in labs], dtype=float)))
    return names, pages


def weights(pages):
    ws = []
    for p in pages:
        w = np.sqrt(p["ntok"] + 1.0)
        ws.append(w / w.sum() * len(w) ** 0.5)
    return np.concatenate(ws)


def fit(pages, key="X"):
    X = np.concatenate([p[key] for p in pages])
    y = np.concatenate([p["y"] for p in pages])
    clf = GradientBoostingClassifier(**PARAMS)
    clf.fit(X, y, sample_weight=weights(pages))
    return clf


def fit_two_stage(pages, dev, features_bin, tmp, k=3, seed=3):
    """Stage 1 on the pages' own features; stage 2 on stage-1 probabilities
    that are out-of-fold within `pages` (so stage 2 learns from honest
    stage-1 scores, as it will see on new pages)."""
    rng = np.random.RandomState(seed)
    order = rng.permutation(len(pages))
    for f in range(k):
        inner_test = [pages[i] for r, i in enumerate(order) if r % k == f]
        inner_train = [pages[i] for r, i in enumerate(order) if r % k != f]
        t1 = export_trees(fit(inner_train))
        mpath = Path(tmp) / f"inner{f}.json"
        mpath.write_text(json.dumps(t1))
        out = features(features_bin, [dev / (p["page"] + ".txt") for p in inner_test], mpath)
        by_page = {json.loads(l)["page"]: json.loads(l) for l in out[1:]}
        for p in inner_test:
            p["X2"] = np.array(by_page[p["page"]]["rows2"], dtype=float).reshape(len(p["y"]), -1)
    s1 = fit(pages)
    s2 = fit(pages, "X2")
    return s1, s2


def export_model(s1, s2, threshold=0.5):
    return dict(stage1=export_trees(s1), stage2=export_trees(s2), threshold=threshold)


def export_trees(clf):
    prior = clf.init_.class_prior_[1]
    base = math.log(prior / (1 - prior))
    lr = clf.learning_rate
    trees = []
    for est in clf.estimators_[:, 0]:
        t = est.tree_
        nodes = []
        for i in range(t.node_count):
            leaf = t.children_left[i] == -1
            nodes.append(dict(feature=-1 if leaf else int(t.feature[i]),
                              threshold=float(t.threshold[i]) if not leaf else 0.0,
                              left=max(int(t.children_left[i]), 0), right=max(int(t.children_right[i]), 0),
                              value=float(lr * t.value[i][0][0]) if leaf else 0.0))
        trees.append(nodes)
    return dict(base=base, trees=trees)


def check_export(clf, model, X):
    X = X.astype(np.float32).astype(np.float64)
    z = np.full(len(X), model["base"])
    for nodes in model["trees"]:
        for r in range(len(X)):
            i = 0
            while nodes[i]["feature"] >= 0:
                n = nodes[i]
                i = n["left"] if X[r, n["feature"]] <= n["threshold"] else n["right"]
            z[r] += nodes[i]["value"]
    ref = clf.decision_function(X)
    assert np.allclose(z, ref, atol=1e-6), float(np.abs(z - ref).max())


def write_rust(model, names, path, note):
    lines = ["//! Generated by scripts/train-dump-model.py — do not edit by hand.",
             f"//! {note}", "//! Features (by index): " + ", ".join(f"{i}={n}" for i, n in enumerate(names)),
             "", "use super::model::Node;", "",
             f"pub const THRESHOLD: f64 = {model['threshold']!r};"]
    for stage in (1, 2):
        t = model[f"stage{stage}"]
        lines.append(f"pub const BASE{stage}: f64 = {t['base']!r};")
        lines.append(f"pub static TREES{stage}: &[&[Node]] = &[")
        for nodes in t["trees"]:
            lines.append("    &[")
            for n in nodes:
                lines.append(f"        Node {{ feature: {n['feature']}, threshold: {n['threshold']!r}, "
                             f"left: {n['left']}, right: {n['right']}, value: {n['value']!r} }},")
            lines.append("    ],")
        lines.append("];")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def site_of(dev):
    sites = {}
    for line in (dev / "index.tsv").read_text().splitlines()[1:]:
        cid, url = line.split("\t")[:2]
        host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
        sites[cid] = host
    return sites


def cv(dev, names, pages, ex, shared, group_by_site, k=5):
    rng = np.random.RandomState(11)
    if group_by_site:
        sites = site_of(dev)
        groups = sorted({sites[p["page"]] for p in pages})
        rng.shuffle(groups)
        gfold = {g: i % k for i, g in enumerate(groups)}
        fold = [gfold[sites[p["page"]]] for p in pages]
    else:
        order = rng.permutation(len(pages))
        fold = [0] * len(pages)
        for rank, i in enumerate(order):
            fold[i] = rank % k
    tmp = Path(tempfile.mkdtemp())
    out = tmp / "out"
    out.mkdir()
    for f in range(k):
        train = [p for p, fi in zip(pages, fold) if fi != f]
        test = [p for p, fi in zip(pages, fold) if fi == f]
        model = export_model(*fit_two_stage(train, dev, ex / "dump_features", tmp))
        mpath = tmp / f"fold{f}.json"
        mpath.write_text(json.dumps(model))
        subprocess.run([str(ex / "clean_dir"), "--model", str(mpath), str(out)] +
                       [str(dev / (p["page"] + ".txt")) for p in test], check=True)
    res = subprocess.run([sys.executable, str(shared / "eval/cleaning/score.py"), str(dev), str(out),
                          "--csv", str(tmp / "cases.csv")], capture_output=True, text=True, check=True)
    print(("site" if group_by_site else "page") + "-grouped 5-fold out-of-fold:")
    print(res.stdout.strip())
    print(f"(per-case scores: {tmp / 'cases.csv'}, outputs: {out})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path)
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--group-by-site", action="store_true")
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--profile", default="debug")
    args = ap.parse_args()
    shared = find_shared()
    dev = args.dev or shared / "eval/cleaning/dev"
    subprocess.run(["cargo", "build", "--quiet", "--example", "dump_features", "--example", "clean_dir"]
                   + (["--release"] if args.profile == "release" else []), cwd=REPO, check=True)
    ex = REPO / "target" / args.profile / "examples"
    names, pages = load(dev, ex / "dump_features")
    print(f"{len(pages)} pages, {sum(len(p['y']) for p in pages)} blocks, "
          f"{sum(p['y'].sum() for p in pages)} body blocks", file=sys.stderr)
    if args.cv:
        cv(dev, names, pages, ex, shared, args.group_by_site)
    if not args.no_export:
        s1, s2 = fit_two_stage(pages, dev, ex / "dump_features", tempfile.mkdtemp())
        model = export_model(s1, s2)
        X = np.concatenate([p["X"] for p in pages])
        check_export(s1, model["stage1"], X[:2000])
        X2 = np.concatenate([p["X2"] for p in pages])
        check_export(s2, model["stage2"], X2[:2000])
        imp = sorted(zip(s2.feature_importances_, names + STAGE2), reverse=True)
        print("feature importances:", ", ".join(f"{n} {v:.3f}" for v, n in imp[:12]), file=sys.stderr)
        write_rust(model, names, REPO / "src/clean/dump/weights.rs",
                   f"GradientBoostingClassifier {PARAMS} on {len(pages)} DEV pages.")
        print("wrote src/clean/dump/weights.rs", file=sys.stderr)


if __name__ == "__main__":
    main()
