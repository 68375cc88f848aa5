"""Issue 14, first part: every record has a stored UID, a re-import updates instead of adding, values
cannot inject properties or rows, vdir file names are unique and stable, 4.0 anniversaries keep labels."""

import csv
import io
import json
import re
import uuid

import pytest

from cardkeep.formats.vcard import vdir_filename
from cardkeep.store.db import open_db

TODAY = ("--today", "2026-11-20")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def book(cli):
    return json.loads(cli("export").stdout)["households"]


def people(cli):
    return [m for h in book(cli) for m in h["members"]]


def add_ada(cli):
    cli("add", "Ada Okafor", "--phone", "+44 20 7946 0000", "--street", "12 Elm St", "--city", "Springfield",
        "--postal-code", "62701", "--country", "US", "--birthday", "1978-03-14", *TODAY)
    cli("add", "Emeka Okafor", "--household", "Ada Okafor", *TODAY)


# ---------------------------------------------------------------- 1. identity


def test_add_stores_a_uid_for_the_person_and_the_household(cli, db_path):
    add_ada(cli)
    db = open_db(db_path)
    contacts = [r[0] for r in db.execute("select uid from contacts order by id")]
    houses = [r[0] for r in db.execute("select uid from households")]
    assert all(UUID.match(u) for u in contacts + houses) and len(set(contacts)) == 2
    [house] = book(cli)
    assert house["uid"] == houses[0] and [m["uid"] for m in house["members"]] == contacts
    # the same UIDs in every export, every time
    vcard = cli("export", "-f", "vcard").stdout
    assert all(f"UID:{u}" in vcard for u in contacts + houses)
    assert cli("export", "-f", "vcard").stdout == vcard
    rows = list(csv.DictReader(io.StringIO(cli("export", "-f", "csv", "--per", "contact").stdout)))
    assert [r["UID"] for r in rows] == contacts


def test_imports_store_a_uid_for_everyone(cli, tmp_path):
    (tmp_path / "a.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Lee\r\nEND:VCARD\r\n")
    (tmp_path / "b.csv").write_text("Name,E-mail\r\nBo Lund,bo@example.org\r\n")
    (tmp_path / "c.json").write_text(json.dumps({"cardkeep": 1, "households": [
        {"members": [{"name": "Cy Young", "uid": None}]}]}))
    (tmp_path / "d.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Di Ross\r\nUID:their-own-1\r\nEND:VCARD\r\n")
    for name in ("a.vcf", "b.csv", "c.json", "d.vcf"):
        assert cli("import", tmp_path / name, *TODAY).exit_code == 0
    uids = {m["name"]: m["uid"] for m in people(cli)}
    assert uids["Di Ross"] == "their-own-1"
    assert all(UUID.match(uids[n]) for n in ("Sam Lee", "Bo Lund", "Cy Young"))
    assert all(h["uid"] for h in book(cli))


@pytest.mark.parametrize("args", [("-f", "vcard"), ("-f", "vcard", "--version", "3.0"),
                                  ("-f", "csv", "--per", "contact"), ("-f", "json")])
def test_reimporting_our_own_export_never_makes_a_second_record(cli, tmp_path, args):
    add_ada(cli)
    cli("add", "Sam Lee", *TODAY)
    exported = tmp_path / "export.out"
    exported.write_text(cli("export", *args).stdout, encoding="utf-8")
    fmt = {"vcard": "vcard", "csv": "csv", "json": "json"}[args[1]]
    before = book(cli)
    for _ in range(2):
        assert cli("import", "-f", fmt, exported, *TODAY).exit_code == 0
    assert len(people(cli)) == 3 and len(book(cli)) == 2
    assert sorted(m["uid"] for m in people(cli)) == sorted(m["uid"] for h in before for m in h["members"])
    # and the copy in another book keeps the UIDs
    second = tmp_path / "second.db"
    assert cli("--db", second, "import", "-f", fmt, exported, *TODAY).exit_code == 0
    copied = json.loads(cli("--db", second, "export").stdout)["households"]
    assert sorted(m["uid"] for h in copied for m in h["members"]) == sorted(m["uid"] for m in people(cli))


def test_on_conflict_new_gives_the_copy_uids_of_its_own(cli, tmp_path):
    add_ada(cli)
    for fmt in ("vcard", "json"):
        path = tmp_path / f"book.{fmt}"
        path.write_text(cli("export", "-f", fmt).stdout)
        cli("import", "--on-conflict", "new", path, *TODAY)
    uids = [m["uid"] for m in people(cli)]
    assert len(uids) == 8 and len(set(uids)) == 8  # 2, a copy of 2, then a copy of those 4
    houses = [h["uid"] for h in book(cli)]
    assert len(set(houses)) == len(houses)


