"""The JSON interchange format: lossless round trips and all-or-nothing imports."""

import copy
import json

import pytest

from cardkeep.errors import InvalidInput
from cardkeep.formats.jsonbook import dump_book, import_book, load_json
from cardkeep.store.db import open_db
from tests.conftest import EXAMPLES


def sample():
    return json.loads((EXAMPLES / "book.json").read_text(encoding="utf-8"))


def test_examples_round_trip_exactly(cli, tmp_path):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    first = cli("export", "--format", "json").stdout
    assert cli("--db", tmp_path / "second.db", "import", "-", input=first).exit_code == 0
    second = cli("--db", tmp_path / "second.db", "export").stdout
    assert first == second
    exported = json.loads(first)
    # Nothing was lost on the way in; people and households the file gave no UID got one, stored.
    for house in exported["households"]:
        assert house.pop("uid")
        for member in house["members"]:
            assert member["uid"]
            member["uid"] = None
    assert exported == sample()


def test_export_to_a_file_is_private(cli, tmp_path):
    cli("add", "Ada")
    target = tmp_path / "out" / "book.json"
    result = cli("export", "--output", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["households"][0]["members"][0]["name"] == "Ada"
    assert target.stat().st_mode & 0o077 == 0


def test_contract_keys(db_path):
    db = open_db(db_path)
    import_book(db, sample(), source="book.json", today="2026-11-23")
    house = dump_book(db)["households"][0]
    assert {"id", "mailing_name", "status", "tags", "addresses", "members", "cards"} <= house.keys()
    assert {"street", "extended", "city", "region", "postal_code", "country", "valid_from", "valid_to",
            "verified_on", "returned_on"} <= house["addresses"][0].keys()
    assert {"id", "name", "given_name", "family_name", "nickname", "salutation", "status", "deceased_on", "tags",
            "emails", "phones", "dates", "notes"} <= house["members"][0].keys()
    assert {"year", "occasion", "direction", "date", "contact", "design", "message", "signed_by_hand", "news",
            "returned"} <= house["cards"][0].keys()


def broken(path, value):
    data = sample()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["households", 2, "members", 0, "dates", 0, "day"], 32, "households[2].members[0].dates[0]"),
        (["households", 7, "members", 1, "dates", 0, "day"], 30, "dates[0]: 1988-02-30 is not a real date"),
        (["households", 3, "addresses", 0, "country"], "XX", "households[3].addresses[0]: country"),
        (["households", 0, "members", 1, "name"], "  ", "households[0].members[1]: name must not be empty"),
        (["households", 0, "cards", 0, "date"], "2025-02-30", "households[0].cards[0].date"),
        (["households", 0, "status"], "gone", "households[0]: status 'gone' is not one of"),
        (["households", 5, "members"], [], "households[5]: a household needs at least one member"),
        (["households", 0, "tags"], ["two words"], "households[0]: tag 'two words': tags are single words"),
        (["households", 0, "members", 0, "tags"], [""], "households[0].members[0]: tag '': tags are single words"),
        (["households", 3, "addresses", 1, "valid_to"], "2020-01-01", "households[3].addresses[1]: valid_to"),
    ],
)
def test_a_bad_record_imports_nothing_and_says_where(db_path, path, value, message):
    db = open_db(db_path)
    data = broken(path, value)
    with pytest.raises(InvalidInput) as error:
        import_book(db, data, source="book.json", today="2026-11-23")
    assert message in str(error.value)
    assert db.execute("select count(*) from contacts").fetchone()[0] == 0


