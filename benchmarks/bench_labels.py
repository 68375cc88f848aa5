"""Benchmark `cardkeep labels`: 3,000 labels (100 sheets of Avery 5160) with the embedded font.

    python benchmarks/bench_labels.py [--quick]

Generates a book in a temporary directory (3,000 households: mostly US, with German, Polish,
Danish, Greek and Japanese addresses), then measures, side by side in one run:

- `cardkeep labels --tag bench -t avery-5160` end to end in a fresh process: imports, open the
  database, select, format every address for its country, fit every label, draw, write the PDF;
- pylabels (an optional extra: `pip install pylabels`) drawing the same address lines on the same
  sheet with the same embedded TrueType font (DejaVu Sans) and no rounded-corner clipping, also in
  a fresh process that only reads the lines from a JSON file: no database, no formatting, no fitting;
- cardkeep's layout + drawing alone, in process;
- how the command's time grows from 300 to 3,000 labels.

Target (issue #18, was 2x in issue #5): the cardkeep command at least 2.8x faster than pylabels.
`--quick` runs each once on 300 labels: CI checks that it runs, not how fast.

Both sides run from bytecode: pylabels is installed with its .pyc files, so cardkeep's are compiled
first (`compileall`), as `pip install` does; an editable checkout under PYTHONDONTWRITEBYTECODE
would otherwise compile some 40 modules on every run and measure the compiler.
"""

from __future__ import annotations

import argparse
import json
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

SENDER = '[sender]\nname = "Pat Doe"\nstreet = "5 Oak St"\ncity = "Boston"\nregion = "MA"\npostal_code = "02116"\ncountry = "US"\n'
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Luis", "Zoë"]
LAST = ["Okafor", "Nguyen", "Müller", "Sato", "García", "Walsh", "Patel", "Kowalski", "Dubois", "Ærø"]
FOREIGN = [
    ("Schönhauser Allee 45", "Berlin", None, "10435", "DE"),
    ("ul. Floriańska 15/4", "Kraków", None, "31-019", "PL"),
    ("Vestergade 3", "Ærøskøbing", None, "5970", "DK"),
    ("Οδός Ερμού 25", "Αθήνα", None, "105 63", "GR"),
    ("渋谷区神宮前1-2-3", "東京都", "東京都", "150-0001", "JP"),
]
US = [("Boston", "MA", "02116"), ("Austin", "TX", "78704"), ("Raleigh", "NC", "27601"), ("Omaha", "NE", "68102")]
TARGET = 2.8  # times faster than pylabels (issue #18)
STREETS = ["Oak St", "Cedar Ave", "Willow Way", "Hillcrest Rd", "Main St", "Park Pl", "River Rd"]

PYLABELS = r'''
import json, sys
import labels
from reportlab.graphics import shapes
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

lines_file, font_file, out = sys.argv[1:4]
pdfmetrics.registerFont(TTFont("DejaVuSans", font_file))
spec = labels.Specification(215.9, 279.4, 3, 10, 66.675, 25.4, left_margin=4.762, top_margin=12.7,
                            column_gap=3.175, row_gap=0, corner_radius=0)

def draw(label, width, height, lines):
    y = height - 12
    for line in lines:
        label.add(shapes.String(8, y, line, fontName="DejaVuSans", fontSize=9))
        y -= 11

sheet = labels.Sheet(spec, draw, border=False)
with open(lines_file, encoding="utf-8") as handle:
    sheet.add_labels(json.load(handle))
sheet.save(out)
print(sheet.page_count)
'''


def book(count: int, seed: int = 5) -> dict:
    rng = random.Random(seed)
    households = []
    for h in range(1, count + 1):
        family = rng.choice(LAST)
        members = [{"id": f"c{2 * h}", "name": f"{rng.choice(FIRST)} {family}", "status": "active"}]
        if rng.random() < 0.5:
            members.append({"id": f"c{2 * h + 1}", "name": f"{rng.choice(FIRST)} {family}", "status": "active"})
        if rng.random() < 0.12:
            street, city, region, postal, country = rng.choice(FOREIGN)
            street = f"{street} #{h}"  # every household distinct, or the import merges them
        else:
            city, region, postal = rng.choice(US)
            street, country = f"{h} {rng.choice(STREETS)}", "US"
        households.append({
            "id": f"h{h}", "status": "active", "tags": ["bench"], "members": members, "cards": [],
            "addresses": [{"street": street, "city": city, "region": region, "postal_code": postal,
                           "country": country}],
        })
    return {"cardkeep": 1, "households": households}


def run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}... failed:\n{done.stderr}")
    return elapsed


