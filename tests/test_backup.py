"""Backups and restore: consistent, private, pruned, and never restoring something that is not a book."""

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from cardkeep.errors import CardkeepError
from cardkeep.formats.jsonbook import dump_book, import_book
from cardkeep.services import backup as restoring
from cardkeep.store import backup
from cardkeep.store.db import SCHEMA_VERSION, DatabaseError, open_db
from tests.conftest import EXAMPLES


@pytest.fixture
def book(db_path):
    db = open_db(db_path)
    import_book(db, json.loads((EXAMPLES / "book.json").read_text()), source="book.json", today="2026-11-01")
    yield db
    db.close()


def mode(path):
    return path.stat().st_mode & 0o777


def test_a_backup_is_the_whole_book_in_one_private_file(book, tmp_path, sample_counts):
    dest = backup.backup(book, tmp_path / "copy.db")
    assert dest == tmp_path / "copy.db"
    assert mode(dest) == 0o600
    copy = sqlite3.connect(dest)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    copy.close()
    assert not (tmp_path / "copy.db-wal").exists()
    assert dump_book(open_db(dest)) == dump_book(book)
    summary = restoring.inspect_book(dest)
    assert (summary.households, summary.contacts, summary.schema) == (sample_counts.households, sample_counts.people, SCHEMA_VERSION)


def test_the_book_and_its_side_files_are_owner_only(book, db_path, tmp_path):
    book.execute("insert into households (created) values ('2026-01-01')")  # make sure the WAL exists
    for suffix in ("", "-wal", "-shm"):
        assert mode(tmp_path / f"book.db{suffix}") == 0o600, suffix


def test_a_backup_into_a_directory_gets_a_dated_name(book, tmp_path):
    (tmp_path / "keep").mkdir()
    dest = backup.backup(book, tmp_path / "keep")
    assert dest.parent == tmp_path / "keep"
    assert [b.path for b in backup.list_backups(tmp_path / "keep")] == [dest]
    assert not backup.list_backups(tmp_path / "keep")[0].automatic


def test_a_backup_never_overwrites_the_book_or_leaves_half_a_file(book, db_path, tmp_path):
    with pytest.raises(CardkeepError, match="onto itself"):
        backup.backup(book, db_path)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(CardkeepError, match="cannot write backup"):
        backup.backup(book, tmp_path / "a-file" / "copy.db")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_auto_backup_keeps_the_last_n(book, tmp_path):
    (tmp_path / "config.toml").write_text("[backup]\nkeep = 3\n")
    made = [backup.auto_backup(book, "import") for _ in range(5)]
    manual = backup.backup(book, tmp_path / "backups")
    left = backup.list_backups(tmp_path / "backups")
    assert [b.path for b in left if b.automatic] == made[-3:]
    assert manual in [b.path for b in left]  # backups made by hand are never pruned
    assert all(b.reason == "before-import" for b in left if b.automatic)
    assert mode(tmp_path / "backups") == 0o700
    assert all(mode(b.path) == 0o600 for b in left)


def test_auto_backup_off_or_empty_book_makes_nothing(book, tmp_path):
    (tmp_path / "config.toml").write_text("[backup]\nkeep = 0\n")
    assert backup.auto_backup(book, "import") is None
    (tmp_path / "config.toml").write_text("[backup]\nkeep = 5\n")
    empty = open_db(tmp_path / "empty" / "book.db")
    assert backup.auto_backup(empty, "import") is None
    assert not (tmp_path / "empty" / "backups").exists()
    (tmp_path / "config.toml").write_text('[backup]\nkeep = "lots"\n')
    with pytest.raises(CardkeepError, match=r"\[backup\] keep"):
        backup.auto_backup(book, "import")


