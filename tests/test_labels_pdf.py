"""The label PDF read back: where each character landed, the text, the viewer preferences."""

import io

import pdfplumber
import pytest
from pypdf import PdfReader

from cardkeep.printing import labels
from cardkeep.printing.fonts import register_fonts

FONTS = register_fonts()


def read(pdf: bytes):
    return pdfplumber.open(io.BytesIO(pdf))


def label_box(template, position):
    """(left, top, right, bottom) in pdfplumber's coordinates (top of page = 0)."""
    x, y, w, h = template.rect(position)
    page_h = template.page_size[1]
    return x, page_h - y - h, x + w, page_h - y


def words_by_label(page, template):
    """{position: [text of the words inside that label]}, and words that are in no label."""
    found, stray = {}, []
    for word in page.extract_words(keep_blank_chars=False, use_text_flow=True):
        for pos in range(1, template.per_sheet + 1):
            left, top, right, bottom = label_box(template, pos)
            if left <= word["x0"] and word["x1"] <= right and top <= word["top"] and word["bottom"] <= bottom:
                found.setdefault(pos, []).append(word["text"])
                break
        else:
            stray.append(word["text"])
    return found, stray


def numbered(n):
    return [labels.Label(f"L{i:02d}", [f"L{i:02d}", "1 Elm St"]) for i in range(1, n + 1)]


def test_each_label_lands_inside_its_own_position():
    t = labels.find_template("5160")
    pdf = labels.render(numbered(32), t, fonts=FONTS)
    with read(pdf) as doc:
        assert len(doc.pages) == 2
        assert (doc.pages[0].width, doc.pages[0].height) == pytest.approx((612, 792))
        first, stray = words_by_label(doc.pages[0], t)
        second, stray2 = words_by_label(doc.pages[1], t)
    assert stray == stray2 == []
    assert first == {p: [f"L{p:02d}", "1", "Elm", "St"] for p in range(1, 31)}
    assert second == {1: ["L31", "1", "Elm", "St"], 2: ["L32", "1", "Elm", "St"]}


def test_start_skip_and_copies():
    t = labels.find_template("L7160")
    pdf = labels.render(numbered(3), t, fonts=FONTS, start=5, skip=[6, 8], copies=2)
    with read(pdf) as doc:
        assert len(doc.pages) == 1
        found, _ = words_by_label(doc.pages[0], t)
    assert {p: w[0] for p, w in found.items()} == {5: "L01", 7: "L01", 9: "L02", 10: "L02", 11: "L03", 12: "L03"}


def test_text_stays_inside_the_label_padding_even_when_shrunk():
    t = labels.find_template("5160")
    items = [labels.Label("long", ["Bartholomew Fitzwilliam-Worthington & Maximiliana Fitzwilliam-Worthington",
                                   "12345 Extraordinarily Long Boulevard Northeast", "Building 7, Suite 1200",
                                   "SPRINGFIELD, IL 62701"])]
    fitted, problems = labels.layout(items, t, FONTS)
    assert problems.overflow == [] and fitted[0].size < labels.MAX_SIZE
    pdf = labels.render(items, t, fonts=FONTS, fitted=fitted)
    left, top, right, bottom = label_box(t, 1)
    px, py = (v * labels.MM for v in t.padding_mm)
    with read(pdf) as doc:
        chars = doc.pages[0].chars
    assert "".join(c["text"] for c in chars).replace(" ", "") == "".join(items[0].lines).replace(" ", "")
    for c in chars:
        assert left + px - 0.01 <= c["x0"] and c["x1"] <= right - px + 0.01
        assert top <= c["top"] and c["bottom"] <= bottom


def test_every_name_is_text_not_boxes():
    names = ["Zoë Müller", "Łukasz Nowak", "Ærøskøbing", "Ελένη Παπαδοπούλου"]
    pdf = labels.render([labels.Label(n, [n]) for n in names], labels.find_template("5160"), fonts=FONTS)
    with read(pdf) as doc:
        text = doc.pages[0].extract_text()
    for name in names:
        assert name in text


@pytest.mark.needs_cjk_font
def test_a_japanese_name_is_text_not_boxes(cjk_fonts):
    names = ["Zoë Müller", "山田 太郎", "Yamada 山田"]
    pdf = labels.render([labels.Label(n, [n]) for n in names], labels.find_template("5160"), fonts=cjk_fonts)
    with read(pdf) as doc:
        text = doc.pages[0].extract_text()
    for name in names:
        assert name in text


def test_viewers_are_asked_not_to_scale():
    pdf = labels.render(numbered(1), labels.find_template("5160"), fonts=FONTS)
    prefs = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"


