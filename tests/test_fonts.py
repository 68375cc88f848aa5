import io
from pathlib import Path

import pdfplumber
import pytest
from reportlab.pdfgen.canvas import Canvas

from cardkeep.errors import CardkeepError
from cardkeep.printing import fonts

HIEROGLYPH = "\U00013000"  # in no font cardkeep ships or finds
NAMES = ["Zoë", "Łukasz", "Ærøskøbing", "Ελένη", "Пётр", "ą ę ś ń"]


def cjk_fonts():
    found = fonts.register_fonts()
    if len(found.fonts) < 2:
        pytest.skip("no CJK fallback font on this system (apt-get install fonts-droid-fallback)")
    return found


def test_bundled_font_and_licence_are_shipped():
    assert (fonts.FONT_DIR / "DejaVuSans.ttf").stat().st_size > 500_000
    assert (fonts.FONT_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert "Bitstream Vera" in (fonts.FONT_DIR / "LICENSE").read_text()


@pytest.mark.parametrize("name", NAMES)
def test_dejavu_covers_european_names_in_one_run(name):
    only_dejavu = fonts.register_fonts(fallback=[])
    assert only_dejavu.missing(name) == set()
    assert only_dejavu.runs(name) == [(fonts.REGULAR, name)]


def test_cjk_split_into_fallback_runs_keeping_spaces_inside():
    found = cjk_fonts()
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


def test_every_name_is_text_in_the_pdf():
    found = cjk_fonts()
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
    candidates = fonts._system_fallbacks()
    if not candidates:
        pytest.skip("no system fallback font")
    primary = fonts.register_fonts(fallback=[]).fonts[0]
    lazy = fonts.FontSet([primary], candidates)
    assert lazy.runs("Zoë Ελένη") == [(fonts.REGULAR, "Zoë Ελένη")]
    assert lazy.missing("Zoë") == set()
    assert lazy._system  # nothing parsed yet
    assert lazy.runs("山田")[0][0] != fonts.REGULAR
    assert not lazy._system and len(lazy.fonts) == 2


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
