"""Moving the book in and out: `export` and `import`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cardkeep import output
from cardkeep.cli._app import TodayOption, app, get_db, resolve_today
from cardkeep.errors import CardkeepError, UsageError


def read_input(path: str) -> str:
    """The text of FILE, or of stdin for `-`; an unreadable file is one clear error."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CardkeepError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise CardkeepError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise CardkeepError(f"{path}: cannot read ({exc.strerror})") from None


@app.command("export")
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="json")] = "json",
    output_path: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write here (default: stdout).")
    ] = None,
) -> None:
    """Export the whole book (JSON interchange format, version 1)."""
    import json

    from cardkeep.interchange import export_book

    if format != "json":
        raise UsageError(f"--format {format!r}: this version exports json")
    text = json.dumps(export_book(get_db()), ensure_ascii=False, indent=2) + "\n"
    if output_path and output_path != "-":
        from cardkeep.fileio import write_atomic

        write_atomic(output_path, text, private=True)
        print(f"Wrote {output_path}", file=sys.stderr)
    else:
        sys.stdout.write(text)


@app.command("import")
def import_(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="cardkeep JSON exports (- for stdin).")],
    today: TodayOption = None,
) -> None:
    """Import a cardkeep JSON export. All or nothing: a bad record imports nothing."""
    from cardkeep.db import transaction
    from cardkeep.interchange import check_book, load_json, write_household

    db = get_db()
    checked = []
    for name in files:
        data = load_json(read_input(name), source=name)
        checked.append(check_book(data, source=name))
    day = resolve_today(today).isoformat()
    with transaction(db):
        for houses in checked:
            for house in houses:
                write_household(db, house, today=day)
    households = sum(len(h) for h in checked)
    contacts = sum(len(house["members"]) for h in checked for house in h)
    output.echo(f"Imported {households} households, {contacts} people")
