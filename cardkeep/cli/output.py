"""Everything the CLI prints: tables, JSON, plain lines and the error line.

Rich is imported and its consoles built on first use, so a silent cron run never pays for it.
Tables and colour appear only when stdout is a terminal; `NO_COLOR` turns colour off.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any


def is_terminal() -> bool:
    return sys.stdout.isatty()


def _no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


@cache
def console():
    from rich.console import Console

    return Console(no_color=_no_color(), highlight=False, soft_wrap=True)


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
    for row in rows:
        print("\t".join(row))


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
