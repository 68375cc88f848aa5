import io
import json

import pdfplumber
import pytest
from pypdf import PdfReader

from cardkeep.errors import UsageError
from cardkeep.printing import envelopes
from cardkeep.printing.fonts import register_fonts
from cardkeep.printing.labels import MM
from tests.conftest import EXAMPLES
from tests.test_labels_cli import SENDER

FONTS = register_fonts()
SENDER_LINES = ["Pat Doe", "5 Oak St", "BOSTON, MA 02116"]
ADA = ["Ada & Emeka Okafor", "12 Elm St", "SPRINGFIELD, IL 62701"]


@pytest.mark.parametrize("name, size", [("10", (241.3, 104.775)), ("#10", (241.3, 104.775)), ("a7", (184.15, 133.35)),
                                        ("A2", (146.05, 111.125)), ("C6", (162, 114)), ("C5", (229, 162)),
                                        ("dl", (220, 110))])
def test_sizes(name, size):
    assert envelopes.envelope_size(name) == pytest.approx(size)


def test_unknown_size():
    with pytest.raises(UsageError, match="--size 'B4' is not one of 10, A7, A2, C6, C5, DL"):
        envelopes.envelope_size("B4")


@pytest.mark.parametrize("size", list(envelopes.SIZES))
def test_areas_are_where_the_post_office_looks(size):
    w, h = (v * MM for v in envelopes.SIZES[size])
    ret, rec = envelopes.boxes(envelopes.SIZES[size])
    assert ret.x >= 10 * MM - 0.01 and ret.y + ret.height <= h - 10 * MM + 0.01  # top left, inside the margin
    assert rec.x >= w * 0.4 - 0.01 and rec.x + rec.width <= w - 10 * MM  # right of centre
    assert rec.y >= 15.9 * MM  # clear of the barcode strip
    assert rec.y + rec.height <= h - envelopes.STAMP[1] * MM  # below the stamp
    # the two never overlap
    assert rec.x >= ret.x + ret.width or rec.y + rec.height <= ret.y


def test_one_envelope_per_page_at_the_envelope_size():
    items = [envelopes.Envelope("Ada", ADA, SENDER_LINES), envelopes.Envelope("Ελένη", ["Ελένη", "Οδός Ερμού 25",
                                                                                      "105 63 ΑΘΗΝΑ", "GREECE"], [])]
    pdf = envelopes.render(items, envelopes.SIZES["DL"], fonts=FONTS)
    ret, rec = envelopes.boxes(envelopes.SIZES["DL"])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 2
        page = doc.pages[0]
        assert (page.width, page.height) == pytest.approx((220 * MM, 110 * MM))
        top_left = page.within_bbox((0, 0, page.width / 2, page.height / 2)).extract_text()
        recipient = page.within_bbox((rec.x - 0.5, page.height - rec.y - rec.height, rec.x + rec.width,
                                      page.height - rec.y)).extract_text()
        assert top_left == "\n".join(SENDER_LINES)
        assert recipient == "\n".join(ADA)
        assert "Pat Doe" not in doc.pages[1].extract_text()
        assert "105 63 ΑΘΗΝΑ" in doc.pages[1].extract_text()
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/ViewerPreferences"]["/PrintScaling"] == "/None"


def test_an_address_too_big_is_reported():
    huge = envelopes.Envelope("Huge", ["x" * 200], [])
    _, overflow = envelopes.layout([huge], envelopes.SIZES["A2"], FONTS)
    assert overflow == [("Huge", "the address does not fit the envelope's address area even at 7 pt")]


