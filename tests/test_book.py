"""The contact book's core functions, without the CLI."""

import datetime as dt
import json
import os
import stat

import pytest

from cardkeep.dates import PartialDate
from cardkeep.errors import Ambiguous, InvalidInput, NotFound
from cardkeep.store import book
from cardkeep.store.db import open_db

TODAY = dt.date(2026, 11, 23)
ELM = {"street": "12 Elm St", "city": "Springfield", "region": "IL", "postal_code": "62701", "country": "us"}


@pytest.fixture
def db(db_path):
    return open_db(db_path)


def test_new_database_is_private_and_in_wal_mode(db, db_path):
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_add_contact_makes_a_household_of_one(db):
    contact_id = book.add_contact(db, "  Ada   Okafor ", today=TODAY, address=ELM, dates=[
        ("birthday", PartialDate(2, 29, 1988))])
    person = book.get_contact(db, contact_id)
    assert (person["name"], person["given_name"], person["family_name"]) == ("Ada Okafor", "Ada", "Okafor")
    record = book.household_record(db, person["household_id"])
    assert record["display_name"] == "Ada Okafor"
    assert record["addresses"][0]["country"] == "US"
    assert record["members"][0]["dates"][0] == {
        "kind": "birthday", "year": 1988, "month": 2, "day": 29, "label": None, "rule": None, "lead_days": None}


def test_cjk_names_put_the_family_name_first():
    assert book.split_name("山田 太郎") == ("太郎", "山田")
    assert book.split_name("Zoë Müller") == ("Zoë", "Müller")


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([("Ada Okafor", "Ada", "Okafor", "active")], "Ada Okafor"),
        ([("Ada Okafor", "Ada", "Okafor", "active"), ("Emeka Okafor", "Emeka", "Okafor", "active")],
         "Ada & Emeka Okafor"),
        ([("Sam Lee", "Sam", "Lee", "active"), ("Priya Nair", "Priya", "Nair", "active")], "Sam Lee & Priya Nair"),
        ([("A Okafor", "A", "Okafor", "active"), ("B Okafor", "B", "Okafor", "active"),
          ("C Okafor", "C", "Okafor", "active")], "The Okafor Family"),
        ([("Bob Whitaker", "Bob", "Whitaker", "deceased"), ("Carol Whitaker", "Carol", "Whitaker", "active")],
         "Carol Whitaker"),
    ],
)
def test_generated_mailing_name(members, expected):
    rows = [{"name": n, "given_name": g, "family_name": f, "status": s} for n, g, f, s in members]
    assert book.generated_mailing_name(rows) == expected


def test_mailing_name_follows_a_death_unless_set_by_hand(db):
    bob = book.add_contact(db, "Bob Whitaker", today=TODAY)
    household = book.contact_household(db, bob)
    book.add_contact(db, "Carol Whitaker", today=TODAY, household=household)
    assert book.mailing_name(db, household) == "Bob & Carol Whitaker"
    book.set_contact_status(db, bob, "deceased", on=dt.date(2025, 5, 10))
    assert book.mailing_name(db, household) == "Carol Whitaker"
    book.rename_household(db, household, "Mrs. Carol Whitaker")
    assert book.mailing_name(db, household) == "Mrs. Carol Whitaker"
    book.rename_household(db, household, None)
    assert book.mailing_name(db, household) == "Carol Whitaker"


def test_deceased_needs_a_date(db):
    contact = book.add_contact(db, "Bob", today=TODAY)
    with pytest.raises(InvalidInput, match="--on"):
        book.set_contact_status(db, contact, "deceased")
    with pytest.raises(InvalidInput, match="not one of"):
        book.set_contact_status(db, contact, "gone")


