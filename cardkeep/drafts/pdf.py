"""The drafts PDF: a cover checklist, then one page per recipient at the card size.

The cover (A4-letter, so it prints on either paper) lists the recipients in mailing order with
boxes to tick: written, signed, addressed, stamped, mailed; and the ideas for each personal line,
which stay off the card pages, since a page may be printed on the card itself.

Each card page holds the draft, a dashed space marked "personal line" where the notes suggest one
(placed before the closing words), the closing words, and a dashed space marked "sign by hand".
With `on_card` (printing on the card itself) the page has the text alone: the same spaces are left
blank, with no boxes, labels or footer. There is never a typeset signature. Nothing is printed
within 5 mm of a card's edge (EDGE). Text is drawn with `cardkeep.printing.fonts` (DejaVu Sans, CJK
fallback per glyph run); the body shrinks to fit down to 8 pt (MIN_BODY: smaller is too small to
copy by hand), and a draft that does not fit at 8 pt is an error naming the recipient (choose a
larger --size). The PDF asks viewers not to scale it (/PrintScaling /None).

Sizes (portrait, width x height): a6 105 x 148 mm, a7 74 x 105 mm, 5x7 5 x 7 in, a2 (the US A2
card) 4.25 x 5.5 in, a4-letter 210 x 279.4 mm (the part A4 and US Letter share).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cardkeep.drafts.render import Draft, DraftError

MM = 72 / 25.4
INCH = 72.0
SIZES: dict[str, tuple[float, float]] = {
    "a6": (105 * MM, 148 * MM),
    "a7": (74 * MM, 105 * MM),
    "5x7": (5 * INCH, 7 * INCH),
    "a2": (4.25 * INCH, 5.5 * INCH),
    "a4-letter": (210 * MM, 279.4 * MM),
}
COVER = SIZES["a4-letter"]
GUIDE_GREY = 0.55
LEADING = 1.38  # line height / font size
CHECKS = ("written", "signed", "addressed", "stamped", "mailed")
EDGE = 5 * MM  # nothing is printed closer to a card's edge: many printers cannot print there
MIN_BODY = 8.0  # pt: the smallest body text that is comfortable to copy by hand
COVER_ROW = 15.0  # pt: the height of a one-line row on the cover
COVER_NAME, COVER_IDEAS, COVER_HEADER = 8.0, 7.0, 7.0  # pt
COVER_INDENT = 8.0  # pt: a wrapped note's continuation lines
COVER_HEADER_GAP = 3 * MM  # between two tick-column headers


@dataclass
class PdfResult:
    data: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)
    cover_pages: int = 1


@dataclass
class _Layout:
    draft: Draft
    size: float  # body font size
    body: list[list[str]]  # paragraphs (all but the closing) as wrapped lines
    closing: list[str]
    spare: float = 0.0  # height left over on the page, given to the writing spaces


class _Measure:
    """Word widths at 1 pt, cached: widths scale linearly with the size, so fitting is cheap."""

    def __init__(self, fonts: Any):
        self.fonts = fonts
        self.cache: dict[str, float] = {}
        # The shared letter is the same in every draft: wrap each paragraph line once per size.
        self.wrapped: dict[tuple[str, float, float], list[str]] = {}

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        key = (text, width, size)
        lines = self.wrapped.get(key)
        if lines is None:
            lines = self.wrapped[key] = wrap(text, width, size, self)
        return lines

    def __call__(self, text: str, size: float) -> float:
        width = self.cache.get(text)
        if width is None:
            width = self.cache[text] = self.fonts.width(text, 1.0)
        return width * size


def _split_long(word: str, width: float, size: float, measure: _Measure) -> list[str]:
    """A word (or a run of CJK text) wider than the line, broken between characters."""
    pieces, current = [], ""
    for ch in word:
        if current and measure(current + ch, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: float, size: float, measure: _Measure) -> list[str]:
    """`text` (one paragraph line) broken into lines no wider than `width` at `size`."""
    lines: list[str] = []
    current = ""
    space = measure(" ", size)
    current_width = 0.0
    for word in text.split():
        word_width = measure(word, size)
        if word_width > width:
            if current:
                lines.append(current)
            *full, current = _split_long(word, width, size, measure)
            lines.extend(full)
            current_width = measure(current, size)
            continue
        if not current:
            current, current_width = word, word_width
        elif current_width + space + word_width <= width:
            current += " " + word
            current_width += space + word_width
        else:
            lines.append(current)
            current, current_width = word, word_width
    if current or not lines:
        lines.append(current)
    return lines


def _paragraphs(body: str) -> list[list[str]]:
    """Blank-line separated paragraphs, each a list of its hard lines."""
    blocks = [b for b in body.split("\n\n") if b.strip()]
    return [[line for line in b.split("\n")] for b in blocks]


def _geometry(width: float, height: float) -> dict[str, float]:
    scale = min(width / SIZES["a6"][0], 1.6)
    margin = max(8 * MM, min(width, height) * 0.085)  # well inside EDGE: the footer goes between
    return {
        "margin": margin,
        "max_size": max(MIN_BODY, round(10.5 * scale * 2) / 2),
        "min_size": MIN_BODY,
        "label": max(5.0, 5.5 * min(scale, 1.3)),
    }


def _block_heights(size: float, personal: bool) -> tuple[float, float, float]:
    """(paragraph gap, personal line box, signature box) heights at body size `size`."""
    line = size * LEADING
    return line * 0.6, (line * 2.6 if personal else 0.0), line * 2.8


def lay_out(draft: Draft, size_name: str, measure: _Measure) -> _Layout:
    """Fit one draft on its page: the largest body size from the size's maximum down to its minimum."""
    width, height = SIZES[size_name]
    g = _geometry(width, height)
    text_width = width - 2 * g["margin"]
    available = height - 2 * g["margin"] - g["label"] * 1.6  # leave the footer line free
    paragraphs = _paragraphs(draft.body)
    body_paragraphs, closing = (paragraphs[:-1], paragraphs[-1]) if len(paragraphs) > 1 else (paragraphs, [])
    size = g["max_size"]
    while True:
        line = size * LEADING
        gap, personal_box, signature_box = _block_heights(size, draft.personal_line)
        wrapped = [[w for hard in p for w in measure.wrap(hard, text_width, size)] for p in body_paragraphs]
        closing_lines = [w for hard in closing for w in measure.wrap(hard, text_width, size)]
        needed = sum(len(p) for p in wrapped) * line + gap * max(0, len(wrapped) - 1)
        needed += (gap + personal_box if personal_box else 0) + gap + len(closing_lines) * line + signature_box
        if needed <= available:
            return _Layout(draft, size, wrapped, closing_lines, available - needed)
        if size <= g["min_size"]:
            raise DraftError(
                f"draft for {draft.household} {draft.mailing_name} does not fit the {size_name} card at "
                f"{g['min_size']:g} pt (the smallest text to copy by hand): choose a larger --size, or shorten "
                "the letter or template"
            )
        size = max(g["min_size"], size - 0.5)


