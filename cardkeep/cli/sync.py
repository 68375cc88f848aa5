"""`cardkeep sync DIR`: the book and a folder of vCards (a vdir: khard's, or vdirsyncer's for a phone), both ways."""

from __future__ import annotations

from typing import Annotated

import typer

from cardkeep.cli import output
from cardkeep.cli._app import JsonOption, TodayOption, app, choice, get_db, resolve_today


@app.command("sync")
def sync(
    path: Annotated[str, typer.Argument(metavar="DIR", help="A folder with one .vcf per person (a vdir).")],
    conflict: Annotated[
        str,
        typer.Option(
            "--conflict",
            metavar="merge|book|skip",
            callback=choice("merge", "book", "skip"),
            help="A card changed on both sides since the last sync: merge (each side's changes go to the other; "
            "where both changed one field the folder's wins, a replaced address kept as history), book (the "
            "book's card is written, the folder's edit not read), or skip (leave it, reported, for a later sync).",
        ),
    ] = "merge",
    delete: Annotated[
        bool,
        typer.Option(
            "--delete",
            help="Remove people from the book whose card was deleted in the folder (as `rm` does). Without it "
            "they stay in the book, tagged no-sync, and their card history with them.",
        ),
    ] = False,
    households: Annotated[
        bool,
        typer.Option(
            "--households",
            help="Also write a group card for each household of two or more (4.0 KIND:group with MEMBER, 3.0 "
            "Apple's X-ADDRESSBOOKSERVER-KIND). People only without it.",
        ),
    ] = False,
    version: Annotated[
        str,
        typer.Option(
            "--version",
            metavar="4.0|3.0",
            callback=choice("4.0", "3.0"),
            help="vCard version of new cards (3.0 for iCloud and older phones); a card in the folder keeps its own.",
        ),
    ] = "4.0",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change on each side; write nothing.")] = False,
    json: JsonOption = False,
    today: TodayOption = None,
) -> None:
    """Sync the book with a folder of vCards, both ways: new, changed and deleted cards.

    What each card looked like at the last sync is kept in the book, so each side's changes are told
    apart. From the folder, only the fields it changed are read (a new address is a move, the old one
    kept). Into the folder, only what the book changed is written: a card's photo, phone types and other
    fields cardkeep does not keep stay as they are. A person tagged no-sync is left out. The book is backed
    up first and changes in one transaction; a malformed card stops the sync before anything changes.
    Use vdirsyncer to carry the folder to a CardDAV server (README: "Sync with your phone")."""
    from cardkeep.config import section
    from cardkeep.services.sync import sync_folder

    db = get_db(create=True)
    country = section("sender").get("country")
    report = sync_folder(
        db,
        path,
        conflict=conflict,
        delete=delete,
        households=households,
        version=version,
        dry_run=dry_run,
        default_country=str(country).upper() if country else None,
        today=None if dry_run else resolve_today(today),
    )
    if json:
        output.print_json(report.as_json())
        return
    counts = report.summary()
    verb = "Would sync" if dry_run else "Synced"
    parts = [f"{n} {what.replace('_', ' ')}" for what, n in counts.items() if n and what != "unchanged"]
    parts.append(f"{counts['unchanged']} unchanged")
    output.echo(f"{verb} {report.folder}: {', '.join(parts)}")
    if report.steps:
        rows = [[s.action, s.who, s.file or "", s.details] for s in report.steps]
        if output.is_terminal():  # names are data: never let "[bold]" in a name become markup
            from rich.markup import escape

            rows = [[escape(cell) for cell in row] for row in rows]
        output.print_table(rows, ["action", "who", "file", "details"])
    for warning in report.warnings:
        output.warn(warning)
