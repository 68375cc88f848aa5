"""Real processes at the same book: a reader during a long import, two writers, and a SIGKILL mid-import.

Each test runs `python -m cardkeep` in subprocesses, the way cron and a person at a terminal do.
"""

import copy
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from cardkeep.cli._app import app
from tests.conftest import EXAMPLES, counts_of

COPIES = 150  # 6,300 households, ~48,000 cards: about a second of writing on a laptop


@pytest.fixture(scope="module")
def big_export(tmp_path_factory):
    """A large cardkeep JSON export: the sample book many times over, every name unique."""
    sample = json.loads((EXAMPLES / "book.json").read_text())
    houses = []
    for copy_number in range(COPIES):
        for house in sample["households"]:
            house = copy.deepcopy(house)
            house.pop("id")
            for member in house["members"]:
                member.pop("id")
                member["name"] = f"{member['name']} {copy_number}"
            for card in house["cards"]:
                card["contact"] = None
            houses.append(house)
    path = tmp_path_factory.mktemp("big") / "big.json"
    path.write_text(json.dumps({"cardkeep": 1, "households": houses}))
    return path


def run(db_path, *args, **kwargs):
    env = {**os.environ, "CARDKEEP_DB": str(db_path)}
    return subprocess.run([sys.executable, "-m", "cardkeep", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120, **kwargs)


def start(db_path, *args):
    env = {**os.environ, "CARDKEEP_DB": str(db_path)}
    return subprocess.Popen([sys.executable, "-m", "cardkeep", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


@pytest.fixture
def sample_book(db_path):
    result = run(db_path, "import", EXAMPLES / "book.json")
    assert result.returncode == 0, result.stderr
    return db_path


def writer_holds_lock(db_path) -> bool:
    """True while another connection holds the book's write lock (an import in its transaction)."""
    conn = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def wait_for_write_lock(process, db_path, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if writer_holds_lock(db_path):
            return
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the import ended (exit {process.returncode}) before it took the write lock: {err[-500:]}")
        time.sleep(0.003)
    pytest.fail("the import never took the write lock")


def integrity(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0], conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


def count(db_path, table):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        conn.close()


def read_command():
    """`cardkeep remind` once it exists; `cardkeep list --json` until then."""
    names = {command.name or command.callback.__name__ for command in app.registered_commands}
    return ["remind", "--today", "2026-11-20"] if "remind" in names else ["list", "--json"]


def test_a_read_during_a_long_import_succeeds_and_sees_a_whole_book(sample_book, big_export, sample_counts):
    importer = start(sample_book, "import", "--on-conflict", "new", big_export)
    try:
        wait_for_write_lock(importer, sample_book)
        reader = run(sample_book, *read_command())
        still_importing = importer.poll() is None
    finally:
        out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0, err
    assert reader.returncode == 0, reader.stderr
    assert "Traceback" not in reader.stderr
    if read_command()[0] == "list":
        people = json.loads(reader.stdout)
        # WAL: the reader does not wait for the import, it reads the book as it was before it.
        people_before = sample_counts.people
        assert len(people) == people_before if still_importing else \
            len(people) in (people_before, people_before * (COPIES + 1))
    assert still_importing, "the import finished before the read ran: make the export bigger"


def test_a_writer_during_a_long_import_waits_its_turn_and_succeeds(sample_book, big_export, sample_counts):
    importer = start(sample_book, "import", "--on-conflict", "new", big_export)
    try:
        wait_for_write_lock(importer, sample_book)
        writer = run(sample_book, "add", "Late Arrival", "--today", "2026-11-20")
    finally:
        out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0, err
    assert writer.returncode == 0, writer.stderr
    assert writer.stdout.startswith("Added c")
    assert count(sample_book, "contacts") == sample_counts.people * (COPIES + 1) + 1
    assert integrity(sample_book) == ("ok", [])


def test_two_writers_never_corrupt_the_book(sample_book, tmp_path, sample_counts):
    # Two imports and a loop of small writes, all at once.
    medium = json.loads((EXAMPLES / "book.json").read_text())
    for house in medium["households"]:
        house.pop("id")
        for member in house["members"]:
            member.pop("id")
        for card in house["cards"]:
            card["contact"] = None
    medium["households"] *= 5
    (tmp_path / "medium.json").write_text(json.dumps(medium))
    adder = subprocess.Popen([sys.executable, "-c", """
import datetime as dt, sys
from cardkeep.store import book
from cardkeep.store.db import open_db
db = open_db(sys.argv[1])
for i in range(100):
    book.add_contact(db, f"Writer Two {i}", today=dt.date(2026, 11, 20),
                     address={"street": f"{i} Main St", "city": "Boise", "country": "US"})
""", str(sample_book)], stderr=subprocess.PIPE, text=True)
    importers = [start(sample_book, "import", "--on-conflict", "new", tmp_path / "medium.json") for _ in range(2)]
    results = [p.communicate(timeout=120) for p in importers]
    _, adder_err = adder.communicate(timeout=120)
    for process, (_out, err) in zip(importers, results, strict=True):
        assert process.returncode == 0, err
    assert adder.returncode == 0, adder_err
    assert integrity(sample_book) == ("ok", [])
    imported = counts_of(medium)  # each of the two imports adds all of it
    assert count(sample_book, "contacts") == sample_counts.people + 2 * imported.people + 100
    assert count(sample_book, "cards") == sample_counts.cards + 2 * imported.cards
    # Every household kept its own members and its own single current address.
    conn = sqlite3.connect(sample_book)
    assert conn.execute("select count(*) from households where id not in (select household_id from contacts)"
                        ).fetchone()[0] == 0
    assert conn.execute("select count(*) from (select household_id from addresses where valid_to is null "
                        "group by household_id having count(*) > 1)").fetchone()[0] == 0
    conn.close()


def test_sigkill_in_the_middle_of_a_large_import_leaves_the_book_exactly_as_before(sample_book, big_export):
    before = run(sample_book, "export")
    assert before.returncode == 0
    importer = start(sample_book, "import", "--on-conflict", "new", big_export)
    wait_for_write_lock(importer, sample_book)
    time.sleep(0.1)  # well into the writing
    importer.send_signal(signal.SIGKILL)
    importer.communicate(timeout=30)
    assert importer.returncode == -signal.SIGKILL

    after = run(sample_book, "export")
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    assert integrity(sample_book) == ("ok", [])
    # Nothing is left locked: the next import runs normally and finds the same book.
    again = run(sample_book, "import", EXAMPLES / "book.json", "--on-conflict", "new")
    assert again.returncode == 0, again.stderr
    assert count(sample_book, "households") == 84


def test_sigkill_during_a_first_time_upgrade_leaves_a_book_that_opens(tmp_path):
    """A kill while the schema is being created: the next run finishes the job."""
    path = tmp_path / "fresh.db"
    process = start(path, "init")
    time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert run(path, "init").returncode == 0
    result = run(path, "list", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert integrity(path) == ("ok", [])


def test_a_writer_that_cannot_get_the_lock_in_time_says_so_and_writes_nothing(db_path):
    import datetime as dt

    from cardkeep.store import book
    from cardkeep.store.db import DatabaseError, open_db

    holder = open_db(db_path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        waiter = open_db(db_path)
        waiter.execute("PRAGMA busy_timeout = 50")  # instead of thirty seconds
        with pytest.raises(DatabaseError, match="is busy: another cardkeep kept it locked too long"):
            book.add_contact(waiter, "Ada Okafor", today=dt.date(2026, 11, 20))
    finally:
        holder.execute("ROLLBACK")
    assert waiter.execute("select count(*) from contacts").fetchone()[0] == 0
    assert not waiter.conn.in_transaction


def test_several_cardkeeps_making_one_new_book_at_once_all_open_it_in_wal_mode(tmp_path):
    """SQLite fails a journal-mode change at once ("database is locked") instead of waiting: the
    second of two imports into a new book used to fail about half the time. Each round starts
    three processes on a book that does not exist yet."""
    code = ("import sys; from cardkeep.store.db import open_db\n"
            "db = open_db(sys.argv[1]); print(db.execute('PRAGMA journal_mode').fetchone()[0])")
    for round_ in range(15):
        path = tmp_path / f"book{round_}.db"
        runs = [subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(3)]
        for run in runs:
            out, err = run.communicate(timeout=60)
            assert run.returncode == 0, err
            assert out.strip() == "wal"
