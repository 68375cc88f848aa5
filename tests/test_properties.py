"""Hostile input to the JSON importer and the date parser: every outcome is a result or a
CardkeepError, never another exception, and a refused import leaves the book exactly as it was.

(vCard, CSV, lint and template properties live with their modules' own tests.)
"""

import copy
import datetime as dt
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given, strategies as st

from cardkeep.dates import PartialDate, parse_iso_date, parse_partial_date
from cardkeep.errors import CardkeepError
from cardkeep.formats.jsonbook import check_book, dump_book, import_book, load_json
from cardkeep.store.db import open_db
from tests.conftest import EXAMPLES

SAMPLE = json.loads((EXAMPLES / "book.json").read_text())
# A few households that between them hold every kind of record: dates, notes, moves, cards, CJK.
SMALL = {"cardkeep": 1, "households": [SAMPLE["households"][i] for i in (0, 2, 3, 6, 14)]}

# ---------------------------------------------------------------- dates

date_like = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A-?-?\d{0,5}-?\d{0,3}-?\d{0,3}\Z"),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 99),
              st.integers(0, 99)),
    st.builds(lambda m, d: f"--{m:02d}-{d:02d}", st.integers(0, 99), st.integers(0, 99)),
)


@given(date_like)
def test_parse_partial_date_returns_a_real_day_or_refuses(text):
    try:
        parsed = parse_partial_date(text)
    except CardkeepError as exc:
        assert repr(text.strip()) in str(exc) or text.strip() == ""
        return
    assert isinstance(parsed, PartialDate)
    dt.date(parsed.year or 2000, parsed.month, parsed.day)  # a real day (29 Feb only in a leap year)
    assert parse_partial_date(str(parsed)) == parsed  # and it round-trips


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_every_real_date_parses_both_ways(day):
    assert parse_iso_date(day.isoformat()) == day
    assert parse_partial_date(day.isoformat()) == PartialDate(day.month, day.day, day.year)
    assert parse_partial_date(f"--{day.month:02d}-{day.day:02d}") == PartialDate(day.month, day.day)


@given(date_like)
def test_parse_iso_date_never_raises_anything_else(text):
    try:
        assert isinstance(parse_iso_date(text), dt.date)
    except CardkeepError:
        pass


# ---------------------------------------------------------------- JSON values

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
    st.text(max_size=12), st.sampled_from(["", " ", "c1", "h1", "2025-02-30", "--02-29", "US", "xx", "\u202e", "\x00"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12,
)


@given(st.one_of(st.text(max_size=200), json_values.map(json.dumps)))
def test_load_json_returns_a_book_or_refuses(text):
    try:
        data = load_json(text, source="in.json")
    except CardkeepError as exc:
        assert str(exc).startswith("in.json: ")
        return
    assert data["cardkeep"] == 1 and isinstance(data["households"], list)


@given(st.lists(json_values, max_size=4))
def test_check_book_on_arbitrary_households_refuses_cleanly(households):
    try:
        checked = check_book({"cardkeep": 1, "households": households}, source="in.json")
    except CardkeepError as exc:
        assert str(exc).startswith("in.json: ")
        return
    assert len(checked) == len(households)


def _paths(value, prefix=()):
    """Every place in a JSON value: (path, container-or-None)."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


SMALL_PATHS = [p for p in _paths(SMALL["households"]) if p]


@st.composite
def mutated_books(draw):
    """The small sample with a few values replaced by hostile ones, or deleted."""
    households = copy.deepcopy(SMALL["households"])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(SMALL_PATHS))
        parent = households
        try:
            for step in path[:-1]:
                parent = parent[step]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this place
    return {"cardkeep": 1, "households": households}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated book holding the whole sample, copied fresh for each example."""
    path = tmp_path_factory.mktemp("template") / "book.db"
    db = open_db(path)
    import_book(db, SAMPLE, source="book.json", today="2026-11-01")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def dump(db):
    return "\n".join(db.conn.iterdump())


@given(mutated_books())
def test_a_hostile_import_is_all_or_nothing(template, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.db"
        shutil.copy(template, path)
        db = open_db(path)
        before = dump(db)
        try:
            counts = import_book(db, data, source="in.json", today="2026-11-20")
        except CardkeepError as exc:
            assert str(exc).startswith("in.json: ") or "in.json" in str(exc)
            assert dump(db) == before
        else:
            added = db.execute("select count(*) from households").fetchone()[0] - len(SAMPLE["households"])
            assert added == counts["households"] == len(data["households"])
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
            # What went in comes back out: a valid import is never silently mangled.
            exported = dump_book(db)["households"][-len(data["households"]):]
            assert [len(h["members"]) for h in exported] == [len(h["members"]) for h in data["households"]]
        finally:
            db.close()


@given(mutated_books())
def test_a_hostile_book_never_crashes_validation(data):
    try:
        check_book(data, source="in.json")
    except CardkeepError:
        pass


def test_the_unmutated_sample_round_trips(template):
    """The property above is not vacuous: the sample itself imports and exports unchanged."""
    db = open_db(template)
    try:
        again = dump_book(db)
    finally:
        db.close()
    assert len(again["households"]) == len(SAMPLE["households"])
    assert again["households"][0]["members"][0]["name"] == "Ada Okafor"


@given(st.text(min_size=1, max_size=30))
def test_any_name_imports_or_refuses_and_reads_back_exactly(name):
    """Names are data: quotes, markup, RTL marks and CJK come back byte for byte (only spacing folds)."""
    assume("\x00" not in name)
    house = copy.deepcopy(SMALL["households"][0])
    house.pop("id")
    house["members"] = [{"name": name}]
    house["cards"] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "book.db")
        try:
            import_book(db, {"cardkeep": 1, "households": [house]}, source="in.json", today="2026-11-20")
        except CardkeepError:
            assert not name.strip()
            assert db.execute("select count(*) from contacts").fetchone()[0] == 0
        else:
            stored = db.execute("select name from contacts").fetchone()[0]
            assert stored == " ".join(name.split())
        finally:
            db.close()


def test_a_nul_byte_in_a_name_is_kept_or_refused_not_a_crash(tmp_path):
    db = open_db(tmp_path / "book.db")
    house = {"members": [{"name": "Ada\x00Okafor"}], "addresses": [], "cards": []}
    try:
        import_book(db, {"cardkeep": 1, "households": [house]}, source="in.json", today="2026-11-20")
    except CardkeepError:
        return
    assert sqlite3.connect(tmp_path / "book.db").execute("select count(*) from contacts").fetchone()[0] == 1
