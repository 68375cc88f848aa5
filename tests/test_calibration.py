"""Calibration adds up: adjustments measured on a test sheet (printed with the calibration in use) are
added to it, so round after round converges; the test sheet says what it is and has marks to measure."""

import io
import tomllib

import pdfplumber
import pytest

from cardkeep.printing import calibration, labels
from cardkeep.printing.fonts import register_fonts
from cardkeep.printing.labels import MM, Calibration


def test_adjustments_add_offsets_and_multiply_the_scale():
    saved = Calibration(1.2, -0.8, 1.01)
    assert calibration.adjust(saved) == saved
    assert calibration.adjust(saved, dx=0.3) == Calibration(1.5, -0.8, 1.01)
    assert calibration.adjust(saved, dy=0.8, scale=0.99) == Calibration(1.2, 0.0, 0.9999)
    assert calibration.adjust(Calibration(0.1), dx=0.2).dx == 0.3  # not 0.30000000000000004


def saved(tmp_path, sheet="avery-5160"):
    return tomllib.loads((tmp_path / "config.toml").read_text())["labels"]["calibration"][sheet]


def test_calibrate_adds_shows_and_resets(cli, tmp_path):
    assert cli("labels", "calibrate", "-t", "5160", "--dx", "1.2", "--dy", "-0.8").stdout == \
        "Saved for avery-5160: dx +1.2 mm, dy -0.8 mm, scale 1\n"
    result = cli("labels", "calibrate", "-t", "5160", "--dx", "0.3", "--scale", "1.01")
    assert result.stdout == \
        "Saved for avery-5160: dx +1.5 mm, dy -0.8 mm, scale 1.01 (was dx +1.2 mm, dy -0.8 mm, scale 1)\n"
    assert saved(tmp_path) == {"dx": 1.5, "dy": -0.8, "scale": 1.01}
    # No adjustment: the values in use, nothing written.
    before = (tmp_path / "config.toml").read_text()
    assert cli("labels", "calibrate", "-t", "5160").stdout == \
        "Calibration for avery-5160: dx +1.5 mm, dy -0.8 mm, scale 1.01\n"
    assert (tmp_path / "config.toml").read_text() == before
    # --reset with an adjustment sets exactly that.
    assert cli("labels", "calibrate", "-t", "5160", "--reset", "--dx", "2").stdout == \
        "Saved for avery-5160: dx +2 mm, dy +0 mm, scale 1\n"
    assert saved(tmp_path) == {"dx": 2.0, "dy": 0.0, "scale": 1.0}
    # An adjustment that would take the sum past 20 mm is refused, saying so; nothing is saved.
    result = cli("labels", "calibrate", "-t", "5160", "--dx", "19")
    assert result.exit_code == 2
    assert result.stderr == "Error: --dx 19 added to the saved dx +2 mm, dy +0 mm, scale 1 gives dx 21: more than " \
        "20 mm off is not a printer offset; check the template\n"
    assert saved(tmp_path) == {"dx": 2.0, "dy": 0.0, "scale": 1.0}


