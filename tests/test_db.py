"""Opening the book: the fast path that cron takes every morning."""

import subprocess
import sys

from cardkeep.store import db as dbmodule
from cardkeep.store.db import Database, open_db, transaction
from cardkeep.store.schema import migrations


def test_schema_version_counts_the_migrations():
    # Bump db.SCHEMA_VERSION with every new migration, or every run pays for sqlite-utils.
    assert dbmodule.SCHEMA_VERSION == len(migrations._migrations)


def test_an_up_to_date_book_opens_without_sqlite_utils(db_path):
    open_db(db_path).close()
    code = (
        "import sys; from cardkeep.store.db import open_db; db = open_db(sys.argv[1]);"
        "db.execute('select count(*) from contacts').fetchone();"
        "print('sqlite_utils' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_query_yields_dicts_and_full_is_sqlite_utils(db_path):
    db = open_db(db_path)
    assert isinstance(db, Database)
    db.execute("insert into households (mailing_name, created) values ('X', '2026-01-01')")
    assert list(db.query("select id, mailing_name from households")) == [{"id": 1, "mailing_name": "X"}]
    assert db["households"].count == 1  # anything else goes to sqlite-utils


def test_nested_transactions_roll_back_only_the_inner_part(db_path):
    db = open_db(db_path)
    with transaction(db):
        db.execute("insert into households (mailing_name, created) values ('kept', '2026-01-01')")
        try:
            with transaction(db):
                db.execute("insert into households (mailing_name, created) values ('dropped', '2026-01-01')")
                raise ValueError
        except ValueError:
            pass
    assert [r["mailing_name"] for r in db.query("select mailing_name from households")] == ["kept"]


def test_a_failed_transaction_leaves_nothing(db_path):
    db = open_db(db_path)
    try:
        with transaction(db):
            db.execute("insert into households (mailing_name, created) values ('x', '2026-01-01')")
            db.execute("insert into households (status, created) values ('nonsense', '2026-01-01')")
    except Exception:
        pass
    assert db.execute("select count(*) from households").fetchone()[0] == 0


def test_an_io_error_on_a_full_disk_says_the_disk_is_full(tmp_path, monkeypatch):
    import sqlite3
    from types import SimpleNamespace

    from cardkeep.store import db as dbmodule

    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"
    monkeypatch.setattr(dbmodule.os, "statvfs", lambda _: SimpleNamespace(f_bavail=0, f_frsize=4096))
    assert "is full" in str(dbmodule.explain(error, tmp_path / "book.db"))
    monkeypatch.setattr(dbmodule.os, "statvfs", lambda _: SimpleNamespace(f_bavail=10**6, f_frsize=4096))
    assert str(dbmodule.explain(error, tmp_path / "book.db")).endswith(": disk I/O error")


def test_a_book_created_by_another_process_a_moment_ago_is_used(tmp_path, monkeypatch):
    from pathlib import Path

    from cardkeep.store import db as dbmodule

    path = tmp_path / "book.db"
    real_exists = Path.exists
    raced_once = []

    def raced(self):  # the check says "missing", then another process creates it before we do
        if self == path and not raced_once:
            raced_once.append(True)
            monkeypatch.setattr(Path, "exists", real_exists)
            dbmodule.open_db(path, create=True).close()
            monkeypatch.setattr(Path, "exists", raced)
            return False
        return real_exists(self)

    monkeypatch.setattr(Path, "exists", raced)
    dbmodule.open_db(path, create=True).close()
    monkeypatch.setattr(Path, "exists", real_exists)
    assert dbmodule.open_db(path).table_names()
