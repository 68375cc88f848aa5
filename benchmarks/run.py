"""Run every benchmark and summarise: `python benchmarks/run.py [--quick] [NAME ...]`.

Each `benchmarks/bench_<name>.py` runs in its own process (so one cannot warm another's caches or
hide another's imports) and prints its own table: what, median of N runs, target, and how it
scales from small to large input. This runner shows each script's output as it finishes, then a
summary, and exits 1 if any script failed or timed out.

    python benchmarks/run.py              # everything, full size (minutes)
    python benchmarks/run.py --quick      # each once on small data: what CI runs
    python benchmarks/run.py plan io      # only bench_plan.py and bench_io.py

`--quick` is passed through to every script. The scripts generate their data in temporary
directories; the runner also points CARDKEEP_DB and CARDKEEP_CONFIG at a scratch directory, so no
benchmark can ever touch the real book.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Outcome:
    name: str
    status: str  # ok, FAILED, TIMEOUT
    seconds: float
    code: int | None


def find(directory: Path, names: list[str]) -> list[Path]:
    scripts = sorted(directory.glob("bench_*.py"))
    if not names:
        return scripts
    wanted = {n.removeprefix("bench_").removesuffix(".py") for n in names}
    chosen = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    missing = wanted - {s.stem.removeprefix("bench_") for s in chosen}
    if missing:
        known = ", ".join(s.stem.removeprefix("bench_") for s in scripts) or "none"
        raise SystemExit(f"run.py: no benchmark named {', '.join(sorted(missing))} (there are: {known})")
    return chosen


def run_one(script: Path, *, quick: bool, timeout: float, env: dict[str, str]) -> tuple[Outcome, str]:
    command = [sys.executable, str(script)] + (["--quick"] if quick else [])
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, cwd=HERE.parent)
    except subprocess.TimeoutExpired as exc:
        seconds = time.perf_counter() - start
        text = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return Outcome(script.stem, "TIMEOUT", seconds, None), text + f"\n(killed after {timeout:.0f} s)\n"
    seconds = time.perf_counter() - start
    status = "ok" if done.returncode == 0 else "FAILED"
    text = done.stdout + (done.stderr if done.returncode else "")
    return Outcome(script.stem, status, seconds, done.returncode), text


def summary(outcomes: list[Outcome], *, quick: bool) -> str:
    rows = [("benchmark", "result", "wall time", "exit")]
    rows += [(o.name, o.status, f"{o.seconds:.1f} s", "-" if o.code is None else str(o.code)) for o in outcomes]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    failed = sum(o.status != "ok" for o in outcomes)
    mode = "quick" if quick else "full"
    lines.append(f"{len(outcomes)} benchmarks ({mode}), {failed} failed")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run cardkeep's benchmarks and summarise them.")
    parser.add_argument("names", nargs="*", help="only these (plan, io, ...); default: all")
    parser.add_argument("--quick", action="store_true", help="each once on small data (what CI runs)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per script (default 300 quick, 1800 full)")
    parser.add_argument("--dir", type=Path, default=HERE, help=argparse.SUPPRESS)  # for the runner's own test
    args = parser.parse_args(argv)
    scripts = find(args.dir, args.names)
    if not scripts:
        print(f"No benchmarks in {args.dir} yet (bench_*.py).")
        return 0
    timeout = args.timeout or (300.0 if args.quick else 1800.0)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="cardkeep-bench-") as scratch:
        env = {
            **os.environ,
            "CARDKEEP_DB": str(Path(scratch) / "book.db"),
            "CARDKEEP_CONFIG": str(Path(scratch) / "config.toml"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")])),
        }
        env.pop("CARDKEEP_TODAY", None)
        for script in scripts:
            print(f"== {script.name}{' --quick' if args.quick else ''}", flush=True)
            outcome, text = run_one(script, quick=args.quick, timeout=timeout, env=env)
            print(text.rstrip(), flush=True)
            if outcome.status != "ok":
                print(f"!! {script.name}: {outcome.status}", flush=True)
            print(flush=True)
            outcomes.append(outcome)
    print(summary(outcomes, quick=args.quick))
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
