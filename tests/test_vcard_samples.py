"""Every real vCard export in ../shared/samples/vcards imports with the right names, dates and
addresses, or (one truly broken file) fails with the file, the line and the name."""

import json

import pytest

from cardkeep.dates import PartialDate
from cardkeep.formats.vcard import read_vcards


def people(shared, name):
    path = shared / "samples" / "vcards" / name
    result = read_vcards(path.read_bytes(), name)
    assert not result.problems, result.problems
    return result.people


def one(shared, name):
    found = people(shared, name)
    assert len(found) == 1
    return found[0]


def dates(person):
    return {(kind, label): str(date) for kind, date, label in person.dates}


@pytest.fixture
def book_of(cli, tmp_path, shared):
    """Import sample files through the CLI (home country US) and return {name: member record}."""
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')

    def run(*names, extra=()):
        paths = [shared / "samples" / "vcards" / n for n in names]
        result = cli("import", *paths, *extra, "--today", "2026-11-23")
        assert result.exit_code == 0, result.stderr
        data = json.loads(cli("export").stdout)
        out = {}
        for house in data["households"]:
            current = [a for a in house["addresses"] if a["valid_to"] is None]
            for member in house["members"]:
                out[member["name"]] = {**member, "address": current[0] if current else None, "house": house}
        return out

    return run


def test_outlook_2007_quoted_printable_and_ms_anniversary(shared):
    person = one(shared, "ezvcard__outlook-2007.vcf")
    assert person.name == "Mr. Michael Angstadt Jr."
    assert (person.given_name, person.family_name, person.nickname) == ("Michael", "Angstadt", "Mike")
    assert dates(person) == {("birthday", None): "1922-03-10", ("anniversary", None): "2012-08-01"}
    assert person.notes[0].startswith(
        "This is the NOTE field\t\nI assume it encodes this text inside a NOTE vCard type.\n"
    )
    assert person.notes[0].endswith("It does not preserve the formatting")


def test_outlook_2003_soft_break_inside_an_escape(shared):
    person = one(shared, "ezvcard__outlook-2003.vcf")
    assert person.name == "John Doe III"
    assert person.notes == ["This is the note field!!\nSecond line\n\nThird line is empty"]
    assert dates(person) == {("birthday", None): "1980-03-21"}


def test_outlook_two_addresses_prefers_home(book_of):
    person = book_of("ezvcard__John_Doe_MS_OUTLOOK.vcf")["Mr. John Richter James Doe Sr."]
    assert person["address"]["street"] == "Silicon Alley 5,"
    assert (person["address"]["city"], person["address"]["region"], person["address"]["country"]) == (
        "New York",
        "New York",
        "US",
    )
    assert [(d["kind"], d["year"], d["month"], d["day"]) for d in person["dates"]] == [
        ("birthday", 1980, 3, 22),
        ("anniversary", 2011, 1, 13),
    ]


def test_android_six_cards_quoted_printable_utf8(shared):
    found = people(shared, "ezvcard__John_Doe_ANDROID.vcf")
    assert [p.name for p in found] == [
        "john.doe@company.com",
        "jane.doe@company.com",
        "Ñ Ñ Ñ Ñ Ñ",
        "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ",
        "Ñ Ñ Ñ Ñ",
        "ÑÑÑÑ",
    ]
    assert found[0].tags == ["my-contacts"]
    assert found[4].emails[0] == "bob@company.com"


def test_android_complicated(book_of):
    person = book_of("aosp__v21_complicated.vcf")["Joe Due"]
    assert (person["given_name"], person["family_name"]) == ("Forrest", "Gump")
    assert person["address"]["street"] == "42 Plantation St."  # the home one, not work
    assert person["address"]["country"] == "US"
    assert "Now's the time for all folk to come to the aid of their country." in [n["text"] for n in person["notes"]]
    assert [(d["year"], d["month"], d["day"]) for d in person["dates"]] == [(1980, 1, 1)]


def test_shift_jis_raw_and_quoted_printable(shared):
    person = one(shared, "aosp__v21_japanese_2.vcf")
    assert person.name == "安藤 ロイド 1"
    assert (person.family_name, person.given_name) == ("安藤", "ロイド1")
    assert person.addresses[0].extended == "東京都渋谷区桜丘町26-1セルリアンタワー6階"
    assert person.addresses[0].postal_code == "150-8512"
    assert person.notes == ["メモ"]


def test_shift_jis_without_fn(shared):
    assert [p.name for p in people(shared, "aosp__v21_multiple_entry.vcf")] == [
        "安藤ロイド3",
        "安藤ロイド4",
        "安藤ロイド5",
    ]


def test_backslash_continued_address(shared):
    person = one(shared, "aosp__v21_adr_multiple_line.vcf")
    assert person.addresses[1].street == "Hermann v. Brevern\n9999999\nPackstation 999"
    assert person.addresses[1].city == "Hamburg"
    assert dates(person) == {("birthday", None): "2008-12-03"}