def test_move_keeps_the_old_address_as_history(db):
    contact = book.add_contact(db, "Hannah Jensen", today=TODAY, address=ELM)
    household = book.contact_household(db, contact)
    book.move(db, household, {"street": "1550 Larimer St", "city": "Denver", "country": "US"},
              since=dt.date(2025, 8, 1))
    addresses = book.household_record(db, household)["addresses"]
    assert [(a["city"], a["valid_from"], a["valid_to"]) for a in addresses] == [
        ("Springfield", None, "2025-08-01"), ("Denver", "2025-08-01", None)]
    assert book.current_address(db, household)["city"] == "Denver"


def test_bad_addresses_are_refused(db):
    with pytest.raises(InvalidInput, match="not a known ISO country code"):
        book.add_contact(db, "X", today=TODAY, address={**ELM, "country": "XX"})
    with pytest.raises(InvalidInput, match="street is required"):
        book.add_contact(db, "X", today=TODAY, address={**ELM, "street": " "})
    assert book.household_ids(db) == []  # nothing half-written


def test_empty_name_is_refused(db):
    with pytest.raises(InvalidInput, match="name must not be empty"):
        book.add_contact(db, "   ", today=TODAY)


def test_resolve_by_id_name_nickname_and_prefix(db):
    rosa = book.add_contact(db, "Rosa Díaz", today=TODAY, nickname="Rosie", salutation="Aunt Rosa")
    assert book.resolve_contact(db, "aunt rosa") == rosa  # as the cards greet her
    assert book.resolve_contact(db, book.cid(rosa)) == rosa
    assert book.resolve_contact(db, str(rosa)) == rosa
    assert book.resolve_contact(db, "rosa diaz") == rosa
    assert book.resolve_contact(db, "ROSIE") == rosa
    assert book.resolve_contact(db, "ros") == rosa  # a unique word prefix
    with pytest.raises(NotFound):
        book.resolve_contact(db, "Nobody Here")
    with pytest.raises(NotFound):
        book.resolve_contact(db, "c999")


def test_ambiguous_name_lists_the_candidates(db):
    first = book.add_contact(db, "Sam Lee", today=TODAY)
    second = book.add_contact(db, "Sam Lee", today=TODAY)
    with pytest.raises(Ambiguous) as error:
        book.resolve_contact(db, "Sam Lee")
    assert f"c{first} Sam Lee" in str(error.value) and f"c{second} Sam Lee" in str(error.value)
    assert error.value.exit_code == 2


def test_resolve_household_through_any_member(db):
    ada = book.add_contact(db, "Ada Okafor", today=TODAY)
    household = book.contact_household(db, ada)
    book.add_contact(db, "Emeka Okafor", today=TODAY, household=household)
    assert book.resolve_household(db, "Emeka Okafor") == household
    assert book.resolve_household(db, book.hid(household)) == household


def test_search_ignores_case_and_accents_and_reads_notes(db):
    zoe = book.add_contact(db, "Zoë Brandt", today=TODAY)
    lukasz = book.add_contact(db, "Łukasz Nowak", today=TODAY)
    book.add_note(db, lukasz, "Loves tuna belly", on=TODAY)
    assert [r["id"] for r in book.search(db, "zoe")] == [book.cid(zoe)]
    assert [r["id"] for r in book.search(db, "lukasz")] == [book.cid(lukasz)]
    assert book.search(db, "TUNA")[0]["matched"] == "note: Loves tuna belly"
    assert book.search(db, "nothing like it") == []


def test_tags_on_people_and_households_both_select(db):
    ada = book.add_contact(db, "Ada", today=TODAY)
    ben = book.add_contact(db, "Ben", today=TODAY)
    book.add_tags(db, book.Match("contact", ada, "Ada"), ["Friends"])
    book.add_tags(db, book.Match("household", book.contact_household(db, ben), "Ben"), ["friends"])
    assert book.households_with_tag(db, "friends") == [book.contact_household(db, ada),
                                                        book.contact_household(db, ben)]
    assert {r["name"] for r in book.list_contacts(db, tag="friends")} == {"Ada", "Ben"}
    with pytest.raises(InvalidInput):
        book.add_tags(db, book.Match("contact", ada, "Ada"), ["two words"])


