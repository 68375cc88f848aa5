"""Important dates: `date add/list/rm`, `cron` and `calendar` (`remind` is `cli/remind.py`).

`cron` prints the crontab line that runs `cardkeep remind` every morning.
"""


import sys
from typing import Annotated

import typer

from cardkeep.cli import complete, output
from cardkeep.cli._app import JsonOption, TodayOption, app, get_db, resolve_today, state
from cardkeep.cli.remind import settings, warn_unreadable
from cardkeep.errors import UsageError

date_app = typer.Typer(help="Record, list and remove birthdays, anniversaries and other yearly dates.",
                       no_args_is_help=True)
app.add_typer(date_app, name="date")


def _leap_day() -> str:
    return settings().leap_day


# ---------------------------------------------------------------- date add / list / rm


@date_app.command("add", context_settings={"ignore_unknown_options": True})
def date_add(
    who: Annotated[str, typer.Argument(metavar="WHO", autocompletion=complete.people, help="The person: a name or an id such as c12.")],
    kind: Annotated[str, typer.Argument(metavar="KIND", help="birthday, anniversary, memorial or custom.")],
    when: Annotated[
        str,
        typer.Argument(
            metavar="DATE|RULE",
            help="YYYY-MM-DD, --MM-DD (no year), or a yearly rule: '2nd sun may', 'last fri nov', "
            "'easter+49', or RRULE text (FREQ=YEARLY;BYMONTH=5;BYDAY=2SU).",
        ),
    ],
    label: Annotated[str | None, typer.Option("--label", metavar="TEXT", help='What it is: "wedding", "Mother\'s Day".')] = None,
    lead: Annotated[
        int | None,
        typer.Option("--lead", metavar="DAYS", help="Mail this many days ahead, instead of the destination's lead time."),
    ] = None,
    today: TodayOption = None,
) -> None:
    """Record a yearly date for a person."""
    from cardkeep import model  # here, not at the top: `remind` runs without building the model's classes
    from cardkeep.dates import PartialDate, describe, next_occurrence, parse_when
    from cardkeep.store import book

    if lead is not None and not 0 <= lead <= 365:
        raise UsageError(f"--lead: {lead} is not a number of days from 0 to 365")
    if kind not in model.DATE_KINDS:
        raise UsageError(f"KIND: {kind!r} is not one of {', '.join(model.DATE_KINDS)}")
    parsed = parse_when(when, what="DATE|RULE")
    day = resolve_today(today)
    if isinstance(parsed, PartialDate) and parsed.year is not None and parsed.year > day.year + 1:
        raise UsageError(f"DATE|RULE: {parsed} is in year {parsed.year}, more than a year from now")
    label = " ".join(label.split()) or None if label else None
    db = get_db()
    contact_id = book.resolve_contact(db, who)
    if isinstance(parsed, PartialDate):
        date_id = book.add_date(db, contact_id, kind, parsed, label=label, lead_days=lead)
    else:
        date_id = book.add_date(db, contact_id, kind, rule=parsed.rrule, label=label, lead_days=lead)
    name = book.get_contact(db, contact_id)["name"]
    upcoming = next_occurrence(parsed, day, leap_day=_leap_day())
    what = f"{kind} ({label})" if label else kind
    after = f" (next: {upcoming.isoformat()})" if upcoming else ""
    output.echo(f"Added d{date_id}: {book.cid(contact_id)} {name}, {what} on {describe(parsed)}{after}")


