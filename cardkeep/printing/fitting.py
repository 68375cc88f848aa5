"""Fitting address lines into a box: shrink before break, one size for a whole run of labels.

Pure of the PDF and the database; `fonts` only measures text. The rules, in order:

1. Every block is printed unbroken (one line per address line) at the largest size, in half
   points, at which it fits, from `max_size` down to a stated minimum (`MIN_UNBROKEN`, 7 pt).
2. A sheet of labels is printed at one size: the largest at which every label on it fits
   unbroken (`fit_all`). A label that does not fit unbroken even at the minimum is the exception,
   and is named by the caller.
3. Only then is a line broken at spaces (between characters for Chinese, Japanese and Korean),
   at the largest size up to the sheet's at which the block fits, down to `MIN_SIZE`. The lines
   in `keep` (the postal-code line) are broken only when nothing else fits. A continuation line
   is indented (`INDENT` em), so a reader can tell it from the next address line.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cardkeep.printing.fonts import FontSet, TextLines

LEADING = 1.18  # line height as a multiple of the font size
MAX_SIZE = 11.0
MIN_UNBROKEN = 7.0  # a sheet shrinks to this before any line is broken
MIN_SIZE = 6.0  # nothing prints smaller, even broken
INDENT = 1.0  # em: continuation lines are indented by this much


@dataclass(frozen=True)
class Fitted:
    lines: tuple[str, ...]
    size: float
    continued: tuple[bool, ...] = ()  # per line: True where it continues the line above (indented)

    @property
    def leading(self) -> float:
        return self.size * LEADING

    @property
    def broken(self) -> bool:
        return any(self.continued)

    @property
    def indent(self) -> float:
        return self.size * INDENT


def block_height(count: int, size: float) -> float:
    """The height of `count` lines at `size`: the last line needs its full size (ascent + descent),
    not a whole leading."""
    return (count - 1) * size * LEADING + size * 1.2 if count else 0.0


def unbroken_size(lines: Sequence[str], fonts: FontSet, width: float, height: float,
                  *, max_size: float = MAX_SIZE) -> float:
    """The largest size in half points, at most `max_size`, at which `lines` fit in `width` x
    `height` points one line each (it may be below MIN_SIZE: the caller decides)."""
    if not lines:
        return max_size
    widest = max(fonts.width(line, 1) for line in lines)
    by_width = width / widest if widest else max_size
    by_height = height / block_height(len(lines), 1)
    return math.floor(min(max_size, by_width, by_height) * 2 + 1e-9) / 2


def _split_long(word: str, fonts: FontSet, limit1: float) -> list[str] | None:
    """Break a word with no spaces between characters (for CJK); None if it is not CJK."""
    from cardkeep.printing.addressing import is_native_script

    if not is_native_script({"w": word}):
        return None
    pieces, current = [], ""
    for char in word:
        if current and fonts.width(current + char, 1) > limit1:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces


def wrap(line: str, fonts: FontSet, width: float, size: float, *, indent: float = 0.0) -> list[str] | None:
    """`line` broken at spaces into lines no wider than `width` at `size` (the continuation lines
    no wider than `width - indent`); None if a word is wider."""
    if fonts.width(line, 1) <= width / size:
        return [line]
    out: list[str] = []
    current = ""

    def limit() -> float:  # in points at size 1, for the line being filled
        return (width - (indent if out else 0.0)) / size

    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if fonts.width(candidate, 1) <= limit():
            current = candidate
            continue
        if current:
            out.append(current)
            current = ""
        if fonts.width(word, 1) <= limit():
            current = word
            continue
        pieces = _split_long(word, fonts, (width - indent) / size)
        if pieces is None or any(fonts.width(p, 1) > (width - indent) / size for p in pieces):
            return None
        out.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        out.append(current)
    return out


def _broken(lines: Sequence[str], fonts: FontSet, width: float, height: float, size: float,
            keep: Collection[int]) -> Fitted | None:
    """`lines` at `size`, each broken as needed except those in `keep`; None if they do not fit."""
    out: list[str] = []
    continued: list[bool] = []
    for i, line in enumerate(lines):
        if i in keep:
            if fonts.width(line, size) > width:
                return None
            pieces = [line]
        else:
            pieces = wrap(line, fonts, width, size, indent=size * INDENT)
            if pieces is None:
                return None
        out.extend(pieces)
        continued.extend([False] + [True] * (len(pieces) - 1))
    if block_height(len(out), size) > height:
        return None
    return Fitted(tuple(out), size, tuple(continued))


def fit_broken(lines: Sequence[str], fonts: FontSet, width: float, height: float, *,
               max_size: float = MAX_SIZE, min_size: float = MIN_SIZE, keep: Collection[int] = ()) -> Fitted | None:
    """The largest size (half points, `max_size` down to `min_size`) at which `lines`, broken
    where needed, fit; the lines in `keep` are broken only when nothing else fits."""
    for protected in ((keep, ()) if keep else ((),)):
        size = max_size
        while size >= min_size - 1e-9:
            found = _broken(lines, fonts, width, height, size, protected)
            if found is not None:
                return found
            size -= 0.5
    return None


def fit(
    lines: Sequence[str],
    fonts: FontSet,
    width: float,
    height: float,
    *,
    max_size: float = MAX_SIZE,
    min_unbroken: float = MIN_UNBROKEN,
    min_size: float = MIN_SIZE,
    keep: Collection[int] = (),
) -> Fitted | None:
    """One block: unbroken at the largest size down to `min_unbroken`; else broken (see
    `fit_broken`), at most at `max_size`; else unbroken down to `min_size`; None if nothing fits."""
    size = unbroken_size(lines, fonts, width, height, max_size=max_size)
    if size >= min(min_unbroken, max_size):
        return Fitted(tuple(lines), size, (False,) * len(lines))
    found = fit_broken(lines, fonts, width, height, max_size=max_size, min_size=min_size, keep=keep)
    if found is None and size >= min_size:
        found = Fitted(tuple(lines), size, (False,) * len(lines))
    return found


def fit_all(
    blocks: Sequence[tuple[Sequence[str], Collection[int]]],
    fonts: FontSet,
    width: float,
    height: float,
    *,
    max_size: float = MAX_SIZE,
    min_unbroken: float = MIN_UNBROKEN,
    min_size: float = MIN_SIZE,
    sizes: dict[tuple[str, ...], float] | None = None,
) -> tuple[list[Fitted | None], float]:
    """Every block at one size, the largest at which all of them fit unbroken (at least
    `min_unbroken`); a block that does not fit unbroken at that minimum is broken (see `fit`) at
    most at that size. Returns the fitted blocks (None: cannot fit) and the run's size; `sizes`,
    when given, receives each distinct block's own unbroken size."""
    sizes = {} if sizes is None else sizes
    for lines, _ in blocks:
        key = tuple(lines)
        if key not in sizes:
            sizes[key] = unbroken_size(lines, fonts, width, height, max_size=max_size)
    run = min((s for s in sizes.values() if s >= min_unbroken), default=max_size)
    out: list[Fitted | None] = []
    whole: dict[tuple[str, ...], Fitted] = {}
    cache: dict[tuple[tuple[str, ...], tuple[int, ...]], Fitted | None] = {}
    for lines, keep in blocks:
        key = tuple(lines)
        if sizes[key] >= run:
            found = whole.get(key)
            if found is None:
                found = whole[key] = Fitted(key, run, (False,) * len(key))
            out.append(found)
            continue
        ckey = (key, tuple(sorted(keep)))
        if ckey not in cache:
            cache[ckey] = fit(key, fonts, width, height, max_size=run, min_unbroken=min_unbroken,
                              min_size=min_size, keep=keep)
        out.append(cache[ckey])
    return out, run


