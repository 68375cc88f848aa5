"""Restore: replace the book with a backup, after checking the backup and backing up the book.

Making backups is `cardkeep.store.backup`; this module checks a candidate file, swaps it in and
opens it (upgrading an older one).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cardkeep.errors import CardkeepError, DatabaseError
from cardkeep.store.backup import (
    _default_name,
    _is_sqlite,
    auto_backup,
    backup,
    backup_dir,
    ensure_backup_dir,
    has_data,
)
from cardkeep.store.db import SCHEMA_VERSION, explain, open_db


@dataclass(frozen=True)
class BookSummary:
    path: Path
    households: int
    contacts: int
    cards: int
    schema: int


def inspect_book(path: str | os.PathLike[str]) -> BookSummary:
    """Check that `path` is an intact cardkeep book this version can read; count what is in it.

    Opens the file read-only and changes nothing. Raises DatabaseError saying what is wrong.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise DatabaseError(f"{path}: no such file")
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a backup")
    if not _is_sqlite(path):
        raise DatabaseError(f"{path} is not a SQLite database, so not a cardkeep backup")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot read {path}: {exc}") from None
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        if not {"households", "contacts", "cards"} <= tables:
            raise DatabaseError(f"{path} is not a cardkeep database (it has no households, contacts and cards)")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise DatabaseError(f"{path} is damaged ({check}); choose another backup")
        from cardkeep.store.schema import MIGRATION_NAMES, migrations

        known = set(MIGRATION_NAMES)
        applied = []
        if "_sqlite_migrations" in tables:
            applied = [
                r[0]
                for r in conn.execute(
                    "select name from _sqlite_migrations where migration_set = ? order by rowid", [migrations.name]
                )
            ]
        newer = [name for name in applied if name not in known]
        if newer or conn.execute("PRAGMA user_version").fetchone()[0] > SCHEMA_VERSION:
            raise DatabaseError(f"{path} was written by a newer cardkeep; upgrade cardkeep to restore it")

        def count(table: str) -> int:
            return conn.execute(f"select count(*) from {table}").fetchone()[0]

        return BookSummary(path, count("households"), count("contacts"), count("cards"), len(applied))
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot read {path}: {exc}") from None
    finally:
        conn.close()


def restore(path: str | os.PathLike[str], db_path: str | os.PathLike[str]) -> tuple[BookSummary, Path | None]:
    """Replace the book at `db_path` with the backup at `path`.

    The backup is checked first (`inspect_book`); the current book, if it holds anything, is backed
    up before it is overwritten, and the copy goes through SQLite's backup API on a live
    connection, so a cardkeep running at the same moment sees the old book or the new one, never a
    mixture. The restored book is then opened (and upgraded, if it is older). Returns the summary
    of what was restored and the backup of what it replaced.
    """
    summary = inspect_book(path)
    db_path = Path(db_path)
    if db_path.exists() and db_path.resolve() == summary.path.resolve():
        raise CardkeepError(f"{path} is the book itself; nothing to restore")
    current = open_db(db_path)
    try:
        saved = auto_backup(current, "restore")
        if saved is None and has_data(current):
            # Automatic backups are off ([backup] keep = 0), but a restore cannot be undone without this one.
            directory = backup_dir(db_path)
            ensure_backup_dir(directory)
            saved = backup(current, directory / _default_name("before-restore"))
        source = sqlite3.connect(f"{summary.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(current.conn)
        except sqlite3.Error as exc:
            raise explain(exc, db_path) or DatabaseError(f"cannot restore into {db_path}: {exc}") from None
        finally:
            source.close()
    finally:
        current.close()
    open_db(db_path).close()  # upgrade an older backup now, and prove it opens
    return summary, saved