def test_android_backslash_address_stored_with_german_country(book_of):
    person = book_of("aosp__v21_adr_multiple_line.vcf")["bogus"]
    assert person["address"]["street"] == "Grindelberg 999"
    assert person["address"]["country"] == "DE"  # "Deutschland"


def test_nested_cards_are_read_as_their_own(shared):
    found = people(shared, "aosp__v21_nest.vcf")
    assert [(p.name, p.phones) for p in found] == [("parent", ["1"]), ("nest1", []), ("nest2", [])]


def test_malformed_photo_is_ignored(shared):
    assert one(shared, "aosp__v21_malformed_photo.vcf").name == "fullname"


def test_windows_mobile_anniversary_in_21(shared):
    assert dates(one(shared, "aosp__v21_winmo_65.vcf")) == {("anniversary", None): "2009-10-10"}


def test_sort_as_parameter_with_quoted_semicolons(shared):
    person = one(shared, "aosp__v40_sort_as.vcf")
    assert (person.name, person.family_name, person.given_name) == ("安藤 ロイド", "安藤", "ロイド")


def test_evil_escapes_and_tab_folded_parameters(shared):
    person = one(shared, "eds__vcard-13.vcf")
    assert person.name == "Ralf Engels"
    assert person.emails == ["Frank_Dawson@Lotus.com", "semicolon;@points.net"]
    assert person.phones == ["+1-919-676-9515", "+1-919-676-9564"]
    work, home = person.addresses
    assert (work.street, work.city, work.country) == ("Evil semicolon city;", "Semicolon;way", "U.S.A.")
    assert (home.street, home.city, home.postal_code) == ("Evil backslash \\ way", "Ulm", "89073")


def test_no_begin_is_a_clear_error_with_line_and_name(shared):
    path = shared / "samples" / "vcards" / "eds__vcard-7.vcf"
    result = read_vcards(path.read_bytes(), "eds__vcard-7.vcf")
    assert result.people == []
    assert [str(p) for p in result.problems] == [
        "eds__vcard-7.vcf, line 1: no BEGIN:VCARD before this line (Frank Dawson)"
    ]


def test_iphone_cr_cr_lf_and_item_groups(book_of):
    person = book_of("ezvcard__John_Doe_IPHONE.vcf")["Mr. John Richter James Doe Sr."]
    assert (person["given_name"], person["family_name"], person["nickname"]) == ("John", "Doe", "Johny")
    assert person["address"]["street"] == "Silicon Alley 5,"
    assert [(d["year"], d["month"], d["day"]) for d in person["dates"]] == [(2012, 6, 6)]
    assert person["emails"] == ["john.doe@ibm.com"]
    assert len(person["phones"]) == 7


def test_mac_escaped_comma_stays_in_one_name(shared):
    person = one(shared, "ezvcard__John_Doe_MAC_ADDRESS_BOOK.vcf")
    assert person.name == "Mr. John Richter,James Doe Sr."
    assert person.notes[0].startswith('THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"')
    work = person.addresses[1]
    assert work.street == "Street4\nBuilding 6\nFloor 8"


def test_gmail_abdate_anniversary_and_custom_address(book_of):
    person = book_of("ezvcard__gmail-single.vcf")["Greg Dartmouth"]
    assert person["nickname"] == "Gman"
    assert [(d["kind"], d["year"], d["month"], d["day"]) for d in person["dates"]] == [
        ("birthday", 1960, 9, 10),
        ("anniversary", 1970, 6, 2),
    ]
    # The home address is one block of text in the street ("123 Home St\nHome City, HM 12345"):
    # split into its parts and stored (it was a note before); no country: [sender] US.
    assert {k: person["address"][k] for k in ("street", "extended", "city", "region", "postal_code", "country")} == {
        "street": "123 Home St", "extended": None, "city": "Home City", "region": "HM", "postal_code": "12345",
        "country": "US",
    }
    notes = [n["text"] for n in person["notes"]]
    assert not any(n.startswith("Address from import") for n in notes)
    assert notes[0] == "This is GMail's note field.\nIt should be added as a NOTE type.\nACustomField: CustomField"


def test_gmail_five_addresses_and_labelled_dates(book_of):
    person = book_of("ezvcard__gmail-single2.vcf")["VCard Test"]
    assert person["address"]["street"] == "112 Main St"  # TYPE=HOME; no country: [sender] US
    assert person["address"]["country"] == "US"
    assert [(d["kind"], d["label"], d["year"], d["month"], d["day"]) for d in person["dates"]] == [
        ("birthday", None, 1912, 6, 23),
        ("anniversary", None, 1930, 3, 20),
        ("custom", None, 1776, 7, 4),
        ("custom", "CustomDateCategory", 2000, 9, 12),
    ]


def test_thunderbird_x_anniversary_and_escaped_categories(shared):
    person = one(shared, "ezvcard__thunderbird-MoreFunctionsForAddressBook-extension.vcf")
    assert person.name == "John Doe"
    assert dates(person) == {("birthday", None): "1970-09-21", ("anniversary", None): "1990-04-30"}
    assert person.tags == ["category1", "category2", "category3"]
    assert person.notes[0].endswith('You can put anything in the "note" field; even curse words.')