def test_a_group_card_gives_the_new_household_its_uid(cli, tmp_path):
    path = tmp_path / "g.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\nUID:ann\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bo Lee\r\nUID:bo\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:The Lees\r\nUID:lees\r\nMEMBER:ann\r\nMEMBER:bo\r\n"
        "END:VCARD\r\n"
    )
    cli("import", path, *TODAY)
    [house] = book(cli)
    assert house["uid"] == "lees"
    again = cli("import", path, *TODAY)
    assert "warning" not in again.stderr and len(book(cli)) == 1


# ---------------------------------------------------------------- 2. re-import updates


def test_an_address_and_phone_changed_on_the_phone_become_a_move_and_an_update(cli, tmp_path):
    add_ada(cli)
    text = cli("export", "-f", "vcard", "--version", "4.0").stdout
    ada = text.split("END:VCARD")[0]
    edited = ada.replace("12 Elm St;Springfield;;62701", "1550 Larimer St;Denver;CO;80202").replace(
        "+44 20 7946 0000", "+1 303 555 0100")
    path = tmp_path / "phone.vcf"
    path.write_text(text.replace(ada, edited), encoding="utf-8")

    dry = cli("import", path, "--dry-run")
    assert dry.stdout.splitlines()[1:] == [
        "action\twho\thousehold\tdetails",
        "merge\tc1 Ada Okafor\t\tphones: +44 20 7946 0000 -> +1 303 555 0100",
        "\t\t\taddress: 12 Elm St, Springfield, 62701, US -> 1550 Larimer St, Denver, CO, 80202, US (a move)",
        "unchanged\tc2 Emeka Okafor\t\talready in the book",
    ]
    assert dry.stderr == ""
    assert cli("import", path, *TODAY).exit_code == 0

    shown = cli("show", "ada").stdout
    assert "1550 Larimer St, Denver, CO, 80202, US  (current since 2026-11-20" in shown
    assert "12 Elm St, Springfield, 62701, US  (until 2026-11-20" in shown
    assert "+1 303 555 0100" in shown and "+44 20" not in shown
    assert [m["name"] for m in people(cli)] == ["Ada Okafor", "Emeka Okafor"]  # one Ada, one household
    again = json.loads(cli("import", path, "--json", *TODAY).stdout)
    assert (again["merged"], again["unchanged"]) == (0, 2)
    assert len(book(cli)[0]["addresses"]) == 2


def test_a_match_by_name_alone_still_overwrites_nothing(cli, tmp_path):
    add_ada(cli)
    path = tmp_path / "other.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Okafor\r\nTEL:+1 555 0100\r\n"
                    "ADR;TYPE=HOME:;;12 Elm St;Springfield;;62701;US\r\nEND:VCARD\r\n")
    report = json.loads(cli("import", path, "--json", *TODAY).stdout)
    assert report["entries"][0]["changes"] == ["phone +1 555 0100"]
    assert people(cli)[0]["phones"] == ["+44 20 7946 0000", "+1 555 0100"]


# ---------------------------------------------------------------- 3. escaping


def test_a_carriage_return_in_a_note_injects_nothing(cli, tmp_path):
    add_ada(cli)
    cli("note", "ada", "likes tea\rEMAIL:x@evil.example", *TODAY)
    cli("note", "ada", "nul\x00byte and CRLF\r\nTEL:666", *TODAY)
    for version in ("4.0", "3.0"):
        text = cli("export", "-f", "vcard", "--version", version).stdout
        assert "\rEMAIL" not in text and "\nEMAIL" not in text and "\x00" not in text
        assert "\nNOTE:likes tea\\nEMAIL:x@evil.example\n" in text
        path = tmp_path / f"v{version}.vcf"
        path.write_text(text, encoding="utf-8")
        cli("import", path, *TODAY)  # back into the same book: nothing new
        fresh = tmp_path / f"fresh{version}.db"
        cli("--db", fresh, "import", path, *TODAY)
        copy = json.loads(cli("--db", fresh, "export").stdout)["households"][0]["members"][0]
        assert copy["emails"] == [] and copy["phones"] == ["+44 20 7946 0000"]
        assert [n["text"] for n in copy["notes"]] == ["likes tea\nEMAIL:x@evil.example", "nulbyte and CRLF\nTEL:666"]
    [ada, _] = people(cli)
    assert ada["emails"] == [] and ada["phones"] == ["+44 20 7946 0000"]
    assert [n["text"] for n in ada["notes"]] == ["likes tea\rEMAIL:x@evil.example", "nul\x00byte and CRLF\r\nTEL:666"]


