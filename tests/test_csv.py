"""CSV import (real Thunderbird/Roundcube/Outlook exports, hand-made Google and Outlook files built
from their published headers) and CSV export."""

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import given, strategies as st

from cardkeep.dates import PartialDate
from cardkeep.formats.csvfile import neutralise, parse_date, read_csv


def sample(shared, name):
    path = shared / "samples" / "csv" / name
    result = read_csv(path.read_bytes(), name)
    assert not result.problems, result.problems
    return result


def test_thunderbird_export_quotes_tabs_and_a_newline_inside_a_field(shared):
    found = sample(shared, "thunderbird__export.csv").people
    assert [(p.name, p.given_name, p.family_name, p.emails) for p in found] == [
        ("contact number one", "contact", "one", ["contact1@invalid"]),
        ("contact number two", "contact", "two", ["contact2@invalid"]),
    ]
    assert found[1].notes == ["here's some unicode text…"]


def test_old_thunderbird_birthday_in_three_columns_and_trailing_comma(shared):
    [person] = sample(shared, "roundcube__tb_plain.csv").people
    assert (person.name, person.given_name, person.family_name, person.nickname) == (
        "Displayname",
        "Firstname",
        "Lastname",
        "Nick",
    )
    assert person.emails == ["test@domain.tld", "next@domain.tld"]
    assert person.dates == [("birthday", PartialDate(11, 15, 1970), None)]
    home = person.addresses[0]
    assert (home.street, home.city, home.region, home.postal_code, home.country, home.types) == (
        "Priv address",
        "City",
        "region",
        "xx-xxx",
        "USA",
        ("home",),
    )


def test_roundcube_bom_and_day_first_dates(shared):
    [person] = sample(shared, "roundcube__all.csv").people
    assert person.name == "Display Name"  # the BOM did not hide the first column
    assert person.dates == [
        ("birthday", PartialDate(1, 20, 1991), None),
        ("anniversary", PartialDate(2, 20, 1992), None),
    ]
    assert person.emails == ["home@example.com", "work@example.com", "other@example.com"]
    assert person.tags == ["test"] and person.notes == ["Notes"]


def test_email_only_outlook_file_is_named_by_the_address(shared, cli):
    [person] = sample(shared, "roundcube__outlook.csv").people
    assert person.name == "test1@domain.tld"
    assert person.emails == ["test1@domain.tld", "test2@domain.tld", "test3@domain.tld"]
    cli("import", shared / "samples" / "csv" / "roundcube__outlook.csv")
    member = json.loads(cli("export").stdout)["households"][0]["members"][0]
    assert (member["given_name"], member["family_name"]) == (None, None)


def test_every_csv_sample_imports_through_the_cli_and_twice_is_a_no_op(shared, cli, tmp_path):
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')
    files = sorted((shared / "samples" / "csv").glob("*.csv"))
    first = cli("import", *files)
    assert first.exit_code == 0
    assert first.stdout.startswith("Imported 5 households, 5 people\n")
    again = json.loads(cli("import", *files, "--json").stdout)
    assert (again["added"], again["unchanged"]) == (0, 5)
    houses = json.loads(cli("export").stdout)["households"]
    tb = next(h for h in houses if h["members"][0]["name"] == "Displayname")
    assert tb["addresses"][0]["street"] == "Priv address" and tb["addresses"][0]["country"] == "US"


# Built by hand from Google Contacts' published 2020+ export header (no real export was available).
GOOGLE = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,Birthday,Notes,Labels,E-mail 1 - Label,"
    "E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,"
    "Address 1 - City,Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
    "Address 1 - Extended Address,Address 2 - Label,Address 2 - Street,Address 2 - City,Address 2 - Country\r\n"
    "Rosa,,Díaz,,Ro,--04-15,likes tulips,* myContacts ::: Family,* Home,rosa@example.org,Mobile,+1 555 0100,Work,"
    '"1 Office Park\nAustin TX",1 Office Park,Austin,,TX,78701,US,,Home,"22 Calle Luna\nPiso 3",Madrid,España\r\n'
)