def test_vcard4android_all_fields(book_of):
    person = book_of("vcard4android__allfields-vcard3.vcf")["Ämi Display"]
    assert (person["given_name"], person["family_name"], person["nickname"]) == ("Firstname", "Lastname", "Nick1")
    assert person["address"]["street"] == "6544 Battleford Drive"
    assert (person["address"]["city"], person["address"]["postal_code"], person["address"]["country"]) == (
        "Raleigh",
        "27613-3502",
        "US",
    )
    assert [(d["kind"], d["label"], d["year"], d["month"], d["day"]) for d in person["dates"]] == [
        ("birthday", None, 1996, 4, 15),
        ("anniversary", None, 2014, 8, 12),
        ("custom", "Custom Date", 2021, 7, 29),
    ]
    assert [n["text"] for n in person["notes"]] == [
        "This fax number is operational 0800 to 1715 EST, Mon-Fri.",
        "Second note",
    ]
    assert person["tags"] == ["a", "b'c"]
    assert person["uid"] == "mostfields1@at.bitfire.vcard4android"


def test_rfc6350_year_less_birthday(book_of):
    person = book_of("ezvcard__rfc6350-example.vcf")["Simon Perreault"]
    assert [(d["kind"], d["year"], d["month"], d["day"]) for d in person["dates"]] == [
        ("birthday", None, 2, 3),
        ("anniversary", 2009, 8, 8),
    ]
    assert {k: person["address"][k] for k in ("street", "extended", "city", "region", "postal_code", "country")} == {
        "street": "2875 Laurier",
        "extended": "Suite D2-630",
        "city": "Quebec",
        "region": "QC",
        "postal_code": "G1V 2M2",
        "country": "CA",
    }


def test_cardbook_1604_means_no_year(shared):
    person = one(shared, "radicale__contact4-with-bday-no-year.vcf")
    assert person.dates == [("birthday", PartialDate(1, 1, None), None)]


def test_cards_without_a_name_are_named_by_email(shared):
    found = people(shared, "radicale__broken-vcards.vcf")
    assert [p.name for p in found] == ["test-misses-N-or-FN@example.com", "test-misses-N-or-FN@example1.com"]
    assert found[0].uid == "C68582D2-2E60-0001-C2C0-000000000000.vcf"


def test_kcontacts_no_version_bare_fn_named_by_org(shared):
    person = one(shared, "kcontacts__vcard4.vcf")
    assert person.name == "Ximian, Inc."
    assert person.emails == ["hello@ximian.com"]
    assert person.notes == ["Welcome to the Ximian Addressbook."]


def test_chinese_quoted_printable_city_only_address_becomes_a_note(book_of):
    person = book_of("radicale__vcard-quoted-printable1.vcf")["黄世勇"]
    assert (person["family_name"], person["given_name"]) == ("黄", "世勇")
    assert person["address"] is None
    assert [n["text"] for n in person["notes"]] == ["Address from import, not stored (no street): 北京 丰台区"]


def test_apple_company_card(book_of):
    person = book_of("roundcube__apple.vcf")["Apple Computer AG"]
    assert {k: person["address"][k] for k in ("street", "city", "postal_code", "country")} == {
        "street": "Birgistrasse 4a",
        "city": "Wallisellen-Zürich",
        "postal_code": "8304",
        "country": "CH",
    }


def test_windows_1252_name(book_of):
    person = book_of("roundcube__johndoe.vcf")["John Doë"]
    assert (person["given_name"], person["family_name"]) == ("John", "Doë")
    assert person["address"]["country"] == "KY"  # Cayman Islands


def test_vdir_folder(cli, book_of, shared):
    found = book_of("khard__vdir_test.abook")
    assert sorted(found) == ["second contact", "text birthday", "third contact"]
    assert [(d["year"], d["month"], d["day"]) for d in found["second contact"]["dates"]] == [(2018, 1, 20)]
    assert [n["text"] for n in found["text birthday"]["notes"]] == ["birthday: circa 1800"]


def test_the_whole_folder_imports_with_skip_bad_and_twice_is_a_no_op(cli, tmp_path, shared):
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')
    folder = shared / "samples" / "vcards"
    refused = cli("import", folder)
    assert refused.exit_code == 1
    assert "eds__vcard-7.vcf, line 1: no BEGIN:VCARD before this line (Frank Dawson)" in refused.stderr
    assert "Nothing imported" in refused.stderr
    assert json.loads(cli("export").stdout)["households"] == []
    first = cli("import", folder, "--skip-bad")
    assert first.exit_code == 0
    # 34 people: the iPhone, Mac and Outlook John Doe are one person (they were 2 before)
    assert first.stdout.startswith("Imported 34 households, 34 people; 1 bad\n")
    again = cli("import", folder, "--skip-bad", "--json")
    report = json.loads(again.stdout)
    assert (report["added"], report["unchanged"], report["bad"]) == (0, 34, 1)
    assert len(json.loads(cli("list", "--json").stdout)) == 34
