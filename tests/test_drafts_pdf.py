"""The drafts PDF without the CLI: wrapping, fitting, the cover checklist, read back."""

import io

import pdfplumber
import pytest
from hypothesis import given, strategies as st
from pypdf import PdfReader

from cardkeep.drafts import pdf as draft_pdf
from cardkeep.drafts.render import Draft, DraftError
from cardkeep.printing.fonts import register_fonts


@pytest.fixture(scope="module")
def measure():
    return draft_pdf._Measure(register_fonts())


def draft(n=1, body="Dear Ada,\n\nHappy holidays.\n\nWarmly,", prompts=()):
    return Draft(household_id=n, mailing_name=f"Person {n}", salutation="Ada", body=body, occasion="holiday",
                 year=2026, prompts=list(prompts))


def read(pdf):
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        return [p.extract_text() or "" for p in doc.pages]


@given(st.text(alphabet=st.sampled_from("ab cdé 山田太郎\u00a0xyz"), max_size=200),
       st.floats(min_value=30, max_value=300))
def test_wrap_keeps_every_word_and_fits_the_width(measure, text, width):
    lines = draft_pdf.wrap(text, width, 10, measure)
    assert "".join("".join(lines).split()) == "".join(text.split())
    for line in lines:
        assert measure(line, 10) <= width or len(line) == 1


def test_a_long_cjk_line_breaks_between_characters(measure):
    lines = draft_pdf.wrap("山田" * 40, 100, 10, measure)
    assert len(lines) > 1 and "".join(lines) == "山田" * 40


def test_a_draft_too_long_for_the_card_names_the_recipient(measure):
    long = draft(7, body="Dear Ada,\n\n" + "We had a lovely year. " * 200 + "\n\nWarmly,")
    with pytest.raises(DraftError, match=r"^draft for h7 Person 7 does not fit the a7 card at 8 pt \(the smallest "):
        draft_pdf.lay_out(long, "a7", measure)
    layouts, misfits = draft_pdf.lay_out_all([draft(1), long], "a7")
    assert [lay.draft.household for lay in layouts] == ["h1"]
    assert [d.household for d, _ in misfits] == ["h7"]


def test_the_body_shrinks_before_it_fails(measure):
    short = draft_pdf.lay_out(draft(1), "a6", measure)
    longer = draft_pdf.lay_out(draft(2, body="Dear Ada,\n\n" + "News. " * 200 + "\n\nWarmly,"), "a6", measure)
    assert longer.size < short.size
    assert short.closing == ["Warmly,"]  # the closing comes after the personal line space


def test_many_recipients_get_as_many_cover_pages_as_needed():
    drafts = [draft(n, prompts=["ask about Max"] if n % 2 else []) for n in range(1, 61)]
    layouts, misfits = draft_pdf.lay_out_all(drafts, "a7")
    pdf = draft_pdf.render_pdf(layouts, size="a7", title="Holiday cards 2026")
    texts = read(pdf)
    covers = pdf.pages - 60
    assert covers == 2 and len(texts) == pdf.pages
    assert "Page 1 of 2" in texts[0] and "Page 2 of 2" in texts[1]
    assert "60. Person 60 (h60)" in texts[1]
    assert "personal line" in texts[covers] and "personal line" not in texts[covers + 1]
    assert all("sign by hand" in t for t in texts[covers:])
    assert pdf.data.startswith(b"%PDF")


def test_missing_glyphs_are_a_warning_naming_the_recipient():
    layouts, _ = draft_pdf.lay_out_all([draft(3, body="Dear Ada \U000F0000,\n\nWarmly,")], "a6")
    pdf = draft_pdf.render_pdf(layouts, size="a6")
    assert pdf.warnings == ["draft for h3 Person 3: no font has '\\U000f0000' (U+F0000) (set [fonts] fallback to a TrueType font that has them)"]


def test_viewers_are_asked_not_to_scale():
    layouts, _ = draft_pdf.lay_out_all([draft(1)], "a6")
    pdf = draft_pdf.render_pdf(layouts, size="a6")
    prefs = PdfReader(io.BytesIO(pdf.data)).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"


