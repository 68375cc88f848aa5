"""The import pipeline: households, duplicates, --on-conflict, --dry-run, --skip-bad, one transaction."""

import datetime as dt
import json

import pytest
from hypothesis import given, strategies as st

from cardkeep.dates import PartialDate
from cardkeep.errors import InvalidInput
from cardkeep.formats import apply, matching, records
from cardkeep.formats.country_names import country_code
from tests.conftest import EXAMPLES


def vcf(tmp_path, name, *cards):
    text = "".join("BEGIN:VCARD\r\nVERSION:3.0\r\n" + "\r\n".join(c) + "\r\nEND:VCARD\r\n" for c in cards)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ELM = "ADR;TYPE=HOME:;;12 Elm St;Springfield;IL;62701;USA"
ADA = ["FN:Ada Okafor", "N:Okafor;Ada;;;", ELM, "UID:ada-1", "BDAY:1978-03-14"]
EMEKA = ["FN:Emeka Okafor", "N:Okafor;Emeka;;;", ELM]
SAM = ["FN:Sam Lee", "N:Lee;Sam;;;", ELM]


def book(cli):
    return json.loads(cli("export").stdout)["households"]


def names(households):
    return [[m["name"] for m in h["members"]] for h in households]


def test_same_address_and_family_name_make_one_household(cli, tmp_path):
    path = vcf(tmp_path, "a.vcf", ADA, EMEKA, SAM)
    dry = cli("import", path, "--dry-run")
    assert dry.exit_code == 0
    assert dry.stdout.splitlines()[:3] == [
        "Would import 2 households, 3 people",
        "action\twho\thousehold\tdetails",
        f"add\tAda Okafor, Emeka Okafor\tnew household 1 (same address and family name)\t{path}, line 1",
    ]
    assert book(cli) == []  # a dry run writes nothing
    assert cli("import", path).stdout == "Imported 2 households, 3 people\n"
    assert names(book(cli)) == [["Ada Okafor", "Emeka Okafor"], ["Sam Lee"]]
    assert book(cli)[0]["addresses"][0]["street"] == "12 Elm St"


def test_no_households_keeps_everyone_apart(cli, tmp_path):
    cli("import", vcf(tmp_path, "a.vcf", ADA, EMEKA), "--no-households")
    assert names(book(cli)) == [["Ada Okafor"], ["Emeka Okafor"]]


def test_a_newcomer_joins_the_household_already_at_that_address(cli, tmp_path):
    cli("import", vcf(tmp_path, "a.vcf", ADA))
    result = cli("import", vcf(tmp_path, "b.vcf", EMEKA), "--dry-run")
    assert "h1 (same address and family name as a household in the book)" in result.stdout
    cli("import", tmp_path / "b.vcf")
    assert names(book(cli)) == [["Ada Okafor", "Emeka Okafor"]]


def test_uid_match_updates_what_the_file_changed(cli, tmp_path):
    """A UID match is a newer version of the same record: changed fields are updated, what the file
    leaves out (the nickname, the address, the family name) is kept."""
    cli("import", vcf(tmp_path, "a.vcf", ADA))
    cli("edit", "Ada Okafor", "--nickname", "Dee")
    changed = [
        "FN:Ada O.",
        "UID:ada-1",
        "NICKNAME:Ada",
        "EMAIL:ada@example.org",
        "BDAY:1978-03-15",
        "ANNIVERSARY:2001-06-23",
        "NOTE:piano teacher",
    ]
    result = cli("import", vcf(tmp_path, "b.vcf", changed), "--json")
    report = json.loads(result.stdout)
    assert (report["added"], report["merged"]) == (0, 1)
    assert report["entries"][0]["changes"] == [
        "name: Ada Okafor -> Ada O.",
        "nickname: Dee -> Ada",
        "emails: (none) -> ada@example.org",
        "birthday: 1978-03-14 -> 1978-03-15",
        "anniversary 2001-06-23",
        "note",
    ]
    [house] = book(cli)
    [person] = house["members"]
    assert (person["name"], person["nickname"], person["emails"]) == ("Ada O.", "Ada", ["ada@example.org"])
    assert person["family_name"] == "Okafor" and house["addresses"][0]["street"] == "12 Elm St"
    assert [(d["kind"], d["day"]) for d in person["dates"]] == [("birthday", 15), ("anniversary", 23)]
    assert [n["text"] for n in person["notes"]] == ["piano teacher"]
    assert cli("show", "ada o").exit_code == 0  # found by the new name
    again = json.loads(cli("import", tmp_path / "b.vcf", "--json").stdout)
    assert (again["merged"], again["unchanged"]) == (0, 1)


