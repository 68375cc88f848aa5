"""The years at a glance: households against the last N years of cards, as text or SVG.

Each cell is one household's year: cards both ways, only we sent, only they sent, a card that came
back, or nothing. Rows are sorted so that the quiet ones stand out: the households we have heard
from least lately come first. Pure: the rows come from `history.overview`, `today` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from cardkeep.plan.history import MARKS

# Fill colours for the SVG, one per mark; chosen to read in greyscale too (dark = both ways).
COLOURS = {"both": "#2f6f4f", "sent": "#8fbf9f", "received": "#e0a040", "returned": "#c0392b", "none": "#eeeeee"}
LABELS = {"both": "cards both ways", "sent": "we sent", "received": "they sent", "returned": "came back",
          "none": "none"}


@dataclass(frozen=True)
class Row:
    household: str  # "h12"
    mailing_name: str
    cells: tuple[str, ...]  # one of MARKS' keys per year, oldest first
    last_heard: int | None  # the last year they sent a card, if ever

    @property
    def marks(self) -> str:
        return "".join(MARKS[cell] for cell in self.cells)


@dataclass(frozen=True)
class Grid:
    years: tuple[int, ...]
    rows: tuple[Row, ...]


def _cell(year: int, sent: set[int], received: set[int], returned: set[int]) -> str:
    if year in returned:
        return "returned"
    if year in sent and year in received:
        return "both"
    if year in sent:
        return "sent"
    if year in received:
        return "received"
    return "none"


def build(overview: list[dict[str, Any]], *, last_year: int, span: int = 10) -> Grid:
    """The grid of the `span` years up to `last_year` from `history.overview` rows. Households with
    no card in the window are left out; the rest are sorted quietest first (the longest since they
    last wrote, then the fewest cards back in the window, then by name)."""
    years = tuple(range(last_year - span + 1, last_year + 1))
    rows = []
    for entry in overview:
        sent, received = set(entry["years_sent"]), set(entry["years_received"])
        returned = set(entry["years_returned"])
        cells = tuple(_cell(year, sent, received, returned) for year in years)
        if all(cell == "none" for cell in cells):
            continue
        rows.append(Row(entry["household"], entry["mailing_name"], cells, max(received) if received else None))

    def quiet_first(row: Row) -> tuple:
        back = sum(cell in ("both", "received") for cell in row.cells)
        return (row.last_heard if row.last_heard is not None else -1, back, row.mailing_name.casefold())

    return Grid(years, tuple(sorted(rows, key=quiet_first)))


def legend() -> str:
    return " · ".join(f"{MARKS[key]} {LABELS[key]}" for key in ("both", "sent", "received", "returned", "none"))


def to_svg(grid: Grid, *, title: str = "Cards, year by year") -> str:
    """The same picture as the terminal grid, as a standalone SVG document."""
    cell, gap, name_width, top = 18, 2, 220, 72
    legend_width = 10 + sum(28 + 7 * len(label) for label in LABELS.values())
    width = max(name_width + len(grid.years) * (cell + gap) + 20, legend_width)
    height = top + len(grid.rows) * (cell + gap) + 60
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="10" y="20" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    for i, year in enumerate(grid.years):
        x = name_width + i * (cell + gap) + cell / 2 + 4
        out.append(f'<text x="{x:.0f}" y="{top - 6}" transform="rotate(-90 {x:.0f} {top - 6})">{year}</text>')
    for r, row in enumerate(grid.rows):
        y = top + r * (cell + gap)
        out.append(f'<text x="10" y="{y + cell - 5}">{escape(row.mailing_name)} ({row.household})</text>')
        for i, kind in enumerate(row.cells):
            x = name_width + i * (cell + gap)
            out.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="3" fill="{COLOURS[kind]}">'
                       f"<title>{escape(row.mailing_name)}, {grid.years[i]}: {LABELS[kind]}</title></rect>")
    y = top + len(grid.rows) * (cell + gap) + 24
    x = 10
    for key in ("both", "sent", "received", "returned", "none"):
        out.append(f'<rect x="{x}" y="{y - 11}" width="12" height="12" rx="2" fill="{COLOURS[key]}"/>')
        out.append(f'<text x="{x + 16}" y="{y}">{LABELS[key]}</text>')
        x += 28 + 7 * len(LABELS[key])
    out.append("</svg>")
    return "\n".join(out) + "\n"
