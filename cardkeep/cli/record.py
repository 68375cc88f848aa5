"""Fixing the record: `cardkeep card list|edit|rm`, `cardkeep notes list|edit|rm`, `cardkeep date edit`.

Every change prints what it replaced, as the command that puts it back: nothing recorded is lost to
a slip of the keyboard. Removals ask first (`--yes` for scripts).
"""

from __future__ import annotations

import shlex
import sys
from typing import Annotated, Any

import typer

from cardkeep.cli import complete, output
from cardkeep.cli._app import JsonOption, app, check_date, check_occasion, check_partial_date, confirm as ask, get_db
from cardkeep.cli.dates import date_app
from cardkeep.errors import CardkeepError, UsageError

Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")]

card_app = typer.Typer(help="List, correct and remove recorded cards (ids such as k12).", no_args_is_help=True)
app.add_typer(card_app, name="card")
notes_app = typer.Typer(help="List, correct and remove notes (ids such as n5).", no_args_is_help=True)
app.add_typer(notes_app, name="notes")


def confirm(question: str, yes: bool) -> None:
    """Ask `question` unless `yes`; "no" ends the command with exit 1 and a line saying nothing changed."""
    if not ask(question, yes, undone="nothing changed"):
        print("Nothing changed.", file=sys.stderr)
        raise typer.Exit(1)


def _quote(value: Any) -> str:
    return shlex.quote(str(value))


def _card_line(card: dict[str, Any]) -> str:
    what = f"{card['year']} {card['occasion']} card {card['direction']}"
    details = [f"on {card['date']}" if card["date"] else "", card["design"] and f"design {card['design']!r}"]
    return " ".join(part for part in [what, *details] if part)


# ---------------------------------------------------------------- cards


@card_app.command("list")
def card_list(
    who: Annotated[str, typer.Argument(metavar="WHO", autocompletion=complete.people, help="A household or person.")],
    json: JsonOption = False,
) -> None:
    """Every card recorded for a household, oldest first, with its id.
    """
    from cardkeep.plan import history
    from cardkeep.store import book

    db = get_db()
    cards = history.list_cards(db, book.resolve_household(db, who))
    if json:
        output.print_json(cards)
        return
    output.print_table(
        ([c["id"], c["year"], c["occasion"], c["direction"], c["date"], c["design"], "yes" if c["returned"] else ""]
         for c in cards),
        ["id", "year", "occasion", "direction", "date", "design", "came back"],
    )


@card_app.command("edit")
def card_edit(
    card: Annotated[str, typer.Argument(metavar="CARD", help="A card id such as k12 (`card list WHO`).")],
    year: Annotated[int | None, typer.Option("--year", metavar="YEAR", help="The season it belongs to.")] = None,
    occasion: Annotated[str | None, typer.Option("--occasion", metavar="OCCASION", callback=check_occasion)] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", callback=check_date)] = None,
    design: Annotated[str | None, typer.Option("--design", metavar="DESIGN", help='"" clears it.')] = None,
    message: Annotated[str | None, typer.Option("--message", metavar="TEXT", help='"" clears it.')] = None,
    news: Annotated[str | None, typer.Option("--news", metavar="TEXT", help='"" clears it.')] = None,
    returned: Annotated[
        bool | None, typer.Option("--returned/--not-returned", help="The card came back (or did not after all).")
    ] = None,
) -> None:
    """Correct a recorded card; prints the command that puts the old values back.
    """
    from cardkeep.dates import parse_iso_date
    from cardkeep.plan import history

    db = get_db()
    card_id = history.parse_card_ref(card)
    changes = {"year": year, "occasion": occasion, "date": parse_iso_date(date, what="--date") if date else None,
               "design": design, "message": message, "news": news, "returned": returned}
    before = history.edit_card(db, card_id, changes)
    undo = [f"--{key} {_quote(before[key] if before[key] is not None else '')}"
            for key in ("year", "occasion", "date", "design", "message", "news") if changes[key] is not None]
    if returned is not None:
        undo.append("--returned" if before["returned"] else "--not-returned")
    output.echo(f"Corrected {history.card_ref(card_id)}; to put it back: "
                f"cardkeep card edit {history.card_ref(card_id)} {' '.join(undo)}")