def test_name_and_address_match_without_uid(cli, tmp_path):
    cli("import", vcf(tmp_path, "a.vcf", SAM))
    report = json.loads(cli("import", vcf(tmp_path, "b.vcf", SAM + ["EMAIL:sam@example.org"]), "--json").stdout)
    assert (report["added"], report["merged"]) == (0, 1)
    moved = ["FN:Sam Lee", "ADR:;;1 Oak Rd;Dayton;OH;45402;US"]
    report = json.loads(cli("import", vcf(tmp_path, "c.vcf", moved), "--json").stdout)
    assert report["added"] == 1  # another Sam Lee at another address is another person


def test_on_conflict_skip_and_new(cli, tmp_path):
    path = vcf(tmp_path, "a.vcf", ADA + ["EMAIL:new@example.org"])
    cli("import", vcf(tmp_path, "first.vcf", ADA))
    skip = cli("import", path, "--on-conflict", "skip")
    assert skip.stdout.startswith("Imported 0 households, 0 people; 1 skipped\n")
    assert book(cli)[0]["members"][0]["emails"] == []
    cli("import", path, "--on-conflict", "new")
    assert names(book(cli)) == [["Ada Okafor", "Ada Okafor"]]
    bad = cli("import", path, "--on-conflict", "replace")
    assert bad.exit_code == 2 and "--on-conflict 'replace': choose merge, skip, new" in bad.stderr


def test_the_same_person_twice_in_one_import_is_one_person(cli, tmp_path):
    cli("import", vcf(tmp_path, "a.vcf", ADA), vcf(tmp_path, "b.vcf", ADA + ["EMAIL:ada@example.org"]))
    [[person]] = [h["members"] for h in book(cli)]
    assert person["emails"] == ["ada@example.org"]


def test_a_malformed_card_imports_nothing_unless_skip_bad(cli, tmp_path):
    good = vcf(tmp_path, "good.vcf", SAM)
    broken = tmp_path / "broken.vcf"
    broken.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Rosa Díaz\nBEGIN:VCARD\nVERSION:3.0\nFN:Li Wei\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Bea Lund\n"
    )
    refused = cli("import", good, broken)
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        f"Error: {broken}, line 1: the card has no END:VCARD (Rosa Díaz); {broken}, line 8: the card has no "
        "END:VCARD (Bea Lund). Nothing imported (use --skip-bad to import the rest)"
    )
    assert book(cli) == []
    result = cli("import", good, broken, "--skip-bad")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Imported 2 households, 2 people; 2 bad"
    assert f"bad\tBea Lund\t\t{broken}, line 8: the card has no END:VCARD (Bea Lund)" in result.stdout
    assert sorted(sum(names(book(cli)), [])) == ["Li Wei", "Sam Lee"]


def test_the_whole_import_is_one_transaction(cli, tmp_path, monkeypatch):
    cli("add", "Existing Person")
    before = cli("export").stdout
    calls = []
    real = apply._insert_person

    def failing(db, person, household_id, created, details):
        calls.append(person.name)
        if len(calls) == 2:
            raise InvalidInput("disk on fire")
        return real(db, person, household_id, created, details)

    monkeypatch.setattr(apply, "_insert_person", failing)
    result = cli("import", vcf(tmp_path, "a.vcf", ADA, SAM))
    assert result.exit_code == 1 and "disk on fire" in result.stderr
    assert cli("export").stdout == before


def test_groups_become_households(cli, tmp_path):
    group = ["KIND:group", "FN:The Lee-Okafor House", "MEMBER:urn:uuid:a1", "MEMBER:urn:uuid:b2"]
    path = vcf(tmp_path, "g.vcf", ["FN:Ann Lee", "UID:a1"], ["FN:Bo Okafor", "UID:b2"], ["FN:Cy Other"], group)
    cli("import", path)
    houses = book(cli)
    assert names(houses) == [["Ann Lee", "Bo Okafor"], ["Cy Other"]]
    assert houses[0]["mailing_name"] == "The Lee-Okafor House"


