"""Card history: recording cards, one household's years, and the bulk loading for the planner."""

import datetime as dt
import json

import pytest

from cardkeep.errors import CardkeepError, InvalidInput, NotFound
from cardkeep.formats.jsonbook import import_book
from cardkeep.plan import history, rules as planning
from cardkeep.settings import load_settings
from cardkeep.store import book
from cardkeep.store.db import open_db
from cardkeep.store.load import load_households
from tests.conftest import EXAMPLES

TODAY = dt.date(2026, 11, 23)
ELM = {"street": "12 Elm St", "city": "Springfield", "region": "IL", "postal_code": "62701", "country": "US"}


@pytest.fixture
def db(db_path):
    return open_db(db_path)


@pytest.fixture
def ada(db):
    contact = book.add_contact(db, "Ada Okafor", today=dt.date(2016, 1, 1), address=ELM)
    book.add_contact(db, "Ben Okafor", today=dt.date(2016, 1, 1), household=book.contact_household(db, contact))
    return book.contact_household(db, contact)


def test_record_sent_and_received_make_a_history(db, ada):
    history.record_sent(db, ada, year=2024, on=dt.date(2024, 12, 5), design="Snowy owl", signed_by_hand=True)
    history.record_received(db, ada, year=2024, on=dt.date(2024, 12, 18))
    history.record_sent(db, ada, year=2025, design="Red cardinal", message="Love to you all")
    record = history.household_history(db, ada)
    assert record["household"] == f"h{ada}"
    assert (record["first_year"], record["last_year"], record["years_sent"], record["years_sent_back"]) == (
        2024, 2025, 2, 1)
    assert record["designs"] == [{"year": 2024, "design": "Snowy owl"}, {"year": 2025, "design": "Red cardinal"}]
    assert record["years"][0] == {
        "year": 2024,
        "sent": [{"occasion": "holiday", "date": "2024-12-05", "design": "Snowy owl", "message": None,
                  "signed_by_hand": True, "returned": False}],
        "received": [{"occasion": "holiday", "date": "2024-12-18", "news": None}],
    }
    assert record["years"][1]["sent"][0]["message"] == "Love to you all"


def test_a_second_holiday_card_the_same_year_is_refused(db, ada):
    history.record_sent(db, ada, year=2025, on=dt.date(2025, 12, 5))
    with pytest.raises(CardkeepError, match=r"a 2025 holiday card to h\d+ Ada & Ben Okafor is already recorded on 2025-12-05"):
        history.record_sent(db, ada, year=2025)
    history.record_received(db, ada, year=2025)
    with pytest.raises(CardkeepError, match="already recorded"):
        history.record_received(db, ada, year=2025)
    # Thank-you notes can come any number of times.
    history.record_sent(db, ada, year=2025, occasion="thank-you")
    history.record_sent(db, ada, year=2025, occasion="thank-you")
    assert db.execute("select count(*) from cards where household_id = ?", [ada]).fetchone()[0] == 4


def test_bad_occasion_or_year_changes_nothing(db, ada):
    with pytest.raises(InvalidInput, match="occasion: 'xmas'"):
        history.record_sent(db, ada, year=2025, occasion="xmas")
    with pytest.raises(InvalidInput, match="year: 25 is not a year"):
        history.record_received(db, ada, year=25)
    with pytest.raises(NotFound):
        history.record_sent(db, 999, year=2025)
    assert db.execute("select count(*) from cards").fetchone()[0] == 0


def test_news_becomes_a_dated_note_on_the_sender(db, ada):
    ben = book.members(db, ada)[1]["id"]
    history.record_received(db, ada, year=2025, on=dt.date(2025, 12, 20), news="  New baby,   Anika! ",
                            contact_id=ben)
    notes = list(db.query("select contact_id, text, created from notes"))
    assert notes == [{"contact_id": ben, "text": "New baby, Anika!", "created": "2025-12-20"}]
    assert history.household_history(db, ada)["years"][0]["received"][0]["news"] == "New baby, Anika!"


def test_news_without_a_named_sender_goes_to_the_first_living_member(db, ada):
    ada_id, ben_id = (m["id"] for m in book.members(db, ada))
    book.set_contact_status(db, ada_id, "deceased", on=dt.date(2024, 1, 1))
    history.record_received(db, ada, year=2025, news="Moved to the coast")
    assert list(db.query("select contact_id, created from notes")) == [{"contact_id": ben_id, "created": "2025-12-31"}]


