"""Upgrading a book made at every earlier schema version: nothing lost, a backup first, all or nothing."""

import sqlite3

import pytest
from sqlite_utils import Database as UtilsDatabase

from cardkeep.formats.jsonbook import dump_book
from cardkeep.store import backup
from cardkeep.store.db import SCHEMA_VERSION, DatabaseError, open_db
from cardkeep.store.schema import migrations

NAMES = [m.name for m in migrations._migrations]

# One row for each table, inserted when the table exists at that version. A table added by a new
# migration gets a row here too, or the test below says so.
ROWS = {
    "households": {"id": 1, "mailing_name": "Ada & Ben Okafor", "status": "active", "created": "2020-01-01"},
    "contacts": {"id": 1, "household_id": 1, "name": "Ada Okafor", "given_name": "Ada", "family_name": "Okafor",
                 "status": "active", "emails": "[]", "phones": "[]", "search_key": "ada okafor ",
                 "created": "2020-01-01"},
    "household_tags": {"household_id": 1, "tag": "friends"},
    "contact_tags": {"contact_id": 1, "tag": "piano"},
    "addresses": {"id": 1, "household_id": 1, "street": "12 Elm St", "city": "Springfield", "country": "US",
                  "verified_on": "2025-11-02"},
    "notes": {"id": 1, "contact_id": 1, "text": "started teaching piano", "created": "2024-12-18"},
    "dates": {"id": 1, "contact_id": 1, "kind": "birthday", "year": 1978, "month": 3, "day": 14},
    "cards": {"id": 1, "household_id": 1, "contact_id": 1, "year": 2025, "occasion": "holiday",
              "direction": "sent", "date": "2025-12-05", "design": "Snowy owl"},
    "batches": {"id": 1, "year": 2026, "occasion": "holiday", "arrive_by": "2026-12-20", "saved": "2026-11-01"},
    "batch_cards": {"id": 1, "batch_id": 1, "household_id": 1, "mailing_name": "Ada & Ben Okafor",
                    "mail_by": "2026-12-15"},
    "sync_items": {"id": 1, "folder": "/phone", "uid": "ada-1", "kind": "person", "record_id": 1, "file": "ada-1.vcf",
                   "file_hash": "0" * 64, "mtime_ns": 1, "size": 10, "book_card": "BEGIN:VCARD", "file_card": "{}"},
}


def make_old_book(path, stop_before):
    """A book as a cardkeep that knew only the migrations before `stop_before` left it, with data."""
    conn = sqlite3.connect(path, isolation_level=None)
    db = UtilsDatabase(conn)
    migrations.apply(db, stop_before=stop_before)
    tables = set(db.table_names()) - {"_sqlite_migrations"}
    # Since m004 every insert stores a UID (`book.new_uid`): a book made after it has them.
    has_uids = NAMES.index(stop_before) > NAMES.index("m004_stable_uids") if stop_before else True
    for table in [t for t in ROWS if t in tables]:
        row = dict(ROWS[table])
        if has_uids and table in ("contacts", "households"):
            row["uid"] = f"{table}-1"
        db[table].insert(row)
    conn.close()
    return tables


def rows(db, table, columns):
    return [tuple(r) for r in db.execute(f"select {', '.join(columns)} from {table} order by rowid")]


def test_every_table_has_a_sample_row():
    db_path = ":memory:"
    db = UtilsDatabase(sqlite3.connect(db_path))
    migrations.apply(db)
    missing = set(db.table_names()) - set(ROWS) - {"_sqlite_migrations", "sqlite_sequence"}
    assert not missing, f"add a sample row for {missing} to ROWS"


