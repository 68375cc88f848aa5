"""The bulk loader reads every card as it is stored, whatever its text holds.

Cards are read as one text per household and shared between households (`store/load.py`); a value
holding one of the separators, or a damaged row, must fall back to reading row by row and give
the very same cards.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cardkeep.model import Card
from cardkeep.store import book
from cardkeep.store.db import open_db, transaction
from cardkeep.store.load import _cards_by_row, load_households, parse_day

TODAY = dt.date(2026, 11, 23)
ELM = {"street": "12 Elm St", "city": "Springfield", "region": "IL", "postal_code": "62701", "country": "US"}


@pytest.fixture
def db(db_path):
    return open_db(db_path)


def _household(db, name: str) -> int:
    return book.contact_household(db, book.add_contact(db, name, today=TODAY, address=ELM))


def _add_cards(db, household_id: int, cards: list[tuple]) -> None:
    with transaction(db):
        db.conn.executemany(
            "insert into cards (household_id, year, occasion, direction, date, design, returned) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [(household_id, *card) for card in cards],
        )


def _by_row(db) -> dict[int, tuple[Card, ...]]:
    return _cards_by_row(db, "", [], parse_day)


def test_cards_are_read_as_stored_and_shared_between_households(db):
    same = [(2024, "holiday", "sent", "2024-12-05", "Snowy owl", 0), (2025, "holiday", "received", None, None, 0)]
    first, second, third = _household(db, "Ada Okafor"), _household(db, "Ben Sato"), _household(db, "Cy Walsh")
    _add_cards(db, first, [*same, (2023, "birthday", "sent", "", "", 1)])
    _add_cards(db, second, same)
    houses = {h.id: h for h in load_households(db)}
    assert houses[first].cards == (
        Card(2023, "birthday", "sent", None, None, True),
        Card(2024, "holiday", "sent", dt.date(2024, 12, 5), "Snowy owl", False),
        Card(2025, "holiday", "received", None, None, False),
    )
    assert houses[second].cards[0] is houses[first].cards[1]  # one object for one card value
    assert houses[third].cards == ()
    assert {h: sorted(c) for h, c in _by_row(db).items()} == {h.id: sorted(h.cards) for h in houses.values()
                                                               if h.cards}


@pytest.mark.parametrize("design", ["Owl\x1eand\x1fmoon", "Owl\x1e", "\x1f", "a\x1f2025\x1fholiday"])
def test_a_separator_inside_a_value_reads_row_by_row(db, design):
    household = _household(db, "Ada Okafor")
    other = _household(db, "Ben Sato")
    _add_cards(db, household, [(2024, "holiday", "sent", "2024-12-05", design, 0)])
    _add_cards(db, other, [(2024, "holiday", "sent", "2024-12-05", "Plain", 0)])
    houses = {h.id: h for h in load_households(db)}
    assert houses[household].cards == (Card(2024, "holiday", "sent", dt.date(2024, 12, 5), design, False),)
    assert houses[other].cards == (Card(2024, "holiday", "sent", dt.date(2024, 12, 5), "Plain", False),)


def test_a_year_that_is_not_a_number_reads_row_by_row(db):
    household = _household(db, "Ada Okafor")
    _add_cards(db, household, [(2024, "holiday", "sent", None, None, 0), ("soon", "holiday", "sent", None, None, 0)])
    [loaded] = load_households(db)
    assert loaded.cards == _by_row(db)[household]


def test_some_households_only(db):
    first, second = _household(db, "Ada Okafor"), _household(db, "Ben Sato")
    _add_cards(db, first, [(2024, "holiday", "sent", None, "Owl", 0)])
    _add_cards(db, second, [(2025, "holiday", "sent", None, "Fox", 0)])
    with transaction(db):
        db.execute("insert into notes (contact_id, text, created) select id, 'new baby', '2026-01-02' from contacts")
    [loaded] = load_households(db, [second])
    assert [c.design for c in loaded.cards] == ["Fox"]
    assert [n.contact_id for n in loaded.notes] == [m.id for m in loaded.members]


def _statements(db) -> list[str]:
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    return seen


def test_labels_and_envelopes_read_who_and_where_without_cards_notes_or_dates(db):
    from cardkeep.plan import selection
    from cardkeep.services.printing import choose_recipients

    first = _household(db, "Ada Okafor")
    _add_cards(db, first, [(2024, "holiday", "sent", None, "Owl", 0)])
    with transaction(db):
        db.execute("insert into notes (contact_id, text, created) select id, 'new baby', '2026-01-02' from contacts")
        db.execute("insert into dates (contact_id, kind, month, day) select id, 'birthday', 3, 4 from contacts")
    seen = _statements(db)
    (whole,) = load_households(db, [first])
    assert whole.cards and whole.notes and whole.dates
    full = len(seen)
    seen.clear()
    (light,) = load_households(db, [first], history=False, dates=False)
    assert not (light.cards or light.notes or light.dates)
    assert len(seen) == full - 3
    assert not [s for s in seen if " cards " in s or " notes " in s or " dates " in s]
    assert (light.mailing_name, light.address, light.members) == (whole.mailing_name, whole.address, whole.members)
    # Drafts quote the history: their selection still reads it; labels and envelopes do not.
    assert selection.resolve(db, [first]).recipients[0].household.cards
    chosen = choose_recipients(db, who=["Ada Okafor"], today=TODAY)
    assert chosen.recipients[0].household.cards == () and chosen.recipients[0].mailing_name == whole.mailing_name
