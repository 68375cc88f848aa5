"""Envelopes: one per page at the envelope's own size, fed short edge first, printed landscape.

The return address goes top left. The recipient block goes where the postal services' sorting
machines look for it: right of centre and in the lower half (USPS's OCR read area; Deutsche Post
and Royal Mail ask for the lower right), clear of the stamp corner at the top right and of the
barcode strip along the bottom (USPS keeps the lowest 5/8 in free).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cardkeep.errors import UsageError
from cardkeep.printing.fonts import FontSet
from cardkeep.printing.labels import MM, Fitted, draw_block, fit

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
    """(return address box, recipient box) for an envelope of `size` mm."""
    w, h = size
    ret = Box(EDGE * MM, (h - EDGE - h * 0.30) * MM, (w * 0.42 - EDGE) * MM, h * 0.30 * MM)
    left = w * 0.40
    top = max(h * 0.42, STAMP[1] + 2)
    rec = Box(left * MM, BARCODE_CLEAR * MM, (w - left - EDGE - 5) * MM, (h - top - BARCODE_CLEAR) * MM)
    return ret, rec


@dataclass
class Envelope:
    who: str
    recipient: list[str]
    sender: list[str]


def layout(envelopes: Sequence[Envelope], size: tuple[float, float], fonts: FontSet):
    """[(sender Fitted, recipient Fitted)] and the names that cannot fit, with why."""
    ret, rec = boxes(size)
    out, overflow = [], []
    for env in envelopes:
        recipient = fit(env.recipient, fonts, rec.width, rec.height, max_size=12.0, min_size=7.0)
        sender = fit(env.sender, fonts, ret.width, ret.height, max_size=9.0, min_size=6.0) if env.sender else None
        if recipient is None:
            overflow.append((env.who, "the address does not fit the envelope's address area even at 7 pt"))
        elif env.sender and sender is None:
            overflow.append((env.who, "the return address does not fit even at 6 pt"))
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
    canvas = Canvas(buffer, pagesize=(size[0] * MM, size[1] * MM), pageCompression=1, invariant=1)
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
            block = (len(sender.lines) - 1) * sender.leading + sender.size * 1.2
            draw_block(text, sender, ret.x, ret.y + ret.height - block, block)
        if recipient is not None:
            draw_block(text, recipient, rec.x, rec.y, rec.height)
        text.draw()
        canvas.showPage()
        if progress:
            progress(1)
    canvas.save()
    return buffer.getvalue()
