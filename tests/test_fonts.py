import io
from pathlib import Path

import pdfplumber
import pytest
from reportlab.pdfgen.canvas import Canvas

from cardkeep.errors import CardkeepError
from cardkeep.printing import fonts

HIEROGLYPH = "\U00013000"  # in no font cardkeep ships or finds
NAMES = ["Zoë", "Łukasz", "Ærøskøbing", "Ελένη", "Пётр", "ą ę ś ń"]


def test_bundled_font_and_licence_are_shipped():
    assert (fonts.FONT_DIR / "DejaVuSans.ttf").stat().st_size > 500_000
    assert (fonts.FONT_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert "Bitstream Vera" in (fonts.FONT_DIR / "LICENSE").read_text()


@pytest.mark.parametrize("name", NAMES)
def test_dejavu_covers_european_names_in_one_run(name):
    only_dejavu = fonts.register_fonts(fallback=[])
    assert only_dejavu.missing(name) == set()
    assert only_dejavu.runs(name) == [(fonts.REGULAR, name)]


def test_cjk_split_into_fallback_runs_keeping_spaces_inside(cjk_fonts):
    found = cjk_fonts
    fallback = found.fonts[1].name
    assert found.runs("Yamada 山田 太郎, Tokyo") == [
        (fonts.REGULAR, "Yamada "),
        (fallback, "山田 太郎"),
        (fonts.REGULAR, ", Tokyo"),
    ]
    assert found.missing("山田 太郎") == set()


def test_without_fallback_cjk_is_missing_and_drawn_with_primary():
    only_dejavu = fonts.register_fonts(fallback=[])
    assert only_dejavu.missing("Ada 山田") == {"山", "田"}
    assert only_dejavu.runs("山田") == [(fonts.REGULAR, "山田")]


def test_missing_ignores_control_and_zero_width():
    found = fonts.register_fonts()
    assert found.missing("a\u200bb\tc" + HIEROGLYPH) == {HIEROGLYPH}
    assert fonts.describe_chars({HIEROGLYPH, "é"}) == "'é' (U+00E9), '𓀀' (U+13000)"


def test_width_adds_runs_and_scales_with_size():
    found = fonts.register_fonts()
    assert found.width("", 10) == 0
    w10 = found.width("Zoë Ελένη", 10)
    assert w10 == pytest.approx(found.width("Zoë ", 10) + found.width("Ελένη", 10))
    assert found.width("Zoë Ελένη", 20) == pytest.approx(2 * w10)
    assert fonts.register_fonts(bold=True).width("Zoë Ελένη", 10) > w10


def test_registration_is_cached():
    assert fonts.register_fonts() is fonts.register_fonts()
    assert fonts.register_fonts(bold=True).primary == fonts.BOLD


def test_every_name_is_text_in_the_pdf(cjk_fonts):
    found = cjk_fonts
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    y = 700
    lines = [*NAMES, "山田 太郎", "Yamada 山田"]
    for line in lines:
        width = fonts.draw_text(canvas, 72, y, line, 12, found)
        assert width == pytest.approx(found.width(line, 12))
        y -= 20
    canvas.save()
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        text = pdf.pages[0].extract_text()
        used = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars}
    for line in lines:
        assert line in text
    assert "DejaVuSans" in used and len(used) == 2  # the PostScript names of DejaVu and the fallback
    assert b"FontFile2" in buffer.getvalue()  # embedded TrueType


def test_configured_fallback_is_used_first(tmp_path, monkeypatch):
    dejavu_bold = fonts.FONT_DIR / "DejaVuSans-Bold.ttf"
    Path(tmp_path / "config.toml").write_text(f'[fonts]\nfallback = "{dejavu_bold}"\nsystem_fallback = false\n')
    found = fonts.register_fonts()
    assert [f.path for f in found.fonts] == [fonts.FONT_DIR / "DejaVuSans.ttf", dejavu_bold]


def test_configured_fallback_that_does_not_exist_is_an_error(tmp_path):
    Path(tmp_path / "config.toml").write_text('[fonts]\nfallback = "/nowhere/font.ttf"\n')
    with pytest.raises(CardkeepError, match="/nowhere/font.ttf does not exist"):
        fonts.register_fonts()


