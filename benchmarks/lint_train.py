"""Train the brag model (cardkeep/lint/data/brag_model.json) and measure it on sources it never saw.

    python benchmarks/lint_train.py                 # cross-validate by source, print the figures
    python benchmarks/lint_train.py --write         # ... and write the model (and lexicon_ext.json)
    python benchmarks/lint_train.py --compare       # lexicon packages: with and without, by-source CV

Training-only dependencies (the `train` extra): scikit-learn, numpy; for the lexicons, vaderSentiment
(MIT), empath (MIT) and wordfreq (Apache-2.0, data CC-BY-SA). The runtime needs none of them:
inference is plain Python over the JSON this writes.

Data (labels brag | humblebrag | ok): our own corpus benchmarks/lint_corpus/*.jsonl, the regression
set tests/lint_regression.jsonl, and from ../shared/corpus (read there, never copied):
humblebrag_dev.jsonl and real_dev.jsonl. The model file records each file's sha256 and row count.

The figure that matters is on real lines from sources the model did not train on: real_dev lines are
grouped by site (the domain of their `source` URL); each outer fold holds out a fifth of the sites,
the model trains on everything else (all our written lines included), and the thresholds are chosen
inside the training part by an inner grouped CV: nothing about a held-out site is used to score it.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cardkeep.lint import brags, features, vectors  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
DATA = ROOT / "cardkeep" / "lint" / "data"
LABELS = ("brag", "humblebrag", "ok")
PRECISION_CONSIDER = 0.85  # default inner-CV target; --consider-target overrides (see --curve for the trade)
PRECISION_CUT = 0.97  # cuts are removed on their own: by-source CV precision must stay >= 0.95
CURVE_TARGETS = (0.88, 0.87, 0.86, 0.855, 0.85)
EMPATH_CATEGORIES = (
    "achievement wealthy money valuable banking real_estate home vacation tourism traveling beach ocean air_travel "
    "celebration party beauty attractive appearance body fashion clothing sports competing school college leader "
    "power dominant_heirarchical pride royalty business office work occupation white_collar_job music dance "
    "children family death sadness suffering medical_emergency health pain optimism positive_emotion "
    "negative_emotion envy shame exasperation irritability"
).split()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_group(row: dict) -> str:
    source = str(row.get("source", ""))
    if source.startswith("http"):
        host = urlparse(source).netloc.lower()
        return "real:" + host.removeprefix("www.").removeprefix("m.").removeprefix("staging.")
    return "written:" + (source or "unknown")


def load_rows() -> tuple[list[dict], list[dict]]:
    """(rows, files): every labelled brag/ok line with its group, and a record of each file read."""
    paths = sorted((ROOT / "benchmarks" / "lint_corpus").glob("*.jsonl"))
    paths += [ROOT / "tests" / "lint_regression.jsonl", SHARED / "humblebrag_dev.jsonl", SHARED / "real_dev.jsonl"]
    rows, files = [], []
    seen: set[str] = set()
    for path in paths:
        if not path.exists() or not path.stat().st_size:
            continue
        used = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") not in LABELS or row.get("kind") == "salutation":
                continue
            key = " ".join(row["text"].lower().split())
            if key in seen:
                continue  # the same line in two files counts once (first file wins)
            seen.add(key)
            row["group"] = source_group(row)
            row["real"] = row["group"].startswith("real:")
            row["file"] = path.name
            rows.append(row)
            used += 1
        shown = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else "../" + str(path.relative_to(ROOT.parent))
        files.append({"path": shown, "sha256": sha256(path), "rows_used": used})
    return rows, files


# ---------------------------------------------------------------- lexicons from packages


def build_external(which: set[str]) -> dict:
    """The Empath categories and VADER valences we use, as a plain JSON-able dict."""
    from importlib.metadata import version

    out: dict = {"about": "Extracted by benchmarks/lint_train.py for the brag features.", "sources": {}}
    if "vader" in which:
        import vaderSentiment

        lex = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
        vader = {}
        for line in lex.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0].replace("'", "").replace("-", "").isalpha():
                vader[parts[0]] = round(float(parts[1]), 2)
        out["vader"] = vader
        out["sources"]["vader"] = {
            "package": "vaderSentiment", "version": version("vaderSentiment"), "file": "vader_lexicon.txt",
            "licence": "MIT, Copyright (c) 2016 C.J. Hutto", "words": len(vader)}
    if "empath" in which:
        import empath

        path = Path(empath.__file__).parent / "data" / "categories.tsv"
        cats = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            name, *words = line.split("\t")
            if name in EMPATH_CATEGORIES:
                cats[name] = sorted({w for w in words if w and " " not in w})
        index = {name: i for i, name in enumerate(EMPATH_CATEGORIES)}
        by_word: dict[str, list[int]] = {}
        for name, words in cats.items():
            for w in words:
                by_word.setdefault(w, []).append(index[name])
        out["empath_categories"] = list(EMPATH_CATEGORIES)
        out["empath"] = {w: sorted(v) for w, v in sorted(by_word.items())}
        out["sources"]["empath"] = {
            "package": "empath", "version": version("empath"), "file": "data/categories.tsv",
            "licence": "MIT, Copyright (c) 2016 Ethan Fast", "categories": len(cats), "words": len(by_word)}
    if "wordfreq" in which:
        import math

        import wordfreq

        out["wordfreq"] = {w: round(math.log10(f * 1e9), 2)
                           for w, f in wordfreq.get_frequency_dict("en").items() if w.isalpha()}
        out["sources"]["wordfreq"] = {"package": "wordfreq", "version": version("wordfreq"),
                                      "licence": "Apache-2.0 (code), CC-BY-SA 4.0 (data)", "words": len(out["wordfreq"])}
    return out


def use_external(ext: dict) -> None:
    """Point the feature extractor at `ext` (in memory) and forget cached features."""
    cats = ext.get("empath_categories", [])
    prepared = {
        "empath": {w: tuple(f"empath:{cats[i]}" for i in idx) for w, idx in ext.get("empath", {}).items()},
        "vader": ext.get("vader", {}),
        "wordfreq": ext.get("wordfreq", {}),
    } if ("empath" in ext or "vader" in ext or "wordfreq" in ext) else {}
    features.external = lambda: prepared
    features.extract.cache_clear()


# ---------------------------------------------------------------- learning


def featurise(rows: list[dict], dims: int = 0) -> list[dict[str, float]]:
    """Each row's features; with `dims`, also the first `dims` dimensions of its mean word vector."""
    out = []
    v = vectors.load() if dims else None
    if dims and v is None:
        raise SystemExit("no word vectors: run benchmarks/lint_vectors.py first")
    for r in rows:
        f, verdict, words = features.extract(r["text"])
        r["rule"] = bool(verdict.rule)  # judged as cardkeep judges: a rule's brag is at least a "consider"
        r["address"] = brags.only_an_address(r["text"])  # ... and an address alone is never judged
        x = dict(f)
        if v is not None:
            x.update({f"vec:{d}": value for d, value in enumerate(v.mean(words)[:dims])})
        out.append(x)
    return out