def choose_lines(lines: Sequence[str], keep: Collection[int], fallback: Sequence[str], fonts: FontSet,
                 width: float, height: float, min_unbroken: float = MIN_UNBROKEN,
                 max_size: float = MAX_SIZE) -> tuple[list[str], tuple[int, ...]]:
    """(lines, keep): `lines`, or `fallback` (the same address laid out otherwise: a US unit above
    the street line) when `lines` do not fit unbroken at `min_unbroken` and `fallback` fits better."""
    own = unbroken_size(lines, fonts, width, height, max_size=max_size)
    if not fallback or own >= min_unbroken or unbroken_size(fallback, fonts, width, height, max_size=max_size) <= own:
        return list(lines), tuple(keep)
    postal = [lines[i] for i in keep]
    return list(fallback), tuple(i for i, line in enumerate(fallback) if line in postal)


def why_not(lines: Sequence[str], fonts: FontSet, width: float, min_size: float = MIN_SIZE) -> str:
    """Why `lines` cannot fit even at `min_size`, for the error naming the recipient."""
    for line in lines:
        if wrap(line, fonts, width, min_size, indent=min_size * INDENT) is None:
            return f"{line!r} is too wide even at {min_size:g} pt"
    return f"{len(lines)} lines are too tall even at {min_size:g} pt"


def draw_block(page: TextLines, fitted: Fitted, x: float, y: float, height: float) -> None:
    """Add fitted lines to the page's text, left-aligned from `x` (continuation lines indented),
    centred vertically in the box from `y` to `y + height`."""
    block = block_height(len(fitted.lines), fitted.size)
    ascent = fitted.size * 0.95  # DejaVu's ascender is ~0.93 em
    baseline = y + (height + block) / 2 - ascent
    if not fitted.broken:
        page.add(x, baseline, fitted.lines, fitted.size, fitted.leading)
        return
    start = 0
    for i in range(1, len(fitted.lines) + 1):
        if i == len(fitted.lines) or fitted.continued[i] != fitted.continued[start]:
            indent = fitted.indent if fitted.continued[start] else 0.0
            page.add(x + indent, baseline - start * fitted.leading, fitted.lines[start:i], fitted.size,
                     fitted.leading)
            start = i
