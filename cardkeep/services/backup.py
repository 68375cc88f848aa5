"""Restore: replace the book with a backup, after checking the backup and backing up the book.

Making backups is `cardkeep.store.backup`; this module checks a candidate file, swaps it in and
opens it (upgrading an older one).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cardkeep.errors import CardkeepError, DatabaseError
from cardkeep.store.backup import (
    auto_backup,
    backup,
    backup_dir,
    backup_name,
    ensure_backup_dir,
    has_data,
    is_sqlite_file,
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

    The checks run on a scratch copy (see `validate`), so the file itself is never opened for
    writing. Raises DatabaseError saying what is wrong."""
    with tempfile.TemporaryDirectory(prefix="cardkeep-restore-") as scratch:
        return validate(path, Path(scratch))[0]


def validate(path: str | os.PathLike[str], scratch: Path) -> tuple[BookSummary, Path]:
    """Copy the candidate book at `path` into the directory `scratch` and check the copy: intact
    (integrity check), not newer than this cardkeep, no trigger and no view, and, once upgraded,
    exactly the tables, columns, indexes and foreign keys of a freshly made book. Anything foreign
    is refused, never dropped. Returns the summary and the checked, upgraded copy."""
    path = Path(path).expanduser()
    if not path.exists():
        raise DatabaseError(f"{path}: no such file")
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a backup")
    if not is_sqlite_file(path):
        raise DatabaseError(f"{path} is not a SQLite database, so not a cardkeep backup")
    copy = scratch / "candidate.db"
    try:
        shutil.copyfile(path, copy)
        if Path(f"{path}-wal").is_file():  # a copy of a live book: its last writes may be in the -wal
            shutil.copyfile(f"{path}-wal", f"{copy}-wal")
        os.chmod(copy, 0o600)
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror or exc}") from None
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        if not {"households", "contacts", "cards"} <= tables:
            raise DatabaseError(f"{path} is not a cardkeep database (it has no households, contacts and cards)")
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise DatabaseError(f"{path} is damaged ({check}); choose another backup")
        foreign = [
            f"{kind} {name!r}"
            for kind, name in conn.execute(
                "select type, name from sqlite_master where type in ('trigger', 'view') order by name"
            )
        ]
        if foreign:
            raise DatabaseError(f"{path} is not a plain cardkeep book (it has {_listed(foreign)}); nothing restored")
        from cardkeep.store.schema import MIGRATION_NAMES, migrations

        applied = []
        if "_sqlite_migrations" in tables:
            applied = [
                r[0]
                for r in conn.execute(
                    "select name from _sqlite_migrations where migration_set = ? order by rowid", [migrations.name]
                )
            ]
        newer = [name for name in applied if name not in set(MIGRATION_NAMES)]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if newer or version > SCHEMA_VERSION:
            raise DatabaseError(f"{path} was written by a newer cardkeep; upgrade cardkeep to restore it")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot read {path}: {exc}") from None
    finally:
        conn.close()
    try:
        upgraded = open_db(copy)  # an older book is upgraded here, in the copy
    except DatabaseError as exc:
        raise DatabaseError(f"{path} cannot be opened as a cardkeep book ({exc}); nothing restored") from None
    try:
        differences = _compare(_describe(upgraded.conn), _reference_schema())
        if differences:
            raise DatabaseError(f"{path} is not a cardkeep book as this version makes it ({differences}); nothing restored")
        if upgraded.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise DatabaseError(f"{path} is damaged (rows point at rows that are not there); choose another backup")

        def count(table: str) -> int:
            return upgraded.execute(f"select count(*) from {table}").fetchone()[0]

        summary = BookSummary(path, count("households"), count("contacts"), count("cards"), len(applied))
        upgraded.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot read {path}: {exc}") from None
    finally:
        upgraded.close()
    return summary, copy