def test_google_numbered_columns_home_address_and_labels():
    [person] = read_csv(GOOGLE.encode(), "google.csv").people
    assert (person.name, person.nickname, person.emails, person.phones) == (
        "Rosa Díaz",
        "Ro",
        ["rosa@example.org"],
        ["+1 555 0100"],
    )
    assert person.dates == [("birthday", PartialDate(4, 15), None)]
    assert person.tags == ["family"]
    home = next(a for a in person.addresses if "home" in a.types)
    assert (home.street, home.city, home.country) == ("22 Calle Luna\nPiso 3", "Madrid", "España")


def test_google_home_address_is_stored(cli, tmp_path):
    path = tmp_path / "google.csv"
    path.write_bytes(GOOGLE.encode())
    cli("import", path)
    house = json.loads(cli("export").stdout)["households"][0]
    assert {k: house["addresses"][0][k] for k in ("street", "extended", "city", "country")} == {
        "street": "22 Calle Luna",
        "extended": "Piso 3",
        "city": "Madrid",
        "country": "ES",
    }


# Built by hand from Outlook's English export header (every header quoted; dates month first).
OUTLOOK = (
    '"Title","First Name","Middle Name","Last Name","Suffix","Company","Home Street","Home Street 2","Home City",'
    '"Home State","Home Postal Code","Home Country/Region","Business Street","Business City","Birthday",'
    '"Anniversary","Categories","E-mail Address","Notes"\r\n'
    '"","Ben","","Okafor","","","4 High St","","Leeds","","LS1 4AP","United Kingdom","","","3/22/1980","0/0/00",'
    '"Friends;Close Family","ben@example.org",""\r\n'
    '"","Cy","","Lund","","","","","","","","","9 Work Rd","Bristol","7/4/1990","","","",""\r\n'
)


def test_english_outlook_month_first_and_empty_dates():
    ben, cy = read_csv(OUTLOOK.encode(), "outlook.csv").people
    assert (ben.name, ben.given_name, ben.family_name) == ("Ben Okafor", "Ben", "Okafor")
    assert ben.dates == [("birthday", PartialDate(3, 22, 1980), None)]  # 0/0/00 is "no anniversary"
    assert ben.tags == ["friends", "close-family"]
    assert (ben.addresses[0].street, ben.addresses[0].postal_code, ben.addresses[0].country) == (
        "4 High St",
        "LS1 4AP",
        "United Kingdom",
    )
    assert cy.dates == [("birthday", PartialDate(7, 4, 1990), None)]
    assert cy.addresses[0].types == ("work",)


# Built by hand from German Outlook's localised header: semicolons, Windows-1252, DD.MM.YYYY.
GERMAN = (
    "Anrede;Vorname;Weitere Vornamen;Nachname;Straße privat;Ort privat;Postleitzahl privat;Land/Region privat;"
    "Geburtstag;Jahrestag;Kategorien;E-Mail-Adresse;Notizen\r\n"
    "Frau;Jürgen;;Weiß;Hauptstraße 5;München;80331;Deutschland;03.02.1961;;Familie;jw@example.de;Käsekuchen\r\n"
)


def test_german_outlook_header_semicolons_and_cp1252():
    [person] = read_csv(GERMAN.encode("cp1252"), "kontakte.csv").people
    assert (person.name, person.emails, person.tags, person.notes) == (
        "Jürgen Weiß",
        ["jw@example.de"],
        ["familie"],
        ["Käsekuchen"],
    )
    assert person.dates == [("birthday", PartialDate(2, 3, 1961), None)]
    address = person.addresses[0]
    assert (address.street, address.city, address.postal_code, address.country) == (
        "Hauptstraße 5",
        "München",
        "80331",
        "Deutschland",
    )


# Built by hand from French Outlook's localised header: day-first slash dates.
FRENCH = (
    "Prénom,Nom,Rue (domicile),Ville (domicile),Code postal (domicile),Pays/Région (domicile),Anniversaire,"
    "Adresse de messagerie\r\n"
    "Élodie,Martin,3 rue de la Paix,Paris,75002,France,05/04/1988,em@example.fr\r\n"
)


