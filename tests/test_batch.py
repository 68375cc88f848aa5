"""The saved batch: plan --save, the planned -> mailed state machine, progress and reminders."""

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from cardkeep.errors import CardkeepError, NotFound, UsageError
from cardkeep.plan import batch, history, rules as planning
from cardkeep.settings import load_settings
from cardkeep.store import book
from cardkeep.store.db import open_db, transaction
from cardkeep.store.load import load_households

TODAY = dt.date(2026, 11, 23)
CONFIG = {"sender": {"country": "US"}}


def _address(country, city="Town"):
    return {"street": "1 Main St", "city": city, "postal_code": "12345", "country": country}


@pytest.fixture
def db(db_path):
    return open_db(db_path)


@pytest.fixture
def houses(db):
    """Five households: three friends who write back (one abroad), one who is do-not-send, one quiet."""
    ids = {}
    for name, country in [("Ada Okafor", "US"), ("Zed Young", "US"), ("Jürgen Müller", "DE"),
                          ("Marcus Fenwick", "US"), ("Quiet Quincy", "US")]:
        contact = book.add_contact(db, name, today=dt.date(2016, 1, 1), address=_address(country))
        ids[name.split()[0]] = book.contact_household(db, contact)
    with transaction(db):
        for key in ("Ada", "Zed", "Jürgen", "Marcus", "Quiet"):
            for year in range(2018, 2026):
                history.record_sent(db, ids[key], year=year, on=dt.date(year, 12, 5))
                if key != "Quiet":
                    history.record_received(db, ids[key], year=year, on=dt.date(year, 12, 18))
    book.set_household_status(db, ids["Marcus"], "do-not-send")
    return ids


def make_plan(db, today=TODAY, year=2026, config=CONFIG):
    return planning.plan(load_households(db), year=year, today=today, settings=load_settings(config))


def saved(db, houses, **kw):
    return batch.save(db, make_plan(db), today=TODAY, **kw)


def states(db, year=2026):
    return {row["mailing_name"]: row["state"] for row in batch.items(db, year)}


def test_no_saved_plan_is_none_and_progress_says_how_to_make_one(db, houses):
    assert batch.saved_household_ids(db, 2026) is None
    with pytest.raises(CardkeepError, match=r"no saved plan for 2026: run `cardkeep plan --year 2026 --save` first"):
        batch.progress(db, 2026, today=TODAY)


def test_in_january_no_new_plan_points_to_last_years_cards_left(db, houses):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "signed", year=2026, on=TODAY)
    batch.mark(db, [houses["Ada"]], "mailed", year=2026, on=TODAY)
    with pytest.raises(CardkeepError, match=r"no saved plan for 2027: run `cardkeep plan --year 2027 --save` first "
                                            r"\(or add --year 2026 for the 2 cards of 2026 not yet mailed\)$"):
        batch.mark(db, None, "mailed", year=2027, on=dt.date(2027, 1, 3))


def test_save_records_the_cards_to_send_in_mailing_order(db, houses):
    result = saved(db, houses)
    assert sorted(result.added) == ["Ada Okafor", "Jürgen Müller", "Zed Young"]
    assert result.left_out == ["Quiet Quincy"]
    assert result.total == 3 and not result.resaved
    # International first, then mail-by date, then name.
    assert batch.saved_household_ids(db, 2026) == [houses["Jürgen"], houses["Ada"], houses["Zed"]]
    assert set(states(db).values()) == {"planned"}
    assert batch.saved_household_ids(db, 2027) is None


def test_save_with_consider_includes_them(db, houses):
    book.add_contact(db, "Nomad Nell", today=TODAY)  # no address: consider, with no mail-by date
    result = saved(db, houses, include_consider=True)
    assert result.left_out == [] and {"Quiet Quincy", "Nomad Nell"} <= set(result.added)
    nell = next(r for r in batch.items(db, 2026) if r["mailing_name"] == "Nomad Nell")
    assert nell["mail_by"] == "2026-12-20" and nell["country"] is None


