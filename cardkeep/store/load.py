"""The whole book (or some households) as `cardkeep.model` objects, in a few queries.

Eight queries whatever the size of the book (five without history and dates): never one per household. Plan, reminders, drafts,
labels, envelopes and doctor read the book through `load_households` (export reads its own
records, `cardkeep.formats.dump`: see ARCHITECTURE.md). A household's cards come in year order and
are shared: two households with the same card hold the same `Card`.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
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
    if not text or text == "[]":  # most people: no JSON to decode
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


def _where_ids(column: str, ids: list[int] | None) -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    return f"where {column} in ({', '.join('?' * len(ids))})", list(ids)


def load_households(
    db: Database,
    ids: list[int] | None = None,
    *,
    notes_since: dt.date | None = None,
    history: bool = True,
    dates: bool = True,
) -> list[Household]:
    """Every household (or those in `ids`), in id order, with members, the current address, cards,
    dates and notes. Notes older than `notes_since` are left out (the plan only reads recent news);
    without `history`, cards and notes are (doctor reads neither); without `dates`, the important
    dates are (labels and envelopes need only who and where)."""
    if ids is not None and not ids:
        return []
    with no_cycle_collection():
        return _load(db, ids, notes_since, history, dates)


def _load(db: Database, ids: list[int] | None, notes_since: dt.date | None, history: bool,
          with_dates: bool = True) -> list[Household]:
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
    houses = db.execute(f"select id, mailing_name, status, created, greeting from households {where} order by id",
                        params).fetchall()
    hwhere, hparams = _where_ids("household_id", ids)
    # Dates and notes belong to a person: theirs are the rows of the people loaded.
    people_where = f"where contact_id in (select id from contacts {hwhere})" if ids is not None else ""

    tags: dict[int, set[str]] = defaultdict(set)
    for household_id, tag in db.execute(f"select household_id, tag from household_tags {hwhere}", hparams):
        tags[household_id].add(tag)
    contact_tags: dict[int, set[str]] = defaultdict(set)
    for contact_id, tag in db.execute(f"select contact_id, tag from contact_tags {people_where}", hparams):
        contact_tags[contact_id].add(tag)

    members: dict[int, list[Person]] = defaultdict(list)
    household_of: dict[int, int] = {}
    untagged: frozenset[str] = frozenset()
    for (contact_id, household_id, name, given, family, nickname, salutation, status, deceased_on, emails, phones,
         uid) in db.execute(
        "select id, household_id, name, given_name, family_name, nickname, salutation, status, deceased_on, emails, "
        f"phones, uid from contacts {hwhere} order by id",
        hparams,
    ):
        household_of[contact_id] = household_id
        members[household_id].append(Person(
            contact_id, name, given, status, parse_day(deceased_on) if deceased_on else None,
            frozenset(contact_tags[contact_id]) if contact_id in contact_tags else untagged,
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
                country, city or "", day(valid_from), day(verified_on), day(returned_on),
                street=street or "", extended=extended, region=region, postal_code=postal_code, id=address_id,
            )
        else:
            earlier.add(household_id)

    cards = _cards(db, hwhere, hparams, day) if history else {}

    dates: dict[int, list[ImportantDate]] = defaultdict(list)
    for date_id, contact_id, kind, year, month, day_of_month, label, rule, lead in db.execute(
        f"select id, contact_id, kind, year, month, day, label, rule, lead_days from dates {people_where} order by id",
        hparams,
    ) if with_dates else ():
        if contact_id in household_of:
            dates[household_of[contact_id]].append(
                ImportantDate(contact_id, kind, year, month, day_of_month, label, rule=rule, lead_days=lead,
                              id=date_id)
            )

    notes: dict[int, list[Note]] = defaultdict(list)
    since = notes_since.isoformat() if notes_since else ""
    notes_where = f"and {people_where.removeprefix('where ')}" if people_where else ""
    rows = db.execute(
        f"select id, contact_id, text, created from notes where created >= ? {notes_where} order by created, id",
        [since, *hparams],
    ) if history else ()
    for note_id, contact_id, text, created in rows:
        if contact_id in household_of:
            notes[household_of[contact_id]].append(Note(contact_id, text, parse_day(created), id=note_id))

    nothing: tuple = ()
    untagged_houses: frozenset[str] = frozenset()
    result = []
    for household_id, stored_name, status, created, greeting in houses:
        people = tuple(members[household_id]) if household_id in members else nothing
        result.append(Household(
            id=household_id,
            mailing_name=stored_name or generated_mailing_name(people),
            status=status,
            created=parse_day(created),
            tags=frozenset(tags[household_id]) if household_id in tags else untagged_houses,
            members=people,
            address=current.get(household_id),
            moved=household_id in earlier,
            cards=cards.get(household_id, nothing),
            dates=tuple(dates[household_id]) if household_id in dates else nothing,
            notes=tuple(notes[household_id]) if household_id in notes else nothing,
            named=bool(stored_name),
            greeting=greeting,
        ))
    return result


# ---------------------------------------------------------------- cards

# A card as one short text, a household's cards joined in one. Most cards of a book share their
# values (the same few days, designs and occasions every year), so each distinct text becomes one
# shared, immutable `Card`, and a household's cards are a C-level split and lookup: no Python work,
# and no new object, per card. Fields are split by US (0x1f), cards by RS (0x1e); an empty text
# reads as None, as NULL does (the row-by-row reader agrees). A damaged book (a separator inside a
# value: the household's piece count is not its card count, or a card's field count is not six; a
# year that is not a number) is read row by row instead.
_FIELD, _CARD = "\x1f", "\x1e"
_CARD_TEXT = f"printf('{_FIELD.join(['%s'] * 6)}', year, occasion, direction, date, design, returned)"


class _Unreadable(Exception):
    pass


def _cards(db: Database, hwhere: str, hparams: list[Any],
           day: Callable[[str | None], dt.date | None]) -> dict[int, tuple[Card, ...]]:
    """Every household's cards, in one query."""
    rows = db.execute(
        f"select household_id, group_concat({_CARD_TEXT}, char(30)), count(*) from cards {hwhere} "
        "group by household_id",
        hparams,
    ).fetchall()

    class Cards(dict):
        def __missing__(self, text: str) -> Card:
            fields = text.split(_FIELD)
            if len(fields) != 6 or not fields[0].lstrip("-").isdecimal():
                raise _Unreadable
            year, occasion, direction, date, design, was_returned = fields
            card = self[text] = Card(int(year), occasion or None, direction or None, day(date or None),
                                     design or None, was_returned not in ("0", ""))
            return card

    shared = Cards().__getitem__
    cards = {}
    try:
        for household_id, texts, count in rows:
            own = texts.split(_CARD) if texts is not None else ()
            if len(own) != count:
                raise _Unreadable
            cards[household_id] = tuple(map(shared, own))
    except _Unreadable:
        return _cards_by_row(db, hwhere, hparams, day)
    return cards


def _cards_by_row(db: Database, hwhere: str, hparams: list[Any],
                  day: Callable[[str | None], dt.date | None]) -> dict[int, tuple[Card, ...]]:
    cards: dict[int, list[Card]] = defaultdict(list)
    for household_id, year, occasion, direction, date, design, was_returned in db.execute(
        f"select household_id, year, occasion, direction, date, design, returned from cards {hwhere} "
        "order by household_id, year, id",
        hparams,
    ):
        cards[household_id].append(
            Card(year, occasion or None, direction or None, day(date or None), design or None, bool(was_returned))
        )
    return {household_id: tuple(own) for household_id, own in cards.items()}