def marks(path_or_bytes):
    """What a person measures on a test sheet, in mm on the page as generated: the top-left corner
    mark's distance from the left and top edges, and the ruler's length."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with pdfplumber.open(source) as doc:
        page = doc.pages[0]
        vertical = [ln for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01 and ln["top"] < page.height / 2]
        horizontal = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.01]
        left = min(ln["x0"] for ln in vertical)
        top = min(ln["top"] for ln in horizontal if ln["x0"] < page.width / 2)
        ruler = max(ln["x1"] - ln["x0"] for ln in horizontal)
        return left / MM, top / MM, ruler / MM


def test_the_test_sheet_names_the_sheet_and_calibration_and_has_marks_and_a_ruler():
    t = labels.find_template("5160")
    pdf = calibration.test_sheet(t, calibration=Calibration(1.5, -0.75, 1.0))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        text = page.extract_text()
        numbers = {w["text"] for w in page.extract_words()}
    assert "cardkeep test sheet: avery-5160 (Letter paper, 3 x 10 labels of 66.675 x 25.4 mm)" in text
    assert "Calibration in use (already applied to this page): dx +1.5 mm, dy -0.75 mm, scale 1" in text
    assert "cardkeep labels calibrate -t avery-5160 --dx -1" in text
    assert {"1", "3", "28", "30"} <= numbers  # the corner labels are numbered
    assert "100 mm" in text
    left, top, ruler = marks(calibration.test_sheet(t))
    assert (left, top, ruler) == pytest.approx((10, 10, 100), abs=0.001)
    left, top, ruler = marks(pdf)  # printed through the calibration, like the labels
    assert (left, top, ruler) == pytest.approx((11.5, 9.25, 100), abs=0.001)


def test_a_small_custom_sheet_gets_a_shorter_ruler_and_the_text_fits():
    small = labels.Template("tiny", 100, 150, 1, 2, 80, 60, 10, 10, 80, 65)
    pdf = calibration.test_sheet(small.validate())
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert all(0 <= ch["x0"] and ch["x1"] <= page.width for ch in page.chars)
    assert marks(pdf)[2] == pytest.approx(calibration.ruler_mm(small)) and calibration.ruler_mm(small) == 60


class Printer:
    """A printer that puts everything `dx`, `dy` mm off and scales by `scale` about the top-left corner."""

    def __init__(self, dx, dy, scale=1.0):
        self.dx, self.dy, self.scale = dx, dy, scale

    def measure(self, sheet_path):
        left, top, ruler = marks(sheet_path)
        return left * self.scale + self.dx, top * self.scale + self.dy, ruler * self.scale


def one_round(cli, tmp_path, printer, n):
    """Print a test sheet, measure it, and give what is off, as the test sheet says to."""
    sheet = tmp_path / f"round{n}.pdf"
    assert cli("labels", "calibrate", "-t", "5160", "--test-sheet", sheet).exit_code == 0
    left, top, ruler = printer.measure(sheet)
    result = cli("labels", "calibrate", "-t", "5160", "--dx", f"{10 - left:.3f}", "--dy", f"{10 - top:.3f}",
                 "--scale", f"{100 / ruler:.6f}")
    assert result.exit_code == 0, result.stderr
    return left - 10, top - 10, ruler - 100


def test_two_rounds_add_up_instead_of_undoing_each_other(cli, tmp_path):
    printer = Printer(dx=1.7, dy=-2.4)
    assert one_round(cli, tmp_path, printer, 1) == pytest.approx((1.7, -2.4, 0), abs=0.001)
    assert saved(tmp_path) == pytest.approx({"dx": -1.7, "dy": 2.4, "scale": 1})
    # The second sheet, printed with that calibration, comes out right: nothing more to add...
    assert one_round(cli, tmp_path, printer, 2) == pytest.approx((0, 0, 0), abs=0.001)
    # ...and the calibration stays (replacing it with the second measurement would undo the first).
    assert saved(tmp_path) == pytest.approx({"dx": -1.7, "dy": 2.4, "scale": 1})


def test_rounds_converge_with_a_printer_that_also_shrinks(cli, tmp_path):
    printer = Printer(dx=0.9, dy=1.3, scale=0.985)
    errors = [one_round(cli, tmp_path, printer, n) for n in range(1, 4)]
    worst = [max(abs(e) for e in round_) for round_ in errors]
    assert worst[0] > 1 and worst[1] < 0.2 and worst[2] < 0.01, worst


def test_labels_printed_with_the_result_land_where_they_belong(cli, tmp_path):
    printer = Printer(dx=-1.1, dy=0.6, scale=1.012)
    for n in range(1, 4):
        one_round(cli, tmp_path, printer, n)
    t = labels.find_template("5160")
    items = [labels.Label("x", ["Ada Okafor", "12 Elm St"])]
    fonts = register_fonts()
    plain = labels.render(items, t, fonts=fonts)
    calibrated = labels.render(items, t, fonts=fonts, calibration=labels.Calibration.from_config("avery-5160"))
    with pdfplumber.open(io.BytesIO(plain)) as a, pdfplumber.open(io.BytesIO(calibrated)) as b:
        want, got = a.pages[0].chars[0], b.pages[0].chars[0]
    on_paper = (got["x0"] * printer.scale + printer.dx * MM, got["top"] * printer.scale + printer.dy * MM)
    assert on_paper == pytest.approx((want["x0"], want["top"]), abs=0.02 * MM)


def test_the_test_sheet_embeds_every_font_it_names():
    from tests.test_drafts_pdf import unembedded_fonts

    assert unembedded_fonts(calibration.test_sheet(labels.find_template("L7160"))) == set()
