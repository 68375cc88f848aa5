"""Import and export as library calls; the CLI (`cardkeep.cli.io`) parses, calls these, prints.

`import_files` reads vCard, CSV and cardkeep JSON files (outside any transaction), then, unless it is
a dry run, backs the book up and, in one write transaction, matches everyone against the book and
writes it all: matching under the write lock is what keeps two imports at once from adding twice.
`export_book` writes the book (or the households with a tag) as JSON, vCard or CSV text, from a
few queries for the whole book read in one snapshot.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardkeep.errors import InvalidInput, UsageError
from cardkeep.fileio import read_input
from cardkeep.formats import jsonbook
from cardkeep.formats.apply import apply_plan
from cardkeep.formats.matching import ON_CONFLICT, ImportPlan, plan_import
from cardkeep.formats.records import ReadResult, expand_paths, reader_for
from cardkeep.store import book
from cardkeep.store.db import Database, snapshot, transaction
from cardkeep.store.load import no_cycle_collection

FORMATS_IN = ("auto", "vcard", "csv", "json")
FORMATS_OUT = ("json", "vcard", "csv")
STDIN = "-"


# ---------------------------------------------------------------- import


@dataclass
class ImportReport:
    """What an import did (or, for a dry run or a refused import, would do)."""

    plan: ImportPlan  # vCard and CSV people
    json: jsonbook.BookImport  # cardkeep JSON households
    dry_run: bool
    refused: bool  # malformed records and no `skip_bad`: nothing was (or would be) written
    backup: Path | None = None  # the copy taken before writing, if any

    @property
    def imported(self) -> bool:
        return not self.dry_run and not self.refused

    def summary(self) -> dict[str, int]:
        counts = self.plan.summary()
        counts["added"] += sum(len(h["members"]) for h in self.json.write)
        counts["households"] += len(self.json.write)
        counts["skipped"] += len(self.json.skipped)
        return counts

    def refusal(self) -> str:
        problems = self.plan.problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
        return f"{shown}{more}. Nothing imported (use --skip-bad to import the rest)"

    def as_json(self) -> dict[str, Any]:
        data = self.plan.as_json()
        data.update(self.summary())
        data["dry_run"] = self.dry_run
        data["imported"] = self.imported
        data["json_households"] = {
            "added": [h["mailing_name"] or ", ".join(m["name"] for m in h["members"]) for h in self.json.write],
            "skipped": [{"members": [m["name"] for m in h["members"]], "why": why} for h, why in self.json.skipped],
        }
        return data


def import_files(
    db: Database,
    files: Sequence[str | Path],
    *,
    fmt: str = "auto",
    dry_run: bool = False,
    skip_bad: bool = False,
    on_conflict: str = "merge",
    households: bool = True,
    tags: Iterable[str] = (),
    mapping: dict[str, str] | None = None,
    default_country: str | None = None,
    today: dt.date | None = None,
    stdin: bytes | None = None,
) -> ImportReport:
    """Import contact files and folders (vdirs) into the book, all or nothing.

    `files` may name `-` for `stdin`'s bytes. Every file is read and every record checked before
    anything is written. A dry run returns what would happen and writes nothing. Otherwise malformed
    records refuse the whole import (InvalidInput) unless `skip_bad`; then the book is backed up and
    everything is written in one transaction, on `today` (required unless `dry_run`).
    `on_conflict`, `households`, `tags`, `mapping` (CSV `--map`) and `default_country` (for
    addresses without one): see `cardkeep.formats.matching.plan_import`."""
    if fmt not in FORMATS_IN:
        raise UsageError(f"--format {fmt!r}: choose {', '.join(FORMATS_IN)}")
    if on_conflict not in ON_CONFLICT:
        raise UsageError(f"--on-conflict {on_conflict!r}: choose {', '.join(ON_CONFLICT)}")
    tags = list(tags)
    read = ReadResult()
    json_houses: list[dict[str, Any]] = []
    # Reading and matching build many small objects that hold no cycles: with the cycle collector's
    # repeated scans paused, 10,000 cards read and match in about two thirds of the time.
    with no_cycle_collection():
        for path, data in _inputs(files, stdin):
            if _is_json(path, data, fmt):
                json_houses += _check_json(path, data)
                continue
            got = reader_for(path, data, fmt).read(data, str(path), mapping=mapping or {})
            read.people += got.people
            read.problems += got.problems
            read.warnings += got.warnings

    def decide() -> tuple[ImportPlan, jsonbook.BookImport]:
        planned = jsonbook.plan_book(db, json_houses, on_conflict=on_conflict, tags=tags)
        people = ReadResult(read.people + planned.updates, read.problems, read.warnings)  # JSON matched by UID
        plan = plan_import(
            db, people, on_conflict=on_conflict, households=households, tags=tags, default_country=default_country
        )
        return plan, planned

    refused = bool(read.problems) and not skip_bad  # malformed records: known before matching anyone
    if dry_run or refused:
        with snapshot(db), no_cycle_collection():
            report = ImportReport(*decide(), dry_run=dry_run, refused=refused)
        if dry_run:
            return report
        raise InvalidInput(report.refusal())
    if today is None:
        raise TypeError("import_files: today is required unless dry_run")
    from cardkeep.store import backup

    saved = backup.auto_backup(db, "import")
    # Matched inside the write transaction (BEGIN IMMEDIATE): two imports of one file at once
    # take turns, and the second finds everyone the first added.
    with transaction(db), no_cycle_collection():
        plan, planned = decide()
        apply_plan(db, plan, today=today)
        jsonbook.write_households(db, planned.write, today=today.isoformat())
    return ImportReport(plan, planned, dry_run=False, refused=False, backup=saved)


def _inputs(files: Sequence[str | Path], stdin: bytes | None) -> Iterator[tuple[Path, bytes]]:
    for name in files:
        if str(name) == STDIN:
            yield Path("<stdin>"), stdin or b""
            continue
        for path in expand_paths([str(name)]):
            yield path, read_input(path)


def _is_json(path: Path, data: bytes, fmt: str) -> bool:
    if fmt != "auto":
        return fmt == "json"
    return path.suffix.lower() == ".json" or data.lstrip()[:1] == b"{"


def _check_json(path: Path, data: bytes) -> list[dict[str, Any]]:
    name = STDIN if str(path) == "<stdin>" else str(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{name}: not UTF-8 text") from None
    houses = jsonbook.check_book(jsonbook.load_json(text, source=name), source=name)
    for index, house in enumerate(houses):
        house["source"] = f"{name}: households[{index}]"  # where a re-import's changes came from
    return houses


# ---------------------------------------------------------------- export


@dataclass(frozen=True)
class Export:
    """An export: its text, and for vCard the cards one by one (file name in a vdir, card)."""

    fmt: str
    body: str = ""
    cards: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(card for _, card in self.cards) if self.fmt == "vcard" else self.body


def export_book(
    db: Database,
    fmt: str = "json",
    *,
    tag: str | None = None,
    version: str = "4.0",
    per: str = "household",
    home: str | None = None,
    language: str = "en",
    profile: str = "cardkeep",
    everyone: bool = False,
) -> Export:
    """The book, or the households tagged `tag` (directly or through a member), as `fmt`:

    json (everything, lossless), vcard (`version` 4.0 or 3.0: a card per person and a group card
    per household that needs one) or csv (a row `per` household or contact, or the `profile`
    google, outlook or mailmerge, `everyone` keeping do-not-send and the deceased in a mail merge;
    `home`, the sender's country, and `language` decide how addresses are written)."""
    if fmt not in FORMATS_OUT:
        raise UsageError(f"--format {fmt!r}: choose {', '.join(FORMATS_OUT)}")
    with snapshot(db):
        ids = book.households_with_tag(db, tag) if tag is not None else None
        if fmt == "json":
            document = jsonbook.dump_book(db, ids)
        else:
            from cardkeep.formats.dump import dump_households

            households = dump_households(db, ids)
    if fmt == "json":
        return Export(fmt, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    if fmt == "csv":
        from cardkeep.formats.csvwrite import export_csv

        text = export_csv(households, per=per, profile=profile, home=home, language=language, everyone=everyone)
        return Export(fmt, text)
    from cardkeep.formats.vcard import export_cards, vdir_filename

    return Export(fmt, cards=[(vdir_filename(uid), card) for uid, card in export_cards(households, version)])


def write_vdir(folder: Path, cards: list[tuple[str, str]]) -> tuple[int, int]:
    """Write each card to its own file in `folder` (a vdir, as khard and vdirsyncer read), each file
    atomically, and remove the cards cardkeep wrote there before for people no longer exported
    (recognised by cardkeep's PRODID; any other file is left alone). Returns (written, removed)."""
    from cardkeep.fileio import write_atomic
    from cardkeep.formats.vcard import written_by_cardkeep

    names: set[str] = set()
    for name, text in cards:
        stem, count = name[: -len(".vcf")], 1
        while name in names:  # two cards with one UID: never one file for both ("_n" is no escape)
            count += 1
            name = f"{stem}_n{count}.vcf"
        names.add(name)
        write_atomic(folder / name, text, private=True)
    removed = 0
    for path in sorted(folder.iterdir()):
        if path.name in names or path.suffix.lower() not in (".vcf", ".vcard") or not path.is_file():
            continue
        with path.open("rb") as handle:
            head = handle.read(4096)
        if written_by_cardkeep(head):
            path.unlink()
            removed += 1
    return len(cards), removed