def test_saving_again_keeps_progress_adds_new_and_drops_newly_skipped(db, houses):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "signed", year=2026, on=TODAY)
    newcomer = book.contact_household(db, book.add_contact(db, "Diego Ramírez", today=TODAY, address=_address("US")))
    book.set_household_status(db, houses["Zed"], "do-not-send")
    result = saved(db, houses)
    assert result.added == ["Diego Ramírez"] and result.resaved
    assert result.removed == ["Zed Young"]
    assert states(db) == {"Jürgen Müller": "planned", "Ada Okafor": "signed", "Diego Ramírez": "planned"}
    assert newcomer in batch.saved_household_ids(db, 2026)


def test_cards_move_forward_through_every_state(db, houses):
    saved(db, houses)
    ada = [houses["Ada"]]
    for state in batch.STATES[1:]:
        [change] = batch.mark(db, ada, state, year=2026, on=TODAY)
        assert change.after == state
    assert states(db)["Ada Okafor"] == "mailed"


def test_a_step_may_be_skipped_as_long_as_the_card_is_signed(db, houses):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "signed", year=2026, on=TODAY)
    batch.mark(db, [houses["Ada"]], "stamped", year=2026, on=TODAY)
    assert states(db)["Ada Okafor"] == "stamped"


@pytest.mark.parametrize("state", ["addressed", "stamped", "mailed"])
def test_passing_signed_without_signing_is_refused(db, houses, state):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "written", year=2026, on=TODAY)
    with pytest.raises(CardkeepError, match=rf"cannot mark {state}: h\d+ Ada Okafor is not signed by hand yet: "
                                            r"mark it signed first, or say --typeset"):
        batch.mark(db, [houses["Ada"]], state, year=2026, on=TODAY)
    assert states(db)["Ada Okafor"] == "written"
    assert db.execute("select count(*) from cards where year = 2026").fetchone()[0] == 0


def test_typeset_on_purpose_may_be_mailed_unsigned_and_the_history_says_so(db, houses):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "mailed", year=2026, on=TODAY, typeset=True, design="Snowy owl",
               message="Warm wishes")
    card = next(iter(db.query("select * from cards where household_id = ? and year = 2026", [houses["Ada"]])))
    assert (card["direction"], card["date"], card["design"], card["message"], card["signed_by_hand"]) == (
        "sent", "2026-11-23", "Snowy owl", "Warm wishes", 0)
    assert batch.progress(db, 2026, today=TODAY)["typeset"] == 1


def test_typeset_cannot_be_marked_signed(db, houses):
    saved(db, houses)
    with pytest.raises(UsageError, match="--typeset"):
        batch.mark(db, [houses["Ada"]], "signed", year=2026, on=TODAY, typeset=True)


def test_mailed_records_the_sent_card_with_the_batch_design(db, houses):
    batch.save(db, make_plan(db), today=TODAY, design="Red cardinal")
    batch.mark(db, [houses["Ada"]], "signed", year=2026, on=TODAY, message="See you in spring")
    batch.mark(db, [houses["Ada"]], "mailed", year=2026, on=dt.date(2026, 12, 1))
    record = history.household_history(db, houses["Ada"])
    assert record["years"][-1]["sent"] == [{"occasion": "holiday", "date": "2026-12-01", "design": "Red cardinal",
                                            "message": "See you in spring", "signed_by_hand": True,
                                            "returned": False}]
    # The plan now knows: already sent.
    decision = {d.household_id: d for d in make_plan(db).decisions}[houses["Ada"]]
    assert decision.reasons == ("already sent on 2026-12-01",)


