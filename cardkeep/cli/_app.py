"""The Typer app, the global options and the one place errors become exit codes.

Command modules (`cardkeep/cli/*.py`) register their commands on `app`. They import only light
modules at the top; reportlab, jinja2 and friends are imported inside the commands that need them.
"""


import datetime as dt
import errno
import inspect
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from cardkeep import __version__
from cardkeep.cli import output
from cardkeep.errors import CardkeepError, UsageError


class CardkeepGroup(TyperGroup):
    """Turns a CardkeepError (and a stray SQLite error) into one stderr line and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **options):
        output.prepare_streams()
        if args is None:
            args = [output.argument_text(arg) for arg in sys.argv[1:]]
        # Help texts are polished (examples added) only when help may be shown: not for cron's remind.
        self._help_wanted = not args or "--help" in args
        if not standalone_mode or _stderr_is_terminal():
            return super().main(args, prog_name, complete_var, standalone_mode, **options)
        # In a pipe or a log, Typer's boxed usage error becomes our one line (same exit code, 2).
        try:
            code = super().main(args, prog_name, complete_var, False, **options)
        except _ClickException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # a bare `cardkeep` or group: the help
                exc.show()
                sys.exit(exc.exit_code)
            output.error(usage_line(exc, prog_name or "cardkeep"))
            sys.exit(exc.exit_code)
        except typer.Abort:
            output.error("aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is not None and getattr(self, "_help_wanted", True):
            polish_help(command, name)
        return command

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CardkeepError as exc:
            output.error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except UnicodeEncodeError as exc:
            if "surrogates" not in str(exc):
                raise
            output.error("an argument is not UTF-8 text (check the terminal's locale, e.g. LANG=C.UTF-8)")
            raise typer.Exit(2) from None
        except OSError as exc:
            if exc.filename is not None:
                raise
            # writing standard output failed: a full disk, a closed pipe, an unplugged terminal
            output.stdout_failed()
            if exc.errno != errno.EPIPE:
                output.error(f"cannot write to standard output: {exc.strerror or exc}")
            raise typer.Exit(1) from None
        except sqlite3.Error as exc:
            from cardkeep.store.db import explain

            known = explain(exc, state.path)
            output.error(str(known) if known else f"database: {exc}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            output.error("interrupted")
            raise typer.Exit(130) from None


def reflow(text: str) -> str:
    """A docstring's paragraphs as single lines, so that the terminal wraps them at its width
    (Typer keeps every line break); an indented paragraph (examples) is kept as written."""
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        lines = paragraph.split("\n")
        keep = all(line.startswith(" ") for line in lines)
        paragraphs.append(paragraph if keep else " ".join(line.strip() for line in lines))
    return "\n\n".join(paragraphs)


def _literal(text: str) -> str:
    """Help text shown as written: "[sender]" or "--plan [YEAR]" must not be taken for rich markup
    (which would print "(default:  country)")."""
    return re.sub(r"(?<!\\)\[(?=[A-Za-z/#@])", r"\\[", text)


def polish_help(command, path: str) -> None:
    """Once per command: reflow its help and add its examples (`cli/examples.py`); a group's
    commands too."""
    if getattr(command, "_cardkeep_polished", False):
        return
    command._cardkeep_polished = True
    from cardkeep.cli.examples import EXAMPLES

    text = _literal(reflow(command.help or ""))
    examples = EXAMPLES.get(path)
    if examples:
        # Not indented: Typer strips a common indent, so an indent would show for some commands
        # and not others.
        text += "\n\nExamples:\n\n" + "\n".join(_literal(example) for example in examples)
    command.help = text
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _literal(param.help)
    for name, sub in getattr(command, "commands", {}).items():
        polish_help(sub, f"{path} {name}")


# Typer vendors Click (never `import click`): its base exception, reached through a public subclass.
_ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def usage_line(exc, prog_name: str = "cardkeep") -> str:
    """A Click usage error as one line: the message, then where the help is."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else prog_name
    return f"{message} (see `{path} --help`)"


app = typer.Typer(
    cls=CardkeepGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    help="cardkeep: keep the people you send cards to, and send them cards signed by hand.",
)


