"""Benchmark `cardkeep plan`: 5,000 households with 15 years of card history.

    python benchmarks/bench_plan.py [--quick]

Generates its own books in a temporary directory (households of one to four people, birthdays and
anniversaries, notes, moves, 15 holiday seasons of cards sent and received, some other cards), then
measures:

- the plan itself (bulk load + rules + JSON records), in process: median of several runs;
- `cardkeep plan --json` and `cardkeep plan` (text, piped) end to end in a fresh process (imports,
  open, plan, print): median wall time and the process's peak memory;
- how the in-process time grows from 500 to 5,000 to 20,000 households (it should be linear).

Targets at 5,000 households: the plan in process <= 1.0 s and peak memory <= 200 MB (issue #4);
`cardkeep plan` as a command <= 0.5 s (issue #12). The commands also report their CPU time, steadier
than wall time on a shared machine.
`--quick` runs everything once on small books: CI checks that it runs, not how fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cardkeep.services.plan import make_plan  # noqa: E402
from cardkeep.settings import load_settings  # noqa: E402
from cardkeep.store.db import open_db, transaction  # noqa: E402

TODAY = dt.date(2026, 11, 23)
YEARS = range(2011, 2026)  # 15 seasons
COUNTRIES = ["US"] * 17 + ["CA", "GB", "DE", "JP", "AU", "FR"]
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Luis", "Mei"]
LAST = ["Okafor", "Nguyen", "Müller", "Sato", "García", "Walsh", "Patel", "Kowalski", "Dubois", "Ærø"]
DESIGNS = ["Snowy owl", "Red cardinal", "Village at dusk", "Paper lanterns", "Winter fox", "Pine cones"]


def generate(path: Path, households: int, seed: int = 4) -> None:
    """A book of `households` households, written with a few bulk inserts."""
    rng = random.Random(seed)
    db = open_db(path)
    rows: dict[str, list[tuple]] = {k: [] for k in
                                     ("households", "contacts", "tags", "addresses", "cards", "dates", "notes")}
    contact_id = 0
    for h in range(1, households + 1):
        status = "do-not-send" if rng.random() < 0.02 else "active"
        created = f"{rng.choice(list(YEARS) + [2026])}-0{rng.randint(1, 9)}-10"
        rows["households"].append((h, None, status, created))
        family = rng.choice(LAST)
        for _ in range(rng.choice([1, 2, 2, 2, 3, 4])):
            contact_id += 1
            given = rng.choice(FIRST)
            dead = rng.random() < 0.03
            rows["contacts"].append((contact_id, h, f"{given} {family}", given, family,
                                     "deceased" if dead else "active",
                                     f"{rng.randint(2015, 2026)}-05-10" if dead else None, created,
                                     f"{given} {family}".lower()))
            rows["dates"].append((contact_id, "birthday", rng.randint(1940, 2020), rng.randint(1, 12),
                                  rng.randint(1, 28), None))
            if rng.random() < 0.3:
                rows["dates"].append((contact_id, "anniversary", rng.randint(1970, 2025), 6, 20, "wedding"))
            if rng.random() < 0.4:
                text = rng.choice(["new baby on the way", "started a new job", "loves the owl cards", "moved house"])
                rows["notes"].append((contact_id, text, f"{rng.randint(2012, 2026)}-0{rng.randint(1, 9)}-01"))
        rows["tags"].append((h, rng.choice(["friends", "family", "work", "always", "elder", "neighbours"])))
        country = rng.choice(COUNTRIES)
        if rng.random() < 0.1:
            rows["addresses"].append((h, "1 Old Rd", "Oldtown", country, None, "2019-06-01", "2019-01-01", None))
            rows["addresses"].append((h, "2 New Rd", "Newtown", country, "2019-06-01", None,
                                      f"{rng.randint(2019, 2026)}-02-01", None))
        else:
            returned = "2026-01-09" if rng.random() < 0.02 else None
            rows["addresses"].append((h, "3 Main St", "Town", country, None, None,
                                      f"{rng.randint(2015, 2026)}-03-01", returned))
        they_send = rng.choice([1.0, 0.9, 0.6, 0.2, 0.0])
        for year in YEARS:
            if rng.random() < 0.92:
                rows["cards"].append((h, year, "holiday", "sent", f"{year}-12-0{rng.randint(1, 9)}",
                                      rng.choice(DESIGNS), 0))
            if rng.random() < they_send:
                rows["cards"].append((h, year, "holiday", "received", f"{year}-12-1{rng.randint(0, 9)}", None, 0))
        if rng.random() < 0.2:
            rows["cards"].append((h, 2026, "birthday", "sent", "2026-03-01", "Balloons", 0))
    with transaction(db):
        db.conn.executemany("insert into households (id, mailing_name, status, created) values (?,?,?,?)",
                            rows["households"])
        db.conn.executemany(
            "insert into contacts (id, household_id, name, given_name, family_name, status, deceased_on, created, "
            "search_key) values (?,?,?,?,?,?,?,?,?)", rows["contacts"])
        db.conn.executemany("insert into household_tags (household_id, tag) values (?,?)", rows["tags"])
        db.conn.executemany(
            "insert into addresses (household_id, street, city, country, valid_from, valid_to, verified_on, "
            "returned_on) values (?,?,?,?,?,?,?,?)", rows["addresses"])
        db.conn.executemany(
            "insert into cards (household_id, year, occasion, direction, date, design, returned) "
            "values (?,?,?,?,?,?,?)", rows["cards"])
        db.conn.executemany("insert into dates (contact_id, kind, year, month, day, label) values (?,?,?,?,?,?)",
                            rows["dates"])
        db.conn.executemany("insert into notes (contact_id, text, created) values (?,?,?)", rows["notes"])
    db.conn.close()


CONFIG = {"sender": {"country": "US"}}


def plan_once(path: Path) -> tuple[float, int]:
    """What `cardkeep plan --json` does, minus printing: returns (seconds, decisions)."""
    db = open_db(path)
    start = time.perf_counter()
    result = make_plan(db, year=TODAY.year, today=TODAY, settings=load_settings(CONFIG))
    records = [d.to_json() for d in result.decisions]
    elapsed = time.perf_counter() - start
    db.conn.close()
    return elapsed, len(records)


def cli_once(path: Path, config: Path, *args: str) -> tuple[float, float, float]:
    """`cardkeep plan ARGS` in a fresh process, as the `cardkeep` script runs it (`cardkeep.cli.main`):
    (wall seconds, CPU seconds, peak memory in MB).

    CPU time (user + system) is steadier than wall time on a shared machine. Peak memory is the
    child's own high-water mark (VmHWM): ru_maxrss would carry over this benchmark's own size across
    fork and exec."""
    code = (
        "import sys\n"
        "from cardkeep.cli import main\n"
        f"sys.argv = ['cardkeep', 'plan', '--today', '2026-11-23', *{list(args)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "sys.stdout.flush()\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "print(status, file=sys.stderr)\n"
    )
    env = {**os.environ, "CARDKEEP_DB": str(path), "CARDKEEP_CONFIG": str(config), "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if "--json" in args:
        json.loads(done.stdout)  # a whole, valid plan came out
    else:
        assert "to send" in done.stdout
    return elapsed, cpu, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each measurement once, on small books")
    args = parser.parse_args()
    sizes = [50, 200] if args.quick else [500, 5_000, 20_000]
    main_size = sizes[-1] if args.quick else 5_000
    runs = 1 if args.quick else 5
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text('[sender]\ncountry = "US"\n')
        books = {}
        for n in sizes:
            books[n] = Path(tmp) / f"book-{n}.db"
            start = time.perf_counter()
            generate(books[n], n)
            cards = open_db(books[n]).execute("select count(*) from cards").fetchone()[0]
            print(f"generated {n:,} households, {cards:,} cards in {time.perf_counter() - start:.1f} s")
        medians = {}
        for n in sizes:
            plan_once(books[n])  # warm the page cache
            times = [plan_once(books[n])[0] for _ in range(runs)]
            medians[n] = statistics.median(times)
        repeat = 1 if args.quick else 5
        cli = [cli_once(books[main_size], config, "--json") for _ in range(repeat)]
        text = [cli_once(books[main_size], config) for _ in range(repeat)]
        cli_time = statistics.median(t for t, _, _ in cli)
        text_time = statistics.median(t for t, _, _ in text)
        cli_cpu = statistics.median(c for _, c, _ in cli)
        text_cpu = statistics.median(c for _, c, _ in text)
        peak = max(m for _, _, m in cli + text)

    print()
    print(f"{'what':<52} {'median':>9} {'target':>9}")
    label = f"plan, {main_size:,} households x 15 years (in process)"
    rows.append((label, f"{medians[main_size]:.3f} s", "1.0 s"))
    rows.append((f"cardkeep plan --json, {main_size:,} households (new process)", f"{cli_time:.3f} s", "0.5 s"))
    rows.append(("  its CPU time (user + system)", f"{cli_cpu:.3f} s", ""))
    rows.append((f"cardkeep plan (text, piped), {main_size:,} households", f"{text_time:.3f} s", "0.5 s"))
    rows.append(("  its CPU time (user + system)", f"{text_cpu:.3f} s", ""))
    rows.append((f"peak memory of those processes ({len(cli) + len(text)} runs)", f"{peak:.0f} MB", "200 MB"))
    for what, value, target in rows:
        print(f"{what:<52} {value:>9} {target:>9}")
    print()
    print("scaling (in process, median of", runs, "runs):")
    base = sizes[0]
    for n in sizes:
        per = medians[n] / n * 1e6
        print(f"  {n:>7,} households  {medians[n]:7.3f} s  {per:6.1f} µs/household  "
              f"x{medians[n] / medians[base]:.1f} time for x{n / base:.0f} households")
    if not args.quick:
        ok = medians[5_000] <= 1.0 and max(cli_time, text_time) <= 0.5 and peak <= 200
        print("\nwithin targets" if ok else "\nOVER TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