def test_a_mailed_card_goes_back_only_when_unmailed(db, houses):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "mailed", year=2026, on=TODAY, typeset=True)
    with pytest.raises(CardkeepError, match="Ada Okafor is already mailed: to step it back .* add --unmail"):
        batch.mark(db, [houses["Ada"]], "written", year=2026, on=TODAY)
    [change] = batch.mark(db, [houses["Ada"]], "mailed", year=2026, on=TODAY)  # again: nothing happens
    assert change.before == change.after == "mailed"
    assert db.execute("select count(*) from cards where year = 2026").fetchone()[0] == 1
    [back] = batch.mark(db, [houses["Ada"]], "stamped", year=2026, on=TODAY, unmail=True)
    assert (back.before, back.after) == ("mailed", "stamped")
    assert batch.state_of(db, houses["Ada"], year=2026) == "stamped"
    assert db.execute("select count(*) from cards where year = 2026").fetchone()[0] == 0


def test_a_slip_can_be_undone_before_mailing(db, houses):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "stamped", year=2026, on=TODAY, typeset=True)
    batch.mark(db, [houses["Ada"]], "written", year=2026, on=TODAY)
    assert states(db)["Ada Okafor"] == "written"
    # Back before signed: the typeset permission goes with it.
    with pytest.raises(CardkeepError, match="not signed by hand"):
        batch.mark(db, [houses["Ada"]], "mailed", year=2026, on=TODAY)


def test_several_at_once_is_all_or_nothing(db, houses):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "signed", year=2026, on=TODAY)
    with pytest.raises(CardkeepError, match="Zed Young is not signed"):
        batch.mark(db, [houses["Ada"], houses["Zed"]], "addressed", year=2026, on=TODAY)
    assert states(db)["Ada Okafor"] == "signed"


def test_all_moves_only_the_cards_behind(db, houses):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "stamped", year=2026, on=TODAY, typeset=True)
    changes = batch.mark(db, None, "signed", year=2026, on=TODAY)
    assert sorted(c.mailing_name for c in changes) == ["Jürgen Müller", "Zed Young"]
    assert states(db) == {"Jürgen Müller": "signed", "Ada Okafor": "stamped", "Zed Young": "signed"}


def test_all_mailed_lists_every_unsigned_card(db, houses):
    saved(db, houses)
    with pytest.raises(CardkeepError, match="Jürgen Müller, h\\d+ Ada Okafor, h\\d+ Zed Young are not signed"):
        batch.mark(db, None, "mailed", year=2026, on=TODAY)


def test_unknown_state_and_missing_household(db, houses):
    saved(db, houses)
    with pytest.raises(UsageError, match="'sealed' is not one of planned, written"):
        batch.mark(db, [houses["Ada"]], "sealed", year=2026, on=TODAY)
    with pytest.raises(NotFound, match=r"not in the 2026 holiday batch: h\d+ Quiet Quincy \(add with `cardkeep mark"):
        batch.mark(db, [houses["Quiet"]], "signed", year=2026, on=TODAY)
    with pytest.raises(CardkeepError, match="no saved plan for 2025"):
        batch.mark(db, [houses["Ada"]], "signed", year=2025, on=TODAY)


def test_planned_adds_a_household_by_hand_but_never_a_skipped_one(db, houses):
    saved(db, houses)
    [change] = batch.mark(db, [houses["Quiet"]], "planned", year=2026, on=TODAY)
    assert (change.before, change.after) == (None, "planned")
    assert houses["Quiet"] in batch.saved_household_ids(db, 2026)
    with pytest.raises(CardkeepError, match=r"Marcus Fenwick is not sent a card \(household is do-not-send\)"):
        batch.mark(db, [houses["Marcus"]], "planned", year=2026, on=TODAY)
    # Saving again keeps the one added by hand.
    saved(db, houses)
    assert houses["Quiet"] in batch.saved_household_ids(db, 2026)


def test_recording_a_sent_card_by_hand_marks_the_batch_card_mailed(db, houses):
    saved(db, houses)
    history.record_sent(db, houses["Zed"], year=2026, on=TODAY, signed_by_hand=True)
    assert states(db)["Zed Young"] == "mailed"