@date_app.command("list")
def date_list(
    who: Annotated[str | None, typer.Argument(metavar="[WHO]", autocompletion=complete.people, help="Only this person, or the members of this household.")] = None,
    today: TodayOption = None,
    json: JsonOption = False,
) -> None:
    """List recorded dates, soonest first, with the next day each falls on."""
    from cardkeep.plan.reminders import list_dates
    from cardkeep.store import book

    db = get_db()
    contact_ids = None
    if who:
        target = book.resolve_target(db, who)
        contact_ids = [target.id] if target.kind == "contact" else [m["id"] for m in book.members(db, target.id)]
    rows = list_dates(db, today=resolve_today(today), contact_ids=contact_ids, leap_day=_leap_day())
    warn_unreadable()
    if json:
        output.print_json(rows)
        return
    output.print_table(
        (
            [r["id"], f"{r['contact']} {r['name']}", r["kind"], r["label"], r["describe"], r["next"],
             (r["milestone"] or "") + (" (round)" if r["round"] else ""), r["lead_days"]]
            for r in rows
        ),
        ["id", "who", "kind", "label", "date", "next", "milestone", "lead"],
    )


@date_app.command("rm")
def date_rm(date_id: Annotated[str, typer.Argument(metavar="ID", help="A date id such as d12 (see `date list`).")]) -> None:
    """Remove one date."""
    from cardkeep.dates import describe, stored_when
    from cardkeep.errors import CardkeepError
    from cardkeep.plan.reminders import date_ref, parse_date_ref, remove_date

    row = remove_date(get_db(), parse_date_ref(date_id))
    try:
        when = describe(stored_when(row["year"], row["month"], row["day"], row["rule"]))
    except CardkeepError:  # a rule this version no longer reads: removing it is the way out
        when = row["rule"]
    output.echo(f"Removed {date_ref(row['id'])}: c{row['contact_id']} {row['name']}, {row['kind']} on {when}")


# ---------------------------------------------------------------- cron


def _executable() -> list[str]:
    """How cron should start this cardkeep: the script beside this Python, else on PATH, else -m."""
    import shutil
    from pathlib import Path

    beside = Path(sys.executable).parent / "cardkeep"
    if beside.is_file():
        return [str(beside.absolute())]
    found = shutil.which("cardkeep")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "cardkeep"]


def cron_line(*, weekly: bool, executable: list[str], db_path: str, config_path: str | None,
              hour: int = 8) -> str:
    """A crontab line: daily (next 14 days) or weekly on Mondays (the coming 7 days)."""
    import shlex

    words = [*executable, "--db", db_path, "remind", "--within", "7d" if weekly else "14d"]
    command = " ".join(shlex.quote(w) for w in words)
    if config_path:
        command = f"CARDKEEP_CONFIG={shlex.quote(config_path)} {command}"
    command = command.replace("%", "\\%")  # cron turns a bare % into a newline
    return f"0 {hour} * * {'1' if weekly else '*'} {command}"


@app.command()
def cron(
    weekly: Annotated[bool, typer.Option("--weekly", help="A Monday digest of the coming week instead of daily.")] = False,
) -> None:
    """Print a crontab line that runs `remind` with this executable and database.

    Add it with `crontab -e`, or: (crontab -l; cardkeep cron) | crontab -
    """
    import os

    config = os.environ.get("CARDKEEP_CONFIG")
    output.echo(
        cron_line(
            weekly=weekly,
            executable=_executable(),
            db_path=str(state.path.absolute()),
            config_path=os.path.abspath(os.path.expanduser(config)) if config else None,
        )
    )


# ---------------------------------------------------------------- calendar


@app.command()
def calendar(
    output_path: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write here (e.g. cards.ics) instead of stdout.")
    ] = None,
    today: TodayOption = None,
) -> None:
    """Export every date as a yearly calendar event, with an alarm on the day to mail the card."""
    from cardkeep.formats import ical

    data = ical.export(get_db(), today=resolve_today(today), settings=settings())
    warn_unreadable()
    if output_path is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)  # bytes: iCalendar lines end in CRLF
        sys.stdout.buffer.flush()
        return
    from cardkeep.fileio import write_output

    path = write_output(output_path, data, private=True)
    if path is None:
        return
    events = data.count(b"BEGIN:VEVENT")
    output.echo(f"Wrote {events} event{'s' if events != 1 else ''} to {path}")
