"""Benchmark `cardkeep drafts`: 500 personal drafts to PDF.

    python benchmarks/bench_drafts.py [--quick]

Generates its own book in a temporary directory (households of one to four people with birthdays,
anniversaries, notes, ten seasons of cards with news, a few recent deaths, some CJK and accented
names) and a shared letter, then measures:

- the drafts themselves (read the book, build each context, render in the sandbox, lint), in process;
- the PDF (lay out, cover checklist, a page per card), in process;
- `cardkeep drafts --tag all --letter letter.md --size a4-letter -o drafts.pdf` end to end in a fresh
  process (imports, open, lint the letter, drafts, PDF, atomic write): median wall time;
- how the in-process time grows from 100 to 500 to 1,000 drafts (it should be linear).

Target (issue #7): 500 drafts to PDF in at most 3 s median wall time.
`--quick` runs everything once on small books: CI checks that it runs, not how fast.
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

from cardkeep.drafts import pdf as draft_pdf, render as drafts  # noqa: E402
from cardkeep.formats import jsonbook as interchange  # noqa: E402
from cardkeep.store.db import open_db  # noqa: E402

TODAY = dt.date(2026, 11, 23)
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Inès", "Jonas", "Kemi", "Luis", "Zoë"]
LAST = ["Okafor", "Nguyen", "Müller", "Sato", "García", "Walsh", "Patel", "Kowalski", "Dubois", "Ærø"]
NOTES = ["ask about Max the puppy", "started a new job in the spring", "loves the robin cards",
         "hard of hearing, so write, don't call", "new baby on the way", "ask about the trip to Gdańsk"]
NEWS = ["We moved to Denver in August!", "Chidi is learning to drive", "a new puppy, Max", None, None]
LETTER = (ROOT / "examples" / "letter.md")


def member(rng: random.Random, pid: int, family: str, dead: bool = False) -> dict:
    given = rng.choice(FIRST)
    cjk = rng.random() < 0.05
    name = f"山田 {given}" if cjk else f"{given} {family}"
    return {
        "id": f"c{pid}", "name": name, "given_name": "太郎" if cjk else given, "family_name": family,
        "nickname": None, "salutation": ("太郎さん" if cjk else given) if rng.random() < 0.8 else None,
        "status": "deceased" if dead else "active", "deceased_on": "2026-03-01" if dead else None,
        "tags": [], "emails": [], "phones": [], "uid": None, "created": "2016-01-10",
        "dates": [{"kind": "birthday", "year": rng.randint(1940, 2015), "month": rng.randint(1, 12),
                   "day": rng.randint(1, 28), "label": None, "rule": None, "lead_days": None}]
        + ([{"kind": "anniversary", "year": 2001, "month": 6, "day": 23, "label": "wedding", "rule": None,
             "lead_days": None}] if rng.random() < 0.3 else []),
        "notes": [{"text": rng.choice(NOTES), "created": "2025-12-20"}] if rng.random() < 0.4 else [],
    }


def book(count: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    households, pid = [], 0
    for h in range(1, count + 1):
        family = rng.choice(LAST)
        members = []
        for i in range(rng.choice([1, 2, 2, 3, 4])):
            pid += 1
            members.append(member(rng, pid, family, dead=i == 0 and rng.random() < 0.03))
        cards = []
        for year in range(2016, 2026):
            cards.append({"year": year, "occasion": "holiday", "direction": "sent", "date": f"{year}-12-05",
                          "contact": None, "design": "Snowy owl", "message": "Thinking of you all." if year == 2025
                          else None, "signed_by_hand": True, "news": None, "returned": False})
            if rng.random() < 0.7:
                cards.append({"year": year, "occasion": "holiday", "direction": "received", "date": f"{year}-12-15",
                              "contact": None, "design": None, "message": None, "signed_by_hand": None,
                              "news": rng.choice(NEWS), "returned": False})
        households.append({
            "id": f"h{h}", "mailing_name": None, "status": "active", "created": "2016-01-10", "tags": ["all"],
            "addresses": [{"street": f"{h} Oak St", "extended": None, "city": "Springfield", "region": "IL",
                           "postal_code": "62701", "country": "US", "valid_from": None, "valid_to": None,
                           "verified_on": "2025-11-02", "returned_on": None}],
            "members": members, "cards": cards,
        })
    return {"cardkeep": 1, "households": households}


def make_book(directory: Path, count: int) -> Path:
    path = directory / f"book-{count}.db"
    db = open_db(path)
    interchange.import_book(db, book(count), source="bench", today="2026-01-01")
    db.conn.close()
    return path


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def in_process(path: Path, letter: drafts.Letter) -> tuple:
    db = open_db(path)
    ids = [r[0] for r in db.execute("select id from households order by id")]
    template = drafts.load_template("holiday")

    def make():
        return drafts.drafts_for(db, ids, template, today=TODAY, letter=letter)

    def pdf(run):
        layouts, misfits = draft_pdf.lay_out_all(run.drafts, "a4-letter")
        assert not misfits, misfits[:1]
        return draft_pdf.render_pdf(layouts, size="a4-letter")

    return db, make, pdf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each once, on small data (for CI)")
    args = parser.parse_args()
    runs = 1 if args.quick else 5
    main_size = 50 if args.quick else 500
    scales = [20, 50] if args.quick else [100, 500, 1000]
    letter = drafts.prepare_letter(LETTER.read_text(encoding="utf-8"), path="letter.md")

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        paths = {n: make_book(directory, n) for n in sorted(set(scales + [main_size]))}

        db, make, pdf = in_process(paths[main_size], letter)
        make()  # warm the imports and the font registration once, as a real run pays them once
        t_make, run = timed(make, runs)
        t_pdf, result = timed(lambda: pdf(run), runs)
        rows.append((f"{main_size} drafts: context + sandbox render + lint", t_make, "-"))
        rows.append((f"{main_size} drafts: PDF ({result.pages} pages, a4-letter)", t_pdf, "-"))

        env = dict(os.environ, CARDKEEP_DB=str(paths[main_size]), CARDKEEP_CONFIG=str(directory / "config.toml"))
        command = [sys.executable, "-m", "cardkeep", "drafts", "--tag", "all", "--letter", str(LETTER),
                   "--size", "a4-letter", "-o", str(directory / "drafts.pdf"), "--today", TODAY.isoformat()]

        def end_to_end():
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"cardkeep drafts failed: {done.stderr}")
            return done

        t_e2e, _ = timed(end_to_end, runs)
        rows.append((f"cardkeep drafts ... -o drafts.pdf, {main_size} drafts, fresh process", t_e2e, "<= 3.0 s"))

        scaling = []
        for n in scales:
            _, make_n, pdf_n = in_process(paths[n], letter)
            t, _ = timed(lambda make_n=make_n, pdf_n=pdf_n: pdf_n(make_n()), runs)
            scaling.append((n, t))

    print(f"bench_drafts ({'quick' if args.quick else f'median of {runs}'})")
    print(f"{'what':<62} {'median':>9}  target")
    for what, seconds, target in rows:
        print(f"{what:<62} {seconds:>8.3f}s  {target}")
    print("scaling (drafts + PDF, in process): " + ", ".join(f"{n}: {t:.3f}s ({t / n * 1000:.2f} ms each)"
                                                             for n, t in scaling))
    if not args.quick and t_e2e > 3.0:
        print(f"NOTE: end to end took {t_e2e:.2f} s, over the 3 s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