class State:
    """The global options of this run, and the book, opened on first use."""

    def __init__(self) -> None:
        self.db_option: str | None = None
        self._db: object | None = None

    @property
    def path(self) -> Path:
        from cardkeep.paths import db_path

        return db_path(self.db_option)

    def db(self, *, create: bool = False):
        """The open, migrated database; opened on first use so `--help` and `lint` never touch it.

        Only the commands that add data (`init`, `add`, `import`, `restore`) pass `create=True`;
        any other command on a missing book is one error naming the path."""
        if self._db is None:
            from cardkeep.store.db import check_can_create, open_db

            if create:
                check_can_create(self.path)
            self._db = open_db(self.path, create=create)
        return self._db


state = State()


def _version(value: bool) -> None:
    if value:
        print(f"cardkeep {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="PATH", help="Database file (default: $CARDKEEP_DB, else the user data dir)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    state.db_option = db
    state._db = None
    from cardkeep import config

    config.warn = output.warn
    from cardkeep.fileio import guard_book

    guard_book(state.path)  # no --output may ever replace the book, its -wal/-shm or a backup


def confirm(question: str, yes: bool, *, undone: str) -> bool:
    """True to go on: `yes` given, or the user answered yes. No answer at all (a script without
    `--yes`, stdin closed) is an error saying what did not happen (`undone`: "nothing deleted")."""
    if yes:
        return True
    try:
        return typer.confirm(question, default=False)
    except typer.Abort:
        raise CardkeepError(f"no answer (use --yes in scripts); {undone}") from None


def get_db(*, create: bool = False):
    return state.db(create=create)


# ---------------------------------------------------------------- option values, checked while parsing
# A bad option value is a usage error (exit 2) found before the book is opened: each check below is
# an option callback that calls the same parser the command uses, and raises UsageError naming the
# option. (A callback that raises a CardkeepError reaches CardkeepGroup.invoke like any other.)


def _checked(check):
    """An option callback running `check(value, option)` on each given value."""

    def callback(ctx: typer.Context, param: typer.CallbackParam, value):
        if value is None or ctx.resilient_parsing:
            return value
        option = max(param.opts, key=len) if param.param_type_name == "option" else (param.metavar or param.name.upper())
        for item in value if isinstance(value, (list, tuple)) else (value,):
            try:
                check(item, option)
            except UsageError:
                raise
            except CardkeepError as exc:
                message = str(exc)
                raise UsageError(message if message.startswith(option) else f"{option}: {message}") from None
        return value

    return callback


def choice(*choices: str):
    """A callback accepting one of `choices`."""

    def check(value: str, option: str) -> None:
        if value not in choices:
            listed = f"{', '.join(choices[:-1])} or {choices[-1]}" if len(choices) > 1 else choices[0]
            raise UsageError(f"{option} {value!r}: choose {listed}")

    return _checked(check)


def _date(value: str, option: str) -> None:
    from cardkeep.dates import parse_iso_date

    parse_iso_date(value, what=option)


# The years `--today` may pretend to be: plans look back decades and reminders a year ahead, and
# both must stay inside the calendar Python can count in (year 1 to 9999).
TODAY_YEARS = (1900, 9998)


def _today(value: str, option: str) -> None:
    from cardkeep.dates import parse_iso_date

    day = parse_iso_date(value, what=option)
    low, high = TODAY_YEARS
    if not low <= day.year <= high:
        raise UsageError(f"{option} {value}: choose a day from {low} to {high}")


def _partial_date(value: str, option: str) -> None:
    from cardkeep.dates import parse_partial_date

    parse_partial_date(value, what=option)


def _occasion(value: str, option: str) -> None:
    from cardkeep.model import OCCASIONS

    if value not in OCCASIONS:
        raise UsageError(f"{option} {value!r}: choose one of {', '.join(OCCASIONS)}")


def _country(value: str, option: str) -> None:
    from cardkeep.countries import normalize_country

    normalize_country(value, what=option)


check_date = _checked(_date)
check_today = _checked(_today)
check_partial_date = _checked(_partial_date)
check_occasion = _checked(_occasion)
check_country = _checked(_country)


TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="YYYY-MM-DD", callback=check_today,
                 help="Pretend today is this date ($CARDKEEP_TODAY)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def resolve_today(value: str | None) -> dt.date:
    """`--today`, else `CARDKEEP_TODAY`, else the clock: the only place cardkeep reads it."""
    from cardkeep.dates import parse_iso_date

    text = value or os.environ.get("CARDKEEP_TODAY")
    if not text:
        return dt.date.today()
    what = "--today" if value else "CARDKEEP_TODAY"
    try:
        _today(text, what)
        return parse_iso_date(text, what=what)
    except UsageError:
        raise
    except CardkeepError as exc:
        raise UsageError(str(exc)) from None
