"""Opening the contact book: the file, its permissions, pragmas and migrations.

The book is created 0600 in a directory made 0700 (SQLite gives its -wal and -shm files the book's
own mode). A schema upgrade backs up a book that holds data first (`cardkeep.store.backup`) and runs in
one transaction. SQLite errors a user can act on (read-only, disk full, busy, not a database,
damaged) become one-line `DatabaseError`s through `explain`; every write is all or nothing.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cardkeep.errors import CardkeepError, DatabaseError

BUSY_TIMEOUT_MS = 30_000
# The number of migrations in cardkeep/store/schema.py, recorded in PRAGMA user_version once applied,
# so that opening an up-to-date book needs neither sqlite-utils nor the migrations module.
# tests/test_migrations.py checks that it matches; bump it with every new migration.
SCHEMA_VERSION = 6


class Database:
    """A light handle on the database with the few calls cardkeep makes on every run.

    Importing sqlite-utils costs about 70 ms, too much for a daily cron job that usually finds
    nothing to do, so the common calls go straight to sqlite3. Anything else (`db["table"]`,
    `db.schema`, ...) is served by a sqlite-utils `Database` on the same connection, made on first use.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._full = None

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, params or ())

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        cursor = self.conn.execute(sql, params or ())
        keys = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def table_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute("select name from sqlite_master where type = 'table'")]

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    @property
    def full(self):
        """The sqlite-utils Database on this connection."""
        if self._full is None:
            from sqlite_utils import Database

            self._full = Database(self.conn)
        return self._full

    def __getitem__(self, name: str):
        return self.full[name]

    def __getattr__(self, name: str):
        return getattr(self.full, name)