def test_a_backup_taken_while_another_process_writes_is_consistent(book, db_path, tmp_path):
    # The writer adds households two at a time, each pair in one transaction: a consistent copy
    # always holds an even number of them, and passes SQLite's own check.
    writer = subprocess.Popen(
        [sys.executable, "-c", """
import sys, time
from cardkeep.store.db import open_db, transaction
db = open_db(sys.argv[1])
deadline = time.monotonic() + 1.5
while time.monotonic() < deadline:
    with transaction(db):
        for _ in range(2):
            db.execute("insert into households (mailing_name, created) values ('pair', '2026-01-01')")
""", str(db_path)],
    )
    try:
        counts = []
        while writer.poll() is None and len(counts) < 40:
            dest = backup.backup(book, tmp_path / f"copy{len(counts)}.db")
            conn = sqlite3.connect(dest)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts.append(conn.execute("select count(*) from households where mailing_name = 'pair'").fetchone()[0])
            conn.close()
            time.sleep(0.02)
    finally:
        writer.wait(timeout=30)
    assert writer.returncode == 0
    assert counts and all(n % 2 == 0 for n in counts)
    assert counts == sorted(counts)


def test_restore_replaces_the_book_and_keeps_what_it_replaced(book, db_path, tmp_path, sample_counts):
    saved_copy = backup.backup(book, tmp_path / "good.db")
    before = dump_book(book)
    book.execute("delete from cards")
    book.execute("update contacts set name = 'Changed' where id = 1")
    changed = dump_book(book)
    summary, replaced = restoring.restore(saved_copy, db_path)
    assert (summary.households, summary.cards) == (sample_counts.households, sample_counts.cards)
    assert dump_book(open_db(db_path)) == before
    assert replaced is not None and replaced.name.endswith("-before-restore.db")
    assert dump_book(open_db(replaced)) == changed
    # The restored book is still a WAL book that other cardkeeps can open.
    assert open_db(db_path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_restore_upgrades_an_older_backup(tmp_path, db_path):
    from tests.test_migrations import NAMES, make_old_book

    make_old_book(tmp_path / "old.db", NAMES[-1])
    open_db(db_path).close()
    restoring.restore(tmp_path / "old.db", db_path)
    db = open_db(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [r["name"] for r in db.query("select name from contacts")] == ["Ada Okafor"]


def _not_a_book(tmp_path, kind):
    path = tmp_path / f"{kind}.db"
    if kind == "text":
        path.write_text("name,street\nAda,12 Elm St\n")
    elif kind == "other-sqlite":
        conn = sqlite3.connect(path)
        conn.execute("create table photos (id integer primary key, file text)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        db = open_db(path)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        db.close()
    elif kind == "truncated":
        src = tmp_path / "src.db"
        db = open_db(src)
        import_book(db, json.loads((EXAMPLES / "book.json").read_text()), source="x", today="2026-11-01")
        backup.backup(db, tmp_path / "full.db")
        db.close()
        data = (tmp_path / "full.db").read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "directory":
        path.mkdir()
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("missing", "no such file"),
        ("directory", "is a directory"),
        ("text", "not a SQLite database"),
        ("other-sqlite", "not a cardkeep database"),
        ("newer", "newer cardkeep"),
        ("truncated", "damaged|cannot read|not a cardkeep"),
    ],
)
def test_restore_refuses_what_is_not_a_cardkeep_book_and_changes_nothing(book, db_path, tmp_path, kind, message):
    path = tmp_path / "missing.db" if kind == "missing" else _not_a_book(tmp_path, kind)
    before = dump_book(book)
    with pytest.raises(DatabaseError, match=message):
        restoring.restore(path, db_path)
    assert dump_book(open_db(db_path)) == before
    assert not backup.list_backups(tmp_path / "backups")


# ---------------------------------------------------------------- the commands


def test_backup_command_without_a_path_writes_to_the_backups_dir(cli, book, tmp_path, sample_counts):
    result = cli("backup")
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "backups" / result.stdout.strip().rsplit("/", 1)[-1]
    assert result.stdout.strip() == str(written)
    assert mode(written) == 0o600
    assert restoring.inspect_book(written).households == sample_counts.households


def test_backup_command_to_a_path(cli, book, tmp_path):
    result = cli("backup", tmp_path / "mine.db")
    assert (result.exit_code, result.stdout) == (0, f"{tmp_path / 'mine.db'}\n")


def test_restore_asks_first_and_no_means_no(cli, book, db_path, tmp_path, sample_counts):
    cli("backup", tmp_path / "mine.db")
    book.execute("delete from cards")
    result = cli("restore", tmp_path / "mine.db", input="n\n")
    assert result.exit_code == 1
    assert f"({sample_counts.households} households, {sample_counts.people} people, {sample_counts.cards} cards)?" in result.stdout
    assert "Nothing restored." in result.stdout
    assert open_db(db_path).execute("select count(*) from cards").fetchone()[0] == 0
    result = cli("restore", tmp_path / "mine.db", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert f"Restored {sample_counts.households} households, {sample_counts.people} people" in result.stdout
    assert "saved as" in result.stderr
    assert open_db(db_path).execute("select count(*) from cards").fetchone()[0] == sample_counts.cards


def test_restore_yes_for_scripts_and_a_clear_error_for_a_wrong_file(cli, book, tmp_path):
    cli("backup", tmp_path / "mine.db")
    assert cli("restore", "--yes", tmp_path / "mine.db").exit_code == 0
    (tmp_path / "notes.txt").write_text("hello")
    result = cli("restore", "--yes", tmp_path / "notes.txt")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'notes.txt'} is not a SQLite database, so not a cardkeep backup\n"


def test_backup_runs_as_a_real_process_too(book, db_path, tmp_path, sample_counts):
    env = {**os.environ, "CARDKEEP_DB": str(db_path)}
    result = subprocess.run([sys.executable, "-m", "cardkeep", "backup", str(tmp_path / "p.db")],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert restoring.inspect_book(tmp_path / "p.db").contacts == sample_counts.people


def test_a_new_data_directory_is_owner_only(tmp_path):
    open_db(tmp_path / "fresh" / "dir" / "book.db").close()
    assert mode(tmp_path / "fresh" / "dir") == 0o700
    assert mode(tmp_path / "fresh" / "dir" / "book.db") == 0o600


def test_a_backup_never_clobbers_a_file_that_is_not_a_database(book, tmp_path):
    (tmp_path / "notes.txt").write_text("my notes")
    with pytest.raises(CardkeepError, match="exists and is not a database"):
        backup.backup(book, tmp_path / "notes.txt")
    assert (tmp_path / "notes.txt").read_text() == "my notes"
    first = backup.backup(book, tmp_path / "again.db")
    assert backup.backup(book, first) == first  # an older backup may be replaced


def test_every_import_into_a_book_with_data_is_backed_up_first(cli, tmp_path, sample_counts):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    assert backup.list_backups(tmp_path / "backups") == []  # an empty book has nothing to lose
    assert cli("import", "--on-conflict", "new", EXAMPLES / "book.json").exit_code == 0
    made = backup.list_backups(tmp_path / "backups")
    assert [b.reason for b in made] == ["before-import"]
    assert restoring.inspect_book(made[0].path).households == sample_counts.households  # the book as it was before


def test_a_reader_during_a_restore_sees_the_old_book_then_the_new(book, db_path, tmp_path, sample_counts):
    saved_copy = backup.backup(book, tmp_path / "good.db")
    book.execute("insert into households (mailing_name, created) values ('extra', '2026-01-01')")
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("select count(*) from households").fetchone()[0] == sample_counts.households + 1
    restoring.restore(saved_copy, db_path)
    assert reader.execute("select count(*) from households").fetchone()[0] == sample_counts.households + 1  # its snapshot holds
    reader.execute("COMMIT")
    assert reader.execute("select count(*) from households").fetchone()[0] == sample_counts.households
    reader.close()


def test_restore_with_no_answer_is_one_error_line(cli, book, tmp_path):
    cli("backup", tmp_path / "mine.db")
    result = cli("restore", tmp_path / "mine.db", input="")
    assert result.exit_code == 1
    assert result.stderr == "Error: no answer (use --yes in scripts); nothing restored\n"


def test_restore_keeps_what_it_replaced_even_with_automatic_backups_off(book, db_path, tmp_path, isolated):
    (isolated / "config.toml").write_text("[backup]\nkeep = 0\n")
    saved_copy = backup.backup(book, tmp_path / "good.db")
    book.execute("delete from cards")
    _, replaced = restoring.restore(saved_copy, db_path)
    assert replaced is not None
    assert open_db(replaced).execute("select count(*) from cards").fetchone()[0] == 0
