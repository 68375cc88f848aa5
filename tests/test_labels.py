"""Label geometry, the template registry, custom sheets and fitting text: no PDF, no database."""

import json

import pytest
from hypothesis import given, strategies as st

from cardkeep.errors import InvalidInput, NotFound, UsageError
from cardkeep.printing import fitting, labels
from cardkeep.printing.fonts import register_fonts
from cardkeep.printing.labels import MM

GEOMETRY = ("page_width_mm", "page_height_mm", "columns", "rows", "label_width_mm", "label_height_mm",
            "left_margin_mm", "top_margin_mm", "column_pitch_mm", "row_pitch_mm")


def test_shipped_templates_match_the_reference_geometry(shared):
    reference = {t["id"]: t for t in json.loads((shared / "label_templates.json").read_text())}
    ours = {t.id: t for t in labels.templates()}
    assert set(reference) <= set(ours)
    for tid, ref in reference.items():
        template = ours[tid]
        for key in GEOMETRY:
            assert getattr(template, key) == pytest.approx(ref[key], abs=1e-6), (tid, key)
        assert template.corner_radius_mm == pytest.approx(ref["corner_radius_mm"] or 0)
        assert template.per_sheet == ref["labels_per_sheet"]
        assert set(template.product_codes) == set(ref["product_codes"])


@pytest.mark.parametrize("code", ["5160", "5260", "5960", "8160", "8460", "5161", "5162", "5163", "5164", "5167",
                                  "5195", "L7160", "L7159", "L7161", "L7162", "L7163", "L7165", "L7173", "J8160"])
def test_every_sheet_the_issue_names_is_found_by_its_code(code):
    template = labels.find_template(code)
    assert code in template.product_codes
    assert labels.find_template(f"avery-{code.lower()}") is template


def test_unknown_template_is_not_found():
    with pytest.raises(NotFound, match="no label template 'avery-9999'"):
        labels.find_template("avery-9999")


@pytest.mark.parametrize("template", labels.templates(), ids=lambda t: t.id)
def test_every_label_on_the_page_and_none_overlapping(template):
    page_w, page_h = template.page_size
    rects = [template.rect(p) for p in range(1, template.per_sheet + 1)]
    for x, y, w, h in rects:
        assert -0.01 <= x and x + w <= page_w + 0.15
        assert -0.15 <= y and y + h <= page_h + 0.01
    for i, (x1, y1, w1, h1) in enumerate(rects):
        for x2, y2, w2, h2 in rects[i + 1:]:
            overlap_x = min(x1 + w1, x2 + w2) - max(x1, x2)
            overlap_y = min(y1 + h1, y2 + h2) - max(y1, y2)
            assert overlap_x <= 0.15 or overlap_y <= 0.15


def test_5160_positions_run_across_then_down():
    t = labels.find_template("5160")
    x, y, w, h = t.rect(1)
    assert (x / MM, (t.page_height_mm * MM - y - h) / MM) == pytest.approx((4.762, 12.7))
    assert t.rect(2)[0] - t.rect(1)[0] == pytest.approx(69.85 * MM)
    assert t.rect(1)[1] - t.rect(4)[1] == pytest.approx(25.4 * MM)
    assert t.rect(30)[1] == pytest.approx(12.7 * MM)  # bottom margin


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_custom_sheet_from_toml(tmp_path):
    path = write(tmp_path, "mine.toml", 'page = "a4"\ncolumns = 2\nrows = 4\nlabel_width_mm = 100\n'
                 'label_height_mm = 70\nleft_margin_mm = 5\ntop_margin_mm = 8.5\n')
    t = labels.find_template(str(path))
    assert (t.id, t.per_sheet, t.column_pitch_mm, t.page_width_mm) == ("mine", 8, 100, 210)


def test_custom_sheet_from_json(tmp_path):
    path = write(tmp_path, "x.json", json.dumps({"page_width_mm": 100, "page_height_mm": 50, "columns": 1, "rows": 1,
                                                 "label_width_mm": 90, "label_height_mm": 40, "id": "tiny"}))
    assert labels.load_template_file(path).id == "tiny"


