"""The whole book (or some households) as `cardkeep.model` objects, in a few queries.

Nine queries whatever the size of the book: never one per household. Plan, reminders, export,
drafts, labels, envelopes and doctor read the book through `load_households`.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cardkeep.model import Address, Card, Household, ImportantDate, Note, Person, generated_mailing_name
from cardkeep.store.db import Database


def parse_day(text: str | None) -> dt.date | None:
    """An ISO date from the book, or None (empty or unreadable: the book never holds a bad one on purpose)."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def json_list(text: str | None) -> tuple[str, ...]:
    """The e-mails or phones column (a JSON list of strings) as a tuple."""
    if not text:
        return ()
    try:
        values = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(v) for v in values) if isinstance(values, list) else ()


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while building many small acyclic objects (a large book): its
    repeated full scans, not our work, made loading grow faster than the book. Reference counting
    still frees everything; the collector resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _where_ids(column: str, ids: list[int] | None, *, joiner: str = "where") -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    return f"{joiner} {column} in ({', '.join('?' * len(ids))})", list(ids)


def load_households(
    db: Database,
    ids: list[int] | None = None,
    *,
    notes_since: dt.date | None = None,
) -> list[Household]:
    """Every household (or those in `ids`), in id order, with members, the current address, cards,
    dates and notes. Notes older than `notes_since` are left out (the plan only reads recent news)."""
    if ids is not None and not ids:
        return []
    with no_cycle_collection():
        return _load(db, ids, notes_since)


def _load(db: Database, ids: list[int] | None, notes_since: dt.date | None) -> list[Household]:
    # Cards share their days (everyone mails in the same December week): parse each day once.
    days: dict[str, dt.date | None] = {}

    def day(text: str | None) -> dt.date | None:
        if text is None:
            return None
        try:
            return days[text]
        except KeyError:
            days[text] = parsed = parse_day(text)
            return parsed

    where, params = _where_ids("id", ids)
    houses = list(db.execute(f"select id, mailing_name, status, created from households {where} order by id", params))

    hwhere, hparams = _where_ids("household_id", ids)
    cwhere, cparams = _where_ids("c.household_id", ids, joiner="and")

    tags: dict[int, set[str]] = defaultdict(set)
    for household_id, tag in db.execute(f"select household_id, tag from household_tags {hwhere}", hparams):
        tags[household_id].add(tag)
    contact_tags: dict[int, set[str]] = defaultdict(set)
    for contact_id, tag in db.execute(
        f"select t.contact_id, t.tag from contact_tags t join contacts c on c.id = t.contact_id where 1 {cwhere}",
        cparams,
    ):
        contact_tags[contact_id].add(tag)

    members: dict[int, list[Person]] = defaultdict(list)
    for (contact_id, household_id, name, given, family, nickname, salutation, status, deceased_on, emails, phones,
         uid) in db.execute(
        "select id, household_id, name, given_name, family_name, nickname, salutation, status, deceased_on, emails, "
        f"phones, uid from contacts {hwhere} order by id",
        hparams,
    ):
        members[household_id].append(Person(
            contact_id, name, given, status, parse_day(deceased_on), frozenset(contact_tags.get(contact_id, ())),
            family_name=family, nickname=nickname, salutation=salutation, emails=json_list(emails),
            phones=json_list(phones), uid=uid, household_id=household_id,
        ))

    current: dict[int, Address] = {}
    earlier: set[int] = set()
    for (address_id, household_id, street, extended, city, region, postal_code, country, valid_from, valid_to,
         verified_on, returned_on) in db.execute(
        "select id, household_id, street, extended, city, region, postal_code, country, valid_from, valid_to, "
        f"verified_on, returned_on from addresses {hwhere} order by id",
        hparams,
    ):
        if valid_to is None:
            current[household_id] = Address(
                country, city or "", parse_day(valid_from), parse_day(verified_on), parse_day(returned_on),
                street=street or "", extended=extended, region=region, postal_code=postal_code, id=address_id,
            )
        else:
            earlier.add(household_id)

    cards: dict[int, list[Card]] = defaultdict(list)
    for household_id, year, occasion, direction, date, design, was_returned in db.execute(
        f"select household_id, year, occasion, direction, date, design, returned from cards {hwhere}", hparams
    ):
        cards[household_id].append(Card(year, occasion, direction, day(date), design, bool(was_returned)))

    dates: dict[int, list[ImportantDate]] = defaultdict(list)
    for household_id, date_id, contact_id, kind, year, month, day_of_month, label, rule, lead in db.execute(
        "select c.household_id, d.id, d.contact_id, d.kind, d.year, d.month, d.day, d.label, d.rule, d.lead_days "
        f"from dates d join contacts c on c.id = d.contact_id where 1 {cwhere} order by d.id",
        cparams,
    ):
        dates[household_id].append(
            ImportantDate(contact_id, kind, year, month, day_of_month, label, rule=rule, lead_days=lead, id=date_id)
        )

    notes: dict[int, list[Note]] = defaultdict(list)
    since = notes_since.isoformat() if notes_since else ""
    for household_id, note_id, contact_id, text, created in db.execute(
        "select c.household_id, n.id, n.contact_id, n.text, n.created from notes n "
        f"join contacts c on c.id = n.contact_id where n.created >= ? {cwhere} order by n.created, n.id",
        [since, *cparams],
    ):
        notes[household_id].append(Note(contact_id, text, parse_day(created), id=note_id))

    result = []
    for household_id, stored_name, status, created in houses:
        people = tuple(members.get(household_id, ()))
        result.append(
            Household(
                id=household_id,
                mailing_name=stored_name or generated_mailing_name(people),
                status=status,
                created=parse_day(created),
                tags=frozenset(tags.get(household_id, ())),
                members=people,
                address=current.get(household_id),
                moved=household_id in earlier,
                cards=tuple(cards.get(household_id, ())),
                dates=tuple(dates.get(household_id, ())),
                notes=tuple(notes.get(household_id, ())),
                named=bool(stored_name),
            )
        )
    return result