def test_a_group_named_as_cardkeep_would_name_it_keeps_the_generated_name(cli, tmp_path):
    group = [
        "X-ADDRESSBOOKSERVER-KIND:group",
        "FN:Ann & Bo Lee",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a1",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:b2",
    ]
    cli("import", vcf(tmp_path, "g.vcf", ["FN:Ann Lee", "UID:a1"], ["FN:Bo Lee", "UID:b2"], group))
    [house] = book(cli)
    assert house["mailing_name"] is None
    assert json.loads(cli("show", "h1", "--json").stdout)["display_name"] == "Ann & Bo Lee"


def test_tag_option_tags_everyone(cli, tmp_path):
    cli("import", vcf(tmp_path, "a.vcf", SAM), "--tag", "From-Phone")
    assert book(cli)[0]["members"][0]["tags"] == ["from-phone"]


def test_address_without_country_uses_sender_country_or_is_stored_as_unknown(cli, tmp_path):
    path = vcf(tmp_path, "a.vcf", ["FN:Kim Ng", "ADR:;;5 Rue Haute;Lyon;;69001;"])
    result = cli("import", path)
    assert result.stderr == (
        f"warning: {path}, line 1: Kim Ng: address stored with the country unknown (none in the file, and no "
        "`country` under [sender]): check it\n"
    )
    [house] = book(cli)
    assert house["members"][0]["notes"] == []  # never a note
    assert house["addresses"][0]["street"] == "5 Rue Haute"
    assert (house["addresses"][0]["city"], house["addresses"][0]["country"]) == ("Lyon", "ZZ")
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "fr"\n')
    cli("import", vcf(tmp_path, "b.vcf", ["FN:Lou Ng", "ADR:;;5 Rue Haute;Lyon;;69001;"]))
    assert book(cli)[1]["addresses"][0]["country"] == "FR"


def test_json_imported_twice_is_not_duplicated(cli):
    sample = json.loads((EXAMPLES / "book.json").read_text(encoding="utf-8"))["households"]
    people = sum(len(house["members"]) for house in sample)
    first = cli("import", EXAMPLES / "book.json")
    assert first.stdout == f"Imported {len(sample)} households, {people} people\n"
    exported = cli("export").stdout
    again = cli("import", EXAMPLES / "book.json")
    assert again.stdout.startswith(f"Imported 0 households, 0 people; {len(sample)} skipped\n")
    assert "already in the book as c1 Ada Okafor" in again.stdout
    assert cli("export").stdout == exported
    cli("import", EXAMPLES / "book.json", "--on-conflict", "new")
    assert len(book(cli)) == 2 * len(sample)  # the second copy as new households


def test_backup_is_taken_before_a_real_import_only(cli, tmp_path, db_path):
    """The backup FILE, not a call: none after a dry run; after a real import, one that opens as a
    valid book holding exactly what the book held before the import."""
    from cardkeep.formats.jsonbook import dump_book
    from cardkeep.services.backup import inspect_book
    from cardkeep.store import backup
    from cardkeep.store.db import open_db

    assert cli("import", EXAMPLES / "book.json").exit_code == 0  # a book with something to lose
    backups = backup.backup_dir(db_path)
    assert backup.list_backups(backups) == []  # the first import went into an empty book
    db = open_db(db_path)
    before = dump_book(db)
    db.close()
    path = vcf(tmp_path, "a.vcf", SAM)
    assert cli("import", path, "--dry-run").exit_code == 0
    assert backup.list_backups(backups) == []
    assert cli("import", path).exit_code == 0
    (made,) = backup.list_backups(backups)
    assert made.reason == "before-import" and made.path.is_file()
    assert inspect_book(made.path).households == len(before["households"])
    saved = open_db(made.path)
    assert dump_book(saved) == before  # the pre-import book, not the imported one
    saved.close()


def test_files_cardkeep_cannot_read(cli, tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("just some text\n")
    result = cli("import", odd)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {odd}: cannot tell what format this is; use --format vcard, csv or json\n"
    missing = cli("import", tmp_path / "nope.vcf")
    assert missing.stderr == f"Error: {tmp_path / 'nope.vcf'}: no such file or folder\n"
    assert cli("import", odd, "--format", "xml").exit_code == 2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("U.S.A.", "US"),
        ("Deutschland", "DE"),
        ("ch", "CH"),
        ("United States of America", "US"),
        ("Côte d'Ivoire", "CI"),
        ("Klöster-Reich", None),
        ("Japan", "JP"),
        ("", None),
    ],
)
def test_country_names(text, code):
    assert country_code(text) == code


