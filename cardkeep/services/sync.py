"""`cardkeep sync DIR`: the book and a vdir (one `.vcf` per person, as khard and vdirsyncer keep them),
both ways.

What the last sync saw of each card on both sides is kept in the book (`sync_items`, schema m005): the
card cardkeep wrote from the book, and what it read from the file (its hash, size and time, and the
fields cardkeep keeps). So each side's changes since are known, card by card:

- **new in the folder**: read into the book as an import reads it (matched by UID, then by name and
  address). **new in the book**: written to the folder as `<uid>.vcf`.
- **changed in the folder**: only the fields the folder changed are taken (a name, the phones, the
  address: a new address is a move, the old one kept as history); notes, tags and dates are added,
  never removed. **changed in the book**: written into the card file line by line (`patch_card`):
  what cardkeep does not own (a photo, X- fields, `TYPE=CELL`) stays as it is.
- **both changed** (a conflict, reported): `merge` (the default) carries each side's changes to the
  other, the folder's value winning where both changed the same field (an address the book had is
  kept as history); `book`: the book's card is written and the folder's changes are not read; `skip`:
  nothing happens to that card until a later sync resolves it.
- **deleted in the book**: the file is removed (unless the folder changed it since: then it comes
  back into the book). **deleted in the folder**: the person stays in the book, with the tag `no-sync`,
  so their card history is never lost to a phone; `delete=True` removes them from the book instead
  (as `cardkeep rm` does). A person tagged `no-sync` is left out of sync; untag them to sync them again.
- households: only with `households=True`, as group cards (vCard 4.0 `KIND:group` and `MEMBER`, 3.0
  Apple's `X-ADDRESSBOOKSERVER-KIND`); they are written from the book, and a folder's edit of one is
  reported, not read.

Every file is read and checked before anything is written: a malformed card is one error naming the
file, and neither the book nor the folder changes. The book is backed up before a sync that changes it,
and changes in one transaction; each file is written atomically. A dry run decides the same and writes
nothing. A sync where nothing changed reads no file and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cardkeep.errors import InvalidInput, UsageError
from cardkeep.services.sync_decide import CONFLICT, NO_SYNC, VERSIONS, Step, Sync, SyncReport
from cardkeep.store.db import Database, snapshot, transaction

__all__ = ["CONFLICT", "NO_SYNC", "VERSIONS", "Step", "SyncReport", "sync_folder"]

def sync_folder(
    db: Database,
    folder: str | os.PathLike[str],
    *,
    conflict: str = "merge",
    delete: bool = False,
    households: bool = False,
    version: str = "4.0",
    dry_run: bool = False,
    default_country: str | None = None,
    today: dt.date | None = None,
) -> SyncReport:
    """Sync the book with the vdir `folder` both ways (see the module's docstring); `today` is
    required unless `dry_run`. Returns what was done (or would be)."""
    if conflict not in CONFLICT:
        raise UsageError(f"--conflict {conflict!r}: choose {', '.join(CONFLICT)}")
    if version not in VERSIONS:
        raise UsageError(f"--version {version!r}: choose 3.0 or 4.0")
    path = Path(folder).expanduser()
    if path.exists() and not path.is_dir():
        raise InvalidInput(f"{path}: not a folder; sync takes a folder with one .vcf per person (a vdir)")
    if not path.is_dir():
        raise InvalidInput(f"{path}: no such folder (make it with mkdir to start a new synced folder)")
    path = path.resolve()
    run = Sync(db, path, conflict=conflict, delete=delete, households=households, version=version,
                default_country=default_country)
    files = run.read_folder()
    with snapshot(db):
        run.decide(files)
    report = run.report(dry_run)
    if dry_run or not run.has_work():
        return report
    if today is None:
        raise TypeError("sync_folder: today is required unless dry_run")
    if run.changes_book():
        from cardkeep.store import backup

        report.backup = backup.auto_backup(db, "sync")
    with transaction(db):
        run.decide(files)  # again, under the write lock: what another writer did meanwhile counts
        run.apply(today)
    final = run.report(False)
    final.backup = report.backup
    return final
