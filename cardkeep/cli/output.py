"""Everything the CLI prints: tables, JSON, plain lines and the error line.

Rich is imported and its consoles built on first use, so a silent cron run never pays for it.
Tables and colour appear only when stdout is a terminal; `NO_COLOR` turns colour off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any


def is_terminal() -> bool:
    return sys.stdout.isatty()


def prepare_streams() -> None:
    """Make the standard streams safe to use, once, before any command runs.

    A closed descriptor (`cardkeep list >&-`) is reopened on /dev/null first: otherwise the next
    file opened (the book itself) would take its number and a `print` would write into it. A
    closed stdout is then refused with one line. In a non-UTF-8 locale (LC_ALL=C) text that the
    locale cannot show is written with backslash escapes instead of failing."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if 0 in closed or sys.stdin is None:
        sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)  # reads end of input at once
    if 2 in closed or sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if stream is not None and encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if 1 in closed or sys.stdout is None:
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        error("standard output is closed; nothing to write to")
        raise SystemExit(1)


def argument_text(arg: str) -> str:
    """A command-line argument as text: in a non-UTF-8 locale Python decodes UTF-8 bytes as
    surrogates ("Zoë" arrives as "Zo\\udcc3\\udcab"); they are the user's UTF-8, so decode them."""
    try:
        return os.fsencode(arg).decode("utf-8")
    except UnicodeDecodeError:
        return arg


def stdout_failed() -> None:
    """Standard output cannot be written (a full disk, a closed pipe): point it at /dev/null, so
    that flushing it again at exit prints no second error."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


@cache
def console():
    from rich.console import Console

    return Console(no_color=_no_color(), highlight=False, soft_wrap=True)


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 household`, `2 households`, `1 person`, `3 people`."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def default_output(named: str | None, default: str) -> str:
    """The file to write: the one the user named, else `default`; replacing a default file left by
    an earlier run is said on stderr (the user did not name it, so may not expect it)."""
    if named is not None:
        return named
    if os.path.exists(default):
        warn(f"replacing {default} from an earlier run (--output FILE writes elsewhere)")
    return default


def echo(text: str = "") -> None:
    """A plain line on stdout."""
    print(text)


def warn(text: str) -> None:
    """A warning on stderr: never mixed into output a script reads."""
    print(f"warning: {text}", file=sys.stderr)


def error(text: str) -> None:
    """The one line a failed command prints."""
    print(f"Error: {text}", file=sys.stderr)


def print_json(data: Any) -> None:
    """Indented for a person on a terminal; compact in a pipe, where json's C encoder is several
    times faster (indenting forces the pure-Python one)."""
    import json  # here: `remind` in a pipe, as cron runs it, prints text

    print(json.dumps(data, ensure_ascii=False, indent=2 if is_terminal() else None, default=str))


def print_table(
    rows: Iterable[Sequence[Any]],
    headers: Sequence[str],
    *,
    title: str | None = None,
) -> None:
    """A rich table on a terminal; tab-separated lines (with a header) in a pipe."""
    rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    if is_terminal():
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, title_justify="left")
        for header in headers:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))  # contact text is data, never rich markup
        console().print(table)
        return
    if title:
        print(title)
    print("\t".join(headers))
    if not rows:
        return
    body = "\n".join(map("\t".join, rows))
    width = len(headers)
    if (
        "\\" not in body and "\r" not in body and body.count("\n") == len(rows) - 1
        and body.count("\t") == len(rows) * (width - 1) and all(len(row) == width for row in rows)
    ):
        print(body)  # nothing to escape (the usual case): one write, no per-field work
        return
    for row in rows:
        print("\t".join(map(tsv_field, row)))


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_field(text: str) -> str:
    """A field for tab-separated output: a tab, newline or backslash in a note or a name is
    escaped (\\t, \\n, \\\\), so it can never start a new field or forge a row."""
    return text.translate(_TSV_ESCAPES)


def styled(text: str, style: str) -> str:
    """Rich markup on a terminal, the bare text elsewhere; pair with `print_styled`."""
    return f"[{style}]{text}[/{style}]" if is_terminal() else text


def escape(text: object) -> str:
    """Contact text for `print_styled`: on a terminal, a name like "[bold]" must stay a name, never
    become rich markup. (print_table needs no escaping: its cells are plain text.)"""
    text = "" if text is None else str(text)
    if is_terminal():
        from rich.markup import escape as rich_escape

        return rich_escape(text)
    return text


def print_styled(text: str) -> None:
    if is_terminal():
        console().print(text)
    else:
        print(text)
