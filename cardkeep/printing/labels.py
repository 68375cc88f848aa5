"""Label sheets: geometry, the template registry, fitting text, and the label PDF.

Pure of the database: callers pass the lines to print (see `addressing.format_address`). How the
lines are fitted (one size per run, shrink before break) is `cardkeep.printing.fitting`.

Templates are a list and a function that adds to it: the sheets in `data/label_templates.json`
(checked against the project's reference geometry), plus custom sheets from a TOML or JSON file::

    # my-sheet.toml: millimetres; pitches default to the label size (no gap)
    page = "a4"                 # or page_width_mm / page_height_mm
    columns = 3
    rows = 7
    label_width_mm = 63.5
    label_height_mm = 38.1
    left_margin_mm = 7.2
    top_margin_mm = 15.15
    column_pitch_mm = 66.04
    row_pitch_mm = 38.1
    corner_radius_mm = 2        # optional, for --outline
    padding_mm = [3, 1.5]       # optional: text inset from the label edge (horizontal, vertical)

A custom sheet is validated: every label on the page, none overlapping.

Positions are numbered 1..N across each row, then down the sheet (the order Avery prints on the
back of its sheets). `start`/`skip` apply to the first page only.

Calibration (config `[labels.calibration.<template id>]`, written by `cardkeep labels calibrate`):
    dx = 0.5      # mm; moves everything right (negative: left)
    dy = -0.3     # mm; moves everything down (negative: up)
    scale = 1.0   # printer shrink/stretch, about the top-left corner of the page
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cardkeep.errors import InvalidInput, NotFound, UsageError
from cardkeep.paths import DATA_DIR
from cardkeep.printing.fitting import (  # noqa: F401  (part of this module's API)
    LEADING,
    MAX_SIZE,
    MIN_SIZE,
    MIN_UNBROKEN,
    Fitted,
    choose_lines,
    draw_block,
    fit,
    fit_all,
    unbroken_size,
    why_not,
    wrap,
)

if TYPE_CHECKING:
    from cardkeep.printing.fonts import FontSet

MM = 72 / 25.4  # points per millimetre
PAGES = {"letter": (215.9, 279.4), "a4": (210.0, 297.0), "legal": (215.9, 355.6), "a5": (148.0, 210.0)}
DATA_FILE = DATA_DIR / "label_templates.json"
TOLERANCE_MM = 0.05  # rounding in the published measurements
DEFAULT_PADDING = (3.0, 1.5)
MAX_OFFSET = 20.0  # mm: calibration beyond this is a wrong template, not a printer
MAX_PER_SHEET = 1000  # the smallest labels sold come about 200 to a sheet


@dataclass(frozen=True)
class Template:
    id: str
    page_width_mm: float
    page_height_mm: float
    columns: int
    rows: int
    label_width_mm: float
    label_height_mm: float
    left_margin_mm: float
    top_margin_mm: float
    column_pitch_mm: float
    row_pitch_mm: float
    corner_radius_mm: float = 0.0
    padding_mm: tuple[float, float] = DEFAULT_PADDING
    vendor: str = ""
    product_codes: tuple[str, ...] = ()
    kind: str = "address"
    page: str = ""
    confidence: str = ""

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def page_size(self) -> tuple[float, float]:
        """(width, height) in points."""
        return self.page_width_mm * MM, self.page_height_mm * MM

    def rect(self, position: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) in points, PDF coordinates (y up), of 1-based `position`."""
        row, col = divmod(position - 1, self.columns)
        x = (self.left_margin_mm + col * self.column_pitch_mm) * MM
        top = (self.top_margin_mm + row * self.row_pitch_mm) * MM
        y = self.page_height_mm * MM - top - self.label_height_mm * MM
        return x, y, self.label_width_mm * MM, self.label_height_mm * MM

    @property
    def size_text(self) -> str:
        return f"{self.label_width_mm:g} x {self.label_height_mm:g} mm"

    def validate(self) -> Template:
        """Raise InvalidInput unless every label lies on the page and no two overlap."""
        where = f"label template {self.id}"
        if not self.id.strip() or "." in self.id:
            # The id names the sheet's [labels.calibration.<id>] table, where a dot would nest.
            raise InvalidInput(f"{where}: id must be a name without dots, like my-sheet")
        for name, value in vars(self).items():
            if isinstance(value, float) and not math.isfinite(value):
                raise InvalidInput(f"{where}: {name} must be a number, not {value}")
        if not all(math.isfinite(p) for p in self.padding_mm):
            raise InvalidInput(f"{where}: padding_mm must be numbers, not {list(self.padding_mm)}")
        if self.per_sheet > MAX_PER_SHEET:
            raise InvalidInput(f"{where}: {self.per_sheet} labels a sheet is more than {MAX_PER_SHEET}")
        for name in ("page_width_mm", "page_height_mm", "label_width_mm", "label_height_mm",
                     "column_pitch_mm", "row_pitch_mm"):
            if not getattr(self, name) > 0:
                raise InvalidInput(f"{where}: {name} must be greater than 0")
        for name in ("left_margin_mm", "top_margin_mm", "corner_radius_mm"):
            if getattr(self, name) < 0:
                raise InvalidInput(f"{where}: {name} cannot be negative")
        if self.columns < 1 or self.rows < 1:
            raise InvalidInput(f"{where}: columns and rows must be at least 1")
        if self.columns > 1 and self.column_pitch_mm < self.label_width_mm - TOLERANCE_MM:
            raise InvalidInput(
                f"{where}: labels overlap: column pitch {self.column_pitch_mm:g} mm is less than the label width "
                f"{self.label_width_mm:g} mm"
            )
        if self.rows > 1 and self.row_pitch_mm < self.label_height_mm - TOLERANCE_MM:
            raise InvalidInput(
                f"{where}: labels overlap: row pitch {self.row_pitch_mm:g} mm is less than the label height "
                f"{self.label_height_mm:g} mm"
            )
        right = self.left_margin_mm + (self.columns - 1) * self.column_pitch_mm + self.label_width_mm
        bottom = self.top_margin_mm + (self.rows - 1) * self.row_pitch_mm + self.label_height_mm
        if right > self.page_width_mm + TOLERANCE_MM:
            raise InvalidInput(
                f"{where}: the last column ends at {right:.2f} mm, past the page width {self.page_width_mm:g} mm"
            )
        if bottom > self.page_height_mm + TOLERANCE_MM:
            raise InvalidInput(
                f"{where}: the last row ends at {bottom:.2f} mm, past the page height {self.page_height_mm:g} mm"
            )
        px, py = self.padding_mm
        if px < 0 or py < 0 or 2 * px >= self.label_width_mm or 2 * py >= self.label_height_mm:
            raise InvalidInput(f"{where}: padding_mm {list(self.padding_mm)} leaves no room for text")
        return self