def test_configured_fallback_that_is_not_a_font_is_an_error(tmp_path):
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font at all")
    with pytest.raises(CardkeepError, match="cannot use font .*bad.ttf"):
        fonts.register_fonts(fallback=[bad])


def test_system_fallback_is_loaded_only_when_a_glyph_needs_it():
    candidates = fonts.system_fallbacks()
    if not candidates:
        pytest.skip("no system fallback font")
    primary = fonts.register_fonts(fallback=[]).fonts[0]
    lazy = fonts.FontSet([primary], candidates)
    assert lazy.runs("Zoë Ελένη") == [(fonts.REGULAR, "Zoë Ελένη")]
    assert lazy.missing("Zoë") == set()
    assert len(lazy._fonts) == 1  # nothing parsed yet
    assert lazy.runs("山田")[0][0] != fonts.REGULAR
    assert len(lazy.fonts) == 2


@pytest.mark.parametrize("typed, drawn", [
    ("Zoë Müller", "Zoë Müller"),  # no right-to-left text: untouched
    ("עברית שלום", "םולש תירבע"),
    ("הרצל 1", "1 לצרה"),  # numbers keep their digits left to right
    ("תל אביב 6100000", "6100000 ביבא לת"),
    ("רחוב 1-2-3", "1-2-3 בוחר"),
    ("שלום (דוד)", "(דוד) םולש"),  # brackets mirrored
    ("Apt 3, רחוב הרצל 12", "Apt 3, 12 לצרה בוחר"),  # a left-to-right line keeps its order
])
def test_right_to_left_text_is_drawn_in_visual_order(typed, drawn):
    assert fonts.visual_order(typed) == drawn


def test_a_hebrew_name_is_not_printed_mirrored():
    found = fonts.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    found.draw_lines(canvas, 72, 700, ["עברית שלום", "הרצל 1"], 12, 14)
    found.draw(canvas, 72, 600, "תל אביב", 12)
    canvas.save()
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        chars = sorted(pdf.pages[0].chars, key=lambda c: (round(c["top"]), c["x0"]))
    lines: dict[int, str] = {}
    for c in chars:
        lines[round(c["top"])] = lines.get(round(c["top"]), "") + c["text"]
    # Left to right on the page: read right to left, that is the name as typed.
    assert [line.replace(" ", "") for line in lines.values()] == ["םולשתירבע", "1לצרה", "ביבאלת"]


def _primary():
    return fonts.register_fonts(fallback=[]).fonts[0]


def test_a_system_font_that_is_not_usable_is_skipped_and_named_in_the_hint(tmp_path):
    not_a_font = tmp_path / "Fake.ttf"
    not_a_font.write_bytes(b"not a font at all")
    usable = fonts.FONT_DIR / "DejaVuSans-Bold.ttf"
    lazy = fonts.FontSet([_primary()], [not_a_font, usable])
    assert [f.path for f in lazy.fonts] == [fonts.FONT_DIR / "DejaVuSans.ttf", usable]  # the next one is tried
    assert list(lazy.unusable) == [not_a_font]
    assert "Not a recognized TrueType font" in lazy.unusable[not_a_font]
    hint = lazy.fallback_hint()
    assert hint.startswith("set [fonts] fallback to a TrueType font that has them; system fonts that could not")
    assert str(not_a_font) in hint
    assert fonts.register_fonts(fallback=[]).fallback_hint() == "set [fonts] fallback to a TrueType font that has them"


def _fresh_font(tmp_path):
    """A usable TrueType file at a path no other test has loaded (registrations are cached by path)."""
    copy = tmp_path / "Fallback.ttf"
    copy.write_bytes((fonts.FONT_DIR / "DejaVuSans-Bold.ttf").read_bytes())
    return copy


