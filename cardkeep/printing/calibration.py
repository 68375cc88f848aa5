"""Printer calibration for label sheets: adjustments that add up, and the test sheet to measure them.

A printer puts the page a little off: shifted, and sometimes a fraction of a percent small or large.
The saved calibration (`labels.Calibration`, config `[labels.calibration.<sheet>]`) is applied to
every sheet printed, the test sheet included. So what a test sheet shows on paper is the error that
is left with the calibration in use, and an adjustment measured from it is added to that calibration
(`adjust`): dx and dy add, the scale multiplies. Round after round, the print converges on the right
place; a second round never undoes the first. `--reset` starts again from no offset.

The test sheet (`test_sheet`) shows, on top of the sheet's outlined, numbered labels:

- a corner mark 10 mm from both edges in each corner of the paper: measure the top-left one; if it
  is 11 mm from the left edge, the print is 1 mm too far right: adjust dx by -1;
- a millimetre ruler, 100 mm long where the page allows: if it measures 99 mm on paper, multiply
  the scale by 100 / 99 (and a ruler far off means the print dialog scaled the page: turn off
  "fit to page");
- the sheet's name and the calibration in use, so a printed sheet says what it was printed with.
"""

from __future__ import annotations

import io
from typing import Any

from cardkeep.printing.labels import MM, Calibration, Template, _calibrate, _outlines

CORNER_MM = 10.0  # each corner mark is this far from both edges of the paper
ARM_MM = 8.0  # the length of a corner mark's arms


def adjust(current: Calibration, *, dx: float | None = None, dy: float | None = None,
           scale: float | None = None) -> Calibration:
    """`current` with an adjustment measured on a test sheet printed with it: offsets add, the scale
    multiplies. Rounded to 0.001 mm (and 1e-6 of scale) so that sums stay the numbers typed."""
    return Calibration(
        round(current.dx + (dx or 0.0), 3),
        round(current.dy + (dy or 0.0), 3),
        round(current.scale * (1.0 if scale is None else scale), 6),
    )


def describe(calibration: Calibration) -> str:
    return f"dx {calibration.dx:+g} mm, dy {calibration.dy:+g} mm, scale {calibration.scale:g}"


