"""How well the lint rules judge labelled lines: precision, recall and F1 per family.

    python benchmarks/lint_eval.py [FILE.jsonl ...] [--show-errors]

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
    ROOT.parent / "shared" / "corpus" / "humblebrag_dev.jsonl",
    ROOT.parent / "shared" / "corpus" / "salutation_dev.jsonl",
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
    return result


def report(name: str, result: dict, show_errors: bool) -> None:
    print(f"\n{name}")
    print(f"  {'family':12} {'precision':>9} {'recall':>7} {'F1':>6}")
    for family in ("brag+humble", "brag", "humble"):
        p, r, f, n = result[family]
        if n:
            print(f"  {family:12} {p:9.2f} {r:7.2f} {f:6.2f}")
    flagged, hard = result["hard_ok"]
    if hard:
        print(f"  hard ok lines flagged: {flagged}/{hard} = {flagged / hard:.2f} (target <= 0.10)")
    right, total, (p, r, f) = result["salutation"]
    if total:
        print(f"  salutation accuracy: {right}/{total} = {right / total:.2f} (target >= 0.95); "
              f"generic precision {p:.2f} recall {r:.2f}")
    if show_errors and result["errors"]:
        print("  misjudged:")
        print("\n".join(result["errors"]))


def main(argv: list[str]) -> int:
    show_errors = "--show-errors" in argv
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
        report(f"{path} ({len(rows)} lines)", evaluate(rows), show_errors)
    if len(paths) > 1 and everything:
        report(f"all files ({len(everything)} lines)", evaluate(everything), False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
