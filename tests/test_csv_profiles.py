"""CSV profiles (`export --profile google|outlook|mailmerge`) and every CSV cardkeep writes imports back."""

import csv
import io
import json

import pytest

from cardkeep.formats.csvprofiles import GOOGLE_NAMES, OUTLOOK_HEADER

TODAY = ("--today", "2026-11-23")


@pytest.fixture
def small_book(cli, tmp_path):
    """Ada and Ben Okafor at a US address with a leading-zero ZIP, Rosa in Germany (do-not-send),
    Sam (deceased) in Ada's household."""
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')
    cli("add", "Ada Okafor", "--email", "ada@example.org", "--phone", "+1 555 0100", "--birthday", "--04-15",
        "--anniversary", "2001-06-23", "--street", "12 Elm St", "--city", "Boston", "--region", "MA",
        "--postal-code", "02134", "--country", "US", "--tag", "friends", *TODAY)
    cli("add", "Ben Okafor", "--household", "Ada Okafor", "--birthday", "1975-11-02", "--salutation", "Benny", *TODAY)
    cli("add", "Sam Okafor", "--household", "Ada Okafor", *TODAY)
    cli("status", "Sam Okafor", "deceased", "--on", "2025-01-02")
    cli("add", "Rosa Meyer", "--street", "Hauptstraße 5", "--city", "Berlin", "--postal-code", "10115",
        "--country", "DE", *TODAY)
    cli("status", "h2", "do-not-send")
    cli("note", "Ada Okafor", "likes =tulips\nand jazz", *TODAY)
    return tmp_path


def rows(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def households(cli):
    return json.loads(cli("export").stdout)["households"]


def people(cli):
    return {m["name"]: {**m, "house": h} for h in households(cli) for m in h["members"]}


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "csv"),
        ("--format", "csv", "--per", "contact"),
        ("--profile", "google"),
        ("--profile", "outlook"),
        ("--profile", "mailmerge"),
    ],
    ids=["household", "contact", "google", "outlook", "mailmerge"],
)
def test_every_csv_cardkeep_writes_imports_back(cli, small_book, monkeypatch, args):
    out = small_book / "out.csv"
    assert cli("export", *args, "--output", out).exit_code == 0
    monkeypatch.setenv("CARDKEEP_DB", str(small_book / "new.db"))
    result = cli("import", out, *TODAY)
    assert result.exit_code == 0, result.stderr
    found = people(cli)
    assert found["Ada Okafor"]["house"]["addresses"][0]["postal_code"] == "02134"
    assert found["Ada Okafor"]["house"]["addresses"][0]["city"] == "Boston"
    assert "Ben Okafor" in found
    if args[-1] != "mailmerge":  # a mail merge leaves out Rosa's do-not-send household
        assert found["Rosa Meyer"]["house"]["addresses"][0]["country"] == "DE"
    # the household stays one household (a household column, a members column, or address and family name)
    assert found["Ben Okafor"]["house"]["id"] == found["Ada Okafor"]["house"]["id"]
    # and importing it again into that book changes nothing
    again = json.loads(cli("import", out, "--json", *TODAY).stdout)
    assert (again["added"], again["merged"]) == (0, 0)


def test_household_csv_used_to_fail_on_import(cli, small_book, monkeypatch):
    """'the error lists street and city as unknown and as valid': now a person per member."""
    out = small_book / "houses.csv"
    cli("export", "--format", "csv", "--output", out)
    monkeypatch.setenv("CARDKEEP_DB", str(small_book / "new.db"))
    assert cli("import", out, *TODAY).stdout.startswith("Imported 2 households, 4 people\n")
    [okafor, meyer] = households(cli)
    assert [m["name"] for m in okafor["members"]] == ["Ada Okafor", "Ben Okafor", "Sam Okafor"]
    assert okafor["addresses"][0]["street"] == "12 Elm St"  # not the formatted block with the name


def test_google_profile_has_googles_header_and_round_trips_dates_tags_and_uid(cli, small_book, monkeypatch):
    text = cli("export", "--profile", "google").stdout
    [ada, ben, sam, rosa] = rows(text)
    header = text.splitlines()[0].split(",")
    assert tuple(header[: len(GOOGLE_NAMES)]) == GOOGLE_NAMES
    assert header[len(GOOGLE_NAMES):][:2] == ["E-mail 1 - Label", "E-mail 1 - Value"]
    assert (ada["First Name"], ada["Last Name"], ada["File As"]) == ("Ada", "Okafor", "Ada Okafor")
    assert (ada["Birthday"], ada["Event 1 - Label"], ada["Event 1 - Value"]) == ("--04-15", "Anniversary", "2001-06-23")
    assert ada["Phone 1 - Value"] == "+1 555 0100"  # no stray apostrophe
    assert ada["Notes"] == "likes =tulips\nand jazz"
    assert ada["Labels"] == "* myContacts ::: friends"
    assert ada["Address 1 - Formatted"] == "12 Elm St\nBOSTON, MA 02134\nUNITED STATES"
    assert (ada["Address 1 - Postal Code"], ada["Address 1 - Country"]) == ("02134", "United States")
    assert ada["Custom Field 1 - Label"] == "cardkeep UID" and ada["Custom Field 1 - Value"]
    out = small_book / "google.csv"
    out.write_text(text)
    monkeypatch.setenv("CARDKEEP_DB", str(small_book / "new.db"))
    assert cli("import", out, *TODAY).exit_code == 0
    copy = people(cli)["Ada Okafor"]
    assert [(d["kind"], d["year"], d["month"], d["day"]) for d in copy["dates"]] == [
        ("birthday", None, 4, 15), ("anniversary", 2001, 6, 23)]
    assert copy["tags"] == ["friends"] and copy["uid"] == ada["Custom Field 1 - Value"]


