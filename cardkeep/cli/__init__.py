"""The command line: a thin layer over the core modules.

Each module in this package registers its commands on `app` (in `_app`). All of them are loaded
for a normal run; `cardkeep remind`, which cron runs every morning, and `cardkeep plan` load only their
own module, so that a day with nothing due costs little more than starting Python.
"""

from __future__ import annotations

import atexit
import gc
import sys

# The order here is the order of `cardkeep --help`.
COMMAND_MODULES = ("book", "plan", "record", "printing", "drafts", "lint", "dates", "io", "sync", "safety")
# Commands whose module alone is enough to run them (their `--help` included).
LIGHT_COMMANDS = {"remind": "dates", "plan": "plan", "lint": "lint", "labels": "printing", "envelopes": "printing"}

__all__ = ["app", "main"]


def load(modules=COMMAND_MODULES):
    """Import command modules (registering their commands) and return the Typer app."""
    from importlib import import_module

    for name in modules:
        import_module(f"cardkeep.cli.{name}")
    from cardkeep.cli._app import app

    return app


def __getattr__(name: str):
    if name == "app":
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _command(argv: list[str]) -> str | None:
    """The command word in argv, skipping the global options (`--db PATH`)."""
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def main() -> None:
    module = LIGHT_COMMANDS.get(_command(sys.argv[1:]) or "")
    if module:
        # A light command reads the book into many small objects, none in a cycle, and exits: the
        # cycle collector would only walk them all (~8% of `plan`), during the run and once more
        # as Python shuts down. Reference counting still frees what is dropped.
        gc.disable()
        atexit.register(gc.freeze)
    load((module,) if module else COMMAND_MODULES)(prog_name="cardkeep")
