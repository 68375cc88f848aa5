"""Unicode TrueType fonts for the PDFs cardkeep draws (labels, envelopes, card drafts).

ReportLab's standard fonts are Latin-1 only and it never falls back per glyph, so this module
embeds DejaVu Sans (shipped in `cardkeep/data/fonts/`, licence beside it; Latin, Greek, Cyrillic)
and, for Chinese, Japanese and Korean, a fallback TrueType font: the one named in the config, else
the first one found on the system (Debian's fonts-wqy-microhei, Arial Unicode on macOS...). Each
line is split into runs by which font has the glyph.

Coverage checked with fontTools (cmap): WenQuanYi Micro Hei (Debian/Ubuntu `fonts-wqy-microhei`)
and Zen Hei (`fonts-wqy-zenhei`) have all 11,172 Hangul syllables and all 20,902 CJK Unified
Ideographs, with TrueType outlines ReportLab reads; Droid Sans Fallback (`fonts-droid-fallback`)
has the ideographs and kana but 3 Hangul syllables, so it comes after them; Noto Sans CJK
(`fonts-noto-cjk`) has CFF outlines, which ReportLab cannot embed.

Public API (reportlab is imported only when fonts are registered)::

    fonts = register_fonts()              # FontSet; cached, cheap to call again
    fonts = register_fonts(bold=True)     # DejaVu Sans Bold first, same fallbacks
    fonts.runs("Yamada 山田")             # [("CardkeepSans", "Yamada "), ("CardkeepFallback1", "山田")]
    fonts.width("Zoë", 10)                # width in points at 10 pt
    fonts.missing("a\\U00013000")         # {"\\U00013000"}: no font has it; warn naming the contact
    fonts.draw(canvas, x, y, "text", 10)  # draws run by run from the baseline at (x, y); returns width
    fonts.draw_lines(canvas, x, y, ["line 1", "line 2"], 10, 12)  # many lines, one text object
    page = TextLines(canvas, fonts); page.add(x, y, lines, 10, 12); ...; page.draw()  # a page of blocks
    draw_text(canvas, x, y, "text", 10)   # the same with the regular FontSet
    describe_chars({"\\U00013000"})       # "'𓀀' (U+13000)", for warnings

Config (`[fonts]`):
    fallback = "/path/to/font.ttf"       # or a list of paths, tried in order, before the system ones
    system_fallback = true               # false: do not look for fallback fonts on the system

A configured fallback that cannot be loaded is an error naming the file. ReportLab reads TrueType
outlines only, so CFF-flavoured OpenType (most Noto CJK .otf/.ttc files) cannot be used: a system
candidate that is not a usable font is skipped, and why is kept (`FontSet.unusable`) for the
missing-glyph warning (`FontSet.fallback_hint()`); any other error is raised. The system fallback
is parsed only when some text needs a glyph DejaVu lacks.

ReportLab's public API is used here (`TTFont`, `pdfmetrics`, and the canvas's `setFont`,
`drawString`, `beginText` and `drawText`), with one exception: on the label-sheet hot path,
`TextLines` writes into its text object the operators the text object's `textLine` would write
(`_Operators`, checked byte for byte against the public path by the tests), remembering them per
document, and falls back to `textLine` when the text object is not the one it mirrors. A parsed
font file is cached (`fontcache.py`): parsing a CJK font costs more than drawing 3,000 labels.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

from cardkeep.errors import CardkeepError
from cardkeep.paths import DATA_DIR

FONT_DIR = DATA_DIR / "fonts"
REGULAR = "CardkeepSans"
BOLD = "CardkeepSans-Bold"
_FILES = {REGULAR: FONT_DIR / "DejaVuSans.ttf", BOLD: FONT_DIR / "DejaVuSans-Bold.ttf"}

# TrueType fonts with CJK coverage, in order of preference, on Debian/Ubuntu, Fedora, macOS, Windows.
SYSTEM_FALLBACKS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian/Ubuntu fonts-wqy-microhei: Hangul too
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",  # Fedora
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # no Korean: 3 of 11,172 syllables
    "/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/unifont/unifont.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:/Windows/Fonts/ARIALUNI.TTF",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msgothic.ttc",
)

# The Debian/Ubuntu package to recommend for Chinese, Japanese and Korean (see the module docstring).
CJK_PACKAGE = "fonts-wqy-microhei"
# Hangul, CJK and their compatibility forms (ranges, not a regex: a class this wide compiles slowly).
_CJK = ((0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF),
        (0x20000, 0x3FFFF))

# Characters that draw nothing: never reported as missing, never worth a fallback run.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")

# Hebrew, Arabic, Syriac, Thaana, N'Ko... and their presentation forms: text that reads right to left.
_RTL_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


@lru_cache(maxsize=32768)
def visual_order(text: str) -> str:
    """`text` (one line, in the logical order it is typed) in the left-to-right order to draw it.

    PDF text is drawn left to right, so a Hebrew name typed "עברית" would print mirrored. This is
    the Unicode bidi algorithm for one line without explicit embeddings: the first strong
    character sets the direction, neutrals between two runs of one direction join them, numbers
    keep their digits left to right, and brackets at right-to-left levels are mirrored. Arabic is
    reordered but not shaped (its letters print in their isolated forms)."""
    if not _RTL_TEXT.search(text):
        return text
    types = [unicodedata.bidirectional(c) for c in text]
    base_rtl = next((t in ("R", "AL") for t in types if t in ("R", "AL", "L")), False)
    # W rules, simplified: R for right-to-left letters, L for left-to-right ones, N for numbers
    # (a European number after left-to-right text is L), None for neutrals.
    kinds: list[str | None] = []
    previous = "R" if base_rtl else "L"
    for t in types:
        kind: str | None
        if t in ("R", "AL"):
            kind = previous = "R"
        elif t == "L":
            kind = previous = "L"
        elif t == "EN":
            kind = "L" if previous == "L" else "N"
        elif t == "AN":
            kind = "N"
        else:
            kind = None
        kinds.append(kind)
    # A single separator inside a number ("1-2-3", "105.63") and number signs ("#12", "5%") join it.
    for i, t in enumerate(types):
        if kinds[i] is None and 0 < i < len(types) - 1 and t in ("ES", "CS", "ET"):
            if kinds[i - 1] == kinds[i + 1] and types[i - 1] in ("EN", "AN") and types[i + 1] in ("EN", "AN"):
                kinds[i] = kinds[i - 1]
    # N1/N2: neutrals between two runs of one direction (numbers count as R) take it; else the base.
    base = "R" if base_rtl else "L"
    i = 0
    while i < len(kinds):
        if kinds[i] is not None:
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] is None:
            j += 1
        before = base if i == 0 else ("R" if kinds[i - 1] == "N" else kinds[i - 1])
        after = base if j == len(kinds) else ("R" if kinds[j] == "N" else kinds[j])
        kinds[i:j] = [before if before == after else base] * (j - i)
        i = j
    # Levels (I1/I2), then L2: reverse every run at or above each level, highest first.
    table = {"R": 1, "L": 2, "N": 2} if base_rtl else {"R": 1, "L": 0, "N": 2}
    levels = [table[k] for k in kinds]  # type: ignore[index]
    chars = [c.translate(_MIRROR) if level % 2 else c for c, level in zip(text, levels, strict=True)]
    for level in range(max(levels), 0, -1):
        i = 0
        while i < len(chars):
            if levels[i] < level:
                i += 1
                continue
            j = i
            while j < len(chars) and levels[j] >= level:
                j += 1
            chars[i:j] = chars[i:j][::-1]
            levels[i:j] = levels[i:j][::-1]
            i = j
    return "".join(chars)


@dataclass(frozen=True, eq=False)
class Font:
    name: str  # the name registered with reportlab
    path: Path
    glyphs: frozenset[int] = field(repr=False)
    chars: frozenset[str] = field(repr=False, default=frozenset())  # the same, as characters (the first font's only)

    def has(self, char: str) -> bool:
        return ord(char) in self.glyphs


class FontSet:
    """Fonts in fallback order: the first one that has a glyph draws it.

    A fallback found on the system is loaded only when some text needs a glyph the fonts before
    it lack (parsing a CJK font costs more than drawing a sheet of Latin labels)."""

    def __init__(self, fonts: Sequence[Font], system: Sequence[Path] = ()):
        self._fonts = list(fonts)
        self._pending = list(system)  # system candidates not tried yet
        self._head = self._fonts[0]
        self._lock = threading.Lock()
        self.unusable: dict[Path, str] = {}  # system candidates that are not a usable font, and why

    @property
    def fonts(self) -> tuple[Font, ...]:
        """Every usable font, loading the system fallback if it has not been yet.

        A candidate that is not a TrueType font ReportLab can read is recorded in `unusable` and
        the next one is tried; any other error propagates and the candidates stay pending, so a
        later call tries again (a fallback is never switched off for the rest of the process)."""
        if self._pending:
            with self._lock:
                while self._pending:
                    path = self._pending[0]
                    try:
                        font = _load(path)
                    except FontFileError as exc:
                        self.unusable[path] = str(exc)
                        self._pending.pop(0)
                        continue
                    if all(f.name != font.name for f in self._fonts):
                        self._fonts.append(font)
                    self._pending.clear()  # one system fallback is enough
        return tuple(self._fonts)

    def fallback_hint(self, chars: Iterable[str] = ()) -> str:
        """What to do about characters no font has (`chars`), for the end of a warning."""
        hint = "set [fonts] fallback to a TrueType font that has them"
        if any(low <= ord(c) <= high for c in chars for low, high in _CJK):
            hint += f" (on Debian/Ubuntu: apt-get install {CJK_PACKAGE}, which has Chinese, Japanese and Korean)"
        if self.unusable:
            tried = "; ".join(f"{path}: {why}" for path, why in self.unusable.items())
            hint += f"; system fonts that could not be used: {tried}"
        return hint

    @property
    def primary(self) -> str:
        return self._head.name

    def font_for(self, char: str) -> str:
        """The font that draws `char` (the primary one when none has it, so the gap is visible)."""
        code = ord(char)
        if code in self._head.glyphs:
            return self._head.name
        for font in self.fonts:
            if code in font.glyphs:
                return font.name
        return self._head.name

    def runs(self, text: str) -> list[tuple[str, str]]:
        """`text` split into (font name, text) runs, in order."""
        return list(_runs(self, text))

    def missing(self, text: str) -> set[str]:
        """Characters of `text` that no font has (control and zero-width characters aside)."""
        chars = set(text)
        if chars <= self._head.chars:
            return set()
        out = set()
        for char in chars:
            code = ord(char)
            if char in _INVISIBLE or unicodedata.category(char) == "Cc":
                continue
            if not any(code in font.glyphs for font in self.fonts):
                out.add(char)
        return out

    def width(self, text: str, size: float) -> float:
        """The width of `text` in points at `size`, run by run."""
        return _width1(self, text) * size

    def draw(self, canvas: Any, x: float, y: float, text: str, size: float) -> float:
        """Draw `text` with its left end of the baseline at (x, y); returns the width drawn."""
        start = x
        for name, chunk in _runs(self, visual_order(text)):
            canvas.setFont(name, size)
            canvas.drawString(x, y, chunk)
            x += _width1(self, chunk) * size
        return x - start

    def draw_lines(self, canvas: Any, x: float, y: float, lines: Iterable[str], size: float, leading: float) -> None:
        """Draw `lines` from the baseline at (x, y) downwards, `leading` points apart, as one text
        object. For many blocks on a page (a sheet of labels) use one `TextLines` for the page."""
        block = TextLines(canvas, self)
        block.add(x, y, lines, size, leading)
        block.draw()


class TextLines:
    """Blocks of lines gathered in one ReportLab text object, drawn with `draw()`: the label-sheet
    hot path. A font is set only where a run needs another font or the size changes, so a page of
    Latin labels switches font once, and each line costs one text operator.

    The operators are ReportLab's own, written as its text object writes them (`_Operators`): a
    line already drawn in the document (the same city line on a hundred labels) costs a lookup,
    not another pass of ReportLab's per-character encoding. `TextLines(..., fast=False)` goes
    through the text object's `setFont`/`textLine`/`textOut` instead: the same bytes, slower."""

    def __init__(self, canvas: Any, fonts: FontSet, *, fast: bool = True):
        self.canvas = canvas
        self.fonts = fonts
        self.text = canvas.beginText()
        self._font: tuple[str, float, float] | None = None
        self._ops = _Operators.of(self.text) if fast else None
        self._subset = -1  # the font subset last selected in this text object (ReportLab's _curSubset)

    def add(self, x: float, y: float, lines: Iterable[str], size: float, leading: float) -> None:
        """`lines` from the baseline at (x, y) downwards, `leading` points apart."""
        if self._ops is not None:
            self._add_fast(x, y, lines, size, leading)
            return
        text = self.text
        text.setTextOrigin(x, y)
        fonts = self.fonts
        for line in lines:
            runs = _runs(fonts, visual_order(line))
            if len(runs) == 1:  # the usual line: one font
                name, chunk = runs[0]
                if (name, size, leading) != self._font:
                    text.setFont(name, size, leading)
                    self._font = (name, size, leading)
                text.textLine(chunk)
                continue
            last = len(runs) - 1
            for i, (name, chunk) in enumerate(runs):
                if (name, size, leading) != self._font:
                    text.setFont(name, size, leading)
                    self._font = (name, size, leading)
                if i < last:
                    text.textOut(chunk)  # stays on the line, moves the cursor across
                else:
                    text.textLine(chunk)  # the line's last run, then down a line
            if not runs:
                text.textLine()

    def _add_fast(self, x: float, y: float, lines: Iterable[str], size: float, leading: float) -> None:
        ops = self._ops
        assert ops is not None
        code = self.text._code
        code.append(ops.origin(x, y))
        fonts = self.fonts
        for line in lines:
            runs = _runs(fonts, visual_order(line))
            if not runs:
                code.append(" T*")
                continue
            last = len(runs) - 1
            for i, (name, chunk) in enumerate(runs):
                font = (name, size, leading)
                if font != self._font:
                    self._font = font
                    self._subset = -1  # what ReportLab's setFont does for a TrueType font
                out, self._subset = ops.show(self.text._doc, font, chunk, self._subset)
                code.append(out if i < last else out + " T*")

    def draw(self) -> None:
        self.canvas.drawText(self.text)