@pytest.mark.parametrize("body, message", [
    ('page = "a4"\ncolumns = 3\nrows = 1\nlabel_width_mm = 71\nlabel_height_mm = 30\n', "past the page width 210 mm"),
    ('page = "a4"\ncolumns = 1\nrows = 10\nlabel_width_mm = 70\nlabel_height_mm = 30\ntop_margin_mm = 5\n',
     "past the page height"),
    ('page = "letter"\ncolumns = 2\nrows = 1\nlabel_width_mm = 60\nlabel_height_mm = 30\ncolumn_pitch_mm = 50\n',
     "labels overlap: column pitch 50 mm is less than the label width 60 mm"),
    ('page = "letter"\ncolumns = 1\nrows = 2\nlabel_width_mm = 60\nlabel_height_mm = 30\nrow_pitch_mm = 29\n',
     "labels overlap: row pitch"),
    ('page = "b5"\ncolumns = 1\nrows = 1\nlabel_width_mm = 60\nlabel_height_mm = 30\n', "page 'b5' is not one of"),
    ('columns = 1\nrows = 1\nlabel_width_mm = 60\n', "missing page_width_mm, page_height_mm, label_height_mm"),
    ('page = "a4"\ncolumns = 1.5\nrows = 1\nlabel_width_mm = 60\nlabel_height_mm = 30\n', "columns must be a whole"),
    ('page = "a4"\ncolumns = 1\nrows = 1\nlabel_width_mm = -60\nlabel_height_mm = 30\n', "label_width_mm must be"),
    ('page = "a4"\ncolumns = 1\nrows = 1\nlabel_width_mm = 60\nlabel_height_mm = 30\npadding_mm = 20\n',
     "leaves no room"),
    ("page = [", "label template"),
    ('page_width_mm = inf\npage_height_mm = 100\ncolumns = 1\nrows = 1\nlabel_width_mm = 60\nlabel_height_mm = 30\n',
     "page_width_mm must be a number, not inf"),
    ('page = "a4"\ncolumns = 1\nrows = 1\nlabel_width_mm = 60\nlabel_height_mm = 30\npadding_mm = []\n',
     "padding_mm must be a number or [horizontal, vertical], not []"),
    ('page = "a4"\ncolumns = 1\nrows = 1\nlabel_width_mm = 60\nlabel_height_mm = 30\npadding_mm = [1, nan]\n',
     "padding_mm must be numbers"),
    ('page = "a4"\ncolumns = 10000\nrows = 10000\nlabel_width_mm = 0.001\nlabel_height_mm = 0.001\n'
     'padding_mm = 0\n', "100000000 labels a sheet is more than 1000"),
])
def test_custom_sheet_is_validated(tmp_path, body, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace("[", r"\[")):
        labels.load_template_file(write(tmp_path, "bad.toml", body))


