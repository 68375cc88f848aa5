"""Benchmark vCard import and export: 10,000 generated vCards.

    python benchmarks/bench_io.py [--quick]

Generates its own file in a temporary directory: 10,000 vCard 3.0 cards as phones write them
(folded lines, item groups with X-ABLabel, two addresses, birthdays with and without a year,
anniversaries, notes, categories, a quoted-printable note now and then), with families sharing an
address so that households are proposed. It then measures, each in a fresh book:

- import in process (read + plan + one transaction): median of several runs;
- `cardkeep import FILE` and `cardkeep export --format vcard` end to end in a fresh process;
- export in process (load + write every card and household group);
- importing the same file again into that book (every card matched by UID, nothing written);
- how import time grows from 1,000 to 10,000 cards (it should be about linear).

Targets (issue #8): import <= 5 s, export <= 3 s for 10,000 cards; issue #14: `cardkeep import` of
10,000 vCards <= 2 s as a command. The command's CPU time (user + system) is printed beside its
wall time: on a shared, busy machine the wall time measures the neighbours, the CPU time the work.
`--quick` runs everything once on 500 cards: CI checks that it runs, not how fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cardkeep.formats import vcard  # noqa: E402
from cardkeep.formats.apply import apply_plan  # noqa: E402
from cardkeep.formats.dump import dump_households  # noqa: E402
from cardkeep.formats.matching import plan_import  # noqa: E402
from cardkeep.store.db import open_db  # noqa: E402

TODAY = dt.date(2026, 11, 23)
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Inès", "Jonas", "Kemi", "Luis", "Mei"]
LAST = ["Okafor", "Nguyen", "Müller", "Sato", "García", "Walsh", "Patel", "Kowalski", "Dubois", "Ærø"]
CITIES = [
    ("Springfield", "IL", "627{:02d}", "USA"),
    ("Leeds", "", "LS{} 4AP", "United Kingdom"),
    ("München", "", "803{:02d}", "Deutschland"),
    ("Toronto", "ON", "M5V {}A1", "Canada"),
]


def generate(count: int, seed: int = 8) -> bytes:
    """`count` cards; about half live with a relative at the same address."""
    rng = random.Random(seed)
    out = []
    n = 0
    while n < count:
        family = rng.choice(LAST)
        city, region, postal, country = rng.choice(CITIES)
        street = f"{rng.randint(1, 999)} {rng.choice(['Elm St', 'High St', 'Hauptstraße', 'Queen St W'])}"
        code = postal.format(rng.randint(1, 99))
        for _ in range(min(rng.choice([1, 1, 2, 2, 3]), count - n)):
            n += 1
            given = rng.choice(FIRST)
            lines = [
                "BEGIN:VCARD",
                "VERSION:3.0",
                "PRODID:-//Apple Inc.//iOS 17.0//EN",
                f"UID:bench-{n}",
                f"N:{family};{given};;;",
                f"FN:{given} {family}",
                f"item1.EMAIL;type=INTERNET;type=pref:{given.lower()}.{n}@example.org",
                f"TEL;type=CELL;type=VOICE;type=pref:+1 555 {n:04d}",
                f"item2.ADR;type=HOME;type=pref:;;{street};{city};{region};{code};{country}",
                "item2.X-ABADR:us",
                "item3.ADR;type=WORK:;;1 Office Park;Austin;TX;78701;USA",
            ]
            if rng.random() < 0.5:
                lines.append(
                    f"BDAY;value=date:{rng.randint(1940, 2015)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                )
            else:
                lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
            if rng.random() < 0.3:
                lines += [
                    f"item4.X-ABDATE:{rng.randint(1970, 2020)}-06-{rng.randint(1, 28):02d}",
                    "item4.X-ABLabel:_$!<Anniversary>!$_",
                ]
            if rng.random() < 0.2:
                lines.append("NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Met at the caf=C3=A9 =\r\nin 2019")
            else:
                lines.append(f"NOTE:Likes {rng.choice(['tulips', 'jazz', 'hiking'])}\\, and long letters " + "x" * 60)
            lines.append("CATEGORIES:" + ",".join(rng.sample(["Family", "Friends", "Work", "Xmas List"], 2)))
            out.append("".join(vcard.fold(line) + "\r\n" for line in lines) + "END:VCARD\r\n")
    return "".join(out).encode("utf-8")


def import_once(data: bytes, db_path: Path) -> float:
    if db_path.exists():
        db_path.unlink()
    db = open_db(db_path)
    start = time.perf_counter()
    read = vcard.read_vcards(data, "bench.vcf")
    plan = plan_import(db, read, default_country="US")
    apply_plan(db, plan, today=TODAY)
    elapsed = time.perf_counter() - start
    assert not plan.problems and plan.count("add") == len(read.people)
    db.conn.close()
    return elapsed


def reimport_once(data: bytes, db_path: Path) -> float:
    """The same file again into the book that has it: every card matched, nothing written twice."""
    db = open_db(db_path)
    start = time.perf_counter()
    read = vcard.read_vcards(data, "bench.vcf")
    plan = plan_import(db, read, default_country="US")
    apply_plan(db, plan, today=TODAY)
    elapsed = time.perf_counter() - start
    assert plan.count("unchanged") == len(read.people)
    db.conn.close()
    return elapsed


def export_once(db_path: Path) -> tuple[float, int]:
    db = open_db(db_path)
    start = time.perf_counter()
    cards = vcard.export_cards(dump_households(db), "4.0")
    text = "".join(t for _, t in cards)
    elapsed = time.perf_counter() - start
    db.conn.close()
    return elapsed, len(text)


def cli(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cardkeep", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def cli_cpu(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one `cardkeep` run in a fresh process."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = cli(args, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one run on 500 cards (for CI)")
    options = parser.parse_args()
    size = 500 if options.quick else 10_000
    runs = 1 if options.quick else 5
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        data = generate(size)
        source = tmp_path / "cards.vcf"
        source.write_bytes(data)
        db_path = tmp_path / "book.db"
        imports = [import_once(data, db_path) for _ in range(runs)]
        exports = [export_once(db_path) for _ in range(runs)]
        reimports = [reimport_once(data, db_path) for _ in range(1 if options.quick else 3)]
        rows.append((f"import {size:,} vCards (in process)", statistics.median(imports), 5.0))
        rows.append((f"export {size:,} vCards (in process)", statistics.median(e[0] for e in exports), 3.0))
        rows.append((f"import the same {size:,} again (all unchanged)", statistics.median(reimports), 5.0))
        env = dict(
            os.environ,
            CARDKEEP_DB=str(tmp_path / "cli.db"),
            CARDKEEP_CONFIG=str(tmp_path / "none.toml"),
            PYTHONPATH=str(ROOT),
        )
        timed = []
        for i in range(1 if options.quick else 3):
            run_env = dict(env, CARDKEEP_DB=str(tmp_path / f"cli-import-{i}.db"))
            timed.append(cli_cpu(["import", str(source), "--today", TODAY.isoformat()], run_env))
        cli_import = statistics.median(t[0] for t in timed)
        cli_import_cpu = statistics.median(t[1] for t in timed)
        cli(["import", str(source), "--today", TODAY.isoformat()], env)
        cli_export = statistics.median(
            cli(["export", "--format", "vcard", "--output", str(tmp_path / "out.vcf")], env) for _ in range(runs)
        )
        rows.append((f"cardkeep import {size:,} vCards (fresh process)", cli_import, 2.0))
        rows.append((f"cardkeep import {size:,} vCards, CPU time (user + sys)", cli_import_cpu, 2.0))
        rows.append((f"cardkeep export --format vcard, {size:,} (fresh process)", cli_export, 3.0))
        scaling = []
        for n in [100, 500] if options.quick else [1_000, 10_000]:
            scaling.append((n, import_once(generate(n), tmp_path / f"scale{n}.db")))
    print(f"{'what':<58} {'median s':>9} {'target s':>9}")
    for what, seconds, target in rows:
        flag = "" if options.quick or seconds <= target else "  OVER TARGET"
        print(f"{what:<58} {seconds:>9.3f} {target:>9.1f}{flag}")
    (small, t_small), (large, t_large) = scaling
    print(
        f"import scaling {small:,} -> {large:,} cards: {t_small:.3f} s -> {t_large:.3f} s "
        f"(x{t_large / t_small:.1f} for x{large // small} the cards)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