def test_history_of_a_household_with_no_cards(db, ada):
    record = history.household_history(db, ada)
    assert (record["first_year"], record["years"], record["years_sent_back"]) == (None, [], 0)


def test_history_for_one_occasion(db, ada):
    history.record_sent(db, ada, year=2025)
    history.record_sent(db, ada, year=2026, occasion="birthday")
    assert [y["year"] for y in history.household_history(db, ada, occasion="birthday")["years"]] == [2026]


def test_marks_draw_one_character_per_year():
    assert history.marks([2020, 2021, 2023], [2021, 2022], 2019, 2024, returned=[2023]) == "·→↔←×·"
    assert history.marks([], [], 2020, 2020) == "·"


def test_overview_lists_every_household_with_cards(db, ada):
    other = book.contact_household(db, book.add_contact(db, "Zoë Müller", today=TODAY))
    history.record_sent(db, ada, year=2024)
    history.record_received(db, other, year=2025)
    rows = history.overview(db)
    assert [(r["mailing_name"], r["years_sent"], r["years_received"]) for r in rows] == [
        ("Ada & Ben Okafor", [2024], []), ("Zoë Müller", [], [2025])]


# ---------------------------------------------------------------- loading for the planner


def _import_examples(db):
    data = json.loads((EXAMPLES / "book.json").read_text())
    import_book(db, data, source="book.json", today="2026-11-23")


def test_load_households_builds_the_plain_data(db):
    _import_examples(db)
    houses = {h.mailing_name: h for h in load_households(db)}
    carol = houses["Carol Whitaker"]  # Bob's name is dropped from the generated mailing name
    assert [m.status for m in carol.members] == ["deceased", "active"]
    assert carol.members[0].deceased_on.year >= 2025
    assert "elder" in carol.members[1].tags and "family" in carol.tags
    jensen = houses["Hannah & Lars Jensen"]
    assert jensen.moved and jensen.address.city == "Denver"
    okafor = houses["The Okafor Family"]
    assert {d.kind for d in okafor.dates} == {"birthday", "anniversary"}
    assert len([c for c in okafor.cards if c.direction == "sent"]) == 10
    assert houses["Marcus Fenwick"].status == "do-not-send"


def test_load_households_filters_ids_and_old_notes(db):
    _import_examples(db)
    everyone = load_households(db)
    some = load_households(db, [everyone[2].id, everyone[0].id])
    assert [h.id for h in some] == [everyone[0].id, everyone[2].id]
    assert some[1] == everyone[2]
    assert load_households(db, []) == []
    recent = load_households(db, notes_since=dt.date(2026, 1, 1))
    assert all(n.created >= dt.date(2026, 1, 1) for h in recent for n in h.notes)
    assert sum(len(h.notes) for h in recent) < sum(len(h.notes) for h in everyone)


def test_load_households_uses_a_fixed_number_of_queries(db):
    """Bulk queries, never one per household: the count does not grow with the book."""
    def count_queries(n_extra):
        for i in range(n_extra):
            c = book.add_contact(db, f"Person {i}", today=TODAY, address=ELM, tags=["friends"])
            history.record_sent(db, book.contact_household(db, c), year=2025)
        statements = []
        db.conn.set_trace_callback(statements.append)
        try:
            load_households(db)
        finally:
            db.conn.set_trace_callback(None)
        return len([s for s in statements if s.lstrip().lower().startswith("select")])

    small = count_queries(2)
    assert 5 <= small == count_queries(30)


def test_loaded_plan_of_the_sample_book_matches_the_plan_of_hand_built_data(db, ada):
    history.record_sent(db, ada, year=2025, on=dt.date(2025, 12, 5))
    history.record_received(db, ada, year=2025, on=dt.date(2025, 12, 18))
    [loaded] = load_households(db)
    decision = planning.decide(loaded, planning.Season.of(load_settings({}), 2026), today=TODAY)
    assert decision.reasons == ("first card went in 2025", "they sent us one in 2025: reciprocate")
    assert decision.mailing_name == "Ada & Ben Okafor"