def test_french_outlook_header_and_day_first_dates():
    [person] = read_csv(FRENCH.encode("utf-8"), "contacts.csv").people
    assert (person.name, person.emails) == ("Élodie Martin", ["em@example.fr"])
    assert person.dates == [("birthday", PartialDate(4, 5, 1988), None)]
    assert (person.addresses[0].street, person.addresses[0].city, person.addresses[0].country) == (
        "3 rue de la Paix",
        "Paris",
        "France",
    )


def test_an_unrecognised_csv_lists_its_columns_and_shows_map(cli, tmp_path):
    path = tmp_path / "cards.csv"
    path.write_text("Who,Town,Born\nAunt May,Leeds,1950-05-01\n")
    result = cli("import", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {path}: cardkeep does not recognise these columns: 'Who', 'Town', 'Born'. Say which column holds "
        "what with --map, for example --map 'Full name=name'"
    )
    ok = cli("import", path, "--map", "Who=name", "--map", "town=city", "--map", "Born=birthday", "--json")
    assert ok.exit_code == 0, ok.stderr
    member = json.loads(cli("export").stdout)["households"][0]["members"][0]
    assert member["name"] == "Aunt May"
    assert [(d["year"], d["month"], d["day"]) for d in member["dates"]] == [(1950, 5, 1)]
    assert "Leeds" in member["notes"][0]["text"]  # a town without a street is kept as a note


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("Nope=name", "--map Nope=name: the file has no column 'Nope' (it has: Who, Town)"),
        ("Who=shoe_size", "--map 'Who=shoe_size': FIELD must be one of name, given_name"),
        ("Who", "--map 'Who': use COLUMN=FIELD"),
    ],
)
def test_map_mistakes_are_usage_errors(cli, tmp_path, option, message):
    path = tmp_path / "cards.csv"
    path.write_text("Who,Town\nAunt May,Leeds\n")
    result = cli("import", path, "--map", option)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_row_without_name_or_email_names_its_line(cli, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('Name,Notes,E-mail\nAnn,"two\nlines",a@x.org\n,only a note,\nBo,,\n')
    result = cli("import", path)
    assert result.exit_code == 1
    assert f"{path}, line 4: the row has no name and no e-mail address" in result.stderr
    assert cli("import", path, "--skip-bad").stdout.startswith("Imported 2 households, 2 people; 1 bad\n")


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("1980-03-22", False, PartialDate(3, 22, 1980)),
        ("22.03.1980", False, PartialDate(3, 22, 1980)),
        ("22/03/1980", False, PartialDate(3, 22, 1980)),
        ("03/22/1980", True, PartialDate(3, 22, 1980)),
        ("--03-22", False, PartialDate(3, 22)),
        ("0/0/00", True, None),
        ("", False, None),
        ("31.02.1980", False, "bad"),
        ("soon", False, "bad"),
    ],
)
def test_parse_date(text, month_first, expected):
    assert parse_date(text, month_first=month_first) == expected


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_dates_in_every_written_form_read_back(day):
    expected = PartialDate(day.month, day.day, day.year)
    assert parse_date(day.isoformat()) == expected
    assert parse_date(day.strftime("%d.%m.") + f"{day.year:04d}") == expected
    assert parse_date(day.strftime("%d/%m/") + f"{day.year:04d}") == expected
    assert parse_date(day.strftime("%m/%d/") + f"{day.year:04d}", month_first=True) == expected


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("text", ["=1+1", "+1+cmd|' /C calc'!A0", "-2", "-1+A1", "@SUM(A1)", "\tx", "\rx", "+A1"])
def test_formula_cells_are_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["+49 30 1234", "+1 (555) 010-0100", "--04-15", "--0415"])
def test_phone_numbers_and_year_less_dates_get_no_stray_apostrophe(text):
    assert neutralise(text) == text


