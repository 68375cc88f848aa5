"""Moving the book in and out: `import` (vCard, CSV, JSON) and `export` (vCard, CSV, JSON)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cardkeep.cli import output
from cardkeep.cli._app import JsonOption, TodayOption, app, get_db, resolve_today
from cardkeep.errors import CardkeepError, InvalidInput, UsageError

FORMATS_IN = ("auto", "vcard", "csv", "json")
FORMATS_OUT = ("json", "vcard", "csv")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CardkeepError(f"{path}: cannot read ({exc.strerror})") from None


def _is_json(path: Path, data: bytes, fmt: str) -> bool:
    if fmt != "auto":
        return fmt == "json"
    return path.suffix.lower() == ".json" or data.lstrip()[:1] == b"{"


@app.command("export")
def export(
    format: Annotated[str, typer.Option("--format", "-f", metavar="json|vcard|csv", help="What to write.")] = "json",
    version: Annotated[
        str, typer.Option("--version", metavar="4.0|3.0", help="vCard version (3.0 for older phones).")
    ] = "4.0",
    tag: Annotated[str | None, typer.Option("--tag", help="Only households tagged so (directly or a member).")] = None,
    per: Annotated[
        str,
        typer.Option(
            "--per",
            metavar="household|contact",
            help="CSV: a row per household (mailing name, formatted address) or per person.",
        ),
    ] = "household",
    output_path: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE|DIR",
            help="Write here (default: stdout). A folder for vCard writes one file per card (a vdir).",
        ),
    ] = None,
) -> None:
    """Export the book: JSON (everything, lossless), vCard (for phones) or CSV (for spreadsheets)."""
    from cardkeep.store import book

    if format not in FORMATS_OUT:
        raise UsageError(f"--format {format!r}: choose {', '.join(FORMATS_OUT)}")
    db = get_db()
    ids = book.households_with_tag(db, tag) if tag is not None else None
    if format == "json":
        import json

        from cardkeep.formats.jsonbook import export_book

        _write(output_path, json.dumps(export_book(db, ids), ensure_ascii=False, indent=2) + "\n")
        return
    from cardkeep.formats.jsonbook import load_households

    households = load_households(db, ids)
    if format == "csv":
        from cardkeep.formats.csvfile import export_csv
        from cardkeep.printing.addressing import sender_from_config, sender_language

        sender = sender_from_config()
        home = str(sender["country"]).upper() if sender.get("country") else None
        text = export_csv(households, per=per, home=home, language=sender_language(sender))
        _write(output_path, text, bom=bool(output_path and output_path != "-"))
        return
    from cardkeep.formats.vcard import export_cards, vdir_filename

    cards = export_cards(households, version)
    if output_path and (Path(output_path).is_dir() or output_path.endswith(("/", "\\"))):
        from cardkeep.fileio import write_atomic

        folder = Path(output_path)
        for uid, text in cards:
            write_atomic(folder / vdir_filename(uid), text, private=True)
        print(f"Wrote {len(cards)} cards to {folder}", file=sys.stderr)
        return
    _write(output_path, "".join(text for _, text in cards))


def _write(path: str | None, text: str, *, bom: bool = False) -> None:
    if path and path != "-":
        from cardkeep.fileio import write_atomic

        # A BOM tells spreadsheet programs the CSV is UTF-8.
        write_atomic(path, ("\ufeff" if bom else "") + text, private=True)
        print(f"Wrote {path}", file=sys.stderr)
    else:
        sys.stdout.write(text)


@app.command("import")
def import_(
    files: Annotated[
        list[str],
        typer.Argument(metavar="FILE|DIR...", help="vCard, CSV or cardkeep JSON files, vdir folders (- for stdin)."),
    ],
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="auto|vcard|csv|json", help="What the files are (auto: by name and content)."
        ),
    ] = "auto",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added, merged and skipped; write nothing.")
    ] = False,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Tag everyone imported; repeat for more.")] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", metavar="COLUMN=FIELD", help="CSV: which column holds what; repeat.")
    ] = None,
    on_conflict: Annotated[
        str,
        typer.Option(
            "--on-conflict",
            metavar="merge|skip|new",
            help="Someone already in the book: merge (add what is new, overwrite nothing), skip, or add again.",
        ),
    ] = "merge",
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Import the rest when some records are malformed.")
    ] = False,
    no_households: Annotated[
        bool, typer.Option("--no-households", help="Do not put people at one address with one family name together.")
    ] = False,
    json: JsonOption = False,
    today: TodayOption = None,
) -> None:
    """Import contacts. All or nothing: a malformed record imports nothing unless --skip-bad."""
    from cardkeep.config import section
    from cardkeep.formats import records as importing
    from cardkeep.formats.csvfile import parse_map

    if format not in FORMATS_IN:
        raise UsageError(f"--format {format!r}: choose {', '.join(FORMATS_IN)}")
    if on_conflict not in importing.ON_CONFLICT:
        raise UsageError(f"--on-conflict {on_conflict!r}: choose {', '.join(importing.ON_CONFLICT)}")
    mapping = parse_map(map_)
    db = get_db()
    read = importing.ReadResult()
    json_houses: list[dict[str, Any]] = []
    for path, data in _inputs(files, format):
        if _is_json(path, data, format):
            json_houses += _check_json(path, data)
            continue
        got = importing.reader_for(path, data, format).read(data, str(path), mapping=mapping)
        read.people += got.people
        read.problems += got.problems
        read.warnings += got.warnings
    country = section("sender").get("country")
    plan = importing.plan_import(
        db,
        read,
        on_conflict=on_conflict,
        households=not no_households,
        tags=tag or (),
        default_country=str(country).upper() if country else None,
    )
    from cardkeep.formats.jsonbook import match_households

    json_write, json_skipped = match_households(db, json_houses, on_conflict=on_conflict)
    extra_tags = {t for t in (importing.clean_tag(t) for t in tag or ()) if t}
    for house in json_write:
        for member in house["members"]:
            member["tags"] = sorted(set(member["tags"]) | extra_tags)
    refuse = bool(plan.problems) and not skip_bad
    if dry_run:
        _report(plan, json_write, json_skipped, dry_run=True, as_json=json, refused=refuse)
    if refuse:
        shown = "; ".join(str(p) for p in plan.problems[:5])
        more = f" and {len(plan.problems) - 5} more" if len(plan.problems) > 5 else ""
        raise InvalidInput(f"{shown}{more}. Nothing imported (use --skip-bad to import the rest)")
    if dry_run:
        return
    day = resolve_today(today)
    _backup(db)
    from cardkeep.formats.jsonbook import write_household
    from cardkeep.store.db import transaction

    with transaction(db):
        importing.apply_plan(db, plan, today=day)
        for house in json_write:
            write_household(db, house, today=day.isoformat())
    _report(plan, json_write, json_skipped, dry_run=False, as_json=json, refused=False)


def _inputs(files: list[str], fmt: str):
    from cardkeep.formats.records import expand_paths

    for name in files:
        if name == "-":
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
            yield Path("<stdin>"), data
            continue
        for path in expand_paths([name]):
            yield path, _read_bytes(path)


def _check_json(path: Path, data: bytes) -> list[dict[str, Any]]:
    from cardkeep.formats.jsonbook import check_book, load_json

    name = "-" if str(path) == "<stdin>" else str(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CardkeepError(f"{name}: not UTF-8 text") from None
    return check_book(load_json(text, source=name), source=name)


def _backup(db) -> None:
    """A copy of the book before it changes."""
    from cardkeep.store import backup

    backup.auto_backup(db, "import")


def _report(plan, json_write, json_skipped, *, dry_run: bool, as_json: bool, refused: bool) -> None:
    from cardkeep.store import book

    summary = plan.summary()
    summary["added"] += sum(len(h["members"]) for h in json_write)
    summary["households"] += len(json_write)
    summary["skipped"] += len(json_skipped)
    if as_json:
        data = plan.as_json()
        data.update(summary)
        data["dry_run"] = dry_run
        data["imported"] = not dry_run and not refused
        data["json_households"] = {
            "added": [h["mailing_name"] or ", ".join(m["name"] for m in h["members"]) for h in json_write],
            "skipped": [{"members": [m["name"] for m in h["members"]], "why": why} for h, why in json_skipped],
        }
        output.print_json(data)
        return
    verb = "Would import" if dry_run else "Imported"
    line = f"{verb} {summary['households']} households, {summary['added']} people"
    extras = [f"{summary[k]} {k}" for k in ("merged", "unchanged", "skipped", "bad") if summary[k]]
    output.echo(f"{line}{'; ' if extras else ''}{', '.join(extras)}")
    rows = []
    if dry_run:
        for index, house in enumerate(plan.households):
            names = ", ".join(m.person.name for m in house.members)
            where = book.hid(house.existing_id) if house.existing_id else f"new household {index + 1}"
            why = f" ({house.reason})" if house.reason else ""
            rows.append(["add", names, where + why, house.members[0].person.source])
        for house in json_write:
            rows.append(["add", ", ".join(m["name"] for m in house["members"]), "new household", "json"])
    for entry in plan.entries:
        if entry.action == "merge":
            rows.append(["merge", entry.label, "", ", ".join(entry.changes)])
        elif entry.action == "skip":
            rows.append(["skip", entry.label, "", "already in the book (--on-conflict skip)"])
        elif entry.action == "unchanged" and dry_run:
            rows.append(["unchanged", entry.label, "", "already in the book"])
    for house, why in json_skipped:
        rows.append(["skip", ", ".join(m["name"] for m in house["members"]), "", why])
    for problem in plan.problems:
        rows.append(["bad" if not refused else "error", problem.name or "", "", str(problem)])
    if rows:
        if output.is_terminal():  # names and notes are data: never let "[bold]" in a name become markup
            from rich.markup import escape

            rows = [[escape(cell) for cell in row] for row in rows]
        output.print_table(rows, ["action", "who", "household", "details"])
    for warning in plan.warnings:
        output.warn(warning)
