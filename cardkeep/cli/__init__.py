"""The command line: a thin layer over the core modules."""

from __future__ import annotations

# Each module registers its commands on `app`; the order here is the order in `--help`.
from cardkeep.cli import book, dates, drafts, io, lint, plan, printing, safety  # noqa: F401, I001
from cardkeep.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    app(prog_name="cardkeep")