# ReportLab's escapePDF as a translation table (the same output, in C): octal escapes for bytes
# outside printable ASCII, a backslash before the string delimiters and the backslash.
_PDF_ESCAPES = {c: f"\\{c:03o}" for c in (*range(32), *range(127, 256))} | {c: "\\" + chr(c) for c in b"\\()"}


class _Operators:
    """The text operators ReportLab's text object writes for a TrueType font, remembered per
    document: `show` is its `_formatText` (the subset's font selection when the subset changes, then
    the encoded string), `origin` its `setTextOrigin`. `tests/test_labels_pdf.py` checks that a
    sheet drawn this way is byte for byte the sheet drawn through the text object's methods."""

    _by_doc: Any = None  # WeakKeyDictionary: ReportLab document -> _Operators

    def __init__(self) -> None:  # holds no reference to its document, the key it is kept under
        self._shown: dict[tuple[tuple[str, float, float], str, int], tuple[str, int]] = {}
        self._origins: dict[tuple[float, float], str] = {}
        self._selects: dict[tuple[tuple[str, float, float], int], str] = {}

    @classmethod
    def of(cls, text: Any) -> _Operators | None:
        """The operators for `text`'s document, or None (use the text object's methods) when the
        text object is not the one this mirrors."""
        from weakref import WeakKeyDictionary

        doc = getattr(text, "_doc", None)
        if doc is None or not isinstance(getattr(text, "_code", None), list) or not text._canvas.bottomup:
            return None
        if cls._by_doc is None:
            cls._by_doc = WeakKeyDictionary()
        found = cls._by_doc.get(doc)
        if found is None:
            found = cls._by_doc[doc] = cls()
        return found

    def origin(self, x: float, y: float) -> str:
        key = (x, y)
        found = self._origins.get(key)
        if found is None:
            from reportlab.lib.rl_accel import fp_str

            found = self._origins[key] = f"1 0 0 1 {fp_str(x, y)} Tm"
        return found

    def show(self, doc: Any, font: tuple[str, float, float], chunk: str, subset: int) -> tuple[str, int]:
        """(the operators that draw `chunk` in `font` (name, size, leading), the subset selected
        after them), starting with `subset` selected."""
        key = (font, chunk, subset)
        found = self._shown.get(key)
        if found is None:
            found = self._shown[key] = self._format(doc, font, chunk, subset)
        return found

    def _format(self, doc: Any, font: tuple[str, float, float], chunk: str, subset: int) -> tuple[str, int]:
        from reportlab.pdfbase.pdfmetrics import getFont

        name, size, leading = font
        face = getFont(name)
        if not face._dynamicFont:  # never: every font here is a registered TrueType font
            raise CardkeepError(f"font {name} is not a TrueType font")
        parts = []
        for piece, encoded in face.splitString(chunk, doc):
            if piece != subset:
                select = self._selects.get((font, piece))
                if select is None:
                    from reportlab.lib.rl_accel import fp_str

                    select = self._selects[(font, piece)] = (
                        f"{face.getSubsetInternalName(piece, doc)} {fp_str(size)} Tf {fp_str(leading)} TL")
                parts.append(select)
                subset = piece
            parts.append(f"({encoded.decode('latin-1').translate(_PDF_ESCAPES)}) Tj")
        return " ".join(parts), subset