def test_plain_cells_are_left_alone():
    assert [neutralise(v) for v in ("Ada", "", None, "12 Elm St", "a=b")] == ["Ada", "", "", "12 Elm St", "a=b"]


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_export_one_row_per_household(cli, tmp_path):
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')
    cli(
        "add",
        '=HYPERLINK("http://evil")',
        "--street",
        "1 Main St",
        "--city",
        "Springfield",
        "--region",
        "IL",
        "--postal-code",
        "62701",
        "--country",
        "US",
        "--tag",
        "x",
    )
    cli("add", "Ana Lima", "--street", "Rua A 1", "--city", "Porto", "--postal-code", "4000-001", "--country", "PT")
    cli("add", "No Address")
    text = cli("export", "--format", "csv").stdout
    [evil, ana, nobody] = rows(text)
    assert evil["mailing_name"] == '\'=HYPERLINK("http://evil")'
    assert evil["address"] == '\'=HYPERLINK("http://evil")\n1 Main St\nSPRINGFIELD, IL 62701'  # domestic
    assert ana["address"].splitlines() == ["Ana Lima", "Rua A 1", "4000-001 PORTO", "PORTUGAL"]
    assert (ana["postal_code"], ana["country"], ana["members"]) == ("4000-001", "PT", "Ana Lima")
    assert nobody["address"] == "" and nobody["street"] == ""


def test_export_per_contact_imports_into_a_new_book(cli, tmp_path):
    cli(
        "add",
        "Ada Okafor",
        "--birthday",
        "--04-15",
        "--email",
        "ada@example.org",
        "--street",
        "12 Elm St",
        "--city",
        "Springfield",
        "--postal-code",
        "62701",
        "--country",
        "US",
        "--tag",
        "friends",
    )
    cli("add", "Ben Okafor", "--household", "Ada Okafor", "--phone", "+1 555 0100", "--anniversary", "2001-06-23")
    cli("add", "Sam Lee", "--household", "Ada Okafor")
    cli("status", "Sam Lee", "deceased", "--on", "2025-01-02")
    target = tmp_path / "people.csv"
    assert cli("export", "--format", "csv", "--per", "contact", "--output", target).exit_code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read UTF-8
    [ada, ben, sam] = rows(data.decode("utf-8-sig"))
    assert (ada["Name"], ada["Birthday"], ada["E-mail"], ada["household"]) == (
        "Ada Okafor",
        "--04-15",  # no stray apostrophe: a date holds nothing to run
        "ada@example.org",
        "h1",
    )
    assert ben["Phone"] == "+1 555 0100"
    second = tmp_path / "second.db"
    result = cli("--db", second, "import", target)
    assert result.stdout == "Imported 1 household, 3 people\n"  # the household column kept them together
    [house] = json.loads(cli("--db", second, "export").stdout)["households"]
    ada2, ben2, sam2 = house["members"]
    assert (sam["status"], sam2["status"], house["mailing_name"]) == ("deceased", "deceased", None)
    assert [(d["kind"], d["year"], d["month"], d["day"]) for d in ada2["dates"]] == [("birthday", None, 4, 15)]
    assert ben2["phones"] == ["+1 555 0100"] and ben2["dates"][0]["year"] == 2001
    assert ada2["tags"] == ["friends"] and ada2["emails"] == ["ada@example.org"]
    assert house["addresses"][0]["street"] == "12 Elm St"


def test_csv_export_rejects_an_unknown_row_kind(cli):
    result = cli("export", "--format", "csv", "--per", "street")
    assert result.exit_code == 2 and "--per 'street': choose household or contact" in result.stderr


@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_with_a_clear_error(text):
    from cardkeep.errors import InvalidInput

    try:
        result = read_csv(("Name,E-mail,Birthday,Street,City,Country\n" + text).encode(), "fuzz.csv")
    except InvalidInput as exc:
        assert str(exc).startswith("fuzz.csv")
    else:
        assert all(p.name for p in result.people)


def test_csv_on_stdin_is_recognised(cli, shared):
    data = (shared / "samples" / "csv" / "roundcube__tb_plain.csv").read_text(encoding="utf-8")
    result = cli("import", "-", input=data)
    assert result.stdout == "Imported 1 household, 1 person\n"


def test_utf16_csv_with_a_bom_without_one_or_cut_short(cli, tmp_path):
    text = "First Name,Last Name\nZoë,Müller\n"
    for name, data in (("bom.csv", text.encode("utf-16")), ("le.csv", text.encode("utf-16-le")),
                       ("cut.csv", text.encode("utf-16")[:-1])):
        (tmp_path / name).write_bytes(data)
        result = cli("import", "--dry-run", tmp_path / name)
        assert result.exit_code == 0, (name, result.stderr)
        assert "Zoë Müller" in result.stdout, name
