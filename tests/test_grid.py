"""The years at a glance: `history --grid` and its SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cardkeep.plan import grid
from tests.conftest import EXAMPLES

ROWS = [
    {"household": "h1", "mailing_name": "Always Both", "years_sent": [2024, 2025, 2026],
     "years_received": [2024, 2025, 2026], "years_returned": []},
    {"household": "h2", "mailing_name": "Gone Quiet", "years_sent": [2024, 2025, 2026],
     "years_received": [2024], "years_returned": [2025]},
    {"household": "h3", "mailing_name": "Never Wrote", "years_sent": [2025, 2026], "years_received": [],
     "years_returned": []},
    {"household": "h4", "mailing_name": "Long Ago", "years_sent": [2001], "years_received": [2001],
     "years_returned": []},
]


def test_cells_and_quietest_first():
    built = grid.build(ROWS, last_year=2026, span=3)
    assert built.years == (2024, 2025, 2026)
    assert [r.mailing_name for r in built.rows] == ["Never Wrote", "Gone Quiet", "Always Both"]  # h4: no card
    assert [r.cells for r in built.rows] == [
        ("none", "sent", "sent"), ("both", "returned", "sent"), ("both", "both", "both")]
    assert built.rows[1].marks == "↔×→" and built.rows[0].last_heard is None


def test_svg_is_well_formed_and_has_a_cell_per_year_and_household():
    svg = grid.to_svg(grid.build(ROWS, last_year=2026, span=3), title="Cards <&> years")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    cells = [r for r in root.iter(f"{ns}rect") if r.find(f"{ns}title") is not None]
    assert len(cells) == 3 * 3
    assert {c.get("fill") for c in cells} == {grid.COLOURS[k] for k in ("none", "sent", "both", "returned")}
    assert root.find(f"{ns}title").text == "Cards <&> years"


def test_history_grid_on_the_sample_book(cli, tmp_path):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    text = cli("history", "--grid", "--years", "5", "--today", "2026-12-01")
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "id\thousehold\t2022–2026\tlast heard"
    assert lines[-1] == grid.legend()
    assert all(len(line.split("\t")[2]) == 5 for line in lines[1:-1])
    picture = cli("history", "--grid", "--svg", tmp_path / "g.svg", "--today", "2026-12-01")
    assert picture.exit_code == 0 and picture.stdout.startswith(f"Wrote {tmp_path / 'g.svg'} (")
    ET.parse(tmp_path / "g.svg")
    assert cli("history", "ada", "--grid").exit_code == 2
    assert cli("history", "--grid", "--years", "0").exit_code == 2
