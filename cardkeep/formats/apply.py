"""Writing an import plan (`cardkeep.formats.matching.plan_import`) into the book, in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from cardkeep import model
from cardkeep.formats.changes import address_key, known_notes, note_key
from cardkeep.formats.matching import Entry, ImportPlan, given_and_family
from cardkeep.formats.records import Person
from cardkeep.store import book
from cardkeep.store.db import Database, transaction
from cardkeep.store.load import json_list, no_cycle_collection


def apply_plan(db: Database, plan: ImportPlan, *, today: dt.date) -> dict[str, int]:
    """Write the plan in one transaction; returns the summary counts."""
    created = today.isoformat()
    with transaction(db), no_cycle_collection():
        household_ids: dict[int, int] = {}
        for index, house in enumerate(plan.households):
            if house.existing_id is not None:
                household_ids[index] = house.existing_id
                continue
            household_id = db.execute(
                "insert into households (mailing_name, status, created, uid) values (?, ?, ?, ?)",
                [house.mailing_name, house.status, created, house.uid or book.new_uid()],
            ).lastrowid
            household_ids[index] = household_id
            if house.address:
                _insert_address(db, household_id, house.address)
        details = _Details()
        for entry in plan.entries:
            if entry.action == "add":
                entry.contact_id = _insert_person(db, entry.person, household_ids[entry.household], created, details)
            elif entry.action == "merge":
                _merge(db, entry, created, today)
        details.write(db)
    return plan.summary()


class _Details:
    """The new people's tags, dates and notes, written in three statements at the end rather than
    one per row (10,000 cards have some 50,000 of them)."""

    def __init__(self) -> None:
        self.tags: list[tuple[int, str]] = []
        self.dates: list[tuple[Any, ...]] = []
        self.notes: list[tuple[int, str, str]] = []

    def add(self, contact_id: int, person: Person, created: str) -> None:
        self.tags += [(contact_id, tag) for tag in dict.fromkeys(person.tags)]
        seen: set[tuple[str, str | None]] = set()
        for kind, date, label in person.dates:
            if (kind, label) not in seen:
                seen.add((kind, label))
                self.dates.append((contact_id, kind, date.year, date.month, date.day, label))
        notes: set[str] = set()
        for text in dict.fromkeys(person.notes):
            key = note_key(text)
            if key not in notes:
                notes.add(key)
                self.notes.append((contact_id, text, created))

    def write(self, db: Database) -> None:
        db.conn.executemany("insert or ignore into contact_tags (contact_id, tag) values (?, ?)", self.tags)
        db.conn.executemany(
            "insert into dates (contact_id, kind, year, month, day, label) values (?, ?, ?, ?, ?, ?)", self.dates
        )
        db.conn.executemany("insert into notes (contact_id, text, created) values (?, ?, ?)", self.notes)


def _insert_address(db: Database, household_id: int, address: dict[str, Any]) -> None:
    db.execute(
        """insert into addresses (household_id, street, extended, city, region, postal_code, country)
           values (?, ?, ?, ?, ?, ?, ?)""",
        [household_id, *(address[k] for k in model.ADDRESS_FIELDS)],
    )


def _insert_person(db: Database, person: Person, household_id: int, created: str, details: _Details) -> int:
    name = " ".join(person.name.split())
    given, family = given_and_family(person)
    contact_id = db.execute(
        """insert into contacts (household_id, name, given_name, family_name, nickname, salutation, status,
               deceased_on, emails, phones, uid, search_key, created) values (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        [
            household_id,
            name,
            given,
            family,
            person.nickname,
            person.salutation,
            person.status if person.status in model.CONTACT_STATUSES else "active",
            person.deceased_on if person.status == "deceased" else None,
            json.dumps(list(dict.fromkeys(person.emails))),
            json.dumps(list(dict.fromkeys(person.phones))),
            person.uid or book.new_uid(),
            book.fold(f"{name} {person.nickname or ''}"),
            created,
        ],
    ).lastrowid
    details.add(contact_id, person, created)
    return contact_id


def _add_details(db, contact_id: int, person: Person, created: str, *, have_dates: set, have_notes: set) -> None:
    for tag in dict.fromkeys(person.tags):
        db.execute("insert or ignore into contact_tags (contact_id, tag) values (?, ?)", [contact_id, tag])
    for kind, date, label in person.dates:
        if (kind, label) in have_dates:
            continue
        have_dates.add((kind, label))
        db.execute(
            "insert into dates (contact_id, kind, year, month, day, label) values (?, ?, ?, ?, ?, ?)",
            [contact_id, kind, date.year, date.month, date.day, label],
        )
    for text in dict.fromkeys(person.notes):
        if note_key(text) in have_notes:
            continue
        have_notes.add(note_key(text))
        db.execute("insert into notes (contact_id, text, created) values (?, ?, ?)", [contact_id, text, created])


def _merge(db: Database, entry: Entry, created: str, today: dt.date) -> None:
    person, contact_id = entry.person, entry.contact_id
    if entry.updates:  # matched by UID: the file's newer values
        _update(db, contact_id, entry.updates)
    for kind, label, date in entry.date_updates:
        db.execute(
            "update dates set year = ?, month = ?, day = ? where contact_id = ? and kind = ? and label is ?",
            [date.year, date.month, date.day, contact_id, kind, label],
        )
    row = book.get_contact(db, contact_id)
    updates: dict[str, Any] = {}
    for attr in ("given_name", "family_name", "nickname", "salutation", "uid"):
        if not row[attr] and getattr(person, attr):
            updates[attr] = getattr(person, attr)
    for attr in ("emails", "phones"):
        have = list(json_list(row[attr]))
        more = [v for v in dict.fromkeys(getattr(person, attr)) if v not in have]
        if more:
            updates[attr] = have + more
    if updates:
        _update(db, contact_id, updates)
    have_dates = {(r[0], r[1]) for r in db.execute("select kind, label from dates where contact_id = ?", [contact_id])}
    texts = [r[0] for r in db.execute("select text from notes where contact_id = ? order by id", [contact_id])]
    have_notes = known_notes(texts)
    _add_details(db, contact_id, person, created, have_dates=have_dates, have_notes=have_notes)
    household = book.contact_household(db, contact_id)
    current = book.current_address(db, household)
    if entry.move and current and address_key(current) != address_key(entry.move):
        book.move(db, household, entry.move, since=today)  # the old address kept as history
    elif entry.address and current is None:
        _insert_address(db, household, entry.address)


def _update(db: Database, contact_id: int, values: dict[str, Any]) -> None:
    values = {k: json.dumps(v) if k in ("emails", "phones") else v for k, v in values.items()}
    if "name" in values or "nickname" in values:
        row = book.get_contact(db, contact_id)
        name, nickname = values.get("name", row["name"]), values.get("nickname", row["nickname"])
        values["search_key"] = book.fold(f"{name} {nickname or ''}")
    assignments = ", ".join(f"{k} = ?" for k in values)
    db.execute(f"update contacts set {assignments} where id = ?", [*values.values(), contact_id])