def fit(X: list[dict], rows: list[dict], params: dict):
    """A linear model on `X` (the mean of three logistic regressions); n-grams are kept only when seen
    in two or more sources."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    sources: dict[str, set[str]] = {}
    for x, r in zip(X, rows, strict=True):
        for k in x:
            if k.startswith(("w:", "b:")):
                sources.setdefault(k, set()).add(r["group"])
    keep = {k for k, s in sources.items() if len(s) >= params["min_sources"]}
    scale = params["ngram_scale"]
    vscale = params.get("vec_scale", 1.0)

    def factor(k: str) -> float:
        return scale if k.startswith(("w:", "b:")) else vscale if k.startswith("vec:") else 1.0

    def prepare(x: dict) -> dict:
        return {k: v * factor(k) for k, v in x.items() if not k.startswith(("w:", "b:")) or k in keep}

    vec = DictVectorizer()
    A = vec.fit_transform([prepare(x) for x in X])
    w = [params["real_weight"] if r["real"] else 1.0 for r in rows]
    # Three logistic regressions: any brag against ok lines, and a specialist for each kind (plain
    # brags, humble-brags) against ok lines alone. A humble-brag's frame and a plain brag's claim pull
    # one set of weights two ways; the specialists each learn one. Their logits are averaged, which is
    # one linear model again (the weights averaged): nothing changes at run time. By-source CV, same
    # folds: +1 to +2 points of recall at the same precision over the single regression.
    coef, bias = 0.0, 0.0
    for positive in (("brag", "humblebrag"), ("brag",), ("humblebrag",)):
        idx = [i for i, r in enumerate(rows) if r["label"] in positive or r["label"] == "ok"]
        clf = LogisticRegression(C=params["C"], max_iter=3000)
        clf.fit(A[idx], [rows[i]["label"] != "ok" for i in idx], sample_weight=[w[i] for i in idx])
        coef, bias = coef + clf.coef_[0] / 3, bias + float(clf.intercept_[0]) / 3
    weights = {name: float(c) * factor(name)
               for name, c in zip(vec.get_feature_names_out(), coef, strict=True)
               if abs(c) > 1e-4 or name.startswith("vec:")}
    return bias, weights


def predict(bias: float, weights: dict, x: dict) -> float:
    import math

    z = bias + sum(weights.get(k, 0.0) * v for k, v in x.items())
    return 1 / (1 + math.exp(-z))


def folds_by_group(indices: list[int], rows: list[dict], k: int, seed: int) -> list[list[int]]:
    groups = sorted({rows[i]["group"] for i in indices})
    random.Random(seed).shuffle(groups)
    fold_of = {g: n % k for n, g in enumerate(groups)}
    out: list[list[int]] = [[] for _ in range(k)]
    for i in indices:
        out[fold_of[rows[i]["group"]]].append(i)
    return out


def oof(X, rows, train: list[int], params: dict, k: int, seed: int) -> dict[int, float]:
    """Out-of-fold probabilities for the real rows in `train`, holding out sites `k` ways."""
    real = [i for i in train if rows[i]["real"]]
    written = [i for i in train if not rows[i]["real"]]
    scores: dict[int, float] = {}
    for held in folds_by_group(real, rows, k, seed):
        if not held:
            continue
        held_set = set(held)
        fit_on = written + [i for i in real if i not in held_set]
        bias, weights = fit([X[i] for i in fit_on], [rows[i] for i in fit_on], params)
        for i in held:
            scores[i] = predict(bias, weights, X[i])
    return scores


def threshold(scores: dict[int, float], rows, target: float, floor: float) -> float:
    """The lowest threshold whose precision on `scores` reaches `target` (most recall at that precision)."""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, tp, fp = None, 0, 0
    for i, p in ranked:
        if rows[i]["label"] != "ok":
            tp += 1
        else:
            fp += 1
        if tp / (tp + fp) >= target and tp >= 5:
            best = p
    return max(best if best is not None else 0.9, floor)


def nested_raw(X, rows, params: dict, repeats: int = 3) -> list[tuple[dict[int, float], list[tuple[int, float]]]]:
    """Outer: hold out a fifth of the real sites; per outer fold, the inner out-of-fold scores of the
    training part (to choose thresholds from) and the held-out sites' scores from the full training part."""
    real = [i for i, r in enumerate(rows) if r["real"]]
    written = [i for i, r in enumerate(rows) if not r["real"]]
    out = []
    for seed in range(repeats):
        for held in folds_by_group(real, rows, 5, 100 + seed):
            held_set = set(held)
            train = written + [i for i in real if i not in held_set]
            inner = oof(X, rows, train, params, 4, 200 + seed)
            bias, weights = fit([X[i] for i in train], [rows[i] for i in train], params)
            out.append((inner, [(i, predict(bias, weights, X[i])) for i in held]))
    return out


