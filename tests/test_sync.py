"""`cardkeep sync DIR` (issue 14, item 3): two-way with a vdir, each side's changes carried to the other,
the stated conflict and deletion policies, unknown vCard lines kept, bad input refused whole."""

import json
import os

import pytest

from cardkeep.formats.vcard import write_card
from cardkeep.formats.vdir import patch_card
from cardkeep.store.db import open_db

TODAY = ("--today", "2026-11-20")
LATER = ("--today", "2026-11-21")


@pytest.fixture
def phone(tmp_path):
    folder = tmp_path / "phone"
    folder.mkdir()
    return folder


def add_okafors(cli):
    cli("add", "Ada Okafor", "--street", "12 Elm St", "--city", "Springfield", "--postal-code", "62701",
        "--country", "US", "--birthday", "1978-03-14", *TODAY)
    cli("add", "Emeka Okafor", "--household", "Ada Okafor", *TODAY)
    cli("add", "Sam Lee", "--email", "sam@example.org", *TODAY)


def card_of(folder, name):
    (path,) = [p for p in folder.glob("*.vcf") if f"FN:{name}\r\n" in p.read_bytes().decode()]
    return path


def sync(cli, folder, *args):
    return cli("sync", folder, "--json", *args, *LATER)


def summary(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def edit(path, old, new):
    text = path.read_bytes()
    assert old.encode() in text, (old, text)
    path.write_bytes(text.replace(old.encode(), new.encode()))


def people(cli):
    return {m["name"]: m for h in json.loads(cli("export").stdout)["households"] for m in h["members"]}


def test_first_sync_writes_a_card_per_person_and_the_next_finds_nothing_to_do(cli, phone):
    add_okafors(cli)
    first = summary(sync(cli, phone))
    assert first["add_to_folder"] == 3 and first["unchanged"] == 0
    files = sorted(phone.glob("*.vcf"))
    assert len(files) == 3 and all("KIND:group" not in p.read_text() for p in files)
    times = [p.stat().st_mtime_ns for p in files]
    again = summary(sync(cli, phone))
    assert again["unchanged"] == 3 and again["steps"] == []
    assert [p.stat().st_mtime_ns for p in files] == times  # nothing rewritten


def test_an_address_edited_in_the_folder_is_a_move_with_no_duplicate(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    ada = card_of(phone, "Ada Okafor")
    edit(ada, ";;12 Elm St;Springfield;;62701;United States", ";;1550 Larimer St;Denver;CO;80202;United States")
    result = summary(sync(cli, phone))
    assert [(s["action"], s["who"], s["details"]) for s in result["steps"]][0] == (
        "update book", "Ada Okafor", "address")
    house = [h for h in json.loads(cli("export").stdout)["households"] if h["members"][0]["name"] == "Ada Okafor"][0]
    assert [(a["city"], a["valid_to"]) for a in house["addresses"]] == [("Springfield", "2026-11-21"), ("Denver", None)]
    assert len(people(cli)) == 3
    # Emeka lives there too: his card follows in the same sync.
    assert "1550 Larimer St" in card_of(phone, "Emeka Okafor").read_text()
    assert summary(sync(cli, phone))["steps"] == []


def test_a_change_in_the_book_is_written_into_the_card_keeping_what_cardkeep_does_not_own(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    sam = card_of(phone, "Sam Lee")
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEx8\r\n IUEBAQEBAQ\r\n"
    phone_lines = "TEL;TYPE=CELL,VOICE:+1 (555) 010-1234\r\n" + photo + "X-SOCIALPROFILE;type=mastodon:@sam@example.social\r\n"
    edit(sam, "END:VCARD", phone_lines + "END:VCARD")
    assert summary(sync(cli, phone))["update_book"] == 1  # the phone number reached the book
    assert people(cli)["Sam Lee"]["phones"] == ["+1 (555) 010-1234"]
    cli("edit", "sam", "--nickname", "Sammy", "--email", "sam@work.example")
    result = summary(sync(cli, phone))
    assert result["update_folder"] == 1 and result["update_book"] == 0
    text = sam.read_bytes().decode()
    assert phone_lines in text  # byte for byte, parameters and folding as the phone wrote them
    assert "NICKNAME:Sammy\r\n" in text and "EMAIL:sam@work.example" in text
    assert text.count("TEL") == 1 and text.endswith("END:VCARD\r\n")


def test_a_card_deleted_in_the_folder_stays_in_the_book_tagged_no_sync_and_is_not_written_back(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    card_of(phone, "Sam Lee").unlink()
    result = summary(sync(cli, phone))
    assert [(s["action"], s["who"]) for s in result["steps"]] == [("kept in book", "Sam Lee")]
    assert "no-sync" in people(cli)["Sam Lee"]["tags"]
    assert summary(sync(cli, phone))["steps"] == [] and len(list(phone.glob("*.vcf"))) == 2
    cli("untag", "sam", "no-sync")  # the way back: untag, and the next sync writes the card again
    assert summary(sync(cli, phone))["add_to_folder"] == 1
    assert card_of(phone, "Sam Lee").exists()


def test_delete_removes_from_the_book_a_card_deleted_in_the_folder(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    card_of(phone, "Sam Lee").unlink()
    assert summary(sync(cli, phone, "--delete"))["remove_from_book"] == 1
    assert "Sam Lee" not in people(cli)


def test_someone_removed_from_the_book_is_removed_from_the_folder_and_a_new_card_there_is_added(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    sam = card_of(phone, "Sam Lee")
    cli("rm", "sam", "--yes")
    (phone / "dora.vcf").write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:dora-1\r\nFN:Dora Ek\r\nN:Ek;Dora;;;\r\n"
                                     b"EMAIL:dora@example.org\r\nEND:VCARD\r\n")
    result = summary(sync(cli, phone))
    assert sorted((s["action"], s["who"]) for s in result["steps"]) == [
        ("add to book", "Dora Ek"), ("remove from folder", "Sam Lee")]
    assert not sam.exists() and people(cli)["Dora Ek"]["uid"] == "dora-1"
    assert summary(sync(cli, phone))["steps"] == []


def _both_change(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    sam = card_of(phone, "Sam Lee")
    edit(sam, "EMAIL:sam@example.org", "EMAIL:sam@phone.example")
    cli("edit", "sam", "--nickname", "Sammy")
    return sam


def test_a_conflict_merges_by_default_each_side_keeping_its_own_change(cli, phone):
    sam = _both_change(cli, phone)
    result = summary(sync(cli, phone))
    assert [(s["action"], s["details"]) for s in result["steps"]] == [
        ("conflict", "changed on both sides: merged (the folder's emails kept)")]
    assert people(cli)["Sam Lee"]["emails"] == ["sam@phone.example"]
    assert people(cli)["Sam Lee"]["nickname"] == "Sammy"
    text = sam.read_bytes().decode()
    assert "NICKNAME:Sammy" in text and "sam@phone.example" in text and "sam@example.org" not in text
    assert summary(sync(cli, phone))["steps"] == []


def test_conflict_book_writes_the_books_card_and_skip_leaves_both(cli, phone):
    sam = _both_change(cli, phone)
    skipped = summary(sync(cli, phone, "--conflict", "skip"))
    assert skipped["conflict"] == 1 and "skipped" in skipped["steps"][0]["details"]
    assert "NICKNAME" not in sam.read_text() and people(cli)["Sam Lee"]["emails"] == ["sam@example.org"]
    assert summary(sync(cli, phone, "--conflict", "book"))["conflict"] == 1
    assert "NICKNAME:Sammy" in sam.read_text()
    assert people(cli)["Sam Lee"]["emails"] == ["sam@example.org"]  # the folder's edit not read
    assert summary(sync(cli, phone))["steps"] == []


def test_a_malformed_card_stops_the_sync_with_one_line_and_changes_nothing(cli, phone, db_path):
    add_okafors(cli)
    sync(cli, phone)
    sam = card_of(phone, "Sam Lee")
    edit(sam, "EMAIL:sam@example.org", "EMAIL:sam@phone.example")
    cli("edit", "ada", "--nickname", "Addie")
    (phone / "broken.vcf").write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n")
    before = {p.name: p.read_bytes() for p in phone.iterdir()}
    export = cli("export").stdout
    result = cli("sync", phone, *LATER)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "broken.vcf" in result.stderr and "Traceback" not in result.stderr
    assert "no END:VCARD" in result.stderr
    assert {p.name: p.read_bytes() for p in phone.iterdir()} == before
    assert cli("export").stdout == export


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_card_names_the_file(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    sam = card_of(phone, "Sam Lee")
    edit(sam, "EMAIL:sam@example.org", "EMAIL:sam@phone.example")
    sam.chmod(0)
    result = cli("sync", phone, *LATER)
    assert result.exit_code == 1 and str(sam) in result.stderr and result.stderr.count("\n") == 1


def test_two_files_with_one_uid_are_refused(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    sam = card_of(phone, "Sam Lee")
    (phone / "copy.vcf").write_bytes(sam.read_bytes().replace(b"sam@example.org", b"x@example.org"))
    result = cli("sync", phone, *LATER)
    assert result.exit_code == 1 and "copy.vcf" in result.stderr and "the same card" in result.stderr


def test_dry_run_shows_what_would_happen_and_writes_nothing(cli, phone, db_path):
    add_okafors(cli)
    result = cli("sync", phone, "--dry-run")
    assert result.exit_code == 0 and result.stdout.startswith("Would sync")
    assert "add to folder" in result.stdout and list(phone.iterdir()) == []
    assert open_db(db_path).execute("select count(*) from sync_items").fetchone()[0] == 0


def test_households_only_when_asked_as_group_cards(cli, phone, tmp_path):
    add_okafors(cli)
    sync(cli, phone)
    assert not any("KIND:group" in p.read_text() for p in phone.glob("*.vcf"))
    assert summary(sync(cli, phone, "--households"))["add_to_folder"] == 1  # the Okafors; Sam lives alone
    (group,) = [p for p in phone.glob("*.vcf") if "KIND:group" in p.read_text()]
    assert group.read_text().count("MEMBER:urn:uuid:") == 2
    apple = tmp_path / "icloud"
    apple.mkdir()
    sync(cli, apple, "--households", "--version", "3.0")
    texts = [p.read_text() for p in apple.glob("*.vcf")]
    assert sum("X-ADDRESSBOOKSERVER-KIND:group" in t for t in texts) == 1 and all("VERSION:3.0" in t for t in texts)


def test_the_summary_line_and_the_backup(cli, phone, tmp_path):
    add_okafors(cli)
    result = cli("sync", phone, *LATER)
    assert result.stdout.splitlines()[0] == f"Synced {phone}: 3 add to folder, 0 unchanged"
    card_of(phone, "Sam Lee").unlink()
    cli("sync", phone, *LATER)
    assert any("before-sync" in p.name for p in (tmp_path / "backups").iterdir())


def test_conflict_option_is_checked(cli, phone):
    result = cli("sync", phone, "--conflict", "phone")
    assert result.exit_code == 2 and "merge" in result.stderr


# ---------------------------------------------------------------- patch_card


CONTACT = {"id": 1, "uid": "ada-1", "name": "Ada Okafor", "given_name": "Ada", "family_name": "Okafor",
           "phones": ["+1 (555) 0101"], "emails": [], "dates": [], "notes": [], "tags": []}
HOUSE = {"address": {"street": "12 Elm St", "extended": None, "city": "Springfield", "region": "IL",
                     "postal_code": "62701", "country": "US"}, "tags": []}
IPHONE = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iOS 17.0//EN\r\nN:Okafor;Ada;;;\r\nFN:Ada Okafor\r\n"
          b"TEL;type=CELL;type=VOICE;type=pref:+1 (555) 0101\r\n"
          b"item1.ADR;type=HOME;type=pref:;;12 Elm St;Springfield;IL;62701;USA\r\nitem1.X-ABADR:us\r\n"
          b"X-SOCIALPROFILE;type=twitter:x.com/ada\r\nUID:ada-1\r\nEND:VCARD\r\n")


def test_patch_card_replaces_a_moved_address_and_keeps_the_rest():
    old = write_card(CONTACT, HOUSE, "4.0")
    moved = dict(HOUSE, address={"street": "1550 Larimer St", "extended": None, "city": "Denver", "region": "CO",
                                 "postal_code": "80202", "country": "US"})
    out = patch_card(IPHONE, old, write_card(CONTACT, moved, "3.0"))
    assert b"12 Elm St" not in out and b"X-ABADR" not in out  # the moved address went, with its label
    assert b"ADR;TYPE=HOME:;;1550 Larimer St;Denver;CO;80202;United States\r\n" in out
    assert b"TEL;type=CELL;type=VOICE;type=pref:+1 (555) 0101\r\n" in out and b"x.com/ada" in out
    assert patch_card(out, old, write_card(CONTACT, moved, "3.0")) == out  # idempotent


def test_patch_card_leaves_a_card_alone_when_the_book_changed_nothing_it_holds():
    old = write_card(CONTACT, HOUSE, "4.0")
    assert patch_card(IPHONE, old, write_card(CONTACT, HOUSE, "3.0")) is IPHONE
    # A phone's own spelling of the same values (digits, country name) is not a change.
    assert patch_card(IPHONE, None, write_card(CONTACT, HOUSE, "3.0")) == IPHONE


def test_patch_card_adds_a_dated_item_with_a_free_group_name():
    old = write_card(CONTACT, HOUSE, "4.0")
    wed = dict(CONTACT, dates=[{"kind": "anniversary", "year": 2001, "month": 6, "day": 23, "label": None,
                                "rule": None}])
    out = patch_card(IPHONE, old, write_card(wed, HOUSE, "3.0"))
    assert b"item2.X-ABDATE;X-CARDKEEP-KIND=anniversary:2001-06-23\r\nitem2.X-ABLabel:_$!<Anniversary>!$_\r\n" in out
    assert out.count(b"item1.") == 2


def test_a_phone_changing_only_what_cardkeep_does_not_keep_is_no_change_to_the_book(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    sam = card_of(phone, "Sam Lee")
    edit(sam, "END:VCARD", "PHOTO;VALUE=uri:https://example.org/sam.jpg\r\nEND:VCARD")
    cli("edit", "sam", "--nickname", "Sammy")
    result = summary(sync(cli, phone))
    assert [(s["action"], s["who"]) for s in result["steps"]] == [("update folder", "Sam Lee")]  # no conflict
    text = sam.read_bytes().decode()
    assert "PHOTO;VALUE=uri:https://example.org/sam.jpg\r\n" in text and "NICKNAME:Sammy" in text
    edit(sam, "sam.jpg", "sam2.jpg")
    again = summary(sync(cli, phone))
    assert again["steps"] == [] and again["unchanged"] == 3


def test_an_unchanged_file_is_not_read_at_all(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    sam = card_of(phone, "Sam Lee")
    info = sam.stat()
    sam.write_bytes(b"x" * info.st_size)  # same size, and the same time put back: as the last sync left it
    os.utime(sam, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert summary(sync(cli, phone))["unchanged"] == 3
    os.utime(sam, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))  # touched: read, and refused
    result = cli("sync", phone, *LATER)
    assert result.exit_code == 1 and sam.name in result.stderr


def test_someone_tagged_no_sync_is_left_alone_on_both_sides(cli, phone):
    add_okafors(cli)
    cli("tag", "sam", "no-sync")
    assert summary(sync(cli, phone))["add_to_folder"] == 2
    assert not [p for p in phone.glob("*.vcf") if "Sam Lee" in p.read_text()]


def test_deleted_in_the_book_but_edited_in_the_folder_comes_back_to_the_book(cli, phone):
    add_okafors(cli)
    sync(cli, phone)
    sam = card_of(phone, "Sam Lee")
    cli("rm", "sam", "--yes")
    edit(sam, "EMAIL:sam@example.org", "EMAIL:sam@new.example")
    result = summary(sync(cli, phone))
    assert [(s["action"], s["details"]) for s in result["steps"]] == [
        ("conflict", "deleted in the book, changed in the folder: added back to the book")]
    assert people(cli)["Sam Lee"]["emails"] == ["sam@new.example"] and sam.exists()
    assert summary(sync(cli, phone))["steps"] == []


def _card(uid, fn, extra=""):
    return f"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\nFN:{fn}\r\n{extra}END:VCARD\r\n".encode()


@pytest.mark.parametrize("households", [True, False])
def test_a_group_card_from_the_folder_makes_a_household_only_when_asked(cli, phone, households):
    (phone / "sam.vcf").write_bytes(_card("sam-1", "Sam Lee"))
    (phone / "priya.vcf").write_bytes(_card("priya-1", "Priya Nair"))
    (phone / "home.vcf").write_bytes(_card("home-1", "Sam & Priya", "KIND:group\r\nMEMBER:sam-1\r\nMEMBER:priya-1\r\n"))
    result = summary(sync(cli, phone, *(["--households"] if households else [])))
    assert result["add_to_book"] == 2
    houses = json.loads(cli("export").stdout)["households"]
    if households:
        assert [(h["mailing_name"], len(h["members"])) for h in houses] == [("Sam & Priya", 2)]
        assert summary(sync(cli, phone, "--households"))["steps"] == []
    else:
        assert len(houses) == 2 and (phone / "home.vcf").exists()
    assert summary(sync(cli, phone))["steps"] == []


def test_a_file_or_a_missing_folder_is_one_clear_line(cli, tmp_path):
    (tmp_path / "contacts.vcf").write_bytes(_card("sam-1", "Sam Lee"))
    for target, said in [(tmp_path / "contacts.vcf", "not a folder"), (tmp_path / "nowhere", "no such folder")]:
        result = cli("sync", target, *LATER)
        assert result.exit_code == 1 and said in result.stderr and result.stderr.count("\n") == 1


def test_a_card_without_a_uid_matches_by_name_and_address_and_keeps_its_file(cli, phone):
    add_okafors(cli)
    (phone / "sam-from-an-old-phone.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Lee\r\nN:Lee;Sam;;;\r\nTEL:+1 555 0199\r\nEND:VCARD\r\n")
    result = summary(sync(cli, phone))
    assert sorted((s["action"], s["who"]) for s in result["steps"]) == [
        ("add to folder", "Ada Okafor"), ("add to folder", "Emeka Okafor"), ("update book", "Sam Lee")]
    assert [p["phones"] for p in people(cli).values() if p["name"] == "Sam Lee"] == [["+1 555 0199"]]
    assert len(people(cli)) == 3  # matched, not added
    assert len([p for p in phone.glob("*.vcf") if "FN:Sam Lee" in p.read_text()]) == 1
    edit(phone / "sam-from-an-old-phone.vcf", "+1 555 0199", "+1 555 0100")
    assert [(s["action"], s["details"]) for s in summary(sync(cli, phone))["steps"]] == [("update book", "phones")]
    assert len(people(cli)) == 3 and people(cli)["Sam Lee"]["phones"] == ["+1 555 0100"]
