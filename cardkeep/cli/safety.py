"""Keeping the book safe: `backup`, `restore` and `doctor`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cardkeep.cli import output
from cardkeep.cli._app import JsonOption, TodayOption, app, confirm, get_db, resolve_today, state


@app.command()
def backup(
    path: Annotated[
        str | None,
        typer.Argument(metavar="[PATH]", help="File or directory to write (default: backups/ beside the book)."),
    ] = None,
) -> None:
    """Copy the book to PATH, consistent even while another cardkeep writes; owner-only (0600)."""
    from cardkeep.store import backup as backups

    db = get_db()
    if path is None:
        directory = backups.backup_dir(db.path)
        backups.ensure_backup_dir(directory)
        dest = backups.backup(db, directory)
    else:
        dest = backups.backup(db, path)
    output.echo(str(dest))


@app.command()
def restore(
    path: Annotated[str, typer.Argument(metavar="FILE", help="A backup made by `cardkeep backup` (or any cardkeep database).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")] = False,
) -> None:
    """Replace the book with a checked backup; the current book is backed up first."""
    from cardkeep.services import backup as restoring
    from cardkeep.store.db import check_can_create

    summary = restoring.inspect_book(path)
    target = state.path
    check_can_create(target)  # restore creates a book, but never a tree of directories
    if not yes:
        what = (
            f"{output.plural(summary.households, 'household')}, {output.plural(summary.contacts, 'person', 'people')}, "
            f"{output.plural(summary.cards, 'card')}"
        )
        if not confirm(f"Replace the book at {target} with {path} ({what})?", yes, undone="nothing restored"):
            output.echo("Nothing restored.")
            raise typer.Exit(1)
    restored, saved = restoring.restore(path, target)
    if saved:
        print(f"The book it replaced is saved as {saved}", file=sys.stderr)
    output.echo(f"Restored {output.plural(restored.households, 'household')}, "
                f"{output.plural(restored.contacts, 'person', 'people')} from {path}")


@app.command()
def doctor(json: JsonOption = False, today: TodayOption = None) -> None:
    """List what would make a card go wrong, each with its fix; exit 1 if anything is found.

    Probable duplicates, households with no current address, returned mail, addresses unverified for years (unverified_years in the doctor section of the config, default 3), a mailing name naming someone who died, people with no real name, dates that cannot be right. Run it monthly from cron.
    """
    from cardkeep import doctor as checks

    findings = checks.diagnose(get_db(), today=resolve_today(today))
    if json:
        output.print_json([f.as_dict() for f in findings])
    elif not findings:
        output.echo("No problems found.")
    else:
        esc = output.escape
        for f in findings:
            output.print_styled(output.styled(f"{f.ref} {esc(f.name)}", "bold") + f": {esc(f.problem)}")
            output.print_styled("    fix: " + output.styled(esc(f.fix), "cyan"))
        noun = "problem" if len(findings) == 1 else "problems"
        print(f"{len(findings)} {noun} found", file=sys.stderr)
    if findings:
        raise typer.Exit(1)
