"""The contact book: households, people, addresses, notes, tags, dates and cards.

Plain functions over an open database. They validate, write inside a transaction and return plain
data; they never print. Ids are shown to people as `h12` (household) and `c34` (contact).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from cardkeep.dates import PartialDate
from cardkeep.errors import InvalidInput, NotFound
from cardkeep.model import (
    ADDRESS_FIELDS,
    CONTACT_STATUSES,
    DATE_KINDS,
    HOUSEHOLD_STATUSES,
    split_name,
)
from cardkeep.store.db import Database, transaction

# Lookups live in find.py; the book's callers reach them here too (`x as x` marks a re-export).
from cardkeep.store.find import (
    Match as Match,
    cid as cid,
    contact_household as contact_household,
    contact_label,
    find as find,
    fold as fold,
    generated_mailing_name as generated_mailing_name,
    get_contact as get_contact,
    hid as hid,
    parse_id as parse_id,
    resolve_contact as resolve_contact,
    resolve_household as resolve_household,
    resolve_target as resolve_target,
)

# Reads live in read.py; the book's callers reach them here too.
from cardkeep.store.read import (
    check_choice,
    clean_tags as clean_tags,
    contact_record as contact_record,
    household_ids as household_ids,
    household_record as household_record,
    households_with_tag as households_with_tag,
    known_names as known_names,
    list_contacts as list_contacts,
    mailing_name as mailing_name,
    members as members,
    search as search,
)

# ---------------------------------------------------------------- validation


def _clean_name(name: str | None, what: str = "name") -> str:
    text = " ".join((name or "").split())
    if not text:
        raise InvalidInput(f"{what} must not be empty")
    return text


def clean_list(values: Iterable[str]) -> list[str]:
    """E-mails or phones: trimmed, blanks dropped, each once, in the order given (the first is primary)."""
    return list(dict.fromkeys(v for v in (" ".join(str(value).split()) for value in values) if v))


def clean_address(fields: dict[str, Any], *, what: str = "address") -> dict[str, Any]:
    """Trimmed postal fields with a valid country; street and city are required."""
    clean = {key: (" ".join(str(fields[key]).split()) or None) if fields.get(key) else None for key in ADDRESS_FIELDS}
    if not clean["street"]:
        raise InvalidInput(f"{what}: a street is required (--street)")
    if not clean["city"]:
        raise InvalidInput(f"{what}: a city is required (--city)")
    from cardkeep.countries import normalize_country  # its country data is not needed to read the book

    clean["country"] = normalize_country(clean["country"], what=f"{what}: country")
    return clean


# ---------------------------------------------------------------- writes


def new_uid() -> str:
    """A new person's or household's UID, stored once: what every export writes and import matches."""
    import uuid

    return str(uuid.uuid4())


def create_household(
    db: Database, *, mailing_name: str | None = None, status: str = "active", today: dt.date
) -> int:
    check_choice(status, HOUSEHOLD_STATUSES, "household status")
    if mailing_name is not None:
        mailing_name = _clean_name(mailing_name, "mailing name")
    cursor = db.execute(
        "insert into households (mailing_name, status, created, uid) values (?, ?, ?, ?)",
        [mailing_name, status, today.isoformat(), new_uid()],
    )
    return cursor.lastrowid


def add_contact(
    db: Database,
    name: str,
    *,
    today: dt.date,
    household: int | None = None,
    given_name: str | None = None,
    family_name: str | None = None,
    nickname: str | None = None,
    salutation: str | None = None,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    tags: Iterable[str] = (),
    address: dict[str, Any] | None = None,
    dates: Iterable[tuple[str, PartialDate]] = (),
    uid: str | None = None,
) -> int:
    """Add a person (to `household`, or to a new household of their own) and return their id."""
    name = _clean_name(name)
    guess_given, guess_family = split_name(name)
    address = clean_address(address) if address else None
    with transaction(db):
        if household is None:
            household = create_household(db, today=today)
        elif not list(db.query("select id from households where id = ?", [household])):
            raise NotFound(f"no household with id {hid(household)}")
        contact_id = db.execute(
            """insert into contacts (household_id, name, given_name, family_name, nickname, salutation,
                   emails, phones, uid, search_key, created) values (?,?,?,?,?,?,?,?,?,?,?)""",
            [
                household,
                name,
                given_name or guess_given,
                family_name or guess_family,
                nickname,
                salutation,
                json.dumps(clean_list(emails)),
                json.dumps(clean_list(phones)),
                uid or new_uid(),
                fold(f"{name} {nickname or ''}"),
                today.isoformat(),
            ],
        ).lastrowid
        for tag in tags:
            add_tags(db, Match("contact", contact_id, name), [tag])
        if address:
            current = current_address(db, household)
            if current is None:
                _insert_address(db, household, address, valid_from=None)
            elif any(current[key] != address[key] for key in ADDRESS_FIELDS):
                raise InvalidInput(
                    f"household {hid(household)} already has a current address; "
                    f"use `cardkeep move {hid(household)} ...` to record a new one"
                )
        for kind, date in dates:
            add_date(db, contact_id, kind, date)
    return contact_id


def same_name_contacts(db: Database, name: str) -> list[str]:
    key = fold(" ".join(name.split()))
    return [contact_label(r) for r in db.query("select id, name from contacts") if fold(r["name"]) == key]


EDITABLE = ("name", "given_name", "family_name", "nickname", "salutation")


def edit_contact(db: Database, contact_id: int, changes: dict[str, Any]) -> None:
    """Change plain fields (None means "leave alone"; "" clears an optional field)."""
    row = get_contact(db, contact_id)
    updates: dict[str, Any] = {}
    for key in EDITABLE:
        if changes.get(key) is None:
            continue
        value = changes[key].strip()
        if key == "name":
            value = _clean_name(value)
        updates[key] = value or None
    for key in ("emails", "phones"):
        if changes.get(key):
            merged_list = clean_list([*json.loads(row[key]), *changes[key]])
            if merged_list != json.loads(row[key]):
                updates[key] = json.dumps(merged_list)
    if "name" in updates or "nickname" in updates:
        merged = {**row, **updates}
        updates["search_key"] = fold(f"{merged['name']} {merged['nickname'] or ''}")
    if not updates:
        return
    with transaction(db):
        assignments = ", ".join(f"{key} = ?" for key in updates)
        db.execute(f"update contacts set {assignments} where id = ?", [*updates.values(), contact_id])


def add_note(db: Database, contact_id: int, text: str, *, on: dt.date) -> int:
    text = text.strip()
    if not text:
        raise InvalidInput("a note must not be empty")
    get_contact(db, contact_id)
    with transaction(db):
        return db.execute(
            "insert into notes (contact_id, text, created) values (?, ?, ?)", [contact_id, text, on.isoformat()]
        ).lastrowid


def add_tags(db: Database, target: Match, tags: Iterable[str]) -> None:
    table, column = ("contact_tags", "contact_id") if target.kind == "contact" else ("household_tags", "household_id")
    with transaction(db):
        for tag in clean_tags(tags):
            db.execute(f"insert or ignore into {table} ({column}, tag) values (?, ?)", [target.id, tag])


def remove_tags(db: Database, target: Match, tags: Iterable[str]) -> None:
    table, column = ("contact_tags", "contact_id") if target.kind == "contact" else ("household_tags", "household_id")
    with transaction(db):
        for tag in clean_tags(tags):
            db.execute(f"delete from {table} where {column} = ? and tag = ?", [target.id, tag])


def _insert_address(db: Database, household_id: int, address: dict[str, Any], *, valid_from: str | None) -> int:
    return db.execute(
        """insert into addresses (household_id, street, extended, city, region, postal_code, country, valid_from)
           values (?, ?, ?, ?, ?, ?, ?, ?)""",
        [household_id, *(address[k] for k in ADDRESS_FIELDS), valid_from],
    ).lastrowid


def current_address(db: Database, household_id: int) -> dict[str, Any] | None:
    rows = list(
        db.query(
            "select * from addresses where household_id = ? and valid_to is null order by id desc limit 1",
            [household_id],
        )
    )
    return rows[0] if rows else None


def move(db: Database, household_id: int, address: dict[str, Any], *, since: dt.date) -> int:
    """The household moved: the old address is kept as history (valid_to), the new one is current."""
    address = clean_address(address)
    current = current_address(db, household_id)
    if current and current["valid_from"] and since.isoformat() < current["valid_from"]:
        raise InvalidInput(
            f"household {hid(household_id)} has lived at {current['street']} since {current['valid_from']}; "
            f"a move on {since} would end that address before it began"
        )
    with transaction(db):
        db.execute(
            "update addresses set valid_to = ? where household_id = ? and valid_to is null",
            [since.isoformat(), household_id],
        )
        return _insert_address(db, household_id, address, valid_from=since.isoformat())


def _require_current(db: Database, household_id: int) -> dict[str, Any]:
    address = current_address(db, household_id)
    if not address:
        raise InvalidInput(f"household {hid(household_id)} has no current address (add one with `cardkeep move`)")
    return address


def verify_address(db: Database, household_id: int, *, on: dt.date) -> None:
    address = _require_current(db, household_id)
    with transaction(db):
        db.execute("update addresses set verified_on = ?, returned_on = null where id = ?", [on.isoformat(), address["id"]])


def mark_address_returned(db: Database, household_id: int, *, on: dt.date) -> None:
    address = _require_current(db, household_id)
    with transaction(db):
        db.execute("update addresses set returned_on = ? where id = ?", [on.isoformat(), address["id"]])


def correct_address(db: Database, household_id: int, fixes: dict[str, Any], *, today: dt.date) -> None:
    """Fix fields of the current address in place (a typo, not a move); creates it if there is none."""
    address = current_address(db, household_id)
    merged = clean_address({**(address or {}), **fixes})
    with transaction(db):
        if address is None:
            _insert_address(db, household_id, merged, valid_from=None)
        else:
            assignments = ", ".join(f"{key} = ?" for key in ADDRESS_FIELDS)
            db.execute(
                f"update addresses set {assignments} where id = ?",
                [*(merged[k] for k in ADDRESS_FIELDS), address["id"]],
            )


def mark_returned(db: Database, household_id: int, *, on: dt.date) -> dict[str, Any] | None:
    """Mail came back: flag the current address and mark the last card sent there undeliverable.

    Returns that card (or None when no card was sent yet)."""
    with transaction(db):
        mark_address_returned(db, household_id, on=on)
        rows = list(
            db.query(
                "select * from cards where household_id = ? and direction = 'sent' order by year desc, id desc limit 1",
                [household_id],
            )
        )
        if rows:
            db.execute("update cards set returned = 1 where id = ?", [rows[0]["id"]])
    return rows[0] if rows else None


def set_contact_status(
    db: Database, contact_id: int, status: str, *, on: dt.date | None = None, today: dt.date | None = None
) -> None:
    """`on` is the date of death for "deceased" (required); it may not be after `today`."""
    check_choice(status, CONTACT_STATUSES, "status")
    if status == "deceased" and on is None:
        raise InvalidInput("deceased needs a date: --on YYYY-MM-DD")
    if status == "deceased" and on and today and on > today:
        raise InvalidInput(f"--on {on.isoformat()}: a date of death cannot be after today ({today.isoformat()})")
    get_contact(db, contact_id)
    with transaction(db):
        db.execute(
            "update contacts set status = ?, deceased_on = ? where id = ?",
            [status, on.isoformat() if status == "deceased" and on else None, contact_id],
        )


def set_household_status(db: Database, household_id: int, status: str) -> None:
    check_choice(status, HOUSEHOLD_STATUSES, "household status")
    with transaction(db):
        db.execute("update households set status = ? where id = ?", [status, household_id])


def rename_household(db: Database, household_id: int, mailing_name: str | None) -> None:
    """Set the mailing name by hand, or (None) go back to generating it from the members."""
    if mailing_name is not None:
        mailing_name = _clean_name(mailing_name, "mailing name")
    with transaction(db):
        db.execute("update households set mailing_name = ? where id = ?", [mailing_name, household_id])


MAX_GREETING = 200  # characters: a card's first line, not a letter


def set_greeting(db: Database, household_id: int, greeting: str | None) -> str | None:
    """Set the household's own greeting line ("Dear Smiths,"), used on its cards as written, or
    (None) go back to the one generated from the members. Runs of spaces become one; returns what
    is stored."""
    if greeting is not None:
        greeting = _clean_name(greeting, "greeting")
        if len(greeting) > MAX_GREETING:
            raise InvalidInput(f"greeting: {len(greeting):,} characters is too long for a card's first line "
                               f"(at most {MAX_GREETING})")
    with transaction(db):
        if not db.execute("update households set greeting = ? where id = ?", [greeting, household_id]).rowcount:
            raise NotFound(f"no household with id {hid(household_id)}")
    return greeting


def join_household(db: Database, contact_id: int, household_id: int) -> None:
    """Move a person into another household; an emptied household goes away with its history kept."""
    old = contact_household(db, contact_id)
    if old == household_id:
        return
    with transaction(db):
        db.execute("update contacts set household_id = ? where id = ?", [household_id, contact_id])
        _drop_if_empty(db, old, into=household_id)


def leave_household(db: Database, contact_id: int, *, today: dt.date) -> int:
    """The person leaves for a household of their own (no address yet); returns its id."""
    old = contact_household(db, contact_id)
    if db.execute("select count(*) from contacts where household_id = ?", [old]).fetchone()[0] == 1:
        # Leaving would drop the old household, and its address and tags with it.
        raise InvalidInput(f"{cid(contact_id)} is the only member of {hid(old)}: there is nothing to leave")
    with transaction(db):
        new = create_household(db, today=today)
        join_household(db, contact_id, new)
    return new


def _drop_if_empty(db: Database, household_id: int, *, into: int | None = None) -> None:
    if db.execute("select count(*) from contacts where household_id = ?", [household_id]).fetchone()[0]:
        return
    if into is not None:  # keep the card history with the person who carried it
        db.execute("update cards set household_id = ? where household_id = ?", [into, household_id])
    db.execute("delete from households where id = ?", [household_id])


def remove_contact(db: Database, contact_id: int) -> None:
    household = contact_household(db, contact_id)
    with transaction(db):
        db.execute("delete from contacts where id = ?", [contact_id])
        _drop_if_empty(db, household)


def remove_household(db: Database, household_id: int) -> None:
    with transaction(db):
        db.execute("delete from contacts where household_id = ?", [household_id])
        db.execute("delete from households where id = ?", [household_id])


def add_date(
    db: Database,
    contact_id: int,
    kind: str,
    date: PartialDate | None = None,
    *,
    rule: str | None = None,
    label: str | None = None,
    lead_days: int | None = None,
) -> int:
    check_choice(kind, DATE_KINDS, "date kind")
    if (date is None) == (rule is None):
        raise InvalidInput("a date needs either a day (YYYY-MM-DD or --MM-DD) or a yearly rule")
    values = (date.year, date.month, date.day) if date else (None, None, None)
    with transaction(db):
        return db.execute(
            "insert into dates (contact_id, kind, year, month, day, label, rule, lead_days) values (?,?,?,?,?,?,?,?)",
            [contact_id, kind, *values, label, rule, lead_days],
        ).lastrowid


def set_single_date(db: Database, contact_id: int, kind: str, date: PartialDate) -> None:
    """Replace the (unlabelled) birthday or anniversary: what `edit --birthday` means."""
    with transaction(db):
        db.execute(
            "delete from dates where contact_id = ? and kind = ? and label is null and rule is null", [contact_id, kind]
        )
        add_date(db, contact_id, kind, date)


# ---------------------------------------------------------------- fixing notes and dates


def get_note(db: Database, note_id: int) -> dict[str, Any]:
    rows = list(db.query("select n.*, c.name from notes n join contacts c on c.id = n.contact_id where n.id = ?",
                         [note_id]))
    if not rows:
        raise NotFound(f"no note with id n{note_id} (see `cardkeep notes list WHO`)")
    return rows[0]


def edit_note(db: Database, note_id: int, *, text: str | None = None, on: dt.date | None = None) -> dict[str, Any]:
    """Change a note's text or date; returns it as it was (so the same command can put it back)."""
    note = get_note(db, note_id)
    if text is not None and not text.strip():
        raise InvalidInput("a note must not be empty (remove it with `cardkeep notes rm`)")
    if text is None and on is None:
        raise InvalidInput("nothing to change: give the new TEXT or --on YYYY-MM-DD")
    with transaction(db):
        db.execute("update notes set text = coalesce(?, text), created = coalesce(?, created) where id = ?",
                   [text.strip() if text else None, on.isoformat() if on else None, note_id])
    return note