# ---------------------------------------------------------------- the registry

TEMPLATES: list[Template] = []


def register_template(template: Template) -> Template:
    """Add a validated sheet to the registry (replacing one with the same id)."""
    template.validate()
    TEMPLATES[:] = [t for t in TEMPLATES if t.id != template.id]
    TEMPLATES.append(template)
    return template


def template_from_dict(data: dict[str, Any], *, default_id: str, where: str) -> Template:
    """A Template from the data file's / a custom file's keys, validated."""
    data = dict(data)
    page = str(data.get("page") or "").lower()
    if page:
        if page not in PAGES:
            raise InvalidInput(f"{where}: page {page!r} is not one of {', '.join(PAGES)} (or give page_width_mm)")
        data.setdefault("page_width_mm", PAGES[page][0])
        data.setdefault("page_height_mm", PAGES[page][1])
    required = ("page_width_mm", "page_height_mm", "columns", "rows", "label_width_mm", "label_height_mm")
    missing = [k for k in required if k not in data]
    if missing:
        raise InvalidInput(f"{where}: missing {', '.join(missing)}")
    try:
        width, height = float(data["label_width_mm"]), float(data["label_height_mm"])
        padding = data.get("padding_mm", DEFAULT_PADDING)
        if isinstance(padding, int | float):
            padding = (padding, padding)
        if not isinstance(padding, list | tuple) or len(padding) != 2:
            raise InvalidInput(f"{where}: padding_mm must be a number or [horizontal, vertical], not {padding!r}")
        template = Template(
            id=str(data.get("id") or default_id),
            page_width_mm=float(data["page_width_mm"]),
            page_height_mm=float(data["page_height_mm"]),
            columns=_int(data["columns"], "columns", where),
            rows=_int(data["rows"], "rows", where),
            label_width_mm=width,
            label_height_mm=height,
            left_margin_mm=float(data.get("left_margin_mm", 0)),
            top_margin_mm=float(data.get("top_margin_mm", 0)),
            column_pitch_mm=float(data.get("column_pitch_mm") or width),
            row_pitch_mm=float(data.get("row_pitch_mm") or height),
            corner_radius_mm=float(data.get("corner_radius_mm") or 0),
            padding_mm=(float(padding[0]), float(padding[1])),
            vendor=str(data.get("vendor", "")),
            product_codes=tuple(str(c) for c in data.get("product_codes", ())),
            kind=str(data.get("kind", "address")),
            page=page,
            confidence=str(data.get("confidence", "")),
        )
    except (TypeError, ValueError, IndexError) as exc:
        raise InvalidInput(f"{where}: {exc}") from None
    return template.validate()


