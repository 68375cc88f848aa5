"""The Typer app, the global options and the one place errors become exit codes.

Command modules (`cardkeep/cli/*.py`) register their commands on `app`. They import only light
modules at the top; reportlab, jinja2 and friends are imported inside the commands that need them.
"""


import datetime as dt
import errno
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from cardkeep import __version__
from cardkeep.cli import output
from cardkeep.errors import CardkeepError, UsageError


class CardkeepGroup(TyperGroup):
    """Turns a CardkeepError (and a stray SQLite error) into one stderr line and an exit code."""

    def main(self, args=None, *rest, **options):
        output.prepare_streams()
        if args is None:
            args = [output.argument_text(arg) for arg in sys.argv[1:]]
        return super().main(args, *rest, **options)

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


app = typer.Typer(
    cls=CardkeepGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="cardkeep: keep the people you send cards to, and send them cards signed by hand.",
)


@dataclass
class State:
    db_option: str | None = None
    _db: object | None = None

    @property
    def path(self) -> Path:
        from cardkeep.paths import db_path

        return db_path(self.db_option)

    def db(self):
        """The open, migrated database; opened on first use so `--help` and `lint` never touch it."""
        if self._db is None:
            from cardkeep.store.db import open_db

            self._db = open_db(self.path)
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
    from cardkeep.fileio import guard_book

    guard_book(state.path)  # no --output may ever replace the book, its -wal/-shm or a backup


def get_db():
    return state.db()


TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="YYYY-MM-DD", help="Pretend today is this date ($CARDKEEP_TODAY)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def resolve_today(value: str | None) -> dt.date:
    """`--today`, else `CARDKEEP_TODAY`, else the clock: the only place cardkeep reads it."""
    from cardkeep.dates import parse_iso_date

    text = value or os.environ.get("CARDKEEP_TODAY")
    if not text:
        return dt.date.today()
    try:
        return parse_iso_date(text, what="--today")
    except CardkeepError as exc:
        raise UsageError(str(exc)) from None