def test_a_real_error_loading_the_fallback_surfaces_and_the_next_call_tries_again(monkeypatch, tmp_path):
    """Under load (too many open files, no memory) the fallback used to be dropped silently and
    for the rest of the process, so Japanese printed as boxes in every later command."""
    from reportlab.pdfbase import ttfonts

    candidate = _fresh_font(tmp_path)
    lazy = fonts.FontSet([_primary()], [candidate])
    real = ttfonts.TTFont

    def too_many_files(*args, **kwargs):
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(ttfonts, "TTFont", too_many_files)
    with pytest.raises(CardkeepError, match="cannot read font .*Fallback.ttf: .*Too many open files"):
        lazy.missing("\u5c71")  # a glyph DejaVu lacks: the fallback is loaded
    assert not lazy.unusable
    monkeypatch.setattr(ttfonts, "TTFont", real)
    assert [f.path for f in lazy.fonts][-1] == candidate  # loaded on the next call


def test_a_bug_while_loading_is_not_taken_for_a_bad_font(monkeypatch, tmp_path):
    from reportlab.pdfbase import ttfonts

    candidate = _fresh_font(tmp_path)
    lazy = fonts.FontSet([_primary()], [candidate])

    def broken(*args, **kwargs):
        raise AttributeError("a changed API")

    monkeypatch.setattr(ttfonts, "TTFont", broken)
    with pytest.raises(AttributeError, match="a changed API"):
        lazy.missing("\u5c71")  # a glyph DejaVu lacks: the fallback is loaded


def test_draw_lines_uses_reportlabs_public_text_api(monkeypatch):
    """The label hot path goes through beginText/drawText, so a ReportLab upgrade cannot break it
    behind our back (the canvas's private attributes are off limits)."""
    found = fonts.register_fonts(fallback=[])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    calls = []
    monkeypatch.setattr(canvas, "drawText", lambda text: calls.append(text.getCode()))
    found.draw_lines(canvas, 72, 700, ["Zoë Müller", "", "Ελένη"], 10, 12)
    (code,) = calls
    assert code.startswith("BT") and "1 0 0 1 72 700 Tm" in code and code.endswith("ET")
    assert code.count("T*") == 3 and code.count("Tf") == 1  # one font for the whole block


def test_lines_drawn_are_the_lines_read_back():
    found = fonts.register_fonts(fallback=[])
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    found.draw_lines(canvas, 72, 700, ["Ada & Emeka Okafor", "12 Elm St", "SPRINGFIELD, IL 62701"], 10, 12)
    canvas.save()
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        page = pdf.pages[0]
        assert page.extract_text() == "Ada & Emeka Okafor\n12 Elm St\nSPRINGFIELD, IL 62701"
        tops = sorted({round(c["top"], 1) for c in page.chars})
    assert [b - a for a, b in zip(tops, tops[1:], strict=False)] == pytest.approx([12, 12], abs=0.05)


def test_the_hint_for_missing_cjk_names_a_package_that_has_korean_too():
    plain = fonts.register_fonts(fallback=[])
    assert plain.fallback_hint({"\U00013000"}) == "set [fonts] fallback to a TrueType font that has them"
    for chars in ({"한"}, {"山"}, {"\uff5e"}):
        assert plain.fallback_hint(chars) == (
            "set [fonts] fallback to a TrueType font that has them (on Debian/Ubuntu: apt-get install "
            "fonts-wqy-microhei, which has Chinese, Japanese and Korean)")


def test_the_recommended_fonts_come_before_droid_which_lacks_hangul():
    order = [path for path in fonts.SYSTEM_FALLBACKS if "wqy" in path or "Droid" in path]
    assert "wqy-microhei" in order[0] and all("Droid" not in p for p in order[:4])


@pytest.mark.skipif(not Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").is_file(),
                    reason="fonts-wqy-microhei is not installed")
def test_wqy_microhei_really_has_every_hangul_syllable_and_common_ideograph():
    font = fonts._load(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
    assert sum(font.has(chr(c)) for c in range(0xAC00, 0xD7A4)) == 11172
    assert sum(font.has(chr(c)) for c in range(0x4E00, 0x9FA6)) == 20902
    assert all(font.has(c) for c in "山田太郎様〒東京都渋谷区神宮前メゾン김민준세종대로")
