"""Issue 17: restore checks a candidate in a scratch copy (integrity, schema version, exactly
cardkeep's tables and columns, no triggers, views or anyone else's objects) before swapping it in;
anything foreign is refused, not dropped; the before-restore backup always restores."""

import sqlite3

import pytest

from cardkeep.store.db import SCHEMA_VERSION
from tests.conftest import EXAMPLES

HOSTILE = {
    "trigger": "create trigger pwn after insert on contacts begin update contacts set name = 'PWNED'; end",
    "view": "create view everyone as select name from contacts",
    "extra table": "create table loot (x text)",
    "extra index": "create index loot_idx on contacts(name)",
    "missing table": "drop table cards",
    "wrong columns": "alter table contacts add column ssn text",
    "newer version": f"PRAGMA user_version = {SCHEMA_VERSION + 1}",
    "unknown migration": "insert into _sqlite_migrations (migration_set, name, applied_at) "
                         "select migration_set, 'm999_future', applied_at from _sqlite_migrations limit 1",
}


@pytest.fixture
def book(cli, db_path):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    return db_path


def exported(cli):
    result = cli("export")
    assert result.exit_code == 0, result.output
    return result.stdout


def hostile_copy(cli, tmp_path, name, sql):
    path = tmp_path / f"{name.replace(' ', '-')}.db"
    assert cli("backup", path).exit_code == 0
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(sql)
    conn.close()
    return path


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_backup_is_refused_and_the_book_is_intact(cli, book, tmp_path, name):
    path = hostile_copy(cli, tmp_path, name, HOSTILE[name])
    before = exported(cli)
    result = cli("restore", "--yes", path)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    assert exported(cli) == before
    assert not list((tmp_path / "backups").glob("*before-restore*"))  # refused before anything was touched


def test_a_trigger_is_named_and_never_runs(cli, book, tmp_path):
    path = hostile_copy(cli, tmp_path, "trigger", HOSTILE["trigger"])
    result = cli("restore", "--yes", path)
    assert "trigger 'pwn'" in result.stderr
    added = cli("add", "Zed New")
    assert added.exit_code == 0 and "PWNED" not in added.stdout
    assert "PWNED" not in exported(cli)


def test_tables_named_like_cardkeeps_and_nothing_else_are_refused(cli, book, tmp_path):
    fake = tmp_path / "fake.db"
    conn = sqlite3.connect(fake)
    for table in ("households", "contacts", "cards"):
        conn.execute(f"create table {table} (id integer primary key)")
    conn.commit()
    conn.close()
    before = exported(cli)
    result = cli("restore", "--yes", fake)
    assert result.exit_code == 1 and "nothing restored" in result.stderr, result.output
    assert exported(cli) == before


def test_a_damaged_file_is_refused(cli, book, tmp_path):
    path = tmp_path / "good.db"
    assert cli("backup", path).exit_code == 0
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page: page + 12] = b"\x0d\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"  # page 2's header
    path.write_bytes(bytes(data))
    before = exported(cli)
    result = cli("restore", "--yes", path)
    assert result.exit_code == 1
    assert exported(cli) == before


def test_a_good_backup_restores_and_the_before_restore_backup_restores_back(cli, book, tmp_path):
    original = exported(cli)
    saved = tmp_path / "saved.db"
    assert cli("backup", saved).exit_code == 0
    assert cli("add", "Zed New").exit_code == 0
    changed = exported(cli)
    result = cli("restore", "--yes", saved)
    assert result.exit_code == 0, result.output
    assert exported(cli) == original
    [undo] = (tmp_path / "backups").glob("*before-restore*")
    result = cli("restore", "--yes", undo)
    assert result.exit_code == 0, result.output
    assert exported(cli) == changed


def test_restore_never_opens_the_candidate_for_writing(cli, book, tmp_path):
    saved = tmp_path / "saved.db"
    assert cli("backup", saved).exit_code == 0
    data = saved.read_bytes()
    saved.chmod(0o400)
    assert cli("restore", "--yes", saved).exit_code == 0
    assert saved.read_bytes() == data
