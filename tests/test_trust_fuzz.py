"""Issue 17: each reader (JSON book, vCard, CSV, template, letter) given arbitrary input never
raises a traceback, exits 0, 1 or 2, and leaves the book unchanged when it fails. Bounded: a
handful of examples each, no deadline, the whole file well under a minute."""

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import EXAMPLES

FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
json_books = st.fixed_dictionaries({"cardkeep": st.just(1), "households": st.lists(
    st.fixed_dictionaries({"members": st.lists(st.dictionaries(
        st.sampled_from(["name", "dates", "uid", "status", "tags", "emails"]), json_values, max_size=4), max_size=2)},
        optional={"mailing_name": json_values, "addresses": json_values, "cards": json_values}), max_size=3)})
vcard_lines = st.lists(st.one_of(
    st.sampled_from(["BEGIN:VCARD", "END:VCARD", "VERSION:4.0", "VERSION:3.0", "FN:Ada Okafor", "N:Okafor;Ada;;;",
                     "UID:urn:uuid:1", "BDAY:--0229", "ADR:;;1 Main St;Austin;TX;78701;US", " folded", "item1.X:y"]),
    st.text(max_size=30)), max_size=12)
csv_text = st.lists(st.lists(st.text(max_size=12), max_size=5), max_size=6).map(
    lambda rows: "\n".join(",".join(row) for row in [["name", "city", "birthday", "email"], *rows]))
template_text = st.lists(st.one_of(
    st.sampled_from(["{{ salutation }}", "{{ mailing_name }}", "{% if x %}", "{% endif %}", "{{ ", "}}",
                     "{% for i in range(3) %}", "{% endfor %}", "{{ 'x'|center(10) }}", "{# c #}", "{{ letter }}"]),
    st.text(max_size=15)), max_size=8).map("".join)


@pytest.fixture
def book(cli):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    return cli


def exported(cli):
    return cli("export").stdout


def check(cli, before, result):
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert exported(cli) == before


@FUZZ
@given(data=st.one_of(json_books.map(json.dumps), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_fuzz_json_book(book, tmp_path, data):
    path = tmp_path / "in.json"
    path.write_text(data, encoding="utf-8", errors="surrogatepass")
    before = exported(book)
    check(book, before, book("import", path))


@FUZZ
@given(lines=vcard_lines)
def test_fuzz_vcard(book, tmp_path, lines):
    path = tmp_path / "in.vcf"
    path.write_bytes("\r\n".join(lines).encode("utf-8", "surrogatepass"))
    before = exported(book)
    check(book, before, book("import", path))


@FUZZ
@given(text=csv_text)
def test_fuzz_csv(book, tmp_path, text):
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    before = exported(book)
    check(book, before, book("import", path))


@FUZZ
@given(source=template_text)
def test_fuzz_template(book, tmp_path, source):
    path = tmp_path / "t.j2"
    path.write_bytes(source.encode("utf-8", "surrogatepass"))
    before = exported(book)
    check(book, before, book("drafts", "--template", path, "--format", "md", "c1"))
    assert exported(book) == before  # drafts never write the book


@FUZZ
@given(letter=st.text(max_size=300))
def test_fuzz_letter(book, tmp_path, letter):
    path = tmp_path / "letter.md"
    path.write_bytes(letter.encode("utf-8", "surrogatepass"))
    before = exported(book)
    check(book, before, book("drafts", "--letter", path, "--format", "md", "c1"))
    result = book("lint", path)
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
    assert exported(book) == before
