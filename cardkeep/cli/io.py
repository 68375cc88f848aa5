"""Moving the book in and out: `import` (vCard, CSV, JSON) and `export` (vCard, CSV, JSON)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cardkeep.cli import complete, output
from cardkeep.cli._app import JsonOption, TodayOption, app, choice, get_db, resolve_today
from cardkeep.errors import InvalidInput, UsageError


@app.command("export")
def export(
    format: Annotated[
        str | None, typer.Option("--format", "-f", metavar="json|vcard|csv", help="What to write (default: json; csv with --profile).")
    ] = None,
    version: Annotated[
        str, typer.Option("--version", metavar="4.0|3.0", callback=choice("3.0", "4.0"), help="vCard version (3.0 for older phones).")
    ] = "4.0",
    tag: Annotated[str | None, typer.Option("--tag", metavar="TAG", autocompletion=complete.tags, help="Only households tagged so (directly or a member).")] = None,
    per: Annotated[
        str,
        typer.Option(
            "--per",
            metavar="household|contact",
            callback=choice("household", "contact"),
            help="CSV: a row per household (mailing name, formatted address) or per person.",
        ),
    ] = "household",
    profile: Annotated[
        str,
        typer.Option(
            "--profile",
            metavar="cardkeep|google|outlook|mailmerge",
            callback=choice("cardkeep", "google", "outlook", "mailmerge"),
            help="CSV for Google Contacts, Outlook, or a mail merge (salutation, mailing name, address lines).",
        ),
    ] = "cardkeep",
    everyone: Annotated[
        bool, typer.Option("--everyone", help="Mail merge: keep do-not-send households and the deceased too.")
    ] = False,
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
    """Export the book: JSON (everything), vCard (for phones) or CSV (for spreadsheets)."""
    from cardkeep.services.io import FORMATS_OUT, export_book

    if format is None:
        format = "csv" if profile != "cardkeep" else "json"
    if format not in FORMATS_OUT:
        raise UsageError(f"--format {format!r}: choose {', '.join(FORMATS_OUT)}")
    if profile != "cardkeep" and format != "csv":
        raise UsageError(f"--profile {profile} writes CSV: leave out --format {format}")
    if everyone and profile != "mailmerge":
        raise UsageError("--everyone is for --profile mailmerge")
    home, language = None, "en"
    if format == "csv":
        from cardkeep.printing.addressing import sender_from_config, sender_language

        sender = sender_from_config()
        home = str(sender["country"]).upper() if sender.get("country") else None
        language = sender_language(sender)
    exported = export_book(get_db(), format, tag=tag, version=version, per=per, home=home, language=language,
                           profile=profile, everyone=everyone)
    if format == "vcard" and output_path and (Path(output_path).is_dir() or output_path.endswith(("/", "\\"))):
        from cardkeep.services.io import write_vdir

        folder = Path(output_path)
        folder.mkdir(parents=True, exist_ok=True)
        written, removed = write_vdir(folder, exported.cards)
        gone = f"; removed {output.plural(removed, 'card')} of people no longer in the book" if removed else ""
        print(f"Wrote {output.plural(written, 'card')} to {folder}{gone}", file=sys.stderr)
        return
    _write(output_path, exported.text, bom=format == "csv" and bool(output_path and output_path != "-"))


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
    tag: Annotated[list[str] | None, typer.Option("--tag", metavar="TAG", autocompletion=complete.tags, help="Tag everyone imported; repeat for more.")] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", metavar="COLUMN=FIELD", help="CSV: which column holds what; repeat.")
    ] = None,
    on_conflict: Annotated[
        str,
        typer.Option(
            "--on-conflict",
            metavar="merge|skip|new",
            help="Someone already in the book: merge (the same UID: update what changed, a new address is a move; else add what is new), skip, or add again.",
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
    from cardkeep.formats.csvfile import parse_map
    from cardkeep.services.io import FORMATS_IN, STDIN, import_files

    if format not in FORMATS_IN:
        raise UsageError(f"--format {format!r}: choose {', '.join(FORMATS_IN)}")
    mapping = parse_map(map_)
    db = get_db(create=True)
    country = section("sender").get("country")
    stdin = None
    if STDIN in files:
        from cardkeep.fileio import read_input

        stdin = read_input(sys.stdin.buffer, name="standard input")
    report = import_files(
        db,
        files,
        fmt=format,
        dry_run=dry_run,
        skip_bad=skip_bad,
        on_conflict=on_conflict,
        households=not no_households,
        tags=tag or (),
        mapping=mapping,
        default_country=str(country).upper() if country else None,
        today=None if dry_run else resolve_today(today),
        stdin=stdin,
    )
    _report(report, as_json=json)
    if report.refused:
        raise InvalidInput(report.refusal())


ADDRESS_PARTS = ("street", "extended", "city", "region", "postal_code", "country")


def _report(report, *, as_json: bool) -> None:
    from cardkeep.store import book

    if as_json:
        output.print_json(report.as_json())
        return
    plan, json_write, json_skipped = report.plan, report.json.write, report.json.skipped
    dry_run, refused = report.dry_run, report.refused
    summary = report.summary()
    verb = "Would import" if dry_run else "Imported"
    line = f"{verb} {output.plural(summary['households'], 'household')}, {output.plural(summary['added'], 'person', 'people')}"
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
    if dry_run:  # an address read from free text: what went where, to check before importing
        for entry in plan.entries:
            if entry.person.split_address:
                text, parts = entry.person.split_address
                found = ", ".join(f"{k.replace('_', ' ')} {parts[k]}" for k in ADDRESS_PARTS if parts.get(k))
                rows.append(["address", entry.label, "", f"{' / '.join(text.splitlines())} -> {found}"])
    for person, into in plan.same_person:  # one person in two records of the import
        rows.append(["same person", person.name, "", f"{person.source}: merged into {into.person.name} ({into.person.source})"])
    for entry in plan.entries:
        if entry.action == "merge" and dry_run:  # field by field, one change a row
            rows += [["merge" if i == 0 else "", entry.label if i == 0 else "", "", change]
                     for i, change in enumerate(entry.changes)]
        elif entry.action == "merge":
            rows.append(["merge", entry.label, "", "; ".join(entry.changes)])
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