def test_csv_neutralises_formulas_only_and_a_newline_in_a_note_makes_no_row(cli, tmp_path):
    cli("add", "=HYPERLINK(\"x\")", "--phone", "+44 20 7946 0000", *TODAY)
    cli("add", "Sam Lee", *TODAY)
    cli("note", "sam", "first line\nName,E-mail\r\nEvil Row,evil@example.org\rlast", *TODAY)
    cli("note", "sam", "second note", *TODAY)
    text = cli("export", "-f", "csv", "--per", "contact").stdout
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 3
    header = rows[0]
    first, sam = (dict(zip(header, r, strict=True)) for r in rows[1:])
    assert first["Name"] == "'=HYPERLINK(\"x\")" and first["Phone"] == "+44 20 7946 0000"  # a phone number: nothing to run, no stray '
    assert sam["Name"] == "Sam Lee" and sam["Notes"].startswith("first line\n")  # not neutralised
    path = tmp_path / "book.csv"
    path.write_text(text, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    assert cli("--db", fresh, "import", path, *TODAY).exit_code == 0
    copied = [m for h in json.loads(cli("--db", fresh, "export").stdout)["households"] for m in h["members"]]
    assert [m["name"] for m in copied] == ['=HYPERLINK("x")', "Sam Lee"]
    assert copied[0]["phones"] == ["+44 20 7946 0000"]
    assert all(not m["emails"] for m in copied)
    report = json.loads(cli("import", path, "--json", *TODAY).stdout)
    assert report["added"] == 0
    assert [n["text"] for n in people(cli)[1]["notes"]] == [
        "first line\nName,E-mail\r\nEvil Row,evil@example.org\rlast", "second note"]


# ---------------------------------------------------------------- 4. vdir


def test_vdir_file_names_are_unique_and_stable():
    names = [vdir_filename(u) for u in ("x/1", "x_1", "x.1", "x 1", "x1", "X/1", "..", ".", "", "x" * 300, "x" * 301)]
    assert names[0] == names[5]  # UIDs compare without case, as import matches them
    del names[5]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9_-]+\.vcf", n) and len(n) <= 120 for n in names)
    assert vdir_filename("x/1") == "x_2f_1.vcf" and vdir_filename("x_1") == "x_5f_1.vcf"


def test_export_into_a_vdir_keeps_everyone_and_removes_only_our_stale_cards(cli, tmp_path):
    for uid, name in (("x/1", "Ann"), ("x_1", "Bo"), ("x.1", "Cy")):
        (tmp_path / "in.vcf").write_text(f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:{name}\r\nUID:{uid}\r\nEND:VCARD\r\n")
        cli("import", tmp_path / "in.vcf", *TODAY)
    folder = tmp_path / "vdir"
    folder.mkdir()
    (folder / "someone-else.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Not ours\r\nEND:VCARD\r\n")
    (folder / "notes.txt").write_text("PRODID:-//cardkeep//cardkeep//EN")
    result = cli("export", "-f", "vcard", "-o", f"{folder}/")
    assert result.stderr == f"Wrote 3 cards to {folder}\n"
    assert sorted(p.name for p in folder.iterdir()) == [
        "notes.txt", "someone-else.vcf", "x_2e_1.vcf", "x_2f_1.vcf", "x_5f_1.vcf"]
    fresh = tmp_path / "fresh.db"
    cli("--db", fresh, "import", folder, *TODAY)
    assert len(json.loads(cli("--db", fresh, "export").stdout)["households"]) == 4  # three and Not ours

    cli("rm", "Bo", "--yes")
    result = cli("export", "-f", "vcard", "-o", f"{folder}/")
    assert result.stderr == f"Wrote 2 cards to {folder}; removed 1 card of people no longer in the book\n"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "someone-else.vcf", "x_2e_1.vcf", "x_2f_1.vcf"]


# ---------------------------------------------------------------- 5. anniversaries


def test_a_labelled_anniversary_is_a_40_anniversary_and_apple_in_30(cli, tmp_path, db_path):
    cli("add", "Ada Okafor", *TODAY)
    db = open_db(db_path)
    with db.conn:
        db.execute("insert into dates (contact_id, kind, year, month, day, label) values "
                   "(1, 'anniversary', 2001, 6, 23, 'Wedding; \"the big one\"'), (1, 'custom', null, 4, 15, 'Name day')")
    four = cli("export", "-f", "vcard").stdout
    assert "\nANNIVERSARY;X-CARDKEEP-LABEL=\"Wedding; ^'the big one^'\":20010623\n" in four
    assert "X-ABDATE;X-CARDKEEP-KIND=custom:--0415" in four and "ANNIVERSARY" not in four.split("X-ABDATE")[1]
    three = cli("export", "-f", "vcard", "--version", "3.0").stdout
    assert "ANNIVERSARY" not in three.replace("_$!<Anniversary>!$_", "")
    assert "item1.X-ABDATE;X-CARDKEEP-KIND=anniversary:2001-06-23" in three
    for text in (four, three):
        path = tmp_path / "a.vcf"
        path.write_text(text, encoding="utf-8")
        fresh = tmp_path / f"{uuid.uuid4()}.db"
        cli("--db", fresh, "import", path, *TODAY)
        [ada] = json.loads(cli("--db", fresh, "export").stdout)["households"][0]["members"]
        assert [(d["kind"], d["label"], d["month"], d["day"]) for d in ada["dates"]] == [
            ("anniversary", 'Wedding; "the big one"', 6, 23), ("custom", "Name day", 4, 15)]