def lay_out_all(drafts: Sequence[Draft], size_name: str) -> tuple[list[_Layout], list[tuple[Draft, str]]]:
    """Layouts for the drafts that fit, and (draft, message) for the ones that do not."""
    from cardkeep.printing.fonts import register_fonts

    measure = _Measure(register_fonts())
    layouts, misfits = [], []
    for draft in drafts:
        try:
            layouts.append(lay_out(draft, size_name, measure))
        except DraftError as exc:
            misfits.append((draft, str(exc)))
    return layouts, misfits


def _draw(text_object: Any, fonts: Any, x: float, y: float, text: str, size: float) -> None:
    """Add one line to the page's text object, run by run (one font switch per script change)."""
    runs = fonts.runs(text)
    text_object.setTextOrigin(x, y)
    for i, (name, chunk) in enumerate(runs):
        text_object.setFont(name, size)
        if i == len(runs) - 1:
            text_object.textLine(chunk)  # the last run need not be measured: the next line sets its origin
        else:
            text_object.textOut(chunk)


def _dashed_box(canvas: Any, x: float, y: float, w: float, h: float, label: str, label_size: float, fonts: Any,
                *, label_right: bool = False) -> None:
    canvas.saveState()
    canvas.setStrokeGray(GUIDE_GREY)
    canvas.setLineWidth(0.5)
    canvas.setDash(2, 2)
    canvas.roundRect(x, y, w, h, 3, stroke=1, fill=0)
    canvas.restoreState()
    canvas.setFillGray(GUIDE_GREY)
    label_width = fonts.width(label, label_size)
    lx = x + w - label_width - 3 if label_right else x + 3
    fonts.draw(canvas, lx, y + 3, label, label_size)
    canvas.setFillGray(0)