def open_db(path: str | os.PathLike[str], *, migrate: bool = True, create: bool = True) -> Database:
    """Open the book at `path`, owner-only, WAL, foreign keys, migrated.

    A missing book is created only when `create` (the commands that add data); otherwise it is
    an error naming the path, so a typo in `--db` never makes an empty book that reports nothing.
    Only the default data directory is ever created: any other directory must exist."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"database path {path} is a directory")
    created = not path.exists()
    if created and not create:
        if path.parent.exists() and not path.parent.is_dir():
            raise DatabaseError(f"cannot open database {path}: {path.parent} is not a directory")
        raise DatabaseError(
            f"cannot open database {path}: there is no book there "
            "(check --db or CARDKEEP_DB; `cardkeep init` creates an empty one)"
        )
    if not created and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return _open_read_only(path)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new data dir: owner only
        if created:
            # Create the file 0600 before SQLite touches it: it holds addresses and birthdays.
            try:
                os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass  # another cardkeep created it a moment ago (two imports at once): use that one
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(f"cannot open database {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    db = Database(conn, path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _check_is_ours(db, path)
        _use_wal(conn)
        if migrate:
            _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise explain(exc, path) or DatabaseError(f"cannot use database {path}: {exc}") from None
    except CardkeepError:
        conn.close()
        raise
    for suffix in ("-wal", "-shm"):
        # SQLite already gives these the book's own mode; this only tightens a book made elsewhere.
        side = Path(f"{path}{suffix}")
        try:
            if side.exists() and side.stat().st_mode & 0o077:
                side.chmod(0o600)
        except OSError:
            pass  # not ours to change (another user's book opened read-only): reading still works
    return db


def check_can_create(path: str | os.PathLike[str]) -> None:
    """The command line creates a new book only in a directory that exists, or in the default
    data directory (made owner-only): a typo in `--db` must not grow a tree of directories."""
    path = Path(path)
    parent = path.parent
    if path.exists() or parent.is_dir():
        return
    if parent.exists():
        raise DatabaseError(f"cannot open database {path}: {parent} is not a directory")
    from cardkeep.paths import data_dir

    if parent.absolute() != data_dir().absolute():
        raise DatabaseError(f"cannot open database {path}: the directory {parent} does not exist")


def _open_read_only(path: Path) -> Database:
    """A book we may read but not write (another user's, a read-only mount): read commands work,
    a write fails with `explain`'s one line. A WAL book in a directory we cannot write has no
    `-shm` to share, so it is opened immutable: nobody can be writing where we cannot."""
    uri = path.resolve().as_uri()
    for options in ("mode=ro", "mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(f"{uri}?{options}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute("select count(*) from sqlite_master").fetchone()
            break
        except sqlite3.Error as exc:
            error = exc
    else:
        raise explain(error, path) or DatabaseError(f"cannot read database {path}: {error}") from None
    db = Database(conn, path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _check_is_ours(db, path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise explain(exc, path) or DatabaseError(f"cannot read database {path}: {exc}") from None
    except CardkeepError:
        conn.close()
        raise
    if version != SCHEMA_VERSION:
        conn.close()
        raise DatabaseError(f"database {path} is read-only and was written by another version of cardkeep "
                            f"(schema {version}, this one reads {SCHEMA_VERSION}); open it where you can write it")
    return db


def _migrate(db: Database, path: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return  # the fast path: up to date, nothing imported
    if version > SCHEMA_VERSION:
        raise DatabaseError(f"{path} was written by a newer cardkeep (schema {version}); upgrade cardkeep to use it")
    from cardkeep.store.schema import MIGRATION_NAMES, migrations

    _check_not_newer(db.full, path, migrations, MIGRATION_NAMES)
    if migrations.pending(db.full):
        from cardkeep.store.backup import auto_backup, has_data

        if has_data(db):  # twenty years of history deserve a copy before the schema changes
            auto_backup(db, "upgrade")
    # One process upgrades while any other waits for the lock, then finds nothing left to do; a
    # failure (a full disk, say) rolls the whole upgrade back. Foreign keys are off while it runs,
    # as SQLite requires for rebuilding a table (m003); the upgrade is refused if it leaves a row
    # pointing at nothing that did not before.
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction(db):
            dangling = set(db.execute("PRAGMA foreign_key_check").fetchall())
            migrations.apply(db.full)
            if not set(db.execute("PRAGMA foreign_key_check").fetchall()) <= dangling:
                raise DatabaseError(f"upgrading {path} would leave rows pointing at nothing; nothing was changed")
            db.execute(f"PRAGMA user_version = {len(MIGRATION_NAMES)}")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


def _use_wal(conn: sqlite3.Connection) -> None:
    """Put the book in WAL mode (once per book: the mode is kept in the file). SQLite does not wait
    on the busy timeout to change the journal mode, it fails at once ("database is locked") or keeps
    the old mode: two cardkeeps making one new book at once (two imports) would see one of them fail.
    So it is tried again until the busy timeout, as any other lock is waited for."""
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")
        time.sleep(0.01)


def _check_is_ours(db: Database, path: Path) -> None:
    tables = set(db.table_names()) - {"_sqlite_migrations"}  # alone, it is a book made before m001
    if tables and "households" not in tables:
        raise DatabaseError(f"{path} is not a cardkeep database (it has tables: {', '.join(sorted(tables)[:5])})")


def _check_not_newer(db, path: Path, migrations, known: tuple[str, ...]) -> None:
    if "_sqlite_migrations" not in db.table_names():
        return
    unknown = [m.name for m in migrations.applied(db) if m.name not in set(known)]
    if unknown:
        raise DatabaseError(
            f"{path} was written by a newer cardkeep (schema {unknown[-1]}); upgrade cardkeep to use it"
        )


_savepoints = itertools.count(1)


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """All or nothing. The outermost block takes the write lock up front (BEGIN IMMEDIATE), so a
    writer waits its turn through the busy timeout instead of failing half-way; nested blocks are
    savepoints."""
    if db.conn.in_transaction:
        savepoint = f"cardkeep_{next(_savepoints)}"
        db.conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:  # an error may already have ended the whole transaction
                db.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                db.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        db.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise explain(exc, db.path) or exc from None
    try:
        yield db
        db.conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        db.rollback()
        raise explain(exc, db.path) or exc from None
    except BaseException:
        db.rollback()
        raise


@contextmanager
def snapshot(db: Database) -> Iterator[None]:
    """Read the book in one deferred transaction: a writer cannot change it between the queries
    (inside a transaction already, the reads are part of it)."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        if db.conn.in_transaction:
            db.execute("COMMIT")


def explain(exc: sqlite3.Error, path: str | os.PathLike[str]) -> DatabaseError | None:
    """A one-line message for the SQLite errors a user can do something about, else None.

    Each message says the book is unchanged: every write runs in a transaction, rolled back here.
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        message = f"database {path} is read-only; nothing was changed"
    elif name == "SQLITE_FULL" or "disk is full" in text:
        message = f"the disk holding {path} is full; nothing was changed (free some space and try again)"
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        message = f"database {path} is busy: another cardkeep kept it locked too long; nothing was changed, try again"
    elif name == "SQLITE_NOTADB" or "file is not a database" in text:
        message = f"{path} is not a SQLite database (is --db or CARDKEEP_DB pointing at the wrong file?)"
    elif name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        message = f"database {path} is damaged ({text}); restore a backup with `cardkeep restore`"
    elif name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) and _disk_full(path):
        # Reading a WAL book writes its -shm index too: on a full disk even a read fails this way.
        message = f"the disk holding {path} is full; nothing was changed (free some space and try again)"
    elif name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        message = f"cannot use database {path}: {text}"
    else:
        return None
    return DatabaseError(message)


def _disk_full(path: str | os.PathLike[str]) -> bool:
    try:
        stats = os.statvfs(Path(path).parent)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < 64 * 1024  # less than a page or two of room