@lru_cache(maxsize=32768)
def _width1(fonts: FontSet, text: str) -> float:
    # ReportLab's TTFont.stringWidth, with the loop over the characters in C (map) rather than in a
    # generator: measuring every line of 3,000 labels is the layout's main cost.
    total = 0.0
    for name, chunk in _runs(fonts, text):
        widths, default = _METRICS[name]
        total += sum(map(widths, map(ord, chunk), repeat(default)))
    return 0.001 * total


# name -> (the font's advance widths by code point, in 1/1000 em: a dict's get; the default width)
_METRICS: dict[str, tuple[Any, float]] = {}


@lru_cache(maxsize=32768)
def _runs(fonts: FontSet, text: str) -> tuple[tuple[str, str], ...]:
    primary = fonts._head
    if primary.chars.issuperset(text) or all(c in primary.chars or c in _INVISIBLE for c in text):
        return ((primary.name, text),) if text else ()
    out: list[tuple[str, str]] = []
    current, start = None, 0
    for i, char in enumerate(text):
        # Spaces and zero-width characters stay in the run they are in, so "山田 太郎" is one run.
        name = current if current is not None and (char == " " or char in _INVISIBLE) else fonts.font_for(char)
        if name != current:
            if current is not None:
                out.append((current, text[start:i]))
            current, start = name, i
    if current is not None:
        out.append((current, text[start:]))
    return tuple(out)