def test_outlook_profile_has_microsofts_header_and_month_first_dates(cli, small_book, monkeypatch):
    text = cli("export", "--profile", "outlook").stdout
    assert tuple(text.splitlines()[0].split(",")[:5]) == OUTLOOK_HEADER[:5] == (
        "Title", "First Name", "Middle Name", "Last Name", "Suffix")
    [ada, ben, *_] = rows(text)
    assert (ada["Anniversary"], ben["Birthday"]) == ("6/23/2001", "11/2/1975")
    assert ada["Birthday"] == ""  # no Outlook form for a year-less date: in the notes
    assert ada["Notes"].endswith("birthday: --04-15")
    assert (ada["Home Street"], ada["Home Postal Code"], ada["Home Country/Region"]) == (
        "12 Elm St", "02134", "United States")
    assert (ada["E-mail Address"], ada["Home Phone"], ada["Categories"]) == ("ada@example.org", "+1 555 0100", "friends")
    out = small_book / "outlook.csv"
    out.write_text(text)
    monkeypatch.setenv("CARDKEEP_DB", str(small_book / "new.db"))
    assert cli("import", out, *TODAY).exit_code == 0
    assert [(d["kind"], d["month"], d["day"]) for d in people(cli)["Ben Okafor"]["dates"]] == [("birthday", 11, 2)]


def test_mailmerge_salutation_mailing_name_and_lines_without_the_unsent(cli, small_book):
    text = cli("export", "--profile", "mailmerge").stdout
    [okafor] = rows(text)  # Rosa's household is do-not-send; Sam died
    assert (okafor["Salutation"], okafor["Mailing Name"]) == ("Ada & Benny", "Ada & Ben Okafor")
    assert [okafor[f"Address Line {i}"] for i in range(1, 4)] == ["12 Elm St", "BOSTON, MA 02134", ""]
    assert okafor["Postal Code"] == "02134"
    assert okafor["Members"] == "Ada Okafor; Ben Okafor"
    everyone = rows(cli("export", "--profile", "mailmerge", "--everyone").stdout)
    assert [r["Members"] for r in everyone] == ["Ada Okafor; Ben Okafor; Sam Okafor", "Rosa Meyer"]
    assert [everyone[1][f"Address Line {i}"] for i in range(1, 4)] == ["Hauptstraße 5", "10115 BERLIN", "GERMANY"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--profile", "google", "--format", "vcard"), "--profile google writes CSV"),
        (("--everyone",), "--everyone is for --profile mailmerge"),
        (("--profile", "excel"), "--profile"),
    ],
)
def test_profile_mistakes_are_usage_errors(cli, args, message):
    result = cli("export", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_google_contacts_file_imports(cli, tmp_path):
    """Hand-made from Google's published 2020+ header (no real Google export is in the samples):
    the profile is recognised from the header; labels, events and a formatted-only address."""
    path = tmp_path / "contacts.csv"
    path.write_text(
        "First Name,Middle Name,Last Name,Nickname,File As,Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,"
        "Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
        "Event 1 - Label,Event 1 - Value,Event 2 - Label,Event 2 - Value\n"
        'Greg,,Dartmouth,Gman,,1960-09-10,hi,* myContacts ::: Family,Home,greg@example.org,Mobile,+1 555 0199,Home,'
        '"Crescent moon drive\n555-asd\nNice Area, Albaney, New York 12345\nUnited States of America",,,'
        "Anniversary,1970-06-02,Graduation,--05-30\n",
        encoding="utf-8",
    )
    result = cli("import", path, *TODAY)
    assert result.exit_code == 0 and result.stderr == ""
    greg = people(cli)["Greg Dartmouth"]
    assert (greg["nickname"], greg["emails"], greg["phones"], greg["tags"]) == (
        "Gman", ["greg@example.org"], ["+1 555 0199"], ["family"])
    assert [(d["kind"], d["label"], d["year"], d["month"], d["day"]) for d in greg["dates"]] == [
        ("birthday", None, 1960, 9, 10), ("anniversary", None, 1970, 6, 2), ("custom", "Graduation", None, 5, 30)]
    address = greg["house"]["addresses"][0]
    assert (address["street"], address["city"], address["region"], address["postal_code"], address["country"]) == (
        "Crescent moon drive", "Albaney", "New York", "12345", "US")
