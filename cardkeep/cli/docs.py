"""Write docs/cli.md, the command reference, from each command's own `--help`.

    python -m cardkeep.cli.docs            # write docs/cli.md
    python -m cardkeep.cli.docs --check    # exit 1 when docs/cli.md differs from the help

The help is rendered at a fixed width without a terminal, so the file is the same on every machine;
`tests/test_cli_help.py` runs `--check`, so the reference never drifts from the help.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Before Typer's help formatter is imported: it reads these once.
os.environ["TERMINAL_WIDTH"] = "100"
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ.pop("FORCE_COLOR", None)
os.environ.pop("GITHUB_ACTIONS", None)
os.environ.pop("PY_COLORS", None)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"

HEADER = """\
# cardkeep command reference

Generated from each command's `--help` by `python -m cardkeep.cli.docs`; do not edit it by hand
(`tests/test_cli_help.py` fails when it differs from the help). Exit codes, for every command:
0 done, 1 failure or findings, 2 usage (a wrong option or value, a missing argument, an ambiguous name).
"""


def command_paths() -> list[str]:
    """"" (the top level), then every command and group in `cardkeep --help` order; a hidden default
    command (`labels print`, `drafts make`) is its group's help."""
    import typer.main

    from cardkeep.cli import load

    paths = [""]

    def walk(command, path: str) -> None:
        for name, sub in command.commands.items():
            if sub.hidden:
                continue
            paths.append(f"{path} {name}".strip())
            if hasattr(sub, "commands"):
                walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(load()), "")
    return paths


def help_text(path: str) -> str:
    from typer.testing import CliRunner

    from cardkeep.cli import load

    result = CliRunner().invoke(load(), [*path.split(), "--help"], prog_name="cardkeep", env={"NO_COLOR": "1"})
    if result.exit_code != 0:
        raise SystemExit(f"cardkeep {path} --help failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.stdout.splitlines()).strip("\n")


def render() -> str:
    parts = [HEADER]
    for path in command_paths():
        parts += [f"## cardkeep {path}".rstrip(), "", "```text", help_text(path), "```", ""]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
        if current != text:
            print(f"{DOCS} differs from the help: run `python -m cardkeep.cli.docs`", file=sys.stderr)
            return 1
        return 0
    DOCS.parent.mkdir(exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")
    print(f"Wrote {DOCS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