def register_fonts(*, bold: bool = False, fallback: Sequence[str | Path] | None = None) -> FontSet:
    """The FontSet for drawing: DejaVu Sans (or Bold), then the fallbacks.

    `fallback` replaces the configured and system fallbacks (an empty list: none at all).
    """
    if fallback is None:
        return _configured(bold)
    return _font_set(bold, tuple(Path(p) for p in fallback))


def draw_text(canvas: Any, x: float, y: float, text: str, size: float, fonts: FontSet | None = None) -> float:
    """Draw `text` at (x, y) with `fonts` (default: the regular FontSet); returns the width."""
    return (fonts or register_fonts()).draw(canvas, x, y, text, size)


def describe_chars(chars: Iterable[str]) -> str:
    """"'X' (U+0058), ..." for a warning, in code point order."""
    return ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(chars))


def _configured(bold: bool) -> FontSet:
    from cardkeep.config import section

    conf = section("fonts")
    value = conf.get("fallback", [])
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CardkeepError("config [fonts] fallback must be a path or a list of paths to TrueType fonts")
    configured = tuple(Path(v).expanduser() for v in value)
    for path in configured:
        if not path.is_file():
            raise CardkeepError(f"config [fonts] fallback: font file {path} does not exist")
    system: tuple[Path, ...] = ()
    if conf.get("system_fallback", True):
        system = tuple(p for p in system_fallbacks() if p not in configured)
    return _font_set(bold, configured, system)