def _draw_card(canvas: Any, layout: _Layout, number: int, total: int, size_name: str, fonts: Any,
               on_card: bool = False) -> None:
    """One card page. `on_card`: for printing on the card itself, so the text alone, no guides;
    the spaces to write in are the same in both modes, so a guide print shows where they fall."""
    width, height = SIZES[size_name]
    canvas.setPageSize((width, height))
    g = _geometry(width, height)
    margin, size = g["margin"], layout.size
    line = size * LEADING
    gap, personal_box, signature_box = _block_heights(size, layout.draft.personal_line)
    # Room to write is the point of the page: spare height goes to the personal line and signature.
    if personal_box:
        personal_box += min(layout.spare * 0.5, line * 2.5)
    signature_box += min(layout.spare * 0.25, line * 1.5)
    text_width = width - 2 * margin
    y = height - margin - size  # baseline of the first line
    canvas.setFillGray(0)
    text_object = canvas.beginText()  # one text object per page: far cheaper than drawString per line
    for i, paragraph in enumerate(layout.body):
        if i:
            y -= gap
        for text in paragraph:
            _draw(text_object, fonts, margin, y, text, size)
            y -= line
    if personal_box:
        y -= gap
        top = y + line - size * 0.2
        if not on_card:
            _dashed_box(canvas, margin, top - personal_box, text_width, personal_box, "personal line", g["label"],
                        fonts)
        y -= personal_box
    y -= gap
    for text in layout.closing:
        _draw(text_object, fonts, margin, y, text, size)
        y -= line
    canvas.drawText(text_object)
    top = y + line - size * 0.3
    box_width = min(text_width, max(text_width * 0.62, 40 * MM))
    if not on_card:
        _dashed_box(canvas, margin, top - signature_box, box_width, signature_box, "sign by hand", g["label"], fonts)
        canvas.setFillGray(GUIDE_GREY)
        footer = f"{number}/{total} · {layout.draft.household}"
        # The baseline sits a descender above EDGE, so even a "p" or "," stays clear of it.
        fonts.draw(canvas, width - margin - fonts.width(footer, g["label"]), EDGE + g["label"] * 0.3, footer,
                   g["label"])
        canvas.setFillGray(0)
    canvas.showPage()


def _check_columns(fonts: Any) -> list[float]:
    """Each tick column as wide as its header plus a gap, so no two headers run together."""
    return [fonts.width(label, COVER_HEADER) + COVER_HEADER_GAP for label in CHECKS]


def _cover_rows(layouts: Sequence[_Layout], fonts: Any, name_width: float, ideas_width: float,
                measure: _Measure) -> list[tuple[list[str], list[str], float]]:
    """(name lines, idea lines, row height) per card: notes are wrapped, never cut short."""
    rows = []
    for layout in layouts:
        draft = layout.draft
        names = [w for hard in [f"{draft.mailing_name} ({draft.household})"]
                 for w in wrap(hard, name_width, COVER_NAME, measure)]
        # A note's continuation lines are indented, so each note reads as one.
        ideas = [("  " if i else "") + w for prompt in draft.prompts
                 for i, w in enumerate(wrap(prompt, ideas_width - COVER_INDENT, COVER_IDEAS, measure))]
        height = max(COVER_ROW, len(names) * COVER_NAME * 1.3 + 7, len(ideas) * COVER_IDEAS * 1.3 + 7)
        rows.append((names, ideas, height))
    return rows