def _listed(items: list[str], limit: int = 4) -> str:
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _describe(conn: sqlite3.Connection) -> dict[tuple[str, str], object]:
    """Every schema object but SQLite's own: tables with their columns and foreign keys, indexes with
    their table and columns, triggers and views."""
    described: dict[tuple[str, str], object] = {}
    rows = conn.execute("select type, name, tbl_name from sqlite_master where name not like 'sqlite\\_%' escape '\\'")
    for kind, name, table in rows.fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        if kind == "table":
            columns = tuple(tuple(c[1:]) for c in conn.execute(f"PRAGMA table_xinfo({quoted})"))
            keys = tuple(sorted(tuple(map(str, k[2:])) for k in conn.execute(f"PRAGMA foreign_key_list({quoted})")))
            described[(kind, name)] = (columns, keys)
        elif kind == "index":
            described[(kind, name)] = (table, tuple(c[2] for c in conn.execute(f"PRAGMA index_info({quoted})")))
        else:
            described[(kind, name)] = table
    return described


@cache
def _reference_schema() -> dict[tuple[str, str], object]:
    """The schema of an empty book made by this version, in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="cardkeep-reference-") as scratch:
        db = open_db(Path(scratch) / "reference.db")
        try:
            return _describe(db.conn)
        finally:
            db.close()


def _compare(found: dict[tuple[str, str], object], expected: dict[tuple[str, str], object]) -> str:
    """What differs, in words (empty when nothing does)."""
    problems = [f"an extra {kind} {name!r}" for kind, name in sorted(found.keys() - expected.keys())]
    problems += [f"no {kind} {name!r}" for kind, name in sorted(expected.keys() - found.keys())]
    problems += [
        f"{kind} {name!r} is not as cardkeep makes it"
        for kind, name in sorted(found.keys() & expected.keys())
        if found[(kind, name)] != expected[(kind, name)]
    ]
    return _listed(problems)


def restore(path: str | os.PathLike[str], db_path: str | os.PathLike[str]) -> tuple[BookSummary, Path | None]:
    """Replace the book at `db_path` with the backup at `path`.

    The backup is checked first, in a scratch copy (`validate`), and it is that checked copy that is
    swapped in, never the file itself. The current book, if it holds anything, is backed up first,
    and that backup must pass the same checks (so it can always be restored). The copy goes
    through SQLite's backup API on a live connection, so a cardkeep running at the same moment sees
    the old book or the new one, never a mixture. Returns the summary of what was restored and the
    backup of what it replaced.
    """
    db_path = Path(db_path)
    if db_path.exists() and Path(path).expanduser().exists() and os.path.samefile(path, db_path):
        raise CardkeepError(f"{path} is the book itself; nothing to restore")
    with tempfile.TemporaryDirectory(prefix="cardkeep-restore-") as scratch:
        summary, checked = validate(path, Path(scratch))
        current = open_db(db_path)
        try:
            saved = auto_backup(current, "restore")
            if saved is None and has_data(current):
                # Automatic backups are off ([backup] keep = 0), but a restore cannot be undone without this one.
                directory = backup_dir(db_path)
                ensure_backup_dir(directory)
                saved = backup(current, directory / backup_name("before-restore"))
            if saved is not None:
                undo = Path(scratch) / "undo"
                undo.mkdir()
                try:
                    validate(saved, undo)
                except DatabaseError as exc:
                    raise DatabaseError(
                        f"the book itself does not pass the checks a restore needs ({exc}); nothing restored, "
                        f"and it is saved as {saved}"
                    ) from None
            source = sqlite3.connect(f"{checked.resolve().as_uri()}?mode=ro", uri=True)
            try:
                source.backup(current.conn)
            except sqlite3.Error as exc:
                raise explain(exc, db_path) or DatabaseError(f"cannot restore into {db_path}: {exc}") from None
            finally:
                source.close()
        finally:
            current.close()
    open_db(db_path).close()  # prove it opens
    return summary, saved
