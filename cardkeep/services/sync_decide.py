"""The work of `cardkeep.services.sync`: deciding, card by card, what a sync does, then doing it.

`Sync.read_folder` reads the folder (outside any transaction; a file whose size and time are as the
last sync left them is not read). `Sync.decide` compares each UID's file, book record and row in
`sync_items`, and lists the steps (what the report shows) and the operations (what `apply` does).
`Sync.apply` runs inside the caller's transaction: the import (`formats.matching` and `formats.apply`,
as `cardkeep import` does), removals and tags, then the files, then the rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardkeep.errors import InvalidInput
from cardkeep.fileio import read_input
from cardkeep.formats import vdir
from cardkeep.formats.matching import normal_uid
from cardkeep.formats.records import Person
from cardkeep.store.db import Database

CONFLICT = ("merge", "book", "skip")
NO_SYNC = "no-sync"  # the tag that leaves a person out of sync (and marks one deleted in the folder)
VERSIONS = ("4.0", "3.0")
ACTIONS = (
    "add to book", "update book", "remove from book", "kept in book",
    "add to folder", "update folder", "remove from folder", "conflict", "not read",
)


@dataclass
class Step:
    """One card and what the sync does (or, in a dry run, would do) with it."""

    action: str
    who: str
    file: str | None
    details: str = ""
    uid: str = ""  # the card's, as the sync keys it (not shown)

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "who": self.who, "file": self.file, "details": self.details}


@dataclass
class SyncReport:
    folder: Path
    steps: list[Step] = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = False
    backup: Path | None = None
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        counts = {action.replace(" ", "_"): 0 for action in ACTIONS}
        for step in self.steps:
            counts[step.action.replace(" ", "_")] += 1
        counts["unchanged"] = self.unchanged
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "dry_run": self.dry_run,
            **self.summary(),
            "steps": [s.as_json() for s in self.steps],
            "warnings": self.warnings,
            "backup": str(self.backup) if self.backup else None,
        }


@dataclass
class _Op:
    """What `apply` does for one UID."""

    uid: str
    kind: str  # person or household
    row: dict[str, Any] | None
    file: vdir.FolderFile | None
    take: Person | None = None  # read into the book (only what the folder changed)
    write: str | None = None  # "new" or "patch": the book's card into the folder
    name: str | None = None  # a new file's name
    old: str | None = None  # the book's card at the last sync, for a patch
    remove_file: bool = False
    remove_contact: int | None = None
    tag: int | None = None  # tag this contact no-sync: deleted in the folder, kept in the book
    keep_without_file: bool = False  # deleted in the folder, kept in the book: the row stays, without a file
    forget: bool = False  # drop the row


def needs_group(house: dict[str, Any]) -> bool:
    """Whether a household has a group card (as `cardkeep export` decides)."""
    return len(house["members"]) > 1 or bool(house.get("mailing_name")) or house.get("status", "active") != "active"


class Sync:
    def __init__(self, db: Database, folder: Path, *, conflict: str, delete: bool, households: bool, version: str,
                 default_country: str | None):
        self.db, self.folder, self.conflict, self.delete = db, folder, conflict, delete
        self.households, self.version, self.default_country = households, version, default_country
        self.ops: list[_Op] = []
        self.steps: list[Step] = []
        self.touched: list[tuple[str, vdir.FolderFile]] = []  # same bytes, new time: the row's stat only
        self.unchanged = 0
        self._uid = ""
        self.files: list[vdir.FolderFile] = []
        self._read_rows: dict[str, dict[str, Any]] | None = None
        self.warnings: list[str] = []

    # ------------------------------------------------------------ reading

    def _rows(self) -> dict[str, dict[str, Any]]:
        return {r["uid"]: r for r in self.db.query("select * from sync_items where folder = ?", [str(self.folder)])}

    def read_folder(self) -> list[vdir.FolderFile]:
        """Every card file, read only when it is not as the last sync left it; a bad file is an error."""
        self._read_rows = self._rows()
        by_file = {r["file"]: r for r in self._read_rows.values() if r["file"]}
        files = vdir.scan(self.folder)
        seen: dict[str, str] = {}
        for f in files:
            row = by_file.get(f.name)
            if row and (row["mtime_ns"], row["size"]) == (f.mtime_ns, f.size):
                f.uid, f.kind = row["uid"], row["kind"]
                continue
            f.data = read_input(self.folder / f.name)
            f.hash = vdir.digest(f.data)
            if row and f.hash == row["file_hash"]:
                f.uid, f.kind = row["uid"], row["kind"]
                continue
            f.person = vdir.read_card(self.folder / f.name, f.data)
            # A card without a UID (some apps write none) is known by its file name: the UID the book
            # gave it, or, new, its name until the import matches it (by name and address) or adds it.
            f.uid = normal_uid(f.person.uid) or (row["uid"] if row else normal_uid(Path(f.name).stem)) or f.name
            f.kind = "household" if f.person.kind == "group" else "person"
        for f in files:
            if f.uid in seen:
                raise InvalidInput(
                    f"{self.folder / f.name}: the same card (UID {f.uid}) as {seen[f.uid]}; "
                    "remove one of them, then sync again (nothing synced)"
                )
            seen[f.uid] = f.name
        return files

    def _book(self) -> tuple[dict[str, tuple[dict, dict]], dict[str, dict]]:
        from cardkeep.formats.dump import dump_households
        from cardkeep.formats.vcard import contact_uid, household_uid

        people: dict[str, tuple[dict, dict]] = {}
        groups: dict[str, dict] = {}
        for house in dump_households(self.db):
            for contact in house["members"]:
                people[normal_uid(contact_uid(contact)) or ""] = (contact, house)
            if self.households and needs_group(house):
                groups[normal_uid(household_uid(house)) or ""] = house
        return people, groups

    # ------------------------------------------------------------ deciding

    def decide(self, files: list[vdir.FolderFile]) -> None:
        from cardkeep.formats.vcard import write_card, write_group

        self.ops, self.steps, self.touched, self.unchanged, self.files = [], [], [], 0, files
        rows, self._read_rows = self._read_rows or self._rows(), None
        people, groups = self._book()
        by_uid = {f.uid: f for f in files}
        self.names = {r["file"] for r in rows.values() if r["file"]} | {f.name for f in files}
        for uid in dict.fromkeys([*rows, *by_uid, *people]):
            row, f = rows.get(uid), by_uid.get(uid)
            if (row is not None and row["kind"] == "household") or (f is not None and f.kind == "household"):
                continue
            book = people.get(uid)
            if book is not None and vdir_tagged(book[0]):
                continue  # tagged no-sync: left alone on both sides
            render = None
            if book is not None and row is not None:  # compared with what the last sync wrote
                same = row["book_key"] == book_key(book[0], book[1])
                render = row["book_card"] if same else write_card(book[0], book[1], "4.0")
            self._person(uid, row, f, book, render)
        if self.households:
            for uid in dict.fromkeys([*(u for u, r in rows.items() if r["kind"] == "household"),
                                      *(f.uid for f in files if f.kind == "household"), *groups]):
                house = groups.get(uid)
                self._group(uid, rows.get(uid), by_uid.get(uid), house, write_group(house, "4.0") if house else None)

    def _new_name(self, uid: str) -> str:
        from cardkeep.formats.vcard import vdir_filename

        return _free_name(vdir_filename(uid), self.names)

    def _step(self, action: str, who: str, f: vdir.FolderFile | None, details: str = "") -> None:
        self.steps.append(Step(action, who, f.name if f else None, details, self._uid))

    def _same(self, uid: str, f: vdir.FolderFile | None) -> None:
        self.unchanged += 1
        if f is not None and f.data is not None:
            self.touched.append((uid, f))

    def _person(self, uid, row, f, book, render) -> None:
        self._uid = uid
        op = _Op(uid, "person", row, f)
        name = book[0]["name"] if book else (f.person.name if f and f.person else _last_name(row) or uid)
        linked = row is not None and row["file"] is not None
        f_changed = f is not None and f.person is not None
        if not linked:
            if f is not None and book is not None:
                op.take, op.write = f.person, "patch"
                self._step("update book", name, f, "the same UID on both sides: merged, then written back")
                if not f_changed:
                    op.take = None
            elif f is not None:
                if not f_changed:
                    return  # read before by a sync that was then refused; nothing known
                op.take = f.person
                self._step("add to book", name, f, "new in the folder")
            elif book is not None:
                op.write, op.name = "new", self._new_name(uid)
                self._step("add to folder", name, None, "new in the book")
                self.steps[-1].file = op.name
            else:
                op.forget = True
            self.ops.append(op)
            return
        book_changed = book is not None and render != row["book_card"]
        if f is not None and book is not None:
            if not f_changed and not book_changed:
                return self._same(uid, f)
            take, changed = vdir.folder_changes(f.person, row["file_card"], book[0]["name"]) if f_changed else (None, [])
            if not changed and not book_changed:  # only what cardkeep does not keep changed (a photo)
                self.ops.append(op)
                self.unchanged += 1
                return
            if not book_changed:
                op.take = take
                self._step("update book", name, f, ", ".join(changed))
            elif not changed:
                op.write, op.old = "patch", row["book_card"]
                self._step("update folder", name, f, "changed in the book")
            elif self.conflict == "skip":
                self._step("conflict", name, f, "changed on both sides: skipped (sync with --conflict merge or book)")
                return
            elif self.conflict == "book":
                op.write, op.old = "patch", row["book_card"]
                self._step("conflict", name, f, "changed on both sides: the book's card written, the folder's edit not read")
            else:
                op.take, op.write, op.old = take, "patch", row["book_card"]
                self._step("conflict", name, f, f"changed on both sides: merged (the folder's {', '.join(changed)} kept)")
        elif f is not None:  # deleted in the book
            if not f_changed or self.conflict == "book":
                op.remove_file = True
                self._step("remove from folder", name, f, "deleted in the book")
            elif self.conflict == "skip":
                self._step("conflict", name, f, "deleted in the book, changed in the folder: skipped")
                return
            else:
                op.take = f.person
                self._step("conflict", name, f, "deleted in the book, changed in the folder: added back to the book")
        elif book is not None:  # deleted in the folder
            if book_changed:
                if self.conflict == "skip":
                    self._step("conflict", name, None, "deleted in the folder, changed in the book: skipped")
                    return
                op.write, op.name = "new", self._new_name(uid)
                self._step("conflict", name, None, "deleted in the folder, changed in the book: written again")
                self.steps[-1].file = op.name
            elif self.delete:
                op.remove_contact = book[0]["id"]
                self._step("remove from book", name, None, "deleted in the folder (--delete)")
            else:
                op.tag, op.keep_without_file = book[0]["id"], True
                self._step("kept in book", name, None, f"deleted in the folder; tagged {NO_SYNC} (untag to sync again)")
        else:
            op.forget = True
        self.ops.append(op)

    def _group(self, uid, row, f, house, render) -> None:
        self._uid = uid
        op = _Op(uid, "household", row, f)
        name = house["display_name"] if house else (f.person.name if f and f.person else _last_name(row) or uid)
        linked = row is not None and row["file"] is not None
        f_changed = f is not None and f.person is not None
        if house is not None and not linked:
            if f is None and row is not None:
                return  # its card was deleted in the folder: not written again
            op.write = "patch" if f is not None else "new"
            op.name = None if f is not None else self._new_name(uid)
            self._step("update folder" if f else "add to folder", name, f, "household card")
            self.steps[-1].file = f.name if f is not None else op.name
        elif house is None and not linked:
            if f is None or not f_changed:
                return
            op.take = f.person  # a new group card from the folder: a household for its new members
        elif f is not None and house is not None:
            book_changed = render != row["book_card"]
            if f_changed:
                self._step("not read", name, f, "household cards are written from the book; the folder's edit was not read")
            if book_changed:
                op.write, op.old = "patch", row["book_card"]
                self._step("update folder", name, f, "household card")
            elif not f_changed:
                return self._same(uid, f)
        elif f is not None:
            op.remove_file = True
            self._step("remove from folder", name, f, "household card of a household no longer in the book")
        elif house is not None:
            op.keep_without_file = True
            self._step("kept in book", name, None, "household card deleted in the folder; not written again")
        else:
            op.forget = True
        self.ops.append(op)

    # ------------------------------------------------------------ the outcome

    def has_work(self) -> bool:
        return bool(self.ops or self.touched)

    def changes_book(self) -> bool:
        return any(op.take or op.remove_contact or op.tag for op in self.ops)

    def report(self, dry_run: bool) -> SyncReport:
        return SyncReport(self.folder, list(self.steps), self.unchanged, dry_run, warnings=list(self.warnings))

    # ------------------------------------------------------------ doing it

    def apply(self, today: dt.date) -> None:
        """Everything decided, inside the caller's transaction: the book, then the files, then the rows."""
        from cardkeep.store import book as store

        self._import(today)
        for op in self.ops:
            if op.remove_contact:
                store.remove_contact(self.db, op.remove_contact)
            if op.tag:
                self.db.execute("insert or ignore into contact_tags (contact_id, tag) values (?, ?)", [op.tag, NO_SYNC])
        people, groups = self._book()
        if any(op.take is not None for op in self.ops):
            self._follow(people)
        pending = [done for op in self.ops if (done := self._finish(op, people, groups)) is not None]
        write_files([(path, data) for _, _, _, path, data, wrote in pending if wrote])
        for op, record, render, path, data, _ in pending:
            info = path.stat()
            self._save(op, record, path.name, (vdir.digest(data), info.st_mtime_ns, info.st_size), render,
                       vdir.card_state(vdir.read_card(path, data)))
        for uid, f in self.touched:
            self.db.execute(
                "update sync_items set mtime_ns = ?, size = ? where folder = ? and uid = ?",
                [f.mtime_ns, f.size, str(self.folder), uid],
            )

    def _follow(self, people: dict[str, tuple[dict, dict]]) -> None:
        """What the folder's changes did to others in the book (a move is the whole household's): their
        cards are written too, in this sync rather than the next."""
        from cardkeep.formats.vcard import write_card

        done = {op.uid for op in self.ops}
        files = {f.uid: f for f in self.files}
        for uid, row in self._rows().items():
            book, f = people.get(uid), files.get(uid)
            if uid in done or row["kind"] != "person" or not row["file"] or book is None or f is None:
                continue
            if not vdir_tagged(book[0]) and write_card(book[0], book[1], "4.0") != row["book_card"]:
                self.ops.append(_Op(uid, "person", row, f, write="patch", old=row["book_card"]))
                self._step("update folder", book[0]["name"], f, "changed in the book by this sync")
                self.unchanged -= 1

    def _import(self, today: dt.date) -> None:
        from cardkeep.formats.apply import apply_plan
        from cardkeep.formats.matching import plan_import
        from cardkeep.formats.records import ReadResult

        taken = [op for op in self.ops if op.take is not None]
        if not taken:
            return
        read = ReadResult(people=[op.take for op in taken if op.take is not None])
        plan = plan_import(self.db, read, households=True, default_country=self.default_country)
        apply_plan(self.db, plan, today=today)
        self.warnings += plan.warnings
        by_person = {id(op.take): op for op in taken}
        for entry in plan.entries:  # the book's UID is the row's key
            op = by_person.get(id(entry.person))
            if op is None or entry.contact_id is None:
                continue
            (uid,) = self.db.execute("select uid from contacts where id = ?", [entry.contact_id]).fetchone()
            was, op.uid = op.uid, normal_uid(uid) or op.uid
            if op.uid == was or entry.action == "add":
                continue
            # A card without a UID that import matched to someone in the book (by name and address): one
            # person, one file; the book's card is written into it, and no second file is made.
            op.write = op.write or "patch"
            for step in self.steps:
                if step.uid == was and step.action == "add to book":
                    step.action, step.details = "update book", f"the same person as {entry.label} in the book"
            self.ops = [o for o in self.ops if o is op or not (o.uid == op.uid and o.write == "new")]
            self.steps = [s for s in self.steps if not (s.uid == op.uid and s.action == "add to folder")]

    def _finish(self, op: _Op, people, groups):
        """Removes a file or a row at once; returns (op, record, render, path, data, to write) for a card
        in the folder, written (all together) and recorded by `apply`."""
        from cardkeep.formats.vcard import write_card, write_group

        record = (people.get(op.uid) if op.kind == "person" else groups.get(op.uid))
        if op.take is not None and record is None:
            # Not in the book after the import (a group none of whose members was new): the card is left
            # alone and untracked, never taken later for one deleted in the book.
            return None
        render = None
        if record is not None:
            render = write_card(record[0], record[1], "4.0") if op.kind == "person" else write_group(record, "4.0")
        path = self.folder / op.file.name if op.file else None
        if op.remove_file and path is not None:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise InvalidInput(f"cannot remove {path}: {exc.strerror or exc}; nothing synced") from None
        if op.forget or op.remove_contact or op.remove_file:
            self.db.execute("delete from sync_items where folder = ? and uid = ?", [str(self.folder), op.uid])
            return
        if op.keep_without_file:
            self._save(op, record, None, None, render, None)
            return
        data = op.file.data if op.file else None
        wrote = False
        if op.write and record is not None:
            if op.write == "new" or path is None:
                path = self.folder / (op.name or self._new_name(op.uid))
                if self.version == "4.0" and render is not None:
                    text = render
                elif op.kind == "person":
                    text = write_card(record[0], record[1], self.version)
                else:
                    text = write_group(record, self.version)
                data, wrote = text.encode("utf-8"), True
            else:
                original = data if data is not None else read_input(path)
                version = vdir.card_version(original)
                new = write_card(record[0], record[1], version) if op.kind == "person" else write_group(record, version)
                data = vdir.patch_card(original, op.old, new)
                wrote = data != original
        if path is None:
            return None
        if data is None:
            data = read_input(path)
        return op, record, render, path, data, wrote

    def _save(self, op: _Op, record, name, stat, render, state) -> None:
        record_id = key = None
        if record is not None:
            record_id = record[0]["id"] if op.kind == "person" else record["id"]
            key = book_key(record[0], record[1]) if op.kind == "person" else None
        file_hash, mtime_ns, size = stat or (None, None, None)
        self.db.execute(
            """insert into sync_items (folder, uid, kind, record_id, file, file_hash, mtime_ns, size, book_card,
                   book_key, file_card) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               on conflict (folder, uid) do update set kind = excluded.kind, record_id = excluded.record_id,
                   file = excluded.file, file_hash = excluded.file_hash, mtime_ns = excluded.mtime_ns,
                   size = excluded.size, book_card = excluded.book_card, book_key = excluded.book_key,
                   file_card = excluded.file_card""",
            [str(self.folder), op.uid, op.kind, record_id, name, file_hash, mtime_ns, size, render, key, state],
        )