def ruler_mm(template: Template) -> int:
    """The ruler's length: 100 mm, or the most whole centimetres that fit a small page."""
    room = template.page_width_mm - 2 * (CORNER_MM + ARM_MM)
    return 100 if room >= 100 else max(10, int(room // 10) * 10)


def _sheet_name(template: Template) -> str:
    page = template.page.capitalize() if template.page else f"{template.page_width_mm:g} x {template.page_height_mm:g} mm"
    if len(page) == 2:  # a4, a5
        page = page.upper()
    return (f"{template.id} ({page} paper, {template.columns} x {template.rows} labels of "
            f"{template.size_text})")


def _instructions(template: Template, calibration: Calibration, ruler: int) -> list[str]:
    mark = CORNER_MM
    return [
        f"Calibration in use (already applied to this page): {describe(calibration)}",
        f"Print at 100 % (actual size, no fit to page). Each corner mark is {mark:g} mm from both edges.",
        f"Measure the top-left mark: {mark + 1:g} mm from the left edge means the print is 1 mm too far right:",
        f"    cardkeep labels calibrate -t {template.id} --dx -1        (from the top edge: --dy)",
        f"The ruler is {ruler} mm: if it measures {ruler - 1} mm, add --scale {ruler / (ruler - 1):.4f} "
        f"({ruler} / {ruler - 1}); far off: the page was scaled.",
        "Adjustments add to the calibration in use; print a new test sheet to check.",
    ]


def _corner_marks(canvas: Any, width: float, height: float) -> None:
    c, arm = CORNER_MM * MM, ARM_MM * MM
    canvas.setLineWidth(0.3)
    canvas.setStrokeGray(0)
    for x, sx in ((c, 1), (width - c, -1)):
        for y, sy in ((c, 1), (height - c, -1)):
            canvas.line(x, y, x + sx * arm, y)  # the arms point into the page
            canvas.line(x, y, x, y + sy * arm)


def _ruler(canvas: Any, fonts: Any, x: float, y: float, length_mm: int, size: float) -> None:
    """A horizontal ruler from (x, y), ticks hanging down: 1 mm, longer at 5 mm, labelled each cm."""
    canvas.setLineWidth(0.25)
    canvas.line(x, y, x + length_mm * MM, y)
    for mm in range(length_mm + 1):
        tick = 3.0 if mm % 10 == 0 else 2.0 if mm % 5 == 0 else 1.2
        canvas.line(x + mm * MM, y, x + mm * MM, y - tick * MM)
        if mm % 10 == 0:
            label = f"{mm}" if mm < length_mm else f"{mm} mm"
            fonts.draw(canvas, x + mm * MM - fonts.width(str(mm), size) / 2, y - 3 * MM - size, label, size)


def test_sheet(template: Template, *, calibration: Calibration | None = None) -> bytes:
    """One page at the sheet's size, printed through `calibration` like the labels themselves: every
    label outlined with its position number and a centre cross, corner marks, a ruler, the sheet's
    name and the calibration in use, and how to measure."""
    from reportlab.pdfgen.canvas import Canvas

    from cardkeep.printing.fonts import register_fonts

    calibration = calibration or Calibration()
    fonts = register_fonts()
    bold = register_fonts(bold=True)
    width, height = template.page_size
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=template.page_size, invariant=1, initialFontName=fonts.primary)
    canvas.setTitle(f"cardkeep test sheet {template.id}")
    canvas.setCreator("cardkeep")
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.saveState()
    _calibrate(canvas, calibration, height)
    _outlines(canvas, template)
    canvas.setLineWidth(0.3)
    for pos in range(1, template.per_sheet + 1):
        x, y, w, h = template.rect(pos)
        cx, cy = x + w / 2, y + h / 2
        arm = min(w, h) / 6
        canvas.line(cx - arm, cy, cx + arm, cy)
        canvas.line(cx, cy - arm, cx, cy + arm)
        size = min(7.0, h / 4)
        fonts.draw(canvas, x + template.padding_mm[0] * MM, y + h - size - 1, str(pos), size)
    _corner_marks(canvas, width, height)

    # The panel: a white box in the middle of the page, over the labels there.
    ruler = ruler_mm(template)
    title = f"cardkeep test sheet: {_sheet_name(template)}"
    lines = _instructions(template, calibration, ruler)
    room = width - 2 * (CORNER_MM + 2) * MM
    size = 7.5
    while size > 4.0 and max([bold.width(title, size + 1.5)] + [fonts.width(t, size) for t in lines]) > room:
        size -= 0.25
    leading = size * 1.35
    panel_w = max([bold.width(title, size + 1.5)] + [fonts.width(t, size) for t in lines] + [ruler * MM]) + 6 * MM
    panel_h = (size + 1.5) * 1.4 + len(lines) * leading + 10 * MM + 4 * MM
    px, py = (width - panel_w) / 2, (height - panel_h) / 2
    canvas.setFillGray(1)
    canvas.setStrokeGray(0.5)
    canvas.rect(px, py, panel_w, panel_h, stroke=1, fill=1)
    canvas.setFillGray(0)
    canvas.setStrokeGray(0)
    y = py + panel_h - 2 * MM - (size + 1.5)
    bold.draw(canvas, px + 3 * MM, y, title, size + 1.5)
    y -= (size + 1.5) * 0.4
    for text in lines:
        y -= leading
        fonts.draw(canvas, px + 3 * MM, y, text, size)
    _ruler(canvas, fonts, (width - ruler * MM) / 2, py + 9 * MM, ruler, min(size, 6.5))
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