def test_custom_sheet_not_in_utf8_is_one_error(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('page = "a4" # Étiquettes\n'.encode("latin-1"))
    with pytest.raises(InvalidInput, match="latin1.toml: not a UTF-8 text file"):
        labels.load_template_file(path)


def test_positions_start_skip_and_next_sheet():
    t = labels.find_template("5160")
    assert labels.positions(t, 3) == [(0, 1), (0, 2), (0, 3)]
    assert labels.positions(t, 3, start=29) == [(0, 29), (0, 30), (1, 1)]
    assert labels.positions(t, 4, skip=[1, 3]) == [(0, 2), (0, 4), (0, 5), (0, 6)]
    assert labels.positions(t, 2, start=29, skip=[29]) == [(0, 30), (1, 1)]
    # the skip list is for the first sheet only
    assert labels.positions(t, 30, start=30, skip=[])[1:3] == [(1, 1), (1, 2)]


@pytest.mark.parametrize("kwargs, message", [
    ({"start": 0}, "--start must be between 1 and 30"),
    ({"start": 31}, "--start must be between 1 and 30"),
    ({"skip": [31]}, "--skip 31 is not a position"),
    ({"start": 29, "skip": [29, 30]}, "no free position on the first sheet"),
])
def test_positions_refuse_impossible_requests(kwargs, message):
    with pytest.raises(UsageError, match=message):
        labels.positions(labels.find_template("5160"), 1, **kwargs)


FONTS = register_fonts()


def test_fit_keeps_the_largest_size_when_it_fits():
    fitted = labels.fit(["Ada Okafor", "12 Elm St", "SPRINGFIELD, IL 62701"], FONTS, 180, 65)
    assert fitted.size == labels.MAX_SIZE
    assert fitted.lines == ("Ada Okafor", "12 Elm St", "SPRINGFIELD, IL 62701")


def test_fit_wraps_then_shrinks():
    long = "Bartholomew Alexander Fitzwilliam-Worthington & Maximiliana Fitzwilliam-Worthington"
    fitted = labels.fit([long, "12 Elm St"], FONTS, 180, 65)
    assert len(fitted.lines) > 2
    assert " ".join(fitted.lines[:-1]) == long
    assert labels.MIN_SIZE <= fitted.size < labels.MAX_SIZE
    assert all(FONTS.width(line, fitted.size) <= 180 for line in fitted.lines)


def test_fit_breaks_japanese_between_characters():
    fitted = labels.fit(["東京都渋谷区神宮前一丁目二番三号メゾン神宮前三〇一号室"], FONTS, 60, 60)
    assert fitted is not None and len(fitted.lines) > 1
    assert "".join(fitted.lines) == "東京都渋谷区神宮前一丁目二番三号メゾン神宮前三〇一号室"


def test_fit_gives_up_rather_than_cutting():
    assert labels.fit(["Supercalifragilisticexpialidocious-and-more"], FONTS, 60, 40) is None
    assert labels.fit(["a"] * 12, FONTS, 180, 40) is None


def test_layout_reports_overflow_and_missing_glyphs_by_name():
    t = labels.find_template("5167")
    items = [labels.Label("Ada", ["Ada", "1 Elm St"]),
             labels.Label("Wolfeschlegelsteinhausenbergerdorff", ["Wolfeschlegelsteinhausenbergerdorffvoralternwaren"]),
             labels.Label("Pharaoh", ["\U00013000 Pharaoh"])]
    fitted, problems = labels.layout(items, t, FONTS)
    assert fitted[0] is not None and fitted[1] is None
    assert [who for who, _ in problems.overflow] == ["Wolfeschlegelsteinhausenbergerdorff"]
    assert "too wide even at 6 pt" in problems.overflow[0][1]
    assert problems.missing_glyphs == [("Pharaoh", {"\U00013000"})]


def test_layout_reports_a_repeated_label_once():
    items = [labels.Label("your return address", ["\U00013000 " + "Pharaoh " * 20])] * 30
    fitted, problems = labels.layout(items, labels.find_template("5167"), FONTS)
    assert len(fitted) == 30
    assert [who for who, _ in problems.overflow] == ["your return address"]
    assert problems.missing_glyphs == [("your return address", {"\U00013000"})]


words = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzÆøΕλένηЖ山田 "), min_size=1, max_size=40)


@given(lines=st.lists(words, min_size=1, max_size=7), width=st.floats(40, 300), height=st.floats(20, 200))
def test_fitted_text_never_leaves_its_box(lines, width, height):
    fitted = labels.fit(lines, FONTS, width, height)
    if fitted is None:
        return
    assert labels.MIN_SIZE <= fitted.size <= labels.MAX_SIZE
    assert all(FONTS.width(line, fitted.size) <= width + 1e-6 for line in fitted.lines)
    assert (len(fitted.lines) - 1) * fitted.leading + fitted.size * 1.2 <= height + 1e-6
    assert "".join("".join(fitted.lines).split()) == "".join("".join(lines).split())


# ---------------------------------------------------------------- shrink before break

def test_fit_all_prints_every_label_at_the_one_size_at_which_all_fit_unbroken():
    short = (["Ada Okafor", "12 Elm St", "BOSTON, MA 02116"], ())
    long = (["Amélie & Théo Dubois", "8 rue de la République", "69002 LYON", "FRANCE"], ())
    fitted, size = labels.fit_all([short, long], FONTS, 100, 60)
    assert {f.size for f in fitted} == {size} and not any(f.broken for f in fitted)
    assert size == fitting.unbroken_size(long[0], FONTS, 100, 60) < labels.MAX_SIZE
    assert fitted[1].lines == tuple(long[0])
    alone, alone_size = labels.fit_all([short], FONTS, 100, 60)
    assert alone_size > size  # the size is the sheet's, set by its longest label


def test_a_label_that_cannot_fit_unbroken_at_the_minimum_is_broken_not_the_sheet_shrunk():
    huge = (["Bartholomew Alexander Fitzwilliam-Worthington", "12 Elm St", "SPRINGFIELD, IL 62701"], (2,))
    short = (["Ada Okafor", "12 Elm St", "BOSTON, MA 02116"], ())
    fitted, size = labels.fit_all([short, huge], FONTS, 120, 60)
    assert fitted[0].size == size >= labels.MIN_UNBROKEN and not fitted[0].broken
    assert fitted[1].broken and fitted[1].size <= size
    assert fitted[1].continued == (False, True, False, False)
    assert fitted[1].lines[-1] == "SPRINGFIELD, IL 62701"  # the postal-code line kept whole


def test_the_postal_code_line_breaks_only_when_nothing_else_fits():
    lines = ["Ada Okafor", "12 Elm St", "RANCHO SANTA MARGARITA, CA 92688"]
    width = FONTS.width(lines[2], 7) - 1  # the postal line cannot fit whole even at 7 pt ...
    kept = fitting.fit_broken(lines, FONTS, width, 100, keep=(2,))
    assert kept.size < 7 and "RANCHO SANTA MARGARITA, CA 92688" in kept.lines  # ... so it shrinks first
    tight = fitting.fit_broken(lines, FONTS, FONTS.width(lines[2], 6) - 1, 100, keep=(2,))
    assert tight is not None and tight.broken and lines[2] not in tight.lines  # nothing else fits: broken
    assert [line for line, more in zip(tight.lines, tight.continued, strict=True) if more]


def test_a_us_unit_goes_above_the_street_line_when_the_street_line_does_not_fit():
    t = labels.find_template("5167")
    own = ["Hannah Jensen", "1550 Larimer Street Northwest Apt 12B", "DENVER, CO 80202"]
    above = ["Hannah Jensen", "Apt 12B", "1550 Larimer Street Northwest", "DENVER, CO 80202"]
    custom = labels.template_from_dict({"page": "a4", "columns": 1, "rows": 1, "label_width_mm": 50,
                                        "label_height_mm": 25}, default_id="narrow", where="test")
    fitted, _ = labels.layout([labels.Label("H", own, (2,), tuple(above))], custom, FONTS)
    assert fitted[0].lines == tuple(above) and not fitted[0].broken
    fitted, _ = labels.layout([labels.Label("H", own[:1] + ["1 Elm St Apt 2"] + own[2:], (2,), tuple(above))], t,
                              FONTS)
    assert fitted[0].lines[1] == "1 Elm St Apt 2"  # fits on the street line: stays there


@given(lines=st.lists(words, min_size=1, max_size=7), width=st.floats(40, 300), height=st.floats(20, 200),
       keep=st.sets(st.integers(0, 6), max_size=2))
def test_broken_lines_with_their_indent_never_leave_the_box(lines, width, height, keep):
    fitted = fitting.fit(lines, FONTS, width, height, keep=keep)
    if fitted is None:
        return
    assert len(fitted.continued) == len(fitted.lines) and not fitted.continued[0]
    for line, more in zip(fitted.lines, fitted.continued, strict=True):
        assert FONTS.width(line, fitted.size) + (fitted.indent if more else 0) <= width + 1e-6
    assert fitting.block_height(len(fitted.lines), fitted.size) <= height + 1e-6
    assert "".join("".join(fitted.lines).split()) == "".join("".join(lines).split())
    if not fitted.broken:
        assert list(fitted.lines) == lines  # unbroken: exactly the lines given