_FSYNC_EACH = 32  # up to this many files, an fsync each


def write_files(files: list[tuple[Path, bytes]]) -> None:
    """Write each file atomically (a temporary file in the folder, flushed to disk, then a rename).
    Many files are flushed together, with one `os.sync` rather than an fsync each (5,000 new cards:
    3 s, not 20); a few are flushed one by one (an `os.sync` flushes every disk of the machine)."""
    import os
    import tempfile

    from cardkeep.errors import CardkeepError
    from cardkeep.fileio import check_output

    temporary: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            check_output(path)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporary.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if len(files) <= _FSYNC_EACH:
                    handle.flush()
                    os.fsync(handle.fileno())
        if len(files) > _FSYNC_EACH:
            os.sync()
        for tmp, path in temporary:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in temporary:
            Path(tmp).unlink(missing_ok=True)
        raise CardkeepError(f"cannot write {exc.filename or 'the folder'}: {exc.strerror or exc}") from None


def book_key(contact: dict[str, Any], house: dict[str, Any]) -> str:
    """A digest of everything a person's card is written from: the same digest, the same card."""
    import hashlib

    return hashlib.blake2b(repr((contact, house["address"], house["tags"])).encode("utf-8"), digest_size=16).hexdigest()


def _last_name(row: dict[str, Any] | None) -> str | None:
    """The name a card had at the last sync."""
    import json

    return json.loads(row["file_card"]).get("name") if row and row["file_card"] else None


def vdir_tagged(contact: dict[str, Any]) -> bool:
    return NO_SYNC in contact.get("tags", ())


def _free_name(name: str, names: set[str]) -> str:
    """`name`, or `name` with `_n2`, `_n3`... when another file has it (as `export` names twins)."""
    stem, count, chosen = name[: -len(".vcf")], 1, name
    while chosen in names:
        count += 1
        chosen = f"{stem}_n{count}.vcf"
    names.add(chosen)
    return chosen