def test_progress_counts_lists_unsigned_and_the_most_urgent_first(db, houses):
    saved(db, houses)
    batch.mark(db, [houses["Ada"]], "signed", year=2026, on=TODAY)
    batch.mark(db, [houses["Zed"]], "mailed", year=2026, on=TODAY, typeset=True)
    report = batch.progress(db, 2026, today=dt.date(2026, 12, 10))
    assert report["counts"] == {"planned": 1, "written": 0, "signed": 1, "addressed": 0, "stamped": 0, "mailed": 1}
    assert (report["total"], report["mailed"], report["typeset"]) == (3, 1, 1)
    assert [i["mailing_name"] for i in report["unsigned"]] == ["Jürgen Müller"]
    assert [(i["mailing_name"], i["mail_by"], i["overdue"]) for i in report["left"]] == [
        ("Jürgen Müller", "2026-12-06", True), ("Ada Okafor", "2026-12-15", False)]


def test_due_mailings_for_reminders(db, houses):
    saved(db, houses)
    due = batch.due(db, today=TODAY, until=dt.date(2026, 12, 10))
    assert due == [{"household": f"h{houses['Jürgen']}", "mailing_name": "Jürgen Müller",
                    "mail_by": dt.date(2026, 12, 6), "state": "planned", "country": "DE"}]
    everything = batch.due(db, today=TODAY, until=dt.date(2026, 12, 31))
    assert [d["mailing_name"] for d in everything] == ["Jürgen Müller", "Ada Okafor", "Zed Young"]
    batch.mark(db, [houses["Ada"]], "mailed", year=2026, on=TODAY, typeset=True)
    assert "Ada Okafor" not in [d["mailing_name"] for d in batch.due(
        db, today=TODAY, until=dt.date(2026, 12, 31))]
    # Long after the season, an unfinished batch stops reminding.
    assert batch.due(db, today=dt.date(2027, 2, 1), until=dt.date(2027, 2, 8)) == []


def test_a_removed_household_leaves_the_batch(db, houses):
    saved(db, houses)
    book.remove_household(db, houses["Ada"])
    assert houses["Ada"] not in batch.saved_household_ids(db, 2026)


# ---------------------------------------------------------------- random sequences of marks

_moves = st.lists(st.tuples(st.integers(0, 2), st.sampled_from(batch.STATES), st.booleans()), max_size=12)


@settings(max_examples=40, deadline=None)
@given(moves=_moves)
def test_random_marks_keep_the_rules(moves):
    """Whatever order people mark cards in: a refused move changes nothing, a mailed card never
    moves again and has exactly one sent card in the history, and no card gets past `signed`
    without having been signed unless it was typeset on purpose."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "book.db")
        ids = []
        with transaction(db):
            for name in ("Ada Okafor", "Zed Young", "Jürgen Müller"):
                ids.append(book.contact_household(db, book.add_contact(
                    db, name, today=dt.date(2016, 1, 1), address=_address("US"))))
                history.record_received(db, ids[-1], year=2025)
        batch.save(db, make_plan(db), today=TODAY)
        signed_once: set[int] = set()
        typeset_once: set[int] = set()
        for index, state, typeset in moves:
            household = ids[index]
            before = {r["household_id"]: r["state"] for r in batch.items(db, 2026)}
            dump = "\n".join(db.conn.iterdump())
            try:
                batch.mark(db, [household], state, year=2026, on=TODAY, typeset=typeset)
            except CardkeepError:
                assert "\n".join(db.conn.iterdump()) == dump
                continue
            assert before[household] != "mailed" or state == "mailed"
            if state == "signed":
                signed_once.add(household)
            if typeset:
                typeset_once.add(household)
            if batch.STATES.index(state) < batch.STATES.index("signed"):
                signed_once.discard(household)  # taken back before signing: must sign again
                typeset_once.discard(household)
        for row in batch.items(db, 2026):
            if batch.STATES.index(row["state"]) > batch.STATES.index("signed"):
                assert row["household_id"] in signed_once | typeset_once
            sent = db.execute("select count(*) from cards where household_id = ? and year = 2026 "
                              "and direction = 'sent'", [row["household_id"]]).fetchone()[0]
            assert sent == (row["state"] == "mailed")
        db.close()
