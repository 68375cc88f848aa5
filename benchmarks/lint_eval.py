"""How well the lint rules judge labelled lines: precision, recall, F1 and false flags per family and category.

    python benchmarks/lint_eval.py [FILE.jsonl ...] [--show-errors] [--cv]

The figure to report is the first one printed: the brag model's grouped-by-source cross-validation
on ../shared/corpus/real_dev.jsonl (recorded in the model file by benchmarks/lint_train.py; `--cv`
recomputes it, which needs scikit-learn). The shipped model trained on every file below, so the
per-file figures after it are fit on training data (the regression set, the dev sets): they catch
regressions, they do not measure generalisation.

Each JSONL line has `text` and `label`: `brag`, `humblebrag` or `ok` (with `hard` for the tricky ok
lines) for the brag families; `generic` or `personal` for salutations and sign-offs. Every line is
linted on its own, as a one-line letter. Defaults to the development sets in ../shared/corpus.

    brag+humble  any brag.* finding, against lines labelled brag or humblebrag
    brag         a direct brag.* finding (not brag.humble.*), against lines labelled brag
    humble       a brag.humble.* finding, against lines labelled humblebrag
    hard ok      the share of hard ok lines given any brag.* finding (target: at most 0.10)
    salutation   a salutation.* or signature.* finding means "generic"; accuracy (target: 0.95)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cardkeep.lint import lint_text  # noqa: E402

DEFAULT_FILES = [
    ROOT.parent / "shared" / "corpus" / "real_dev.jsonl",
    ROOT.parent / "shared" / "corpus" / "humblebrag_dev.jsonl",
    ROOT.parent / "shared" / "corpus" / "salutation_dev.jsonl",
    ROOT / "tests" / "lint_regression.jsonl",
]
BRAG_LABELS = ("brag", "humblebrag", "ok")


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(rows: list[dict], show_errors: bool = False) -> dict:
    counts = {name: [0, 0, 0] for name in ("brag+humble", "brag", "humble")}
    hard = hard_flagged = 0
    sal_right = sal_total = 0
    sal_counts = [0, 0, 0]
    errors: list[str] = []
    categories: dict[str, list[int]] = {}  # label/category -> [flagged, total]
    for row in rows:
        rules = [f.rule for f in lint_text(row["text"])]
        label = row["label"]
        if label in BRAG_LABELS:
            any_brag = any(r.startswith("brag.") for r in rules)
            humble = any(r.startswith("brag.humble.") for r in rules)
            direct = any(r.startswith("brag.") and not r.startswith("brag.humble.") for r in rules)
            for name, predicted, actual in (
                ("brag+humble", any_brag, label != "ok"),
                ("brag", direct, label == "brag"),
                ("humble", humble, label == "humblebrag"),
            ):
                c = counts[name]
                c[0] += predicted and actual
                c[1] += predicted and not actual
                c[2] += actual and not predicted
            cat = categories.setdefault(f"{label}/{row.get('category', '-')}", [0, 0])
            cat[0] += any_brag
            cat[1] += 1
            if label == "ok" and row.get("hard"):
                hard += 1
                hard_flagged += any_brag
            if any_brag != (label != "ok"):
                errors.append(f"  {label:10} got {','.join(rules) or '-':28} {row['text']}")
        elif label in ("generic", "personal"):
            predicted = any(r.startswith(("salutation.", "signature.")) for r in rules)
            actual = label == "generic"
            sal_total += 1
            sal_right += predicted == actual
            sal_counts[0] += predicted and actual
            sal_counts[1] += predicted and not actual
            sal_counts[2] += actual and not predicted
            if predicted != actual:
                errors.append(f"  {label:10} got {','.join(rules) or '-':28} {row['text']}")
    result = {name: prf(*c) + (sum(c),) for name, c in counts.items()}
    result["hard_ok"] = (hard_flagged, hard)
    result["salutation"] = (sal_right, sal_total, prf(*sal_counts))
    result["errors"] = errors
    result["categories"] = categories
    oks = [v for k, v in categories.items() if k.startswith("ok/")]
    result["ok_flagged"] = (sum(v[0] for v in oks), sum(v[1] for v in oks))
    return result


def report(name: str, result: dict, show_errors: bool) -> None:
    print(f"\n{name}")
    print(f"  {'family':12} {'precision':>9} {'recall':>7} {'F1':>6}")
    for family in ("brag+humble", "brag", "humble"):
        p, r, f, n = result[family]
        if n:
            print(f"  {family:12} {p:9.2f} {r:7.2f} {f:6.2f}")
    flagged, total = result["ok_flagged"]
    if total:
        print(f"  ok lines flagged (false-flag rate): {flagged}/{total} = {flagged / total:.2f} (target <= 0.08)")
    if result["categories"]:
        print("  flagged by category: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(result["categories"].items())))
    flagged, hard = result["hard_ok"]
    if hard:
        print(f"  hard ok lines flagged: {flagged}/{hard} = {flagged / hard:.2f} (target <= 0.10)")
    right, total, (p, r, f) = result["salutation"]
    if total:
        print(f"  salutation accuracy: {right}/{total} = {right / total:.2f} (target >= 0.90); "
              f"generic precision {p:.2f} recall {r:.2f}")
    if show_errors and result["errors"]:
        print("  misjudged:")
        print("\n".join(result["errors"]))


def report_cv(recompute: bool) -> None:
    """The grouped-by-source figure: recorded by the training script, or recomputed with --cv."""
    if recompute:
        import subprocess

        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "lint_train.py"), "--lexicons", "empath"], check=False)
        return
    path = ROOT / "cardkeep" / "lint" / "data" / "brag_model.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    cv = data["evaluation"]["by_source_cv_real_dev"]
    trained = data["trained"]
    print(f"by-source cross-validation on real_dev (model of {trained['date']}, {trained['rows']} lines, "
          f"{trained['real_sites']} real sites held out a fifth at a time; thresholds {data['thresholds']}):")
    for tier in ("consider_or_cut", "cut"):
        c = cv[tier]
        print(f"  {tier:16} precision {c['precision']:.2f} recall {c['recall']:.2f} "
              f"false-flag rate {c['false_flag_rate']:.2f} (targets: >= 0.85, >= 0.70, <= 0.08)")
    print(f"  recall on brag lines {cv['recall_brag']:.2f}, on humble-brags {cv['recall_humblebrag']:.2f}")
    print("  by category (flagged/lines): " + ", ".join(f"{k} {v}" for k, v in cv["flagged_by_category"].items()))


def main(argv: list[str]) -> int:
    show_errors = "--show-errors" in argv
    report_cv("--cv" in argv)
    paths = [Path(a) for a in argv if not a.startswith("--")]
    if not paths:
        paths = [p for p in DEFAULT_FILES if p.exists()]
        if not paths:
            print(f"no evaluation data: {DEFAULT_FILES[0].parent} is absent; pass JSONL files to evaluate")
            return 0
    everything: list[dict] = []
    for path in paths:
        if not path.exists():
            print(f"skipping {path}: no such file")
            continue
        rows = load(path)
        everything.extend(rows)
        trained = " (in the model's training data: a fit, not a held-out figure)" if path.name != "salutation_dev.jsonl" else ""
        report(f"{path} ({len(rows)} lines){trained}", evaluate(rows), show_errors)
    if len(paths) > 1 and everything:
        report(f"all files ({len(everything)} lines)", evaluate(everything), False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