@pytest.mark.parametrize("stop_before", NAMES)
def test_a_book_from_every_earlier_version_upgrades_without_loss(tmp_path, stop_before):
    path = tmp_path / "old.db"
    tables = make_old_book(path, stop_before)
    before = {}
    with sqlite3.connect(path) as conn:
        for table in tables:
            columns = [r[1] for r in conn.execute(f"pragma table_info({table})")]
            before[table] = (columns, rows(conn, table, columns))
    conn.close()

    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [m.name for m in migrations.applied(db.full)] == NAMES
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for table, (columns, old_rows) in before.items():
        if table in ("contacts", "households") and "uid" in columns:  # m004 fills in the UIDs
            old_rows = [tuple(v for c, v in zip(columns, r, strict=True) if c != "uid") for r in old_rows]
            columns = [c for c in columns if c != "uid"]
        assert rows(db.conn, table, columns) == old_rows, table
    for table in ("contacts", "households"):
        if table in tables:
            assert db.execute(f"select count(*) from {table} where uid is null").fetchone()[0] == 0
    if "households" in tables:  # m006: no household had a greeting of its own before
        assert db.execute("select greeting from households").fetchall() == [(None,)]
    if "households" in tables:
        exported = dump_book(db)["households"]
        assert exported[0]["members"][0]["name"] == "Ada Okafor"
        assert exported[0]["cards"][0]["design"] == "Snowy owl"
    db.close()
    # And it opens again on the fast path, unchanged.
    assert open_db(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.parametrize("stop_before", NAMES[1:])
def test_an_upgrade_backs_up_a_book_with_data_first(tmp_path, stop_before):
    path = tmp_path / "old.db"
    tables = make_old_book(path, stop_before)
    open_db(path).close()
    made = backup.list_backups(tmp_path / "backups")
    assert [b.reason for b in made] == ["before-upgrade"]
    # The backup is the book as it was: the old schema, the same rows.
    with sqlite3.connect(made[0].path) as conn:
        kept = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        assert kept - {"_sqlite_migrations"} == tables
        assert conn.execute("select name from contacts").fetchall() == [("Ada Okafor",)]
    conn.close()
    assert made[0].path.stat().st_mode & 0o777 == 0o600


def test_an_empty_or_new_book_is_not_backed_up(tmp_path):
    open_db(tmp_path / "new.db").close()
    make_old_book(tmp_path / "empty.db", NAMES[0])
    open_db(tmp_path / "empty.db").close()
    assert not (tmp_path / "backups").exists()


def test_a_failing_upgrade_changes_nothing(tmp_path):
    path = tmp_path / "old.db"
    make_old_book(path, NAMES[-1])  # one migration pending

    @migrations()
    def m999_broken(db):
        db.execute("CREATE TABLE half_done (x)")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    try:
        with pytest.raises(DatabaseError, match="cannot use database"):
            open_db(path)
    finally:
        migrations._migrations.pop()
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        applied = [r[0] for r in conn.execute("select name from _sqlite_migrations")]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert "half_done" not in names
    assert NAMES[-1] not in applied  # the pending real migration was rolled back with it
    assert version == 0
    # With the broken migration gone, the same book upgrades normally.
    assert open_db(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def _newer(path, how):
    db = open_db(path)
    db.execute("insert into households (mailing_name, created) values ('kept', '2026-01-01')")
    if how == "migration":
        db.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) values ('cardkeep', 'm999_future', 'x')"
        )
        db.execute("create table from_the_future (x)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()


@pytest.mark.parametrize("how", ["user_version", "migration"])
def test_a_book_from_a_newer_cardkeep_is_refused_and_left_alone(tmp_path, how):
    path = tmp_path / "newer.db"
    _newer(path, how)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="newer cardkeep.*upgrade cardkeep"):
        open_db(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_a_newer_migration_name_is_refused_even_at_an_older_user_version(tmp_path):
    path = tmp_path / "newer.db"
    _newer(path, "migration")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 0")
    conn.close()
    with pytest.raises(DatabaseError, match="newer cardkeep \\(schema m999_future\\)"):
        open_db(path)


# ---------------------------------------------------------------- m003: ids are never reused


def test_ids_are_never_reused_in_a_new_book(cli):
    cli("add", "Ada Okafor")
    cli("add", "Ben Okafor")
    cli("note", "Ben Okafor", "likes owls")
    assert cli("rm", "c2", "--yes").exit_code == 0
    assert cli("add", "Cleo Park").stdout == "Added c3 Cleo Park to h3\n"


@pytest.mark.parametrize("stop_before", NAMES[1 : NAMES.index("m003_ids_never_reused") + 1])
def test_an_upgraded_book_never_reuses_an_id_and_keeps_every_row(tmp_path, stop_before):
    import datetime as dt

    from cardkeep.store import book

    path = tmp_path / "old.db"
    make_old_book(path, stop_before)
    db = open_db(path)
    # The rebuild dropped no child rows (a drop with foreign keys on would have cascaded).
    for table in ("contacts", "household_tags", "contact_tags", "addresses", "notes", "dates", "cards"):
        assert db.execute(f"select count(*) from {table}").fetchone()[0] == 1, table
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    second = book.add_contact(db, "Ben Okafor", today=dt.date(2026, 1, 1))
    book.remove_contact(db, second)
    assert book.add_contact(db, "Cleo Park", today=dt.date(2026, 1, 1)) == second + 1
    for table in ("households", "contacts", "notes", "dates", "cards"):
        sql = db.execute("select sql from sqlite_master where name = ?", [table]).fetchone()[0]
        assert "AUTOINCREMENT" in sql, table
    assert not [r for r in db.execute("select name, sql from sqlite_master") if "before_m003" in str(r)]
    db.close()


def test_an_old_backup_upgraded_is_accepted_by_restore(tmp_path):
    from cardkeep.services import backup as restoring

    old = tmp_path / "old-backup.db"
    make_old_book(old, "m003_ids_never_reused")
    open_db(tmp_path / "book.db").close()
    summary, _ = restoring.restore(old, tmp_path / "book.db")
    assert (summary.households, summary.contacts, summary.cards) == (1, 1, 1)


def test_m004_stores_the_uids_older_exports_carried(tmp_path):
    """A book from before m004: everyone gets the UID their vCard export already had (so a phone
    holding that export still matches), households too; a UID two people shared is kept by the first."""
    import uuid

    from cardkeep.formats.vcard import contact_uid, household_uid

    path = tmp_path / "old.db"
    make_old_book(path, "m004_stable_uids")
    with sqlite3.connect(path) as conn:
        conn.execute("insert into contacts (id, household_id, name, emails, phones, uid, search_key, created) "
                     "values (2, 1, 'Ben', '[]', '[]', 'shared', 'ben', '2021-02-03'), "
                     "(3, 1, 'Cy', '[]', '[]', 'SHARED', 'cy', '2021-02-04')")
    conn.close()
    old = {"id": 1, "created": "2020-01-01"}
    expected_ada, expected_house = contact_uid(old), household_uid(old)  # computed, as exports did
    db = open_db(path)
    uids = dict(db.execute("select id, uid from contacts").fetchall())
    assert uids[1] == expected_ada and uids[2] == "shared"
    assert uids[3] == str(uuid.uuid5(uuid.UUID("6f1d3c2e-8a4b-4d6e-9c1f-2b7a5e3d4c10"), "3:2021-02-04"))
    assert db.execute("select uid from households").fetchone()[0] == expected_house
    assert dump_book(db)["households"][0]["uid"] == expected_house


def test_m006_a_v5_book_gets_household_greetings(tmp_path, cli):
    """A book from before m006 (schema 5): its household has no greeting of its own, and can be given
    one through the CLI; the export carries it."""
    path = tmp_path / "old.db"
    make_old_book(path, "m006_household_greeting")
    with sqlite3.connect(path) as conn:
        assert "greeting" not in {r[1] for r in conn.execute("PRAGMA table_info(households)")}
    conn.close()
    result = cli("--db", path, "household", "greeting", "h1", "Dear Okafors,")
    assert (result.exit_code, result.stdout) == (0, 'h1 Ada & Ben Okafor: its cards begin "Dear Okafors,"\n')
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    assert dump_book(db)["households"][0]["greeting"] == "Dear Okafors,"
    db.close()
    assert [b.reason for b in backup.list_backups(tmp_path / "backups")] == ["before-upgrade"]