NOTE = ("hard of hearing, so write big and clear; she said last year that the small print was impossible "
        "to read without her glasses, which she keeps losing")


def test_the_cover_wraps_notes_instead_of_cutting_them_and_its_headers_stand_apart():
    drafts = [draft(1, prompts=[NOTE, "new puppy Max"]), draft(2, prompts=["ask about the move"])]
    layouts, _ = draft_pdf.lay_out_all(drafts, "a6")
    pdf = draft_pdf.render_pdf(layouts, size="a6")
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        cover = doc.pages[0]
        words = cover.extract_words()
        text = " ".join(w["text"] for w in words)
        assert NOTE in text and "…" not in text
        headers = sorted((w for w in words if w["text"] in draft_pdf.CHECKS), key=lambda w: w["x0"])
        assert [w["text"] for w in headers] == list(draft_pdf.CHECKS)
        gaps = [b["x0"] - a["x1"] for a, b in zip(headers, headers[1:], strict=False)]
        assert min(gaps) >= 2.5 * draft_pdf.MM
        # Row 2 starts below the last line of row 1's wrapped note.
        note_bottom = max(w["bottom"] for w in words if w["text"] in ("losing", "Max"))
        second = next(w for w in words if w["text"] == "2.")
        assert second["top"] > note_bottom


def _ink(page):
    """Bounding boxes of everything drawn on a page (text, boxes, lines)."""
    for obj in page.chars + page.rects + page.curves + page.lines:
        yield obj["x0"], obj["top"], obj["x1"], obj["bottom"]


@pytest.mark.parametrize("size", list(draft_pdf.SIZES))
@pytest.mark.parametrize("on_card", [False, True])
def test_nothing_within_5_mm_of_a_card_edge_and_no_body_below_8_pt(size, on_card):
    body = "Dear Ada,\n\n" + "We had a lovely year with the garden and the new puppy. " * 4 + "\n\nWarmly,"
    layouts, misfits = draft_pdf.lay_out_all([draft(1, body=body, prompts=["x"]), draft(22, body=body)], size)
    assert not misfits
    pdf = draft_pdf.render_pdf(layouts, size=size, on_card=on_card)
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        for page in doc.pages[pdf.cover_pages:]:
            edge = 5 * draft_pdf.MM
            for x0, top, x1, bottom in _ink(page):
                assert x0 >= edge and top >= edge, (size, on_card, x0, top)
                assert page.width - x1 >= edge and page.height - bottom >= edge, (size, on_card, x1, bottom)
            body_sizes = {round(ch["size"], 2) for ch in page.chars if ch["non_stroking_color"] in ((0,), [0], 0)}
            assert body_sizes and min(body_sizes) >= 8, body_sizes
            if on_card:
                assert {round(ch["size"], 2) for ch in page.chars} == body_sizes  # no grey labels


def test_an_a7_card_never_shrinks_below_8_pt(measure):
    longish = draft(5, body="Dear Ada,\n\n" + "News of the year. " * 18 + "\n\nWarmly,")
    layout = draft_pdf.lay_out(longish, "a7", measure)
    assert layout.size == 8
    longer = draft(6, body="Dear Ada,\n\n" + "News of the year. " * 60 + "\n\nWarmly,")
    with pytest.raises(DraftError, match="h6 Person 6 does not fit the a7 card at 8 pt"):
        draft_pdf.lay_out(longer, "a7", measure)


def unembedded_fonts(data: bytes) -> set[str]:
    """The fonts a PDF names without embedding them (a viewer substitutes its own)."""
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.add(str(font.get("/BaseFont")))
    return found


def test_every_font_named_is_embedded():
    layouts, _ = draft_pdf.lay_out_all([draft(1, prompts=["ask about Max"])], "a6")
    pdf = draft_pdf.render_pdf(layouts, size="a6", on_card=True)
    assert unembedded_fonts(pdf.data) == set()
