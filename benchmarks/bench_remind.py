"""Benchmark `cardkeep remind`: a book of 5,000 contacts with 8,000 dates.

    python benchmarks/bench_remind.py [--quick]

Generates its own book in a temporary directory (about 3,000 households in ten countries, some
moved, some do-not-send, some people deceased; birthdays with and without a year, 29 February,
anniversaries, memorials, nth-weekday and Easter rules), then measures, each in a fresh process:

- `cardkeep --db BOOK remind --within 14d`: the line `cardkeep cron` gives, run as cron runs it (the
  installed entry point, standard output and error to pipes, no terminal, stdin closed);
- `cardkeep --db BOOK remind --within 14d --format json`;
- the baseline `python -c "import typer, sqlite3, dateutil.rrule"`, in the same run;
- in process, the reminder computation alone (`reminders.due`: one query + date arithmetic) from 1,000 to 8,000
  to 32,000 dates (it should grow linearly).

Target (issue #15): median wall time of `cardkeep remind` <= 1.2x the baseline, runs interleaved so
that a noisy neighbour slows every command alike (`--runs N`, default 30).
Bytecode is cached in a temporary PYTHONPYCACHEPREFIX (warmed by one untimed run), as it would be
on a real install, even where PYTHONDONTWRITEBYTECODE is set.
`--quick` runs each once on a small book: CI checks that it runs, not how fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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

from cardkeep.plan import reminders  # noqa: E402
from cardkeep.settings import load_settings  # noqa: E402
from cardkeep.store.db import open_db, transaction  # noqa: E402

TODAY = dt.date(2026, 11, 23)
COUNTRIES = ["US"] * 14 + ["CA", "GB", "DE", "JP", "AU", "FR", "BR", "IN"]
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Luis", "Mei"]
LAST = ["Okafor", "Nguyen", "Müller", "Sato", "García", "Walsh", "Patel", "Kowalski", "Dubois", "Ærø"]
RULES = ["FREQ=YEARLY;BYMONTH=5;BYDAY=2SU", "FREQ=YEARLY;BYMONTH=6;BYDAY=3SU", "FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR",
         "FREQ=YEARLY;BYEASTER=0", "FREQ=YEARLY;BYEASTER=49"]


def generate(path: Path, contacts: int, dates: int, seed: int = 3) -> None:
    """A book of `contacts` people with `dates` dates, written with a few bulk inserts."""
    rng = random.Random(seed)
    db = open_db(path)
    households, people, addresses, rows = [], [], [], []
    household = 0
    while len(people) < contacts:
        household += 1
        households.append((household, "do-not-send" if rng.random() < 0.02 else "active", "2020-01-01"))
        family = rng.choice(LAST)
        for _ in range(min(rng.choice([1, 1, 2, 2, 3]), contacts - len(people))):
            given = rng.choice(FIRST)
            roll = rng.random()
            status = "deceased" if roll < 0.03 else "do-not-send" if roll < 0.05 else "active"
            people.append((len(people) + 1, household, f"{given} {family}", given, family, status,
                           "2024-05-10" if status == "deceased" else None, "2020-01-01", f"{given} {family}".lower()))
        country = rng.choice(COUNTRIES)
        if rng.random() < 0.1:  # moved: the old address is history, the new one abroad
            addresses.append((household, "1 Old Rd", "Oldtown", country, "2021-06-01"))
            country = rng.choice(COUNTRIES)
        addresses.append((household, "2 New Rd", "Newtown", country, None))
    for n in range(dates):
        person = people[n % len(people)][0] if n < len(people) else rng.randint(1, len(people))
        roll = rng.random()
        if n < len(people):
            year = None if roll < 0.2 else rng.randint(1940, 2020)
            month, day = (2, 29) if roll > 0.995 else (rng.randint(1, 12), rng.randint(1, 28))
            rows.append((person, "birthday", year, month, day, None, None, None))
        elif roll < 0.6:
            rows.append((person, "anniversary", rng.randint(1970, 2025), rng.randint(1, 12), rng.randint(1, 28),
                         "wedding", None, None))
        elif roll < 0.7:
            rows.append((person, "memorial", rng.randint(1990, 2025), rng.randint(1, 12), rng.randint(1, 28),
                         None, None, None))
        else:
            rows.append((person, "custom", None, None, None, "rule", rng.choice(RULES), rng.choice([None, 10])))
    with transaction(db):
        db.conn.executemany("insert into households (id, status, created) values (?, ?, ?)", households)
        db.conn.executemany(
            """insert into contacts (id, household_id, name, given_name, family_name, status, deceased_on, created,
               search_key) values (?,?,?,?,?,?,?,?,?)""", people)
        db.conn.executemany(
            "insert into addresses (household_id, street, city, country, valid_to) values (?,?,?,?,?)", addresses)
        db.conn.executemany(
            """insert into dates (contact_id, kind, year, month, day, label, rule, lead_days)
               values (?,?,?,?,?,?,?,?)""", rows)
    db.close()


TARGET = 1.2


def run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdin=subprocess.DEVNULL, capture_output=True)
    return time.perf_counter() - start


def median_of(args: list[str], env: dict[str, str], runs: int) -> float:
    return statistics.median(run(args, env) for _ in range(runs))


def in_process(path: Path, runs: int) -> float:
    db = open_db(path)
    until = TODAY + dt.timedelta(days=13)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        reminders.due(db, today=TODAY, until=until, settings=load_settings({"sender": {"country": "US"}}))
        times.append(time.perf_counter() - start)
    db.close()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each once, on a small book")
    parser.add_argument("--runs", type=int, default=30, metavar="N", help="timed runs of each command (default 30)")
    options = parser.parse_args()
    quick = options.quick
    runs = 1 if quick else options.runs
    contacts, dates = (300, 500) if quick else (5000, 8000)
    exe = Path(sys.executable).parent / "cardkeep"
    cardkeep = [str(exe)] if exe.exists() else [sys.executable, "-m", "cardkeep"]
    with tempfile.TemporaryDirectory(prefix="bench-remind-") as tmp:
        tmp = Path(tmp)
        book = tmp / "book.db"
        generate(book, contacts, dates)
        (tmp / "config.toml").write_text('[sender]\ncountry = "US"\n')
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(CARDKEEP_DB=str(book), CARDKEEP_CONFIG=str(tmp / "config.toml"),
                   PYTHONPYCACHEPREFIX=str(tmp / "pycache"), CARDKEEP_TODAY=TODAY.isoformat())
        cron = [*cardkeep, "--db", str(book), "remind", "--within", "14d"]
        commands = {
            "baseline: python -c 'import typer, sqlite3, dateutil.rrule'":
                [sys.executable, "-c", "import typer, sqlite3, dateutil.rrule"],
            "cardkeep --db BOOK remind --within 14d": cron,
            "cardkeep --db BOOK remind --within 14d --format json": [*cron, "--format", "json"],
        }
        for args in commands.values():  # warm the bytecode cache and the page cache, untimed
            run(args, env)
        done = subprocess.run([*cron, "--format", "json"], env=env, check=True, capture_output=True, text=True)
        due = len(json.loads(done.stdout)["dates"])
        # Interleave the runs so that a noisy neighbour slows every command alike.
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, args in commands.items():
                samples[name].append(run(args, env))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        baseline = medians[next(iter(commands))]
        print(f"cardkeep remind: {contacts:,} contacts, {dates:,} dates, {due:,} cards due on {TODAY}, "
              f"median of {runs} run(s)\n")
        print(f"{'what':<62} {'median':>9} {'x base':>7}  target")
        for name, value in medians.items():
            target = f"<= {TARGET}x" if name.startswith("cardkeep") else ""
            verdict = "" if not target or quick else ("  ok" if value <= TARGET * baseline else "  MISSED")
            print(f"{name:<62} {value * 1000:>7.1f}ms {value / baseline:>6.2f}x  {target}{verdict}")
        print("\nin process, the reminder computation alone (query + dates), 14-day window:")
        sizes = [(300, 500)] if quick else [(625, 1000), (5000, 8000), (20000, 32000)]
        for people, count in sizes:
            path = tmp / f"scale-{count}.db"
            generate(path, people, count)
            print(f"  {count:>6,} dates  {in_process(path, 1 if quick else 7) * 1000:>8.1f}ms")
        shutil.rmtree(tmp / "pycache", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