def _draw_cover(canvas: Any, layouts: Sequence[_Layout], title: str, size_name: str, fonts: Any,
                bold: Any) -> int:
    """The checklist, as many A4-letter pages as it takes; returns the number of pages."""
    width, height = COVER
    margin = 15 * MM
    box = 8.0
    columns = _check_columns(fonts)
    checks_x = width - margin - sum(columns)
    name_x = margin + 22
    ideas_x = name_x + (checks_x - name_x) * 0.42
    measure = _Measure(fonts)
    rows = _cover_rows(layouts, fonts, ideas_x - name_x - 8, checks_x - ideas_x - 8, measure)
    first_y = height - margin - 14 - 40 - COVER_ROW
    # Rows go on a page while they fit above the bottom margin; a long note moves its row whole.
    pages_rows: list[list[int]] = [[]]
    y = first_y
    for index, (_, _, row_height) in enumerate(rows):
        if pages_rows[-1] and y - row_height + COVER_ROW < margin:
            pages_rows.append([])
            y = first_y
        pages_rows[-1].append(index)
        y -= row_height
    pages = len(pages_rows)
    for page, indices in enumerate(pages_rows):
        canvas.setPageSize(COVER)
        y = height - margin - 14
        bold.draw(canvas, margin, y, title, 14)
        canvas.setFillGray(GUIDE_GREY)
        note = (f"{len(layouts)} cards, {size_name}, in mailing order. Sign each one by hand."
                + (f"  Page {page + 1} of {pages}." if pages > 1 else ""))
        fonts.draw(canvas, margin, y - 16, note, 8)
        canvas.setFillGray(0)
        y -= 40
        x = checks_x
        for label, column in zip(CHECKS, columns, strict=True):
            fonts.draw(canvas, x + (column - fonts.width(label, COVER_HEADER)) / 2, y, label, COVER_HEADER)
            x += column
        bold.draw(canvas, name_x, y, "to", 7.5)
        bold.draw(canvas, ideas_x, y, "ideas for the personal line", 7.5)
        canvas.setLineWidth(0.4)
        canvas.setStrokeGray(0.7)
        canvas.line(margin, y - 4, width - margin, y - 4)
        y -= COVER_ROW
        for index in indices:
            names, ideas, row_height = rows[index]
            fonts.draw(canvas, margin, y, f"{index + 1}.", COVER_NAME)
            for i, text in enumerate(names):
                fonts.draw(canvas, name_x, y - i * COVER_NAME * 1.3, text, COVER_NAME)
            if ideas:
                canvas.setFillGray(0.35)
                for i, text in enumerate(ideas):
                    indent = COVER_INDENT if text.startswith("  ") else 0.0
                    fonts.draw(canvas, ideas_x + indent, y - i * COVER_IDEAS * 1.3, text.strip(), COVER_IDEAS)
                canvas.setFillGray(0)
            canvas.setStrokeGray(0.2)
            canvas.setLineWidth(0.6)
            x = checks_x
            for column in columns:
                canvas.rect(x + (column - box) / 2, y - 1.5, box, box, stroke=1, fill=0)
                x += column
            bottom = y - row_height + COVER_ROW - 4.5
            canvas.setStrokeGray(0.85)
            canvas.setLineWidth(0.3)
            canvas.line(margin, bottom, width - margin, bottom)
            y -= row_height
        canvas.showPage()
    return pages


def render_pdf(layouts: Sequence[_Layout], *, size: str, title: str = "Card drafts", on_card: bool = False) -> PdfResult:
    """The whole PDF for laid-out drafts (see `lay_out_all`): cover pages, then a page per card.

    `on_card`: the card pages carry the text alone (no guides, labels or footer), to print on the card.
    `PdfResult.cover_pages` says how many pages the cover takes (the cards follow)."""
    from reportlab import rl_config

    from cardkeep.printing.fonts import register_fonts

    fonts = register_fonts()
    bold = register_fonts(bold=True)
    # ASCII85 wrapping of compressed streams is pure Python without reportlab's C accelerator and
    # costs a third of the time for 500 pages; binary streams are just as valid a PDF.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        return _render(layouts, size, title, fonts, bold, on_card)
    finally:
        rl_config.useA85 = a85


def _render(layouts: Sequence[_Layout], size: str, title: str, fonts: Any, bold: Any, on_card: bool) -> PdfResult:
    from reportlab.pdfgen.canvas import Canvas

    from cardkeep.printing.fonts import describe_chars

    buffer = io.BytesIO()
    # The initial font is one that is embedded: reportlab's default names Helvetica, which is not.
    canvas = Canvas(buffer, pagesize=COVER, pageCompression=1, invariant=1, initialFontName=fonts.primary)
    canvas.setTitle(title)
    canvas.setCreator("cardkeep")
    # A card-size page blown up by "fit to page" is the usual misprint: ask viewers not to scale.
    canvas.setViewerPreference("PrintScaling", "None")
    warnings = []
    pages = cover = _draw_cover(canvas, layouts, title, size, fonts, bold)
    for number, layout in enumerate(layouts, 1):
        missing = fonts.missing(layout.draft.body)
        if missing:
            warnings.append(
                f"draft for {layout.draft.household} {layout.draft.mailing_name}: no font has "
                f"{describe_chars(missing)} ({fonts.fallback_hint()})"
            )
        _draw_card(canvas, layout, number, len(layouts), size, fonts, on_card)
        pages += 1
    canvas.save()
    return PdfResult(buffer.getvalue(), pages, warnings, cover)