def test_envelopes_cli_on_the_sample_book(cli, tmp_path):
    (tmp_path / "config.toml").write_text(SENDER)
    cli("import", EXAMPLES / "book.json")
    out = tmp_path / "env.pdf"
    result = cli("envelopes", "Jürgen", "Carol Whitaker", "Fenwick", "--size", "C6", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 2 envelopes (size C6) to {out} (print at 100 %, actual size)\n"
    assert result.stderr == "warning: skipped Marcus Fenwick: household is do-not-send\n"
    with pdfplumber.open(out) as doc:
        germany, carol = (p.extract_text() for p in doc.pages)
    # Abroad: the return address says where it is from; at home it does not.
    assert "UNITED STATES" in germany and "Jürgen & Zoë Müller" in germany and germany.rstrip().endswith("GERMANY")
    assert "UNITED STATES" not in carol and "Carol Whitaker" in carol
    data = json.loads(cli("envelopes", "Carol Whitaker", "--no-return", "--json", "-o", out).stdout)
    assert data["envelopes"] == [{"who": "Carol Whitaker", "lines": ["Carol Whitaker", "403 Maple Ave",
                                                                     "MADISON, WI 53703"], "size": 12.0,
                                  "broken": False, "return": []}]
    assert data["size"] == "10"  # a US sender's default
    result = cli("envelopes", "Carol Whitaker", "--size", "#10", "-o", out)
    assert result.stdout == f"Wrote 1 envelope (size 10) to {out} (print at 100 %, actual size)\n"
    assert cli("envelopes", "Carol Whitaker", "--size", "dl", "--json", "-o", out).stdout.count('"size": "DL"') == 1


@pytest.mark.needs_cjk_font
def test_an_envelope_to_japan_prints_the_japanese_address(cli, tmp_path):
    (tmp_path / "config.toml").write_text(SENDER)
    cli("import", EXAMPLES / "book.json")
    out = tmp_path / "env.pdf"
    result = cli("envelopes", "山田 太郎", "--size", "C6", "-o", out)
    assert result.exit_code == 0 and result.stderr == ""
    with pdfplumber.open(out) as doc:
        (japan,) = (p.extract_text() for p in doc.pages)
    assert "UNITED STATES" in japan and japan.rstrip().endswith("〒150-0001\n東京都\n渋谷区神宮前1-2-3\nメゾン神宮前 301\n"
                                                                "山田 太郎・花子 様\nJAPAN")


def test_envelopes_help_summary_is_one_line(cli):
    result = cli("--help")
    (line,) = [line for line in result.stdout.splitlines() if " envelopes " in line]
    assert line.rstrip(" │").endswith("Print envelopes, one per page at the envelope's size.")


def test_a_missing_glyph_in_the_return_address_is_a_warning(cli, tmp_path):
    (tmp_path / "config.toml").write_text(SENDER.replace("Pat Doe", "Pat \U00013000 Doe"))
    cli("import", EXAMPLES / "book.json")
    result = cli("envelopes", "Carol Whitaker", "Rosa Pemberton", "-o", tmp_path / "env.pdf")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ("warning: no font has '𓀀' (U+13000) for your return address: those characters will "
                             "print as boxes (set [fonts] fallback to a TrueType font that has them)\n")


@pytest.mark.parametrize("size", sorted(envelopes.ISO))
def test_iso_envelopes_put_the_recipient_in_the_right_half_lower_part(size):
    w, h = (v * MM for v in envelopes.SIZES[size])
    _, rec = envelopes.boxes(envelopes.SIZES[size])
    assert rec.x >= w / 2 - 0.01  # the right half: the block starts at the centre line
    assert rec.y + rec.height <= h * 0.55 + 0.01  # the lower part
    pdf = envelopes.render([envelopes.Envelope("Ada", ADA, SENDER_LINES)], envelopes.SIZES[size], fonts=FONTS)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        ada = [c for c in page.chars if c["top"] > page.height * 0.45]
    assert "".join(c["text"] for c in ada).replace(" ", "") == "".join(ADA).replace(" ", "")
    assert min(c["x0"] for c in ada) >= page.width / 2 - 0.01


def test_a_long_us_address_on_an_a2_envelope_shrinks_unbroken_with_the_zip_on_its_line():
    long = ["Kara & Daniel Foster", "30212 Tomas Apt 12B",
            "RANCHO SANTA MARGARITA, CA 92688"]
    fitted, overflow = envelopes.layout([envelopes.Envelope("B", long, SENDER_LINES, (2,))],
                                        envelopes.SIZES["A2"], FONTS)
    (_, recipient), = fitted
    assert overflow == [] and recipient.lines == tuple(long) and not recipient.broken
    assert envelopes.RECIPIENT_SIZES[1] <= recipient.size < envelopes.RECIPIENT_SIZES[0]


@pytest.mark.parametrize("what", ["labels", "envelopes"])
def test_every_font_named_in_the_pdf_is_embedded(what):
    from pypdf import PdfReader

    from cardkeep.printing import labels

    if what == "labels":
        pdf = labels.render([labels.Label("Ada", ADA)], labels.find_template("5160"), fonts=FONTS)
    else:
        pdf = envelopes.render([envelopes.Envelope("Ada", ADA, SENDER_LINES)], envelopes.SIZES["DL"], fonts=FONTS)
    reader = PdfReader(io.BytesIO(pdf))
    named = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            named.add((str(font["/BaseFont"]), embedded))
    assert named and all(embedded for _, embedded in named), named
    assert not any("Helvetica" in name for name, _ in named)


def test_a_shrunk_or_broken_envelope_is_named_in_the_normal_output(cli, tmp_path):
    (tmp_path / "config.toml").write_text(SENDER)
    cli("import", EXAMPLES / "book.json")
    cli("add", "Bartholomew Alexander Fitzwilliam-Worthington & Maximiliana Fitzwilliam-Worthington",
        "--street", "12345 Extraordinarily Long Boulevard Northeast", "--city", "Rancho Santa Margarita",
        "--region", "CA", "--postal-code", "92688", "--country", "US")
    result = cli("envelopes", "Bartholomew", "Carol Whitaker", "--size", "A2", "-o", tmp_path / "env.pdf")
    assert result.exit_code == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("warning: Bartholomew Alexander Fitzwilliam-Worthington & Maximiliana "
                           "Fitzwilliam-Worthington does not fit unbroken even at 8 pt: a line broken, its "
                           "continuation indented (printed at ")
    assert "Carol" not in result.stderr