def test_json_null_flags_take_their_defaults(cli, tmp_path):
    data = json.loads((EXAMPLES / "book.json").read_text(encoding="utf-8"))
    data["households"] = data["households"][:1]
    data["households"][0]["cards"][0]["returned"] = None
    path = tmp_path / "one.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert cli("import", path).exit_code == 0
    assert book(cli)[0]["cards"][0]["returned"] is False


NAMES = st.sampled_from(["Ada Okafor", "Ben Okafor", "Zoë Lee", "zoe lee", "山田 太郎", "Sam", "a@b.org"])
STREETS = st.sampled_from(["", "12 Elm St", "12 elm st.", "4 High St"])


@st.composite
def people(draw):
    out = []
    for i in range(draw(st.integers(0, 8))):
        street = draw(STREETS)
        person = records.Person(name=draw(NAMES), source=f"gen, line {i}")
        if street:
            person.addresses.append(
                records.Address(
                    street=street,
                    city=draw(st.sampled_from(["Leeds", ""])),
                    country=draw(st.sampled_from(["GB", "", "Atlantis"])),
                )
            )
        person.uid = draw(st.sampled_from([None, None, "u1", "u2", f"u{i}"]))
        person.household = draw(st.sampled_from([None, "x"]))
        person.tags = draw(st.lists(st.sampled_from(["a", "b"]), max_size=2))
        if draw(st.booleans()):
            person.dates.append(("birthday", PartialDate(2, 29), None))
        out.append(person)
    return out


@given(people(), st.booleans())
def test_importing_the_same_people_twice_adds_nobody_the_second_time(found, together):
    import tempfile
    from pathlib import Path

    from cardkeep.store.db import open_db

    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "book.db")
        try:
            for _ in range(2):
                copy = [
                    records.Person(
                        **{
                            **vars(p),
                            "addresses": list(p.addresses),
                            "tags": list(p.tags),
                            "notes": list(p.notes),
                            "dates": list(p.dates),
                        }
                    )
                    for p in found
                ]
                plan = matching.plan_import(
                    db, records.ReadResult(people=copy), households=together, default_country=None
                )
                apply.apply_plan(db, plan, today=dt.date(2026, 11, 23))
                counts = db.execute("select count(*) from contacts").fetchone()[0], plan.summary()
                if _ == 0:
                    first = counts[0]
            assert counts[0] == first
            assert counts[1]["added"] == 0
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
            assert (
                db.execute(
                    "select count(*) from households h where not exists "
                    "(select 1 from contacts c where c.household_id = h.id)"
                ).fetchone()[0]
                == 0
            )
        finally:
            db.conn.close()


def test_the_same_file_again_after_a_move_adds_nobody(cli, tmp_path):
    path = vcf(tmp_path, "sam.vcf", SAM)  # no UID: matched by name and address
    cli("import", path)
    assert cli("move", "Sam Lee", "--street", "1 Oak Rd", "--city", "Dayton", "--country", "US").exit_code == 0
    again = cli("import", path, "--json")
    assert again.exit_code == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["added"] == 0
    assert names(book(cli)) == [["Sam Lee"]]
    assert "kept 1 Oak Rd" in report["warnings"][0]  # the book's current address wins: the move stays


def test_an_old_json_export_after_a_move_adds_nobody(cli, tmp_path):
    cli("add", "Sam Lee", "--street", "12 Elm St", "--city", "Springfield", "--country", "US")
    old = tmp_path / "old.json"
    cli("export", "--output", old)
    cli("move", "Sam Lee", "--street", "1 Oak Rd", "--city", "Dayton", "--country", "US")
    # matched by UID: the old address is one the household moved away from, not a move back
    assert cli("import", old).stdout.startswith("Imported 0 households, 0 people; 1 unchanged")
    assert names(book(cli)) == [["Sam Lee"]]


