"""The vCard reader and writer on hand-made cards: each one is a quirk real exporters have."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from cardkeep.dates import PartialDate
from cardkeep.formats.vcard import (
    _date_value,
    escape,
    fold,
    logical_lines,
    parse_date,
    read_vcards,
    split_escaped,
    write_card,
)


def card(*lines: str, end: str = "\r\n", version: str = "3.0") -> bytes:
    body = ["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]
    return (end.join(body) + end).encode("utf-8")


def read_one(data: bytes):
    result = read_vcards(data, "test.vcf")
    assert not result.problems, result.problems
    assert len(result.people) == 1
    return result.people[0]


def test_fold_inside_a_utf8_character():
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zo\xc3\r\n \xab Kowalsk\r\n\ti\r\nEND:VCARD\r\n"
    assert read_one(data).name == "Zoë Kowalski"


def test_utf16_with_and_without_bom():
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ǽgean ĽdaMonté\r\nEND:VCARD\r\n"
    assert read_one(text.encode("utf-16")).name == "Ǽgean ĽdaMonté"
    assert read_one(text.encode("utf-16-le")).name == "Ǽgean ĽdaMonté"


def test_quoted_printable_with_latin1_charset_and_soft_breaks():
    data = card("FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=F6rg M=FC=", "ller")
    assert read_one(data).name == "Jörg Müller"


def test_quoted_printable_without_charset_is_utf8():
    assert read_one(card("FN;QUOTED-PRINTABLE:Iksi=C5=84ski")).name == "Iksiński"


def test_cr_cr_lf_line_ends():
    person = read_one(card("FN:Ann", "NOTE:one\\ntwo", end="\r\r\n"))
    assert (person.name, person.notes) == ("Ann", ["one\ntwo"])


def test_escaped_comma_is_one_name_and_escaped_semicolon_one_component():
    person = read_one(card("FN:Mr. John Richter\\, James Doe Sr.", "N:Doe;John;Richter\\,James;Mr.;Sr."))
    assert person.name == "Mr. John Richter, James Doe Sr."
    assert (person.given_name, person.family_name) == ("John", "Doe")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("BDAY:--0415", "--04-15"),
        ("BDAY:--04-15", "--04-15"),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15", "--04-15"),
        ("BDAY;X-APPLE-OMIT-YEAR=1900:1900-04-15", "--04-15"),
        ("BDAY:16040415", "--04-15"),
        ("BDAY:1955-07-19T00:00:00Z", "1955-07-19"),
        ("BDAY:19960415T201243+0400", "1996-04-15"),
        ("BDAY;VALUE=date:1980-02-29", "1980-02-29"),
        ("BDAY:--0229", "--02-29"),
    ],
)
def test_birthday_dialects(line, expected):
    kind, date, label = read_one(card("FN:A", line)).dates[0]
    assert (kind, str(date), label) == ("birthday", expected, None)


@pytest.mark.parametrize(
    "lines",
    [
        ["ANNIVERSARY:20010623"],
        ["X-ANNIVERSARY:2001-06-23"],
        ["X-MS-ANNIVERSARY:20010623"],
        ["X-EVOLUTION-ANNIVERSARY:2001-06-23"],
        ["X-KADDRESSBOOK-X-Anniversary:2001-06-23"],
        ["item1.X-ABDATE:2001-06-23", "item1.X-ABLabel:_$!<Anniversary>!$_"],
        ["item7.X-ABDate;type=pref:2001-06-23", "item7.X-ABLabel:anniversary"],
    ],
)
def test_anniversary_dialects(lines):
    assert read_one(card("FN:A", *lines)).dates == [("anniversary", PartialDate(6, 23, 2001), None)]


def test_a_date_that_is_not_a_date_is_kept_as_a_note():
    result = read_vcards(card("FN:A", "BDAY:2023-02-30"), "x.vcf")
    assert result.people[0].dates == []
    assert result.people[0].notes == ["birthday: 2023-02-30"]
    assert "not a date" in result.warnings[0]


def test_categories_become_tags():
    assert read_one(card("FN:A", "CATEGORIES:Close Friends,Family,family")).tags == ["close-friends", "family"]


def test_photo_base64_21_block_and_garbage_are_ignored():
    data = card("FN:A", "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRg", "AAAQABAAD/2wBD", "", "NOTE:after", version="2.1")
    person = read_one(data)
    assert person.notes == ["after"]


def test_apple_address_label_and_country_code():
    person = read_one(
        card(
            "FN:A",
            "item1.ADR;type=pref:;;Birgistrasse 4a;Zürich;;8001;",
            "item1.X-ABADR:ch",
            "item1.X-ABLabel:_$!<Home>!$_",
        )
    )
    address = person.addresses[0]
    assert (address.street, address.country, address.types) == ("Birgistrasse 4a", "ch", ("pref", "home"))


def test_groups():
    data = card("KIND:group", "FN:The Okafors", "MEMBER:urn:uuid:aaa", "MEMBER:urn:uuid:bbb", version="4.0")
    group = read_one(data)
    assert (group.kind, group.name, group.members) == ("group", "The Okafors", ["urn:uuid:aaa", "urn:uuid:bbb"])
    apple = read_one(card("X-ADDRESSBOOKSERVER-KIND:group", "FN:Family", "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:x"))
    assert (apple.kind, apple.members) == ("group", ["urn:uuid:x"])


def test_missing_end_names_the_line_and_the_person():
    data = b"BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bea Lund\r\n"
    result = read_vcards(data, "x.vcf")
    assert [p.name for p in result.people] == ["Ann"]
    assert [str(p) for p in result.problems] == ["x.vcf, line 4: the card has no END:VCARD (Bea Lund)"]


def test_a_card_with_no_name_at_all_is_a_problem():
    result = read_vcards(card("TEL:123"), "x.vcf")
    assert result.people == []
    assert str(result.problems[0]) == "x.vcf, line 1: the card has no name (no FN, N, ORG or EMAIL)"


def test_not_a_vcard_file():
    result = read_vcards(b"hello\n", "x.vcf")
    assert "no BEGIN:VCARD" in str(result.problems[0])


# ---------------------------------------------------------------- writer


def test_writer_year_less_dates_per_version():
    contact = {
        "id": 1,
        "name": "Ann Lee",
        "given_name": "Ann",
        "family_name": "Lee",
        "created": "2026-01-01",
        "dates": [{"kind": "birthday", "year": None, "month": 4, "day": 15, "label": None}],
    }
    v4 = write_card(contact, {}, "4.0")
    v3 = write_card(contact, {}, "3.0")
    assert "\r\nBDAY:--0415\r\n" in v4
    assert "\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r\n" in v3
    for text in (v3, v4):
        assert read_one(text.encode()).dates == [("birthday", PartialDate(4, 15), None)]


def test_writer_escapes_and_folds():
    contact = {
        "id": 1,
        "name": "Richter, James; Jr.",
        "created": "2026-01-01",
        "notes": [{"text": "Zoë " * 40}],
        "dates": [],
    }
    text = write_card(contact, {}, "4.0")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    person = read_one(text.encode())
    assert person.name == "Richter, James; Jr."
    assert person.notes == [("Zoë " * 40).strip()]


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300))
def test_fold_then_unfold_gives_the_line_back(text):
    line = "NOTE:" + escape(text)
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    [(number, unfolded)] = logical_lines(folded.encode() + b"\r\n")
    assert unfolded.decode() == line


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=20), min_size=1, max_size=7))
def test_escape_then_split_gives_the_parts_back(parts):
    """Every part comes back, with any line break as LF and without NUL (which no vCard holds)."""
    joined = ";".join(escape(p) for p in parts)
    assert not {"\r", "\n", "\x00"} & set(joined)  # one content line, whatever the text
    expected = [p.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n") for p in parts]
    assert split_escaped(joined, ";") == expected


@given(st.dates(min_value=dt.date(1, 1, 1)), st.booleans(), st.sampled_from(["3.0", "4.0"]))
def test_dates_written_read_back(day, with_year, version):
    if with_year and day.year in (1604,):
        return
    date = {"year": day.year if with_year else None, "month": day.month, "day": day.day}
    params, value = _date_value(date, version)
    parsed_params = {"X-APPLE-OMIT-YEAR": ["1604"]} if params else {}
    assert parse_date(value, parsed_params) == PartialDate(day.month, day.day, date["year"])


@given(st.binary(max_size=400))
def test_any_bytes_are_read_without_crashing(data):
    result = read_vcards(b"BEGIN:VCARD\r\n" + data, "fuzz.vcf")
    assert all(p.name for p in result.people)
    assert all(problem.file == "fuzz.vcf" for problem in result.problems)


@given(
    st.lists(
        st.sampled_from(
            [
                "BEGIN:VCARD",
                "END:VCARD",
                "VERSION:2.1",
                "FN:A",
                "N:B;C",
                " folded",
                "\tx",
                "=",
                "NOTE;QUOTED-PRINTABLE:a=",
                "BDAY:--0230",
                "ADR:;;1 St;Town;;;US",
                "CATEGORIES:a\\,b",
                "item1.X-ABLabel:_$!<Anniversary>!$_",
                "item1.X-ABDATE:2000-01-01",
                "KIND:group",
                "MEMBER:urn:uuid:1",
                "PHOTO;ENCODING=BASE64:",
                "AAAA",
                "",
                "FN",
                "x:y:z",
                'TEL;TYPE="a:b";X=1:2',
                "END:VCARD\\",
            ]
        ),
        max_size=30,
    )
)
def test_any_arrangement_of_real_lines_is_read_without_crashing(lines):
    result = read_vcards("\r\n".join(lines).encode(), "fuzz.vcf")
    assert len(result.people) <= sum(1 for line in lines if line == "BEGIN:VCARD")


def test_junk_text_between_cards_does_not_swallow_the_end():
    data = b"BEGIN:VCARD\nFN:Ann\nEND:VCARD\nsome junk text here\nBEGIN:VCARD\nFN:Bo\nEND:VCARD\n"
    result = read_vcards(data, "x.vcf")
    assert [p.name for p in result.people] == ["Ann", "Bo"] and result.problems == []


def test_a_raw_newline_in_a_note_continues_the_note():
    assert read_one(card("FN:Ann", "NOTE:first line", "and the second one", "TEL:1")).notes == [
        "first line\nand the second one"
    ]


def test_an_agent_card_inside_a_21_card_is_not_a_contact():
    data = card("FN:Boss", "AGENT:BEGIN:VCARD", "FN:Assistant", "END:VCARD", "TEL:1", version="2.1")
    person = read_one(data)
    assert (person.name, person.phones) == ("Boss", ["1"])


def test_an_unquoted_label_parameter_with_colons_does_not_eat_the_address():
    # The shape of ez-vcard issue 114: Outlook-style LABEL with ":" and RFC 6868 carets, unquoted.
    data = card(
        "FN:Dummy\\, Dummy",
        "ADR;TYPE=work;LABEL=Strasse 1 61352 Bad Homburg^nGERMANY^': BHG01:^n61352 Bad Homburg^nGERMANY:"
        "61352 Bad Homburg\\nGERMANY:;BHG01:;Dummy-Dummy-Strasse 1;Bad Homburg;;61352;Germany",
        version="4.0",
    )
    address = read_one(data).addresses[0]
    assert (address.extended, address.street, address.city, address.postal_code, address.country) == (
        "BHG01:",
        "Dummy-Dummy-Strasse 1",
        "Bad Homburg",
        "61352",
        "Germany",
    )


def test_a_truncated_utf16_file_or_a_utf32_one_is_read_not_a_crash():
    text = card("FN:Zoë Müller").decode()
    assert read_one(text.encode("utf-32")).name == "Zoë Müller"
    truncated = text.encode("utf-16")[:-1]  # an odd number of bytes: the last character cut in half
    result = read_vcards(truncated, "test.vcf")
    assert [p.name for p in result.people] + [str(p) for p in result.problems]
    assert read_vcards(b"\xff\xfe\x00\x00garbage", "bin.vcf").problems  # a clear problem, no traceback