def median(cmd: list[str], env: dict[str, str], runs: int) -> float:
    return statistics.median(run(cmd, env) for _ in range(runs))


def compile_cardkeep() -> None:
    import compileall

    compileall.compile_dir(str(ROOT / "cardkeep"), quiet=1)


def prepare(directory: Path, count: int) -> dict[str, str]:
    env = dict(os.environ, CARDKEEP_DB=str(directory / "book.db"), CARDKEEP_CONFIG=str(directory / "config.toml"))
    (directory / "config.toml").write_text(SENDER)
    (directory / "book.json").write_text(json.dumps(book(count), ensure_ascii=False))
    run([sys.executable, "-m", "cardkeep", "import", str(directory / "book.json")], env)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each once, on 300 labels")
    args = parser.parse_args()
    runs = 1 if args.quick else 5
    sizes = [300] if args.quick else [300, 3000]
    big = sizes[-1]
    rows: list[tuple[str, str, str]] = []
    compile_cardkeep()
    with tempfile.TemporaryDirectory() as tmp:
        timings = {}
        for count in sizes:
            directory = Path(tmp) / str(count)
            directory.mkdir()
            env = prepare(directory, count)
            cmd = [sys.executable, "-m", "cardkeep", "labels", "--tag", "bench", "-t", "avery-5160",
                   "-o", str(directory / "labels.pdf")]
            timings[count] = median(cmd, env, runs)
            rows.append((f"cardkeep labels, {count} labels (command, fresh process)", f"{timings[count]:.2f} s",
                         f"{TARGET:g}x faster than pylabels" if count == big else ""))
        directory = Path(tmp) / str(big)
        env = dict(os.environ, CARDKEEP_DB=str(directory / "book.db"), CARDKEEP_CONFIG=str(directory / "config.toml"))

        # The same lines cardkeep printed, for pylabels and for the in-process measurement.
        os.environ.update(CARDKEEP_CONFIG=env["CARDKEEP_CONFIG"])
        from cardkeep.plan import selection
        from cardkeep.printing import addressing, labels
        from cardkeep.printing.fonts import FONT_DIR, register_fonts
        from cardkeep.store.db import open_db

        db = open_db(directory / "book.db")
        chosen = selection.resolve(db, selection.select_household_ids(db, tag="bench"))
        items = [labels.Label(r.mailing_name, addressing.format_address(r.mailing_name, r.address, home="US"))
                 for r in chosen.recipients]
        template = labels.find_template("avery-5160")
        fonts = register_fonts()

        def in_process() -> float:
            start = time.perf_counter()
            fitted, _ = labels.layout(items, template, fonts)
            labels.render(items, template, fonts=fonts, fitted=fitted)
            return time.perf_counter() - start

        inner = statistics.median(in_process() for _ in range(runs))
        rows.append((f"cardkeep layout + draw only, {big} labels (in process)", f"{inner:.2f} s", ""))

        try:
            import labels as _pylabels  # noqa: F401
        except ImportError:
            pylabels_time = None
            rows.append(("pylabels", "skipped", "pylabels is not installed: pip install pylabels (the bench extra)"))
        else:
            lines_file = directory / "lines.json"
            lines_file.write_text(json.dumps([item.lines for item in items], ensure_ascii=False))
            script = directory / "pylabels_run.py"
            script.write_text(PYLABELS)
            cmd = [sys.executable, str(script), str(lines_file), str(FONT_DIR / "DejaVuSans.ttf"),
                   str(directory / "pylabels.pdf")]
            pylabels_time = median(cmd, env, runs)
            rows.append((f"pylabels, same {big} lines, same font (fresh process)", f"{pylabels_time:.2f} s", ""))
            ratio = pylabels_time / timings[big]
            verdict = "ok" if ratio >= TARGET else "BELOW TARGET"
            if args.quick:
                verdict = "not checked with --quick (start-up dominates 300 labels)"
            rows.append(("cardkeep speed-up over pylabels", f"{ratio:.1f}x", f">= {TARGET:g}x: {verdict}"))
        if len(sizes) > 1:
            small, large = timings[sizes[0]], timings[big]
            rows.append((f"scaling {sizes[0]} -> {big} labels (command)", f"{large / small:.1f}x time",
                         f"for {big / sizes[0]:.0f}x labels (includes ~fixed start-up)"))

    width = max(len(r[0]) for r in rows)
    print(f"bench_labels ({'quick: 1 run' if args.quick else f'median of {runs} runs'})")
    print(f"{'what'.ljust(width)}  {'time':>10}  target / note")
    for what, value, note in rows:
        print(f"{what.ljust(width)}  {value:>10}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
