"""`cardkeep remind`: what to mail soon. Cron runs it every morning.

A light command: the `cardkeep` script loads this module alone (`cardkeep.cli.LIGHT_COMMANDS`),
so Typer builds one command, not every command of the date group. Nothing here or below may load
reportlab, jinja2, icalendar, sqlite-utils or rich in a pipe (tests check `sys.modules`). Cron
contract: nothing due -> no output and exit 0; plain text without colour in a pipe; errors on stderr.

    # every morning at 8, the next two weeks:
    0 8 * * * /path/to/cardkeep --db /path/to/cardkeep.db remind --within 14d
    # a weekly digest on Mondays:
    0 8 * * 1 /path/to/cardkeep --db /path/to/cardkeep.db remind --within 7d

(`cardkeep cron` and `cardkeep cron --weekly` print these lines with the real paths.)
"""

from typing import Annotated

import typer

from cardkeep.cli import output
from cardkeep.cli._app import JsonOption, TodayOption, app, get_db, resolve_today

Within = Annotated[
    str, typer.Option("--within", metavar="WINDOW", help="How far ahead: 14d, 3w, 2m (from today, today included).")
]


def settings():
    """The checked settings (`cardkeep.settings.load_settings`): one clear error for a bad value."""
    from cardkeep.settings import load_settings

    return load_settings()


@app.command()
def remind(
    within: Within = "14d",
    today: TodayOption = None,
    format: Annotated[str, typer.Option("--format", metavar="text|json", help="text (default) or json.")] = "text",
    json: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the due items: no heading.")] = False,
) -> None:
    """What to mail soon: birthdays, anniversaries, memorials and the batch, with mail-by days.

    A card is due when it must be mailed before the window ends (so cards abroad come up earlier),
    or when its day falls in the window (a late card is still listed, until the day). Prints nothing
    (exit 0) when nothing is due, so a cron job mails you only when there is something to do.
    `--format json` always prints a document, empty lists included. Daily and weekly crontab lines:
    `cardkeep cron`, `cardkeep cron --weekly`.
    """
    from cardkeep.plan import reminders

    terminal = output.is_terminal()
    # On a terminal, rich markup (bold headings, red for late); in a pipe, the plain text as is.
    markup = {"style": output.styled, "esc": output.escape} if terminal else {}
    result, warnings = reminders.report(
        get_db,
        today=resolve_today(today),
        within=within,
        fmt="json" if json else format,
        quiet=quiet,
        settings=settings(),
        **markup,
    )
    for line in warnings:
        output.warn(line)
    if isinstance(result, dict):
        output.print_json(result)
    elif terminal:
        for line in result:
            output.print_styled(line)
    elif result:  # nothing due: no output at all, not even an empty line
        output.echo("\n".join(result))


def warn_unreadable() -> None:
    """One warning per stored date this version cannot read: skipped, never the end of the command."""
    from cardkeep.plan.reminders import unreadable_dates

    for line in unreadable_dates(get_db()):
        output.warn(line)
