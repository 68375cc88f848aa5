"""Benchmark `cardkeep sync DIR`: a book and a vdir of 5,000 people, nothing changed since the last sync.

    python benchmarks/bench_sync.py [--quick]

Generates its own book (the 5,000 phone cards of `bench_io.generate`, imported) in a temporary
directory, syncs it once into an empty folder (every card written), then measures:

- a sync where nothing changed on either side (in process): median of several runs; this is the
  every-day case, and reads no card file (size and time as the last sync left them);
- the same as `cardkeep sync DIR` in a fresh process;
- a sync after 1% of the cards changed in the folder and 1% in the book.

Target (issue #14): a sync of 5,000 unchanged items <= 1 s.
`--quick` runs everything once on 300 people: CI checks that it runs, not how fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_io import generate  # noqa: E402

from cardkeep.formats import vcard  # noqa: E402
from cardkeep.formats.apply import apply_plan  # noqa: E402
from cardkeep.formats.matching import plan_import  # noqa: E402
from cardkeep.services.sync import sync_folder  # noqa: E402
from cardkeep.store.db import open_db  # noqa: E402

TODAY = dt.date(2026, 11, 23)


def make_book(path: Path, size: int) -> None:
    db = open_db(path)
    read = vcard.read_vcards(generate(size), "bench.vcf")
    apply_plan(db, plan_import(db, read, default_country="US"), today=TODAY)
    db.conn.close()


def sync_once(db_path: Path, folder: Path, **options) -> tuple[float, dict]:
    db = open_db(db_path)
    start = time.perf_counter()
    report = sync_folder(db, folder, today=TODAY, **options)
    elapsed = time.perf_counter() - start
    db.conn.close()
    return elapsed, report.summary()


def change_some(db_path: Path, folder: Path, share: float) -> int:
    """Edit `share` of the cards in the folder (a new e-mail) and as many in the book (a nickname)."""
    files = sorted(folder.glob("*.vcf"))
    step = max(1, int(1 / share))
    for path in files[::step]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("END:VCARD", "EMAIL:new@example.org\r\nEND:VCARD"), encoding="utf-8")
    db = open_db(db_path)
    with db.conn:
        db.execute("update contacts set nickname = 'Bench' where id % ? = 1", [step])
    db.conn.close()
    return len(files[::step])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one run on 300 people (for CI)")
    options = parser.parse_args()
    size = 300 if options.quick else 5_000
    runs = 1 if options.quick else 5
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db_path, folder = tmp_path / "book.db", tmp_path / "phone"
        folder.mkdir()
        make_book(db_path, size)
        first, summary = sync_once(db_path, folder)
        assert summary["add_to_folder"] == size, summary
        rows.append((f"first sync: write {size:,} cards", first, None))
        times = []
        for _ in range(runs):
            elapsed, summary = sync_once(db_path, folder)
            assert summary["unchanged"] == size and not any(v for k, v in summary.items() if k != "unchanged"), summary
            times.append(elapsed)
        rows.append((f"sync, {size:,} unchanged (in process)", statistics.median(times), 1.0))
        env = dict(os.environ, CARDKEEP_DB=str(db_path), CARDKEEP_CONFIG=str(tmp_path / "none.toml"), PYTHONPATH=str(ROOT))
        command = [sys.executable, "-m", "cardkeep", "sync", str(folder), "--today", TODAY.isoformat()]
        cli = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            cli.append(time.perf_counter() - start)
        rows.append((f"cardkeep sync DIR, {size:,} unchanged (fresh process)", statistics.median(cli), None))
        changed = change_some(db_path, folder, 0.01)
        elapsed, summary = sync_once(db_path, folder)
        assert summary["unchanged"] < size, summary
        rows.append((f"sync after {changed} changed in each side (incl. backup)", elapsed, None))
    print(f"{'what':<58} {'median s':>9} {'target s':>9}")
    for what, seconds, target in rows:
        flag = "" if options.quick or target is None or seconds <= target else "  OVER TARGET"
        shown = "" if target is None else f"{target:.1f}"
        print(f"{what:<58} {seconds:>9.3f} {shown:>9}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