def system_fallbacks() -> tuple[Path, ...]:
    """Candidate fallback files that exist on this system (loaded later, only if needed)."""
    return tuple(Path(c) for c in SYSTEM_FALLBACKS if Path(c).is_file())


@cache
def _font_set(bold: bool, fallbacks: tuple[Path, ...], system: tuple[Path, ...] = ()) -> FontSet:
    name = BOLD if bold else REGULAR
    fonts = [_register(name, _FILES[name])]
    for path in fallbacks:
        font = _load(path)
        if font.name not in {f.name for f in fonts}:
            fonts.append(font)
    return FontSet(fonts, system)


class FontFileError(CardkeepError):
    """A file that is not a TrueType font ReportLab can read (missing, unreadable, CFF outlines, corrupt)."""


_fallback_names: dict[Path, str] = {}


def _fallback_name(path: Path) -> str:
    return _fallback_names.setdefault(path, f"CardkeepFallback{len(_fallback_names) + 1}")


def _load(path: Path) -> Font:
    return _register(_fallback_name(path), path)


@cache
def _register(name: str, path: Path) -> Font:
    """Register the font file at `path` with ReportLab as `name`; FontFileError if it cannot be read."""
    import struct

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    from cardkeep.printing import fontcache

    try:
        font = fontcache.load(name, path)  # parsed once, then from the user cache dir
    except (TTFError, OSError) as exc:
        cause = exc if isinstance(exc, OSError) else exc.__context__
        if isinstance(cause, OSError) and path.is_file():
            # Not the file's content (too many open files, no memory, a disk error): say so, and
            # let the next call try again rather than dropping the font for good.
            raise CardkeepError(f"cannot read font {path}: {cause}") from exc
        raise FontFileError(f"cannot use font {path}: {exc} (a TrueType .ttf/.ttc font is needed)") from exc
    except struct.error as exc:  # a truncated or corrupt file
        raise FontFileError(f"cannot use font {path}: corrupt ({exc}) (a TrueType .ttf/.ttc font is needed)") from exc
    pdfmetrics.registerFont(font)
    _METRICS[name] = (font.face.charWidths.get, font.face.defaultWidth)
    mapped = font.face.charToGlyph
    glyphs = frozenset(mapped) if all(mapped.values()) else frozenset(c for c, glyph in mapped.items() if glyph)
    # Only the first font's characters are asked for as text (`_runs`, `missing`): a CJK fallback's
    # 30,000 would cost more than drawing the sheet's Latin labels.
    return Font(name, path, glyphs, frozenset(map(chr, glyphs)) if name in _FILES else frozenset())