def as_judged(row: dict, p: float, consider: float) -> float:
    """The score as `cardkeep.lint.brags.judge` acts on it: an address alone is not judged (0); a line
    the precise rules call a brag is at least a "consider" (its cut: `cut_at`)."""
    if row.get("address"):
        return 0.0
    return max(p, consider) if row.get("rule") else p


def cut_at(row: dict, p: float, consider: float, cut: float) -> float:
    """The cut threshold for one line as `cardkeep.lint.brags.judge` applies it: a line the precise
    rules call a brag is cut once the model itself reaches "consider" (the rules are precise: all 43
    real_dev lines they flag are brags); any other line needs the model's own cut."""
    return consider if row.get("rule") and p >= consider else cut


def score_raw(raw, rows, repeats: int, consider_target: float = 0.0, cut_target: float = 0.0) -> dict:
    """Pooled figures for `raw` (from nested_raw) with thresholds chosen on each fold's inner scores."""
    consider_target = consider_target or PRECISION_CONSIDER
    cut_target = cut_target or PRECISION_CUT
    results = []  # (index, p, consider, cut)
    for inner, held in raw:
        consider = threshold(inner, rows, consider_target, 0.3)
        cut = threshold(inner, rows, cut_target, max(consider, 0.5))
        results.extend((i, as_judged(rows[i], p, consider), consider, cut_at(rows[i], p, consider, cut)) for i, p in held)
    return summarise(results, rows, repeats)