@card_app.command("rm")
def card_rm(
    card: Annotated[str, typer.Argument(metavar="CARD", help="A card id such as k12 (`card list WHO`).")],
    yes: Yes = False,
) -> None:
    """Remove a card recorded by mistake.

    A mailed card in the saved batch steps back to stamped.
    """
    from cardkeep.plan import history
    from cardkeep.store import book

    db = get_db()
    card_id = history.parse_card_ref(card)
    found = history.get_card(db, card_id)
    name = book.mailing_name(db, found["household_id"])
    confirm(f"Remove {history.card_ref(card_id)}, the {_card_line(found)} ({name})?", yes)
    history.remove_card(db, card_id)
    verb = "sent" if found["direction"] == "sent" else "received"
    again = [f"cardkeep {verb} {book.hid(found['household_id'])} --year {found['year']}",
             f"--occasion {found['occasion']}"]
    if found["date"]:
        again.append(f"--date {found['date']}")
    if found["direction"] == "sent" and found["design"]:
        again.append(f"--design {_quote(found['design'])}")
    output.echo(f"Removed {history.card_ref(card_id)}; to record it again: {' '.join(again)}")


# ---------------------------------------------------------------- notes


def _note_ref(text: str) -> int:
    value = text.strip().lower().removeprefix("n")
    if not value.isdigit():
        raise UsageError(f"{text!r} is not a note id such as n5 (see `cardkeep notes list WHO`)")
    return int(value)


@notes_app.command("list")
def notes_list(
    who: Annotated[str, typer.Argument(metavar="WHO", autocompletion=complete.people, help="A person.")],
    json: JsonOption = False,
) -> None:
    """A person's notes, oldest first, with their ids.
    """
    from cardkeep.store import book

    db = get_db()
    contact_id = book.resolve_contact(db, who)
    notes = [{"id": f"n{n['id']}", "on": n["created"], "text": n["text"]}
             for n in db.query("select * from notes where contact_id = ? order by created, id", [contact_id])]
    if json:
        output.print_json(notes)
        return
    output.print_table(([n["id"], n["on"], n["text"]] for n in notes), ["id", "on", "note"])


@notes_app.command("edit")
def notes_edit(
    note: Annotated[str, typer.Argument(metavar="NOTE", help="A note id such as n5.")],
    text: Annotated[str | None, typer.Argument(metavar="[TEXT]", help="The corrected note.")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD", callback=check_date)] = None,
) -> None:
    """Correct a note's text or date; prints the command that puts it back.
    """
    from cardkeep.dates import parse_iso_date
    from cardkeep.store import book

    db = get_db()
    note_id = _note_ref(note)
    before = book.edit_note(db, note_id, text=text, on=parse_iso_date(on, what="--on") if on else None)
    output.echo(f"Corrected n{note_id}; to put it back: cardkeep notes edit n{note_id} "
                f"{_quote(before['text'])} --on {before['created']}")


@notes_app.command("rm")
def notes_rm(
    note: Annotated[str, typer.Argument(metavar="NOTE", help="A note id such as n5.")],
    yes: Yes = False,
) -> None:
    """Remove a note.
    """
    from cardkeep.store import book

    db = get_db()
    note_id = _note_ref(note)
    found = book.get_note(db, note_id)
    confirm(f"Remove n{note_id} ({found['name']}, {found['created']}): {found['text']!r}?", yes)
    book.remove_note(db, note_id)
    output.echo(f"Removed n{note_id}; to add it again: cardkeep note c{found['contact_id']} "
                f"{_quote(found['text'])} --on {found['created']}")


# ---------------------------------------------------------------- dates


@date_app.command("edit")
def date_edit(
    date: Annotated[str, typer.Argument(metavar="DATE", help="A date id such as d3 (`date list`).")],
    on: Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD|--MM-DD", callback=check_partial_date, help="The corrected day.")] = None,
    label: Annotated[str | None, typer.Option("--label", metavar="TEXT", help='"" clears it.')] = None,
    lead: Annotated[int | None, typer.Option("--lead", metavar="DAYS", help="Days ahead to mail.")] = None,
) -> None:
    """Correct a recorded date; prints the command that puts it back.
    """
    from cardkeep.dates import parse_partial_date
    from cardkeep.plan.reminders import date_ref, parse_date_ref
    from cardkeep.store import book

    db = get_db()
    date_id = parse_date_ref(date)
    try:
        day = parse_partial_date(on, what="--on") if on else None
    except CardkeepError as exc:
        raise UsageError(str(exc)) from None
    before = book.edit_date(db, date_id, date=day, label=label, lead_days=lead)
    undo = []
    if on:
        year, month, dom = before["year"], before["month"], before["day"]
        undo.append(f"--on {year:04d}-{month:02d}-{dom:02d}" if year else f"--on --{month:02d}-{dom:02d}")
    if label is not None:
        undo.append(f"--label {_quote(before['label'] or '')}")
    if lead is not None and before["lead_days"] is not None:
        undo.append(f"--lead {before['lead_days']}")
    output.echo(f"Corrected {date_ref(date_id)}; to put it back: cardkeep date edit {date_ref(date_id)} "
                f"{' '.join(undo)}".rstrip())