def test_join_and_leave_households(db):
    ada = book.add_contact(db, "Ada Okafor", today=TODAY)
    emeka = book.add_contact(db, "Emeka Okafor", today=TODAY)
    old = book.contact_household(db, emeka)
    book.join_household(db, emeka, book.contact_household(db, ada))
    assert old not in book.household_ids(db)  # the emptied household is gone
    new = book.leave_household(db, emeka, today=TODAY)
    assert book.contact_household(db, emeka) == new != book.contact_household(db, ada)


def test_returned_mail_flags_the_address_and_the_last_card(db):
    contact = book.add_contact(db, "Grace", today=TODAY, address=ELM)
    household = book.contact_household(db, contact)
    for year in (2024, 2025):
        db.execute("insert into cards (household_id, year, direction) values (?, ?, 'sent')", [household, year])
    card = book.mark_returned(db, household, on=dt.date(2026, 1, 9))
    record = book.household_record(db, household)
    assert card["year"] == 2025
    assert [c["returned"] for c in record["cards"]] == [False, True]
    assert record["addresses"][0]["returned_on"] == "2026-01-09"


def test_edit_merges_emails_and_refolds_the_name(db):
    contact = book.add_contact(db, "Zoe", today=TODAY, emails=["a@example.org"])
    book.edit_contact(db, contact, {"name": "Zoë Brandt", "emails": ["b@example.org"]})
    person = book.get_contact(db, contact)
    assert json.loads(person["emails"]) == ["a@example.org", "b@example.org"]
    assert book.resolve_contact(db, "zoe brandt") == contact


def test_blank_emails_and_phones_are_dropped_and_order_is_kept(db):
    contact = book.add_contact(db, "Ada", today=TODAY, emails=["b@example.org", " ", "b@example.org"], phones=[""])
    book.edit_contact(db, contact, {"emails": ["", "a@example.org "]})
    person = book.get_contact(db, contact)
    assert json.loads(person["emails"]) == ["b@example.org", "a@example.org"]  # the first one stays primary
    assert json.loads(person["phones"]) == []


def test_leaving_a_household_of_one_is_refused_and_keeps_the_address(db):
    walter = book.add_contact(db, "Walter Gruber", today=TODAY, address=ELM)
    household = book.contact_household(db, walter)
    with pytest.raises(InvalidInput, match="only member"):
        book.leave_household(db, walter, today=TODAY)
    assert book.current_address(db, household)["street"] == "12 Elm St"


def test_a_move_cannot_end_the_current_address_before_it_began(db):
    household = book.contact_household(db, book.add_contact(db, "Hannah", today=TODAY, address=ELM))
    book.move(db, household, {**ELM, "street": "1 Oak St"}, since=dt.date(2025, 8, 1))
    with pytest.raises(InvalidInput, match="2025-08-01"):
        book.move(db, household, {**ELM, "street": "2 Ash St"}, since=dt.date(2024, 1, 1))
    assert book.current_address(db, household)["street"] == "1 Oak St"


def test_a_household_is_found_by_the_mailing_name_it_is_shown_under(db):
    ada = book.add_contact(db, "Ada Okafor", today=TODAY, address=ELM)
    household = book.contact_household(db, ada)
    for name in ("Emeka Okafor", "Chidi Okafor"):
        book.add_contact(db, name, today=TODAY, household=household)
    assert book.mailing_name(db, household) == "The Okafor Family"  # generated, never typed in
    assert book.resolve_household(db, "the okafor family") == household
    assert book.resolve_target(db, "The Okafor Family").ref == book.hid(household)


def test_known_names_are_people_and_the_pets_in_their_notes(db):
    ada = book.add_contact(db, "Ada Okafor", nickname="Dee", today=dt.date(2026, 3, 1))
    book.add_note(db, ada, "their dog Tiffany had puppies; Porsche, the cat, is fine", on=dt.date(2026, 3, 1))
    names = book.known_names(db)
    assert {"Ada", "Dee", "Tiffany", "Porsche"} <= names
    assert "Okafor" not in names and "their" not in names