def remove_note(db: Database, note_id: int) -> dict[str, Any]:
    """Delete a note; returns what it was."""
    note = get_note(db, note_id)
    with transaction(db):
        db.execute("delete from notes where id = ?", [note_id])
    return note


def edit_date(db: Database, date_id: int, *, date: PartialDate | None = None, label: str | None = None,
              lead_days: int | None = None) -> dict[str, Any]:
    """Change a date's day (a fixed date only), label ("" clears it) or lead days; returns it as it was."""
    rows = list(db.query("select * from dates where id = ?", [date_id]))
    if not rows:
        raise NotFound(f"no date with id d{date_id} (see `cardkeep date list`)")
    before = rows[0]
    if date is None and label is None and lead_days is None:
        raise InvalidInput("nothing to change: give --on, --label or --lead")
    if date is not None and before["rule"]:
        raise InvalidInput(f"d{date_id} is a yearly rule ({before['rule']}): remove it and add it again")
    if lead_days is not None and not 0 <= lead_days <= 365:
        raise InvalidInput(f"--lead {lead_days}: a number of days from 0 to 365")
    with transaction(db):
        if date is not None:
            db.execute("update dates set year = ?, month = ?, day = ? where id = ?",
                       [date.year, date.month, date.day, date_id])
        if label is not None:
            db.execute("update dates set label = ? where id = ?", [label.strip() or None, date_id])
        if lead_days is not None:
            db.execute("update dates set lead_days = ? where id = ?", [lead_days, date_id])
    return before