def test_calibration_moves_and_scales_everything():
    t = labels.find_template("5160")
    plain = labels.render(numbered(1), t, fonts=FONTS)
    moved = labels.render(numbered(1), t, fonts=FONTS, calibration=labels.Calibration(dx=2, dy=3))
    scaled = labels.render(numbered(1), t, fonts=FONTS, calibration=labels.Calibration(scale=0.5))
    with read(plain) as a, read(moved) as b, read(scaled) as c:
        p, m, s = a.pages[0].chars[0], b.pages[0].chars[0], c.pages[0].chars[0]
    assert m["x0"] - p["x0"] == pytest.approx(2 * labels.MM, abs=0.01)
    assert m["top"] - p["top"] == pytest.approx(3 * labels.MM, abs=0.01)
    assert s["x0"] == pytest.approx(p["x0"] / 2, abs=0.01)  # about the top-left corner
    assert s["top"] == pytest.approx(p["top"] / 2, abs=0.05)


def test_outline_draws_every_label_on_the_sheet():
    t = labels.find_template("L7163")
    with read(labels.render(numbered(1), t, fonts=FONTS, outline=True)) as doc:
        shapes = doc.pages[0].curves + doc.pages[0].rects
    assert len(shapes) == t.per_sheet
    with read(labels.render(numbered(1), t, fonts=FONTS)) as doc:
        assert doc.pages[0].curves + doc.pages[0].rects == []


def test_labels_that_cannot_fit_are_left_blank_not_cut():
    t = labels.find_template("5167")
    items = [labels.Label("x", ["Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"]), *numbered(1)]
    with read(labels.render(items, t, fonts=FONTS)) as doc:
        found, stray = words_by_label(doc.pages[0], t)
    assert found == {2: ["L01", "1", "Elm", "St"]} and stray == []


def _through_the_text_object(monkeypatch):
    """Draw through ReportLab's text object methods (setFont, textLine, textOut), not the
    remembered operators of `fonts._Operators`."""
    from cardkeep.printing import fonts

    monkeypatch.setattr(fonts._Operators, "of", classmethod(lambda cls, text: None))


def _mixed_labels():
    names = ["Zoë Müller", "Łukasz Nowak", "Ελένη Παπαδοπούλου", "Ada (Okafor) \\ O'Neil", "עברית 12", "a\u00a0b"]
    items = [labels.Label(n, [n, f"{i} Oak St", "", "BOSTON, MA 02116"], keep=(3,)) for i, n in enumerate(names)]
    items.append(labels.Label("Long", ["Ada & Ben & Chloe & Dev & Elena Okafor-Nguyen-Müller", "1 Oak St"]))
    items.append(labels.Label("Nobody", ["x " * 200]))  # cannot fit: left blank
    return items * 20  # repeated lines: drawn from the remembered operators


def test_the_fast_text_path_writes_the_same_pdf_as_reportlabs_text_object(monkeypatch):
    from reportlab.pdfgen.canvas import Canvas

    from cardkeep.printing import fonts

    assert fonts._Operators.of(Canvas(io.BytesIO()).beginText()) is not None  # the fast path is taken
    template = labels.find_template("5160")
    fast = labels.render(_mixed_labels(), template, fonts=FONTS, outline=True)
    _through_the_text_object(monkeypatch)
    assert labels.render(_mixed_labels(), template, fonts=FONTS, outline=True) == fast


@pytest.mark.needs_cjk_font
def test_the_fast_text_path_is_the_same_with_cjk_runs_and_many_subsets(cjk_fonts, monkeypatch):
    # Over 256 distinct characters: ReportLab splits a font into several subsets.
    many = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 600))
    items = [labels.Label("Yamada", ["Yamada 山田 太郎 様", "〒150-0001", many[i:i + 12], "Zoë " + many[i + 5:i + 9]])
             for i in range(0, 580, 6)] * 2
    template = labels.find_template("5160")
    fast = labels.render(items, template, fonts=cjk_fonts)
    _through_the_text_object(monkeypatch)
    assert labels.render(items, template, fonts=cjk_fonts) == fast


def test_the_fast_text_path_is_the_same_on_envelopes(monkeypatch):
    from cardkeep.printing import envelopes

    items = [envelopes.Envelope(n, [n, "12 Elm St", "SPRINGFIELD, IL 62701"], ["Pat Doe", "5 Oak St"])
             for n in ("Zoë Müller", "Ελένη", "Ada Okafor")] * 3
    fast = envelopes.render(items, (684.0, 297.0), fonts=FONTS)  # a #10 envelope
    _through_the_text_object(monkeypatch)
    assert envelopes.render(items, (684.0, 297.0), fonts=FONTS) == fast


def test_the_fast_text_path_escapes_every_byte_as_reportlab_does():
    from reportlab.lib.rl_accel import escapePDF

    from cardkeep.printing.fonts import _PDF_ESCAPES

    every = bytes(range(256)) * 2
    assert every.decode("latin-1").translate(_PDF_ESCAPES) == escapePDF(every)


def test_the_remembered_operators_do_not_keep_a_document_alive():
    import gc
    import weakref

    from reportlab.pdfgen.canvas import Canvas

    from cardkeep.printing.fonts import TextLines

    canvas = Canvas(io.BytesIO())
    page = TextLines(canvas, FONTS)
    page.add(72, 700, ["Zoë Müller", "12 Elm St"], 10, 12)
    page.draw()
    canvas.save()
    doc = weakref.ref(canvas._doc)
    del canvas, page
    gc.collect()
    assert doc() is None
