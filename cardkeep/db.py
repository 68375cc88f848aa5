"""Opening the contact book: the file, its permissions, pragmas and migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from cardkeep.errors import CardkeepError

BUSY_TIMEOUT_MS = 30_000


class DatabaseError(CardkeepError):
    """The database file cannot be opened, is not cardkeep's, or is newer than this version."""


def open_db(path: str | os.PathLike[str], *, migrate: bool = True) -> Database:
    """Open (creating if needed) the book at `path`, owner-only, WAL, foreign keys, migrated."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"database path {path} is a directory")
    created = not path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if created:
            # Create the file 0600 before SQLite touches it: it holds addresses and birthdays.
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(f"cannot open database {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    db = Database(conn)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _check_is_ours(db, path)
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        if migrate:
            from cardkeep.migrations import migrations

            _check_not_newer(db, path, migrations)
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"cannot use database {path}: {exc}") from exc
    except CardkeepError:
        conn.close()
        raise
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            side.chmod(0o600)
    return db


def _check_is_ours(db: Database, path: Path) -> None:
    tables = set(db.table_names())
    if tables and "households" not in tables:
        raise DatabaseError(f"{path} is not a cardkeep database (it has tables: {', '.join(sorted(tables)[:5])})")


def _check_not_newer(db: Database, path: Path, migrations) -> None:
    if "_sqlite_migrations" not in db.table_names():
        return
    known = {m.name for m in migrations._migrations}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise DatabaseError(
            f"{path} was written by a newer cardkeep (schema {unknown[-1]}); upgrade cardkeep to use it"
        )


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """All or nothing. The outermost block takes the write lock up front (BEGIN IMMEDIATE), so a
    writer waits its turn through the busy timeout instead of failing half-way; nested blocks are
    savepoints."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
