"""Envelopes: one per page at the envelope's own size, fed short edge first, printed landscape.

The return address goes top left. The recipient block goes where the destination's sorting
machines look for it, clear of the stamp corner at the top right and of the barcode strip along
the bottom (USPS keeps the lowest 5/8 in free, Deutsche Post the lowest 15 mm):

- the US sizes (#10, A7, A2): USPS's OCR read area, the block starting a little left of centre
  (40 % of the width), in the lower half;
- the ISO sizes (DL, C6, C5): the right half and the lower part (Deutsche Post's and Royal Mail's
  address zone, UPU's "lower right part"): the block starts at the centre line and sits below
  45 % of the height.

The recipient block is fitted as a label is (`cardkeep.printing.fitting`): unbroken at the largest
size down to 8 pt, and only then broken, the postal-code line last.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cardkeep.errors import UsageError
from cardkeep.printing.fitting import Fitted, block_height, choose_lines, draw_block, fit
from cardkeep.printing.fonts import FontSet
from cardkeep.printing.labels import MM

# (width, height) in mm, landscape.
SIZES: dict[str, tuple[float, float]] = {
    "10": (241.3, 104.775),  # #10 business, 4 1/8 x 9 1/2 in
    "A7": (184.15, 133.35),  # 5 1/4 x 7 1/4 in, for 5 x 7 cards
    "A2": (146.05, 111.125),  # 4 3/8 x 5 3/4 in, for A2 note cards
    "C6": (162.0, 114.0),
    "C5": (229.0, 162.0),
    "DL": (220.0, 110.0),
}
EDGE = 10.0  # mm: most home printers cannot print nearer the edge
BARCODE_CLEAR = 16.0  # mm kept free along the bottom edge
STAMP = (45.0, 30.0)  # mm kept free in the top right corner (stamp, postmark)
ISO = frozenset({"C6", "C5", "DL"})  # addressed in the right half, lower part
ISO_TOP = 0.55  # of the height, from the bottom: the top of the ISO address zone
RIGHT = 15.0  # mm kept free on the right of the address (ISO)
RECIPIENT_SIZES = (12.0, 8.0, 7.0)  # max, the smallest unbroken, the smallest broken
SHRUNK_BELOW = 10.0  # a recipient block smaller than this is named in the command's output


def size_name(name: str) -> str:
    """The SIZES key for what a user typed ("#10" -> "10", "dl" -> "DL")."""
    key = name.strip().upper().lstrip("#")
    if key not in SIZES:
        raise UsageError(f"--size {name!r} is not one of {', '.join(SIZES)}")
    return key


def envelope_size(name: str) -> tuple[float, float]:
    return SIZES[size_name(name)]


@dataclass(frozen=True)
class Box:
    x: float  # points, PDF coordinates (y up)
    y: float
    width: float
    height: float


def boxes(size: tuple[float, float]) -> tuple[Box, Box]:
    """(return address box, recipient box) for an envelope of `size` mm (see the module docstring)."""
    w, h = size
    ret = Box(EDGE * MM, (h - EDGE - h * 0.30) * MM, (w * 0.42 - EDGE) * MM, h * 0.30 * MM)
    if _is_iso(size):
        left = w / 2
        top = min(h * ISO_TOP, h - STAMP[1] - 2)  # from the bottom
        rec = Box(left * MM, BARCODE_CLEAR * MM, (w - left - RIGHT) * MM, (top - BARCODE_CLEAR) * MM)
        return ret, rec
    left = w * 0.40
    top = max(h * 0.42, STAMP[1] + 2)
    rec = Box(left * MM, BARCODE_CLEAR * MM, (w - left - EDGE - 5) * MM, (h - top - BARCODE_CLEAR) * MM)
    return ret, rec


def _is_iso(size: tuple[float, float]) -> bool:
    return any(abs(size[0] - SIZES[k][0]) < 0.01 and abs(size[1] - SIZES[k][1]) < 0.01 for k in ISO)


@dataclass
class Envelope:
    who: str
    recipient: list[str]
    sender: list[str]
    keep: tuple[int, ...] = ()  # the recipient's postal-code line: broken only when nothing else fits
    fallback: tuple[str, ...] = ()  # the recipient with a US unit above the street line


def layout(envelopes: Sequence[Envelope], size: tuple[float, float], fonts: FontSet, *,
           noted: list[tuple[str, Fitted]] | None = None):
    """[(sender Fitted, recipient Fitted)] and the names that cannot fit, with why. `noted`, when
    given, receives the recipients broken or shrunk below SHRUNK_BELOW, by name."""
    ret, rec = boxes(size)
    largest, unbroken, smallest = RECIPIENT_SIZES
    out, overflow = [], []
    for env in envelopes:
        lines, keep = choose_lines(env.recipient, env.keep, env.fallback, fonts, rec.width, rec.height,
                                   unbroken, largest)
        recipient = fit(lines, fonts, rec.width, rec.height, max_size=largest, min_unbroken=unbroken,
                        min_size=smallest, keep=keep)
        sender = fit(env.sender, fonts, ret.width, ret.height, max_size=9.0, min_unbroken=7.0,
                     min_size=6.0) if env.sender else None
        if recipient is None:
            overflow.append((env.who, f"the address does not fit the envelope's address area even at {smallest:g} pt"))
        elif env.sender and sender is None:
            overflow.append((env.who, "the return address does not fit even at 6 pt"))
        elif noted is not None and (recipient.broken or recipient.size < SHRUNK_BELOW):
            noted.append((env.who, recipient))
        out.append((sender, recipient))
    return out, overflow


def render(
    envelopes: Sequence[Envelope],
    size: tuple[float, float],
    *,
    fonts: FontSet,
    fitted: Sequence[tuple[Fitted | None, Fitted | None]] | None = None,
    outline: bool = False,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The PDF: one page per envelope, the page the size of the envelope."""
    from reportlab.pdfgen.canvas import Canvas

    from cardkeep.printing.fonts import TextLines

    if fitted is None:
        fitted, _ = layout(envelopes, size, fonts)
    ret, rec = boxes(size)
    buffer = io.BytesIO()
    # The initial font is ours, or every page would name ReportLab's default, Helvetica, unembedded.
    canvas = Canvas(buffer, pagesize=(size[0] * MM, size[1] * MM), pageCompression=1, invariant=1,
                    initialFontName=fonts.primary)
    canvas.setTitle("cardkeep envelopes")
    canvas.setCreator("cardkeep")
    canvas.setViewerPreference("PrintScaling", "None")
    for sender, recipient in fitted:
        if outline:
            canvas.setLineWidth(0.3)
            canvas.setStrokeGray(0.6)
            for box in (ret, rec):
                canvas.rect(box.x, box.y, box.width, box.height)
            canvas.setStrokeGray(0)
        text = TextLines(canvas, fonts)
        if sender is not None:
            # Top-aligned: the return address sits in the corner, not floating in its box.
            block = block_height(len(sender.lines), sender.size)
            draw_block(text, sender, ret.x, ret.y + ret.height - block, block)
        if recipient is not None:
            draw_block(text, recipient, rec.x, rec.y, rec.height)
        text.draw()
        canvas.showPage()
        if progress:
            progress(1)
    canvas.save()
    return buffer.getvalue()