def _int(value: Any, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise InvalidInput(f"{where}: {name} must be a whole number, not {value!r}")
    return int(value)


@cache
def _load_builtin() -> None:
    for entry in json.loads(DATA_FILE.read_text(encoding="utf-8")):
        register_template(template_from_dict(entry, default_id=entry["id"], where=f"{DATA_FILE.name} {entry['id']}"))


def templates() -> list[Template]:
    _load_builtin()
    return list(TEMPLATES)


def load_template_file(path: str | Path) -> Template:
    """A custom sheet from a .toml or .json file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"label template {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"label template {path}: not a UTF-8 text file") from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import tomllib

            data = tomllib.loads(text)
    except (ValueError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"label template {path}: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"label template {path}: expected a table of settings")
    return template_from_dict(data, default_id=path.stem.replace(".", "-"), where=f"label template {path}")


def find_template(name: str) -> Template:
    """By id ("avery-5160"), product code ("8160", "J8160", "avery-8160") or a .toml/.json path."""
    if name.lower().endswith((".toml", ".json")) or "/" in name:
        return load_template_file(name)
    wanted = name.strip().lower()
    code = re.sub(r"^(avery|herma|zweckform)[-_ ]?", "", wanted)
    for template in templates():
        if wanted == template.id or code in (c.lower() for c in template.product_codes):
            return template
    raise NotFound(f"no label template {name!r}: see `cardkeep labels templates`, or give a .toml/.json sheet file")


# ---------------------------------------------------------------- the sheet


@dataclass
class Label:
    who: str  # the name a problem is reported under
    lines: list[str]
    keep: tuple[int, ...] = ()  # lines broken only when nothing else fits (the postal-code line)
    fallback: tuple[str, ...] = ()  # other lines for the same address, used when `lines` do not fit unbroken


@dataclass
class Calibration:
    dx: float = 0.0  # mm, right
    dy: float = 0.0  # mm, down
    scale: float = 1.0

    @classmethod
    def from_config(cls, template_id: str) -> Calibration:
        from cardkeep.config import section

        table = section("labels").get("calibration", {}).get(template_id, {})
        where = f"config [labels.calibration.{template_id}]"
        try:
            calibration = cls(float(table.get("dx", 0)), float(table.get("dy", 0)), float(table.get("scale", 1)))
        except (TypeError, ValueError, AttributeError):
            raise InvalidInput(f"{where}: dx, dy and scale must be numbers") from None
        problem = calibration.problem()
        if problem:
            raise InvalidInput(f"{where}: {problem}")
        return calibration

    def problem(self) -> str | None:
        """Why this is no printer offset (NaN, more than 20 mm off, a scale beyond 0.8..1.2), or None."""
        for name in ("dx", "dy"):
            value = getattr(self, name)
            if not abs(value) <= MAX_OFFSET:  # also catches NaN
                return f"{name} {value:g}: more than {MAX_OFFSET:g} mm off is not a printer offset; check the template"
        if not 0.8 <= self.scale <= 1.2:
            return f"scale {self.scale:g}: a printer is off by a few percent at most (0.8 to 1.2)"
        return None


@dataclass
class Problems:
    overflow: list[tuple[str, str]] = field(default_factory=list)  # (who, why)
    missing_glyphs: list[tuple[str, set[str]]] = field(default_factory=list)
    size: float = MAX_SIZE  # the sheet's one size: the largest at which every label fits unbroken
    limited_by: list[str] = field(default_factory=list)  # who sets that size, when it is below MAX_SIZE
    broken: list[tuple[str, Fitted]] = field(default_factory=list)  # (who, how): broken or below the size


def positions(template: Template, count: int, *, start: int = 1, skip: Iterable[int] = ()) -> list[tuple[int, int]]:
    """(page index, 1-based position) for `count` labels, leaving positions before `start` and
    those in `skip` free on the first page."""
    per = template.per_sheet
    if not 1 <= start <= per:
        raise UsageError(f"--start must be between 1 and {per} on {template.id} ({per} labels a sheet)")
    skipped = set(skip)
    bad = sorted(p for p in skipped if not 1 <= p <= per)
    if bad:
        raise UsageError(f"--skip {bad[0]} is not a position on {template.id} (1 to {per})")
    if count and all(p in skipped for p in range(start, per + 1)):
        raise UsageError(f"no free position on the first sheet from --start {start} with --skip")
    out: list[tuple[int, int]] = []
    page, pos = 0, start
    while len(out) < count:
        if pos > per:
            page, pos = page + 1, 1
        if page > 0 or pos not in skipped:
            out.append((page, pos))
        pos += 1
    return out


def layout(labels: Sequence[Label], template: Template, fonts: FontSet) -> tuple[list[Fitted | None], Problems]:
    """Fit every label at one size (see `cardkeep.printing.fitting`); report, by name, who sets
    that size, the labels broken or printed smaller, those that cannot fit and characters no
    font has (a label repeated, as on a sheet of return labels, is reported once)."""
    px, py = template.padding_mm
    width = (template.label_width_mm - 2 * px) * MM
    height = (template.label_height_mm - 2 * py) * MM
    labels = [_choose(label, fonts, width, height) if label.fallback else label for label in labels]
    sizes: dict[tuple[str, ...], float] = {}
    fitted, size = fit_all([(label.lines, label.keep) for label in labels], fonts, width, height, sizes=sizes)
    problems = Problems(size=size)
    reported: set[tuple[str, tuple[str, ...]]] = set()
    for label, result in zip(labels, fitted, strict=True):
        key = tuple(label.lines)
        if (label.who, key) in reported:
            continue
        reported.add((label.who, key))
        if result is None:
            problems.overflow.append((label.who, why_not(label.lines, fonts, width)))
        elif result.broken or result.size < size:
            problems.broken.append((label.who, result))
        elif size < MAX_SIZE and sizes[key] == size:
            problems.limited_by.append(label.who)
        missing = fonts.missing("".join(label.lines))
        if missing:
            problems.missing_glyphs.append((label.who, missing))
    return fitted, problems


def _choose(label: Label, fonts: FontSet, width: float, height: float) -> Label:
    """`label`, or its fallback lines when its own do not fit unbroken (see `choose_lines`)."""
    if not label.fallback:
        return label
    lines, keep = choose_lines(label.lines, label.keep, label.fallback, fonts, width, height)
    return label if lines == label.lines else Label(label.who, lines, keep)


def render(
    labels: Sequence[Label],
    template: Template,
    *,
    fonts: FontSet | None = None,
    fitted: Sequence[Fitted | None] | None = None,
    start: int = 1,
    skip: Iterable[int] = (),
    copies: int = 1,
    outline: bool = False,
    calibration: Calibration | None = None,
    progress: Callable[[int], None] | None = None,
    title: str = "cardkeep labels",
) -> bytes:
    """The PDF of `labels` (each `copies` times, consecutively) on `template` sheets.

    Labels that cannot fit (see `layout`) are left blank: callers report them before printing.
    `progress(n)` is called after each page with the number of labels drawn on it.
    """
    from reportlab.pdfgen.canvas import Canvas

    from cardkeep.printing.fonts import TextLines, register_fonts

    if copies < 1:
        raise UsageError("--copies must be at least 1")
    fonts = fonts or register_fonts()
    if fitted is None:
        fitted, _ = layout(labels, template, fonts)
    calibration = calibration or Calibration()
    buffer = io.BytesIO()
    # The initial font is ours, or every page would name ReportLab's default, Helvetica, unembedded.
    canvas = Canvas(buffer, pagesize=template.page_size, pageCompression=1, invariant=1,
                    initialFontName=fonts.primary)
    canvas.setTitle(title)
    canvas.setCreator("cardkeep")
    canvas.setViewerPreference("PrintScaling", "None")

    sequence = [i for i in range(len(labels)) for _ in range(copies)]
    places = positions(template, len(sequence), start=start, skip=skip)
    pages = max((page for page, _ in places), default=0) + 1
    px, py = template.padding_mm[0] * MM, template.padding_mm[1] * MM
    by_page: list[list[tuple[int, int]]] = [[] for _ in range(pages)]
    for index, (page, pos) in zip(sequence, places, strict=True):
        by_page[page].append((pos, index))
    _, page_height = template.page_size
    for page_items in by_page:
        canvas.saveState()
        _calibrate(canvas, calibration, page_height)
        if outline:
            _outlines(canvas, template)
        text = TextLines(canvas, fonts)  # one text object for the page's labels
        for pos, index in page_items:
            result = fitted[index]
            if result is None:
                continue
            x, y, w, h = template.rect(pos)
            draw_block(text, result, x + px, y + py, h - 2 * py)
        text.draw()
        canvas.restoreState()
        canvas.showPage()
        if progress:
            progress(len(page_items))
    _save(canvas)
    return buffer.getvalue()


def _save(canvas: Any) -> None:
    """Save without ASCII85-encoding the streams: a binary PDF is valid everywhere, smaller, and
    encoding 100 pages in pure Python costs more than drawing them."""
    from reportlab import rl_config

    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        canvas.save()
    finally:
        rl_config.useA85 = saved


def _calibrate(canvas: Any, calibration: Calibration, page_height: float) -> None:
    s = calibration.scale
    if calibration.dx or calibration.dy or s != 1:
        # Scale about the top-left corner, where the sheet enters the printer, then shift.
        canvas.translate(calibration.dx * MM, page_height * (1 - s) - calibration.dy * MM)
        canvas.scale(s, s)


def _outlines(canvas: Any, template: Template) -> None:
    canvas.setLineWidth(0.3)
    canvas.setStrokeGray(0.6)
    radius = template.corner_radius_mm * MM
    for pos in range(1, template.per_sheet + 1):
        x, y, w, h = template.rect(pos)
        if radius:
            canvas.roundRect(x, y, w, h, radius, stroke=1, fill=0)
        else:
            canvas.rect(x, y, w, h, stroke=1, fill=0)
    canvas.setStrokeGray(0)


SORTS = ("plan", "name", "postal-code")


def sort_key(sort: str) -> Callable[[Any], Any]:
    """A key over selection Recipients for --sort (plan: the order given)."""
    from cardkeep.store.book import fold

    if sort == "name":
        return lambda r: fold(r.mailing_name)
    if sort == "postal-code":
        return lambda r: ((r.address.get("country") or ""), (r.address.get("postal_code") or ""), fold(r.mailing_name))
    if sort == "plan":
        return lambda r: 0
    raise UsageError(f"--sort must be one of {', '.join(SORTS)}")
