"""A cache of parsed TrueType fonts, so a command does not parse the same font file every run.

ReportLab parses a font in pure Python: some 15 ms for DejaVu Sans, some 65 ms for a CJK fallback
(WenQuanYi Micro Hei: 50,000 glyphs). What the parse yields (the character map, the widths, the
glyph offsets, the names and metrics) is kept in the user cache directory (`CARDKEEP_CACHE_DIR`,
else the platform's: `~/.cache/cardkeep/fonts` on Linux), one file per font, written with
`marshal` (plain data only: nothing in it is run), privately (0600 in a 0700 directory) and
atomically (a temporary file renamed over the old one).

An entry is keyed by the font file's absolute path, size and modification time, the subfont
index, ReportLab's version and this module's format: a changed font file, or another ReportLab,
misses and is parsed again. An entry that cannot be read or does not hold what is expected is
ignored (and rewritten); a cache directory that cannot be written is not an error. The font's
bytes are read from the font file itself (the PDF embeds a subset of them), never from the cache.

`load(name, path)` returns a ReportLab `TTFont`, the same as `TTFont(name, path, subfontIndex=0)`.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from functools import cached_property
from pathlib import Path
from typing import Any

FORMAT = 1
# Attributes of ReportLab's TTFontFace rebuilt rather than stored, or stored apart.
_NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")
_LAZY = ("hmetrics", "glyphToChar")
_SKIP = ("_ttf_data", "_pdfScale", *_LAZY)


def cache_dir() -> Path:
    env = os.environ.get("CARDKEEP_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("cardkeep", appauthor=False))


def load(name: str, path: Path) -> Any:
    """ReportLab's TTFont for `path` (subfont 0) registered under `name`, from the cache when it
    holds this very file, else parsed (and cached)."""
    from reportlab import Version
    from reportlab.pdfbase.ttfonts import TTFont

    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except OSError:
        return TTFont(name, str(path), subfontIndex=0)  # let ReportLab say what is wrong
    key = f"{FORMAT}|{Version}|{real}|{st.st_size}|{st.st_mtime_ns}|0"
    where = cache_dir() / "fonts" / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".marshal")
    state = _read(where, key)
    if state is not None:
        try:
            with open(real, "rb") as handle:
                data = handle.read()
        except OSError:
            data = None
        if data is not None and len(data) == st.st_size:
            return _build(name, str(path), state, data)
    font = TTFont(name, str(path), subfontIndex=0)
    _write(where, key, font.face)
    return font


def _read(where: Path, key: str) -> dict[str, Any] | None:
    try:
        with open(where, "rb") as handle:
            entry = marshal.loads(handle.read())  # marshal.load(file) reads in small pieces: slow
        if not (isinstance(entry, dict) and entry.get("key") == key and isinstance(entry.get("face"), dict)):
            return None
        state = entry["face"]
        if not isinstance(state.get("charToGlyph"), dict) or not isinstance(state.get("charWidths"), dict):
            return None
        if not all(isinstance(entry.get(k), bytes) for k in _LAZY) or not isinstance(state.get("unitsPerEm"), int):
            return None
        state["_lazy"] = {k: entry[k] for k in _LAZY}
        return state
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write(where: Path, key: str, face: Any) -> None:
    state = {k: v for k, v in vars(face).items() if k not in _SKIP}
    for k in _NAMES:
        if k in state:
            state[k] = bytes(state[k])
    try:
        entry = {"key": key, "face": state}
        # The metrics as two flat lists: a list of 50,000 pairs is slow to unmarshal, zip is not.
        entry["hmetrics"] = marshal.dumps(([aw for aw, _ in face.hmetrics], [lsb for _, lsb in face.hmetrics]))
        entry["glyphToChar"] = marshal.dumps(face.glyphToChar)
        blob = marshal.dumps(entry)
    except ValueError:  # something marshal cannot hold: a ReportLab this module does not know
        return
    try:
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=".font-", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(tmp, where)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # no cache this time: the font was parsed all the same


def _build(name: str, filename: str, state: dict[str, Any], data: bytes) -> Any:
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase import ttfonts

    face = _face_class()()
    lazy = state.pop("_lazy")
    for k in _NAMES:
        if k in state:
            state[k] = ttfonts.TTFNameBytes(state[k], "utf8")
    vars(face).update(state)
    face.filename = filename
    face._ttf_data = data
    face._pos = 0
    units = state["unitsPerEm"]
    if units == 1000:
        face._pdfScale = lambda x: x
    else:
        mult = 1000 / units
        face._pdfScale = lambda x: x * mult
    face._lazy_blobs = lazy
    font = ttfonts.TTFont.__new__(ttfonts.TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(ttfonts.fnmatch(name, g) for g in rl_config.unShapedFontGlob)
    return font


_FACE: list[type] = []


def _face_class() -> type:
    """A TTFontFace whose horizontal metrics and glyph-to-character map are read from the cache
    entry only when used (to embed the subset, to shape): building them costs more than the rest."""
    if _FACE:
        return _FACE[0]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontFace

    class CachedFace(TTFontFace):
        @cached_property  # stored in the instance on first use: makeSubset reads it per glyph
        def hmetrics(self) -> list[tuple[Any, Any]]:
            aws, lsbs = marshal.loads(self._lazy_blobs["hmetrics"])
            return list(zip(aws, lsbs, strict=True))

        @cached_property
        def glyphToChar(self) -> dict[int, list[int]]:  # noqa: N802  (ReportLab's name)
            return marshal.loads(self._lazy_blobs["glyphToChar"])

        def __init__(self) -> None:  # the state comes from the cache entry
            pdfmetrics.TypeFace.__init__(self, None)

    _FACE.append(CachedFace)
    return CachedFace