def nested_cv(X, rows, params: dict, repeats: int = 3) -> dict:
    """Outer: hold out a fifth of the real sites; inner: choose thresholds on the rest. Pooled figures."""
    return score_raw(nested_raw(X, rows, params, repeats), rows, repeats)


def written_only(X, rows, params: dict) -> dict:
    """Trained on our written lines alone, judged on every real line (thresholds from written CV)."""
    written = [i for i, r in enumerate(rows) if not r["real"]]
    real = [i for i, r in enumerate(rows) if r["real"]]
    bias, weights = fit([X[i] for i in written], [rows[i] for i in written], params)
    probe = {i: predict(bias, weights, X[i]) for i in written}  # training scores: optimistic thresholds
    consider = threshold(probe, rows, PRECISION_CONSIDER, 0.5)
    return summarise([(i, as_judged(rows[i], predict(bias, weights, X[i]), consider), consider, max(consider, 0.8))
                      for i in real], rows, 1)


def summarise(results, rows, repeats: int) -> dict:
    def prf(pairs):
        tp = sum(1 for flagged, pos in pairs if flagged and pos)
        fp = sum(1 for flagged, pos in pairs if flagged and not pos)
        fn = sum(1 for flagged, pos in pairs if not flagged and pos)
        neg = sum(1 for _, pos in pairs if not pos)
        return {"precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
                "false_flag_rate": round(fp / neg, 3) if neg else 0.0, "n": len(pairs) // repeats}

    flag = [(p >= c, rows[i]["label"] != "ok") for i, p, c, _ in results]
    cut = [(p >= k, rows[i]["label"] != "ok") for i, p, _, k in results]
    out = {"consider_or_cut": prf(flag), "cut": prf(cut)}
    for label in ("brag", "humblebrag"):
        sub = [(p >= c) for i, p, c, _ in results if rows[i]["label"] == label]
        out[f"recall_{label}"] = round(sum(sub) / len(sub), 3) if sub else None
    cats: dict[str, list] = {}
    for i, p, c, _ in results:
        cats.setdefault(f'{rows[i]["label"]}/{rows[i].get("category", "-")}', []).append(p >= c)
    out["flagged_by_category"] = {k: f"{sum(v) // repeats}/{len(v) // repeats}" for k, v in sorted(cats.items())}
    return out


DEFAULT = {"C": 0.2, "ngram_scale": 0.25, "real_weight": 8.0, "min_sources": 2, "vec_scale": 20.0}


def ceiling(rows: list[dict], npz: Path, repeats: int) -> int:
    """The headroom: the same nested by-source CV on whole-line MiniLM embeddings (384 dimensions),
    alone and beside our features. The teacher on whole lines is too heavy to run in cardkeep."""
    import numpy as np

    data = np.load(npz)
    by_text = dict(zip(data["texts"].tolist(), data["emb"], strict=True))
    missing = [r["text"] for r in rows if r["text"] not in by_text]
    if missing:
        raise SystemExit(f"{len(missing)} lines have no embedding: rerun lint_vectors.py --sentences")
    sent = [{f"vec:{d}": float(x) for d, x in enumerate(by_text[r["text"]])} for r in rows]
    for vs in (3.0, 10.0):
        res = nested_cv(sent, rows, dict(DEFAULT, vec_scale=vs), repeats)
        print(f"whole-line MiniLM alone x{vs}: {json.dumps(res['consider_or_cut'])} cut {json.dumps(res['cut'])}",
              flush=True)
    both = [dict(f, **s) for f, s in zip(featurise(rows), sent, strict=True)]
    for vs in (3.0, 10.0):
        res = nested_cv(both, rows, dict(DEFAULT, vec_scale=vs), repeats)
        print(f"our features + whole-line MiniLM x{vs}: {json.dumps(res['consider_or_cut'])} cut {json.dumps(res['cut'])}",
              flush=True)
    return 0


def curve(rows: list[dict], settings: str, repeats: int) -> int:
    """The precision/recall/ok-flag trade of each DIMSxSCALE setting as the consider target moves:
    one repeated nested by-source CV per setting (the fits do not depend on the target)."""
    for setting in settings.split(","):
        d, vs = setting.split("x")
        X = featurise(rows, int(d))
        raw = nested_raw(X, rows, dict(DEFAULT, vec_scale=float(vs)), repeats)
        for target in CURVE_TARGETS:
            res = score_raw(raw, rows, repeats, target)
            c, k = res["consider_or_cut"], res["cut"]
            print(f"{setting:>7} target {target:<5}  P {c['precision']:.3f}  R {c['recall']:.3f}  "
                  f"ok {c['false_flag_rate']:.3f}  | cut P {k['precision']:.3f} R {k['recall']:.3f}  "
                  f"| brag {res['recall_brag']:.3f} humble {res['recall_humblebrag']:.3f}", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the model and the lexicon file")
    parser.add_argument("--compare", action="store_true", help="by-source CV with and without each lexicon")
    parser.add_argument("--grid", action="store_true", help="by-source CV over a small hyperparameter grid")
    parser.add_argument("--lexicons", default="", help="comma-separated: vader, empath, wordfreq (default: none)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--vec-dims", type=int, default=-1,
                        help="word-vector dimensions to use (default: all in the shipped file; 0: none)")
    parser.add_argument("--vec-scale", type=float, default=DEFAULT["vec_scale"])
    parser.add_argument("--compare-vectors", action="store_true",
                        help="by-source CV without and with the word vectors (several sizes and scales)")
    parser.add_argument("--consider-target", type=float, default=PRECISION_CONSIDER,
                        help="precision the 'consider' threshold is chosen for (inside the training folds)")
    parser.add_argument("--curve", default="",
                        help="comma-separated DIMSxSCALE settings (e.g. 96x5,128x8): repeated nested by-source CV of "
                             f"each at consider targets {', '.join(map(str, CURVE_TARGETS))}")
    parser.add_argument("--ceiling", type=Path, metavar="NPZ",
                        help="by-source CV of a logistic regression on whole-line teacher embeddings "
                             "(from benchmarks/lint_vectors.py --sentences): a reference, never shipped")
    args = parser.parse_args()
    if not (SHARED / "real_dev.jsonl").exists():
        print(f"{SHARED} is absent: the by-source figures need real_dev.jsonl")
        return 1
    rows, files = load_rows()
    print(f"{len(rows)} lines: " + ", ".join(f"{k} {v}" for k, v in Counter(r['label'] for r in rows).items())
          + f"; {sum(r['real'] for r in rows)} real from {len({r['group'] for r in rows if r['real']})} sites")
    shipped = vectors.load()
    dims = (shipped.dims if shipped else 0) if args.vec_dims < 0 else args.vec_dims
    if args.compare:  # each package beside the shipped features and word vectors, on the same folds
        for which in ([], ["vader"], ["empath"], ["wordfreq"]):
            use_external(build_external(set(which)))
            res = score_raw(nested_raw(featurise(rows, dims), rows, DEFAULT, args.repeats), rows, args.repeats)
            print(f"lexicons {'+'.join(which) or 'none':9} {json.dumps(res['consider_or_cut'])} cut {json.dumps(res['cut'])}",
                  flush=True)
        return 0
    which = {w for w in args.lexicons.split(",") if w}
    ext = build_external(which)
    use_external(ext)
    if args.compare_vectors:
        base = featurise(rows)
        res = nested_cv(base, rows, DEFAULT, args.repeats)
        print(f"no vectors            {json.dumps(res['consider_or_cut'])} cut {json.dumps(res['cut'])}", flush=True)
        for d in sorted({min(16, dims), min(32, dims), dims}):
            X = featurise(rows, d)
            for vs in (1.0, 3.0, 10.0):
                res = nested_cv(X, rows, dict(DEFAULT, vec_scale=vs), args.repeats)
                print(f"vectors {d:3} x{vs:<5} {json.dumps(res['consider_or_cut'])} cut {json.dumps(res['cut'])}",
                      flush=True)
        return 0
    if args.ceiling:
        return ceiling(rows, args.ceiling, args.repeats)
    if args.curve:
        return curve(rows, args.curve, args.repeats)
    X = featurise(rows, dims)
    params = dict(DEFAULT, vec_scale=args.vec_scale) if dims else dict(DEFAULT)
    if args.grid:
        for C in (0.1, 0.3, 1.0):
            for scale in (0.3, 0.6, 1.0):
                for rw in (1.0, 2.0, 4.0):
                    p = dict(DEFAULT, C=C, ngram_scale=scale, real_weight=rw)
                    res = nested_cv(X, rows, p, args.repeats)["consider_or_cut"]
                    print(f"C={C} scale={scale} real_weight={rw}: {json.dumps(res)}")
        return 0
    cv = score_raw(nested_raw(X, rows, params, args.repeats), rows, args.repeats, args.consider_target)
    print("by-source CV on real_dev (nested, thresholds chosen inside the training sites):")
    print(json.dumps(cv, indent=1))
    wo = written_only(X, rows, params)
    print("trained on written lines only, judged on all real lines:", json.dumps(wo["consider_or_cut"]))
    if not args.write:
        return 0
    everything = list(range(len(rows)))
    scores = oof(X, rows, everything, params, 5, 7)
    consider = threshold(scores, rows, args.consider_target, 0.3)
    cut = threshold(scores, rows, PRECISION_CUT, max(consider, 0.5))
    bias, weights = fit(X, rows, params)
    import sklearn

    model = {
        "about": "The brag model: a linear model (the mean of three logistic regressions) over cardkeep.lint.features; see benchmarks/lint_train.py.",
        "trained": {
            "date": datetime.date.today().isoformat(),
            "script": "benchmarks/lint_train.py",
            "files": files,
            "rows": len(rows),
            "labels": dict(Counter(r["label"] for r in rows)),
            "real_sites": len({r["group"] for r in rows if r["real"]}),
            "hyperparameters": params,
            "threshold_precision_targets": {"consider": args.consider_target, "cut": PRECISION_CUT},
            "cv_repeats": args.repeats,
            "lexicons": ext.get("sources", {}),
            "word_vectors": ({"files": [{"path": f"cardkeep/lint/{name}", "sha256": sha256(DATA.parent / name)}
                                        for name in (vectors.HEADER_FILE, vectors.VECTOR_FILE)],
                              "dims": dims, "source": shipped.header["source"], "made": shipped.header["made"]}
                             if dims and shipped else None),
            "scikit_learn": sklearn.__version__,
        },
        "evaluation": {"by_source_cv_real_dev": cv, "written_only_on_real_dev": wo},
        "vector_dims": dims,
        "thresholds": {"consider": round(consider, 4), "cut": round(cut, 4)},
        "bias": round(bias, 5),
        "weights": {k: round(v, 5) for k, v in sorted(weights.items())},
    }
    (DATA / "brag_model.json").write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    ext_path = DATA / "lexicon_ext.json"
    if which:
        ext_path.write_text(json.dumps(ext, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    elif ext_path.exists():
        ext_path.unlink()
    print(f"wrote {DATA / 'brag_model.json'}: {len(weights)} weights, consider {consider:.3f}, cut {cut:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
