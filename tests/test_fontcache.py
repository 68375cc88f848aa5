"""The parsed-font cache (cardkeep/printing/fontcache.py): the same font as a fresh parse, the same
PDF, a changed font file parsed again, a bad entry ignored, written privately and atomically."""

import io
import os
import stat
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from cardkeep.printing import fontcache, fonts

CJK_FILES = [Path(p) for p in fonts.SYSTEM_FALLBACKS if Path(p).is_file() and p.endswith((".ttf", ".ttc"))][:1]


@pytest.fixture
def parses(monkeypatch):
    """Counts ReportLab parses (cache misses)."""
    calls = []
    real = ttfonts.TTFont

    class Counting(real):
        def __init__(self, *args, **kwargs):
            calls.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(ttfonts, "TTFont", Counting)
    return calls


def _copy(tmp_path, name="DejaVuSans.ttf", to="Font.ttf"):
    path = tmp_path / to
    path.write_bytes((fonts.FONT_DIR / name).read_bytes())
    return path


def _entries():
    return sorted((fontcache.cache_dir() / "fonts").glob("*"))


def _pdf(font, text):
    pdfmetrics.registerFont(font)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=1, initialFontName=font.fontName)
    canvas.setFont(font.fontName, 10)
    canvas.drawString(10, 10, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_the_cache_lives_in_the_user_cache_dir_set_by_the_tests(tmp_path, monkeypatch):
    assert fontcache.cache_dir().is_relative_to(tmp_path)
    monkeypatch.setenv("CARDKEEP_CACHE_DIR", str(tmp_path / "mine"))
    assert fontcache.cache_dir() == tmp_path / "mine"


@pytest.mark.parametrize("path", [fonts.FONT_DIR / "DejaVuSans.ttf", *CJK_FILES], ids=lambda p: p.name)
def test_a_cached_font_is_the_fresh_parse_and_draws_the_same_pdf(path, parses):
    fresh = fontcache.load("CacheTest", path)
    assert len(parses) == 1 and len(_entries()) == 1
    cached = fontcache.load("CacheTest", path)
    assert len(parses) == 1  # from the cache
    assert type(cached.face) is not ttfonts.TTFontFace
    a, b = vars(fresh.face), dict(vars(cached.face))
    for key in ("hmetrics", "glyphToChar"):
        b[key] = getattr(cached.face, key)
    for key in a.keys() - {"_pos", "_pdfScale"}:
        assert b[key] == a[key], key
        assert type(b[key]) is type(a[key]), key
    assert cached.face._pdfScale(517) == fresh.face._pdfScale(517)
    assert cached.face.name.ustr == fresh.face.name.ustr
    assert set(vars(cached)) == set(vars(fresh))
    text = "Zoë Müller, Αθήνα" + ("渋谷区神宮前 山田" if path in CJK_FILES else "")
    assert _pdf(cached, text) == _pdf(fresh, text)


def test_a_changed_font_file_is_parsed_again(tmp_path, parses):
    path = _copy(tmp_path)
    assert fontcache.load("CacheTest", path).face.name.ustr == "DejaVuSans"
    path.write_bytes((fonts.FONT_DIR / "DejaVuSans-Bold.ttf").read_bytes())
    assert fontcache.load("CacheTest", path).face.name.ustr == "DejaVuSans-Bold"
    assert len(parses) == 2
    fontcache.load("CacheTest", path)
    assert len(parses) == 2
    # Same size, another modification time: parsed again too.
    later = path.stat().st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))
    fontcache.load("CacheTest", path)
    assert len(parses) == 3


@pytest.mark.parametrize("garbage", [b"", b"not marshal", b"\xe3\x00\x00", None], ids=["empty", "text", "truncated", "other"])
def test_an_unreadable_or_corrupt_entry_is_ignored_and_rewritten(tmp_path, parses, garbage):
    import marshal

    path = _copy(tmp_path)
    fontcache.load("CacheTest", path)
    (entry,) = _entries()
    if garbage is None:  # valid marshal, not an entry
        garbage = marshal.dumps({"key": "something else", "face": {}})
    entry.write_bytes(garbage)
    font = fontcache.load("CacheTest", path)
    assert font.face.name.ustr == "DejaVuSans" and len(parses) == 2
    fontcache.load("CacheTest", path)
    assert len(parses) == 2  # the rewritten entry is used


def test_an_entry_is_written_privately_and_atomically(tmp_path):
    path = _copy(tmp_path)
    fontcache.load("CacheTest", path)
    folder = fontcache.cache_dir() / "fonts"
    (entry,) = list(folder.iterdir())  # no temporary file left behind
    if sys.platform != "win32":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_a_cache_dir_that_cannot_be_written_is_not_an_error(tmp_path, monkeypatch, parses):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache dir would be")
    monkeypatch.setenv("CARDKEEP_CACHE_DIR", str(blocker))
    path = _copy(tmp_path)
    assert fontcache.load("CacheTest", path).face.name.ustr == "DejaVuSans"
    assert fontcache.load("CacheTest", path).face.name.ustr == "DejaVuSans"
    assert len(parses) == 2


def test_a_font_that_is_not_a_font_still_fails_as_before(tmp_path):
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"nothing")
    with pytest.raises(ttfonts.TTFError):
        fontcache.load("CacheTest", bad)
    assert not (fontcache.cache_dir() / "fonts").exists()