def test_the_library_import_is_the_cli_path(db_path, tmp_path):
    """`services.io.import_files` is what `cardkeep import` runs: all or nothing across files and
    formats, a dry run writes nothing, a real import leaves a backup file."""
    from cardkeep.services.io import import_files
    from cardkeep.store.db import open_db

    db = open_db(db_path)
    import_files(db, [EXAMPLES / "book.json"], today=dt.date(2026, 11, 23))
    broken = tmp_path / "broken.json"
    broken.write_text('{"cardkeep": 1, "households": [{"members": []}]}', encoding="utf-8")
    before = db.execute("select count(*) from contacts").fetchone()[0]
    with pytest.raises(InvalidInput, match=r"households\[0\]: a household needs at least one member"):
        import_files(db, [vcf(tmp_path, "a.vcf", SAM), broken], today=dt.date(2026, 11, 23))
    dry = import_files(db, [vcf(tmp_path, "a.vcf", SAM)], dry_run=True)
    assert dry.summary()["added"] == 1 and not dry.imported
    assert db.execute("select count(*) from contacts").fetchone()[0] == before
    done = import_files(db, [vcf(tmp_path, "a.vcf", SAM)], tags=["xmas"], today=dt.date(2026, 11, 23))
    assert done.imported and done.summary()["added"] == 1
    assert done.backup is not None and done.backup.is_file()
    assert db.execute("select count(*) from contacts").fetchone()[0] == before + 1


def test_no_import_circle_among_the_formats():
    """Readers import `records`, never the other way round at load time (see `records.readers`)."""
    import ast
    from pathlib import Path

    import cardkeep.formats

    folder = Path(cardkeep.formats.__file__).parent
    modules = {f"cardkeep.formats.{p.stem}": p for p in folder.glob("*.py") if p.stem != "__init__"}
    imports = {}
    for name, path in modules.items():
        found = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level only
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {m for m in (node.module, *(f"{node.module}.{a.name}" for a in node.names)) if m in modules}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in modules}
        imports[name] = found

    def reaches(start, goal, seen=()):
        return any(n == goal or (n not in seen and reaches(n, goal, (*seen, n))) for n in imports[start])

    assert [name for name in modules if reaches(name, name)] == []


def test_the_same_person_in_an_iphone_a_mac_and_an_outlook_export_is_one_person(cli, shared, tmp_path):
    """The Mac writes `Richter\\,James` where the iPhone writes `Richter James`: one person, and the
    dry run says which records merge into which (it used to be "John & John Doe")."""
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')
    folder = shared / "samples" / "vcards"
    files = [folder / f"ezvcard__John_Doe_{kind}.vcf" for kind in ("IPHONE", "MAC_ADDRESS_BOOK", "MS_OUTLOOK")]
    dry = cli("import", *files, "--dry-run")
    assert dry.exit_code == 0
    lines = dry.stdout.splitlines()
    assert lines[0] == "Would import 1 household, 1 person"
    assert lines[3] == (
        f"same person\tMr. John Richter,James Doe Sr.\t\t{files[1]}, line 1: merged into "
        f"Mr. John Richter James Doe Sr. ({files[0]}, line 1)"
    )
    assert lines[4].startswith(f"same person\tMr. John Richter James Doe Sr.\t\t{files[2]}, line 1: merged into")
    as_json = json.loads(cli("import", *files, "--dry-run", "--json").stdout)
    assert [(m["source"], m["into_source"]) for m in as_json["same_person"]] == [
        (f"{files[1]}, line 1", f"{files[0]}, line 1"), (f"{files[2]}, line 1", f"{files[0]}, line 1")]
    assert cli("import", *files, "--today", "2026-11-23").exit_code == 0
    [house] = book(cli)
    assert [m["name"] for m in house["members"]] == ["Mr. John Richter James Doe Sr."]
    assert house["mailing_name"] is None and "&" not in cli("show", "c1").stdout
    # everything either copy said is kept: the Outlook address typo'd e-mail too
    assert house["members"][0]["emails"] == ["john.doe@ibm.com", "john.doe@ibm.cm"]


def test_a_mac_name_with_two_parts_only(cli, tmp_path):
    path = vcf(tmp_path, "mac.vcf", ["N:Richter;James", "ADR;TYPE=HOME:;;1 Elm St;Springfield;IL;62704;USA"])
    assert cli("import", path, "--today", "2026-11-23").exit_code == 0
    [house] = book(cli)
    [member] = house["members"]
    assert (member["name"], member["given_name"], member["family_name"]) == ("James Richter", "James", "Richter")
