"""Benchmark `cardkeep lint`: a 10,000-line letter.

    python benchmarks/bench_lint.py [--quick]

Generates its own letters in a temporary directory: distinct lines (names, numbers and places vary,
so the per-sentence cache cannot hide the work) mixing family news, brags, humble-brags, greetings,
sign-offs and blank lines. Measures:

- `lint_text` in process on 10,000 lines: median of several runs, caches cleared before each;
- `cardkeep lint FILE` and `cardkeep lint --fix FILE` end to end in a fresh process;
- how the in-process time grows from 1,000 to 10,000 to 50,000 lines (it should be linear).

Target (issue #6): 10,000 lines in under 1 s. `--quick` runs each once on small letters: CI checks
that it runs, not how fast.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cardkeep import lint  # noqa: E402

NAMES = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Luis", "Mei"]
PLACES = ["Lisbon", "the lake", "Grandma's", "the coast", "Denver", "the Maldives", "Aspen", "the park", "Leeds"]
TEMPLATES = [
    "{name} learned to ride a bike and crashed into the hedge {n} times.",
    "We spent {n} days at {place} and it rained for most of them.",
    "{name} was accepted to Harvard, Yale and Stanford, and chose Harvard after {n} visits.",
    "Honestly, flying business class to {place} {n} times a year gets so exhausting.",
    "So humbled that {name} was named VP again, for the {n}th year running.",
    "Our kitchen renovation added a wine cellar with {n} bottles and a home theater.",
    "Congratulations on your promotion, {name}! We are so proud of you.",
    "Dear {name},",
    "Dear Valued Customer {n},",
    "Love,",
    "{name} finally retired after {n} years and loves the garden.",
    "We hope to see you at {place} in the spring, {name}.",
    "The car broke down {n} times, but we got where we needed to go.",
    "",
]


def letter(lines: int, seed: int = 6) -> str:
    rng = random.Random(seed)
    out = []
    for i in range(lines):
        template = rng.choice(TEMPLATES)
        out.append(template.format(name=rng.choice(NAMES), place=rng.choice(PLACES), n=i))
    return "\n".join(out) + "\n"


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        lint.features.extract.cache_clear()
        lint.brags.judge.cache_clear()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_time(args: list[str], runs: int) -> float:
    exe = shutil.which("cardkeep") or str(Path(sys.executable).parent / "cardkeep")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([exe, "lint", *args], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(f"cardkeep {' '.join(args)} failed: {result.stderr}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each measurement once, on small letters")
    args = parser.parse_args()
    size = 500 if args.quick else 10_000
    runs = 1 if args.quick else 7
    scales = [100, 500] if args.quick else [1_000, 10_000, 50_000]

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CARDKEEP_DB"] = str(Path(tmp) / "never.db")
        os.environ["CARDKEEP_CONFIG"] = str(Path(tmp) / "config.toml")
        text = letter(size)
        findings = lint.lint_text(text)
        seconds = timed(lambda: lint.lint_text(text, path="letter.md"), runs)
        rows.append((f"lint_text, {size:,} lines ({len(findings):,} findings)", f"{seconds:.3f} s", "< 1 s"))
        fixed_seconds = timed(lambda: lint.remove_lines(text, lint.lint_text(text)), runs)
        rows.append((f"lint_text + remove_lines, {size:,} lines", f"{fixed_seconds:.3f} s", "< 1 s"))

        path = Path(tmp) / "letter.md"
        path.write_text(text, encoding="utf-8")
        rows.append((f"cardkeep lint FILE, {size:,} lines (fresh process)",
                     f"{cli_time([str(path)], max(1, runs // 2)):.3f} s", "< 1 s (issue #13)"))
        rows.append((f"cardkeep lint --fix FILE, {size:,} lines (fresh process)",
                     f"{cli_time(['--fix', str(path)], 1):.3f} s", "< 1.5 s (writes, diffs)"))
        if Path(tmp, "never.db").exists():
            raise SystemExit("lint created the database")

        scaling = []
        for lines in scales:
            big = letter(lines, seed=lines)
            scaling.append((lines, timed(lambda big=big: lint.lint_text(big), 1 if args.quick else 3)))

    width = max(len(r[0]) for r in rows)
    print(f"{'what':{width}}  {'median':>9}  target")
    for what, median, target in rows:
        print(f"{what:{width}}  {median:>9}  {target}")
    print(f"\nscaling (median of {1 if args.quick else 3}, in process):")
    base_lines, base_time = scaling[0]
    for lines, seconds in scaling:
        per = seconds / lines * 1e6
        ratio = (seconds / base_time) / (lines / base_lines) if base_time else 0
        print(f"  {lines:>7,} lines  {seconds:7.3f} s  {per:6.1f} µs/line  x{ratio:.2f} of linear")
    return 0


if __name__ == "__main__":
    sys.exit(main())
