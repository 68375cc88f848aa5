"""Backups: consistent copies of the book, readable by the owner only.

`backup` copies the open database with SQLite's online backup API, so the copy is a consistent
snapshot even while another process writes. `auto_backup` runs before every import and every
schema upgrade and keeps the last few in `backups/` beside the database file. Restoring is a
service (`cardkeep.services.backup`): it checks a file before it replaces the book.

Config:

    [backup]
    keep = 10        # automatic backups to keep (0: make none)

File modes: the book is created 0600 by `open_db` and SQLite gives its -wal and -shm files the
mode of the book itself; backups are written 0600 (through a private temporary file, then renamed)
in a backups directory made 0700. Backups you make with `cardkeep backup` without a PATH go to
the same directory but are never pruned: only automatic ones are.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cardkeep.errors import CardkeepError


class Database(Protocol):
    """What a backup needs of an open book (`cardkeep.store.db.Database` is one). Declared here so
    that `store.db`, which backs up a book before upgrading it, and this module never import each
    other."""

    path: Path
    conn: sqlite3.Connection

    def execute(self, sql: str, params: Any = None) -> sqlite3.Cursor: ...

    def table_names(self) -> list[str]: ...

DEFAULT_KEEP = 10
# cardkeep-20261123T094700.123456Z[-reason].db: names sort in the order they were made.
_NAME = re.compile(r"^cardkeep-(\d{8}T\d{6}\.\d{6}Z)(?:-([a-z0-9-]+))?\.db$")


def backup_dir(db_path: str | os.PathLike[str]) -> Path:
    """Where backups of the book at `db_path` live: `backups/` next to it."""
    return Path(db_path).parent / "backups"


def keep_setting() -> int:
    from cardkeep.config import ConfigError, section

    value = section("backup").get("keep", DEFAULT_KEEP)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"config [backup] keep = {value!r}: use a whole number, 0 or more")
    return value


def _stamp(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S.%fZ")


def backup_name(reason: str | None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (reason or "").lower()).strip("-")
    return f"cardkeep-{_stamp()}{'-' + slug if slug else ''}.db"


def backup(db: Database, dest: str | os.PathLike[str]) -> Path:
    """Copy the open book to `dest` (a file, or a directory to put a dated file in); returns the path.

    The copy is written to a 0600 temporary file beside `dest` and renamed into place, so a crash
    or a full disk never leaves half a backup under the real name. The copy is a self-contained
    file (rollback journal, not WAL): one file to carry away.
    """
    names_dir = os.fspath(dest).endswith(("/", os.sep))  # `backup newdir/x/`: a folder to make, not a file x
    dest = Path(dest).expanduser()
    if names_dir:
        try:
            dest.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CardkeepError(f"cannot make {dest}: {exc.strerror or exc}") from None
    if dest.is_dir():
        dest = dest / backup_name(None)
    if dest.resolve() == Path(db.path).resolve():
        raise CardkeepError(f"cannot back up the book onto itself ({dest})")
    if dest.is_file() and not is_sqlite_file(dest):
        raise CardkeepError(f"{dest} exists and is not a database; choose another name for the backup")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)  # 0600
        os.close(fd)
    except OSError as exc:
        raise CardkeepError(f"cannot write backup {dest}: {exc.strerror or exc}") from None
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        Path(tmp).unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or exc
        raise CardkeepError(f"cannot write backup {dest}: {reason}") from None
    return dest


def is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def has_data(db: Database) -> bool:
    """True when any table of the book holds a row: an empty book needs no backup."""
    for name in db.table_names():
        if name.startswith("sqlite_") or name == "_sqlite_migrations":
            continue
        if db.execute(f'select 1 from "{name}" limit 1').fetchone():
            return True
    return False


def auto_backup(db: Database, reason: str, *, keep: int | None = None) -> Path | None:
    """Back up before something big (`reason`: "import", "upgrade"...), keeping the last `keep`.

    Returns the new backup, or None when automatic backups are off or the book is empty.
    """
    keep = keep_setting() if keep is None else keep
    if keep <= 0 or not has_data(db):
        return None
    directory = backup_dir(db.path)
    ensure_backup_dir(directory)
    path = backup(db, directory / backup_name(f"before-{reason}"))
    prune(directory, keep)
    return path


def ensure_backup_dir(directory: Path) -> None:
    """Make the backup directory, owner-only (0700), if it is not there yet."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise CardkeepError(f"cannot make the backup directory {directory}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made: str  # the UTC timestamp in its name
    reason: str | None  # None: made by hand with `cardkeep backup`

    @property
    def automatic(self) -> bool:
        return self.reason is not None


def list_backups(directory: str | os.PathLike[str]) -> list[BackupFile]:
    """cardkeep's backups in `directory`, oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            found.append(BackupFile(path, match.group(1), match.group(2)))
    return sorted(found, key=lambda b: b.path.name)


def prune(directory: str | os.PathLike[str], keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups; returns what was deleted."""
    automatic = [b for b in list_backups(directory) if b.automatic]
    doomed = automatic[: max(len(automatic) - keep, 0)]
    for b in doomed:
        b.path.unlink(missing_ok=True)
    return [b.path for b in doomed]
