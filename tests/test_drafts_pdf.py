"""The drafts PDF without the CLI: wrapping, fitting, the cover checklist, read back."""

import io

import pdfplumber
import pytest
from hypothesis import given, strategies as st

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
    with pytest.raises(DraftError, match=r"draft for h7 Person 7 does not fit a a7 card even at 6.5 pt"):
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