def test_cli_reports_bad_json_in_one_line(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"cardkeep": 1, "households": [}')
    result = cli("import", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: not valid JSON (line 1, column")
    assert len(result.stderr.splitlines()) == 1
    missing = cli("import", tmp_path / "missing.json")
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_wrong_version_and_shape(db_path):
    with pytest.raises(InvalidInput, match="format version 2"):
        load_json('{"cardkeep": 2, "households": []}', source="x.json")
    with pytest.raises(InvalidInput, match="not a cardkeep export"):
        load_json("[1, 2]", source="x.json")
    with pytest.raises(InvalidInput, match="format version True"):
        load_json('{"cardkeep": true, "households": []}', source="x.json")  # True == 1 in Python


def test_blank_emails_and_phones_are_dropped(db_path):
    data = sample()
    data["households"][0]["members"][0]["emails"] = ["", " ada@example.org "]
    data["households"][0]["members"][0]["phones"] = ["  "]
    db = open_db(db_path)
    import_book(db, data, source="book.json", today="2026-11-23")
    ada = dump_book(db)["households"][0]["members"][0]
    assert (ada["emails"], ada["phones"]) == (["ada@example.org"], [])


def test_ids_are_kept_when_free_and_remapped_when_taken(db_path):
    db = open_db(db_path)
    data = sample()
    import_book(db, data, source="a", today="2026-11-23")
    again = copy.deepcopy(data)["households"][:1]
    import_book(db, {"cardkeep": 1, "households": again}, source="b", today="2026-11-23")
    ids = [h["id"] for h in dump_book(db)["households"]]
    assert len(ids) == len(set(ids)) == 43


def test_the_saved_plan_and_its_progress_survive_a_round_trip(cli, tmp_path):
    cli("import", EXAMPLES / "book.json")
    assert cli("plan", "--save", "--today", "2026-11-23").exit_code == 0
    assert cli("mark", "Ada Okafor", "signed", "--today", "2026-11-30").exit_code == 0
    assert cli("mark", "Ada Okafor", "mailed", "--today", "2026-12-01").exit_code == 0
    first = cli("export").stdout
    okafor = json.loads(first)["households"][0]
    assert okafor["batch"][0]["state"] == "mailed"
    assert okafor["cards"][okafor["batch"][0]["card"]]["year"] == 2026  # linked to the card it became
    other = tmp_path / "other.db"
    assert cli("--db", other, "import", "-", input=first).exit_code == 0
    assert cli("--db", other, "export").stdout == first
    progress = cli("--db", other, "progress", "--json", "--today", "2026-12-01")
    assert progress.exit_code == 0
    assert json.loads(progress.stdout)["counts"]["mailed"] == 1


def test_a_bad_batch_entry_imports_nothing(db_path):
    data = sample()
    data["households"][0]["batch"] = [{"year": 2026, "arrive_by": "2026-12-20", "saved": "2026-11-23",
                                       "mailing_name": "X", "mail_by": "2026-12-15", "state": "lost"}]
    db = open_db(db_path)
    with pytest.raises(InvalidInput, match=r"households\[0\]\.batch\[0\]: state 'lost'"):
        import_book(db, data, source="book.json", today="2026-11-23")
    assert db.execute("select count(*) from contacts").fetchone()[0] == 0


def test_json_reimport_updates_by_uid_like_vcard_and_csv(cli, tmp_path):
    """A JSON export edited elsewhere and imported again: a changed field is updated, a new address
    is a move (the old one kept), the dry run shows each change; nobody is added twice."""
    cli("add", "Ada Okafor", "--email", "ada@example.org", "--street", "12 Elm St", "--city", "Springfield",
        "--country", "US", "--today", "2026-01-01")
    cli("add", "Ben Okafor", "--household", "Ada Okafor", "--today", "2026-01-01")
    document = json.loads(cli("export").stdout)
    [house] = document["households"]
    ada = house["members"][0]
    ada["emails"] = ["ada@new.example"]
    ada["nickname"] = "Adaeze"
    house["addresses"][0].update(street="1 Oak Rd", city="Dayton")
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    dry = cli("import", path, "--dry-run")
    # Ben shares the household: the move is his too
    assert dry.stdout.splitlines()[0] == "Would import 0 households, 0 people; 2 merged"
    assert "emails: ada@example.org -> ada@new.example" in dry.stdout
    assert "address: 12 Elm St, Springfield, US -> 1 Oak Rd, Dayton, US (a move)" in dry.stdout
    assert cli("import", path, "--today", "2026-11-23").exit_code == 0
    [after] = json.loads(cli("export").stdout)["households"]
    assert [m["name"] for m in after["members"]] == ["Ada Okafor", "Ben Okafor"]
    assert (after["members"][0]["emails"], after["members"][0]["nickname"]) == (["ada@new.example"], "Adaeze")
    assert [(a["street"], a["valid_to"]) for a in after["addresses"]] == [("12 Elm St", "2026-11-23"), ("1 Oak Rd", None)]
    again = json.loads(cli("import", path, "--json", "--today", "2026-11-23").stdout)
    assert (again["added"], again["merged"], again["unchanged"]) == (0, 0, 2)
