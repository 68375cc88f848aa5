"""`cardkeep lint`: the card linter on files or standard input. It never opens the database.

Text output is one finding per line, the shape editors parse, with the suggestion in parentheses:

    letter.md:8:1: warning: brag.ranking: boasts of rankings and comparisons ("the only student in") (cut it, ...)

Exit codes: 0 no findings, 1 findings, 2 a usage error or an unreadable file (nothing is linted then).
With `--fix`, flagged brag lines are removed, a `.bak` copy of the original is kept, the unified diff
of what was removed is printed (on stderr when stdout carries the fixed text, for `-`, or JSON), and
the exit code reflects the findings that remain.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cardkeep.cli import output
from cardkeep.cli._app import JsonOption, app
from cardkeep.errors import CardkeepError, UsageError
from cardkeep.fileio import read_input


def _read(name: str) -> tuple[str, bytes]:
    """The text of a file (or stdin, for -) and its bytes as read, for the --fix backup."""
    if name == "-":
        data = read_input(sys.stdin.buffer, name="standard input", error=UsageError)
    else:
        data = read_input(name, error=UsageError)
    if isinstance(data, str):
        return data, data.encode("utf-8")
    try:
        return data.decode("utf-8-sig"), data
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read {name}: not UTF-8 text (byte {exc.start})") from None


def lint_settings() -> tuple[list[str], dict[str, list[str]], int]:
    """`[lint]` from the config: ignore, allow, max_words (documented in cardkeep.lint)."""
    from cardkeep import lint
    from cardkeep.config import section

    settings = section("lint")
    ignore = settings.get("ignore", [])
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list) or not all(isinstance(x, str) for x in ignore):
        raise CardkeepError('config: [lint] ignore must be a list of rule ids, e.g. ignore = ["tone"]')
    allow = settings.get("allow", {})
    if not isinstance(allow, dict) or not all(
        isinstance(v, (list, str)) and all(isinstance(x, str) for x in ([v] if isinstance(v, str) else v))
        for v in allow.values()
    ):
        raise CardkeepError('config: [lint] allow must map rule ids to lists of phrases, e.g. "brag.wealth" = ["boat"]')
    max_words = settings.get("max_words", lint.DEFAULT_MAX_WORDS)
    if not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 1:
        raise CardkeepError("config: [lint] max_words must be a positive whole number")
    return ignore, allow, max_words


def _print_findings(findings, fmt: str, *, removed=None, to_stderr: bool = False) -> None:
    stream = sys.stderr if to_stderr else sys.stdout
    if fmt == "json":
        import json

        data: dict = {"version": 1, "findings": [f.to_dict() for f in findings]}
        if removed is not None:
            data["removed"] = [f.to_dict() for f in removed]
        print(json.dumps(data, ensure_ascii=False, indent=2), file=stream)
        return
    for f in findings:
        if not to_stderr and output.is_terminal():
            from rich.markup import escape

            colour = "red" if f.severity == "error" else "yellow"
            location = escape(f"{f.path}:{f.line}:{f.column}:")
            tail = escape(f" {f.rule}: {f.message}") + (f" [dim]({escape(f.suggestion)})[/dim]" if f.suggestion else "")
            output.print_styled(f"[bold]{location}[/bold] [{colour}]{f.severity}[/{colour}]:{tail}")
        else:
            print(f.format(), file=stream)


def _print_rules(rules, fmt: str) -> None:
    if fmt == "json":
        output.print_json([
            {"rule": r.id, "severity": r.severity, "summary": r.summary, "catches": list(r.fires),
             "lets_pass": list(r.passes), "notes": r.notes}
            for r in rules
        ])
        return

    def show(text: str) -> str:
        return " / ".join(line.strip() for line in text.strip().splitlines() if line.strip())

    for r in rules:
        print(f"{r.id} ({r.severity}): {r.summary}")
        for example in r.fires:
            print(f"  catches:   {show(example)}")
        for example in r.passes:
            print(f"  lets pass: {show(example)}")
        if r.notes:
            print(f"  note:      {r.notes}")


def _diff(before: str, after: str, name: str) -> str:
    import difflib

    from cardkeep.lint import split_lines

    return "".join(
        difflib.unified_diff(
            split_lines(before, keepends=True), split_lines(after, keepends=True),
            fromfile=name, tofile=f"{name} (fixed)" if name == "-" else name,
        )
    )


@app.command("lint")
def lint_command(
    files: Annotated[
        list[str] | None, typer.Argument(metavar="[FILE|-]...", help="Letters or cards to check; - reads stdin.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="text|json", help="Output format.")] = "text",
    json_out: JsonOption = False,
    fix: Annotated[
        bool, typer.Option("--fix", help="Remove flagged brag lines (keeps FILE.bak and shows the diff).")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="RULES", help="Only these rules or families (comma-separated, repeatable)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="RULES", help="Skip these rules or families (comma-separated, repeatable)."),
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--rules", help="List the rules, with what each catches and lets pass.")
    ] = False,
) -> None:
    """Check a letter or card for humble-brags, generic greetings, typed signatures and glitter.

    Exit status: 0 nothing found, 1 findings, 2 usage error or unreadable file.
    """
    from cardkeep import lint

    fmt = "json" if json_out else fmt
    if fmt not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {fmt!r}")
    selected, ignored = lint.split_patterns(select), lint.split_patterns(ignore)
    unknown = lint.unknown_patterns(selected + ignored)
    if unknown:
        raise UsageError(f"unknown rule or family {unknown[0]!r} (see cardkeep lint --rules)")
    if list_rules:
        chosen = [
            r for r in lint.RULES
            if (not selected or lint.family_matches(r.id, selected)) and not lint.family_matches(r.id, ignored)
        ]
        _print_rules(chosen, fmt)
        return
    if not files:
        raise UsageError("nothing to lint: give one or more FILEs, or - for standard input")
    if fix and files.count("-") > 1:
        raise UsageError("--fix reads standard input once: give - at most once")

    config_ignore, allow, max_words = lint_settings()
    texts = [(name, *_read(name)) for name in files]  # every input is readable, or nothing is linted

    remaining_all = []
    for name, text, data in texts:
        findings = lint.lint_text(
            text, path=name, select=selected or None, ignore=ignored + config_ignore, allow=allow, max_words=max_words
        )
        if not fix:
            remaining_all.extend(findings)
            continue
        fixed, removed = lint.remove_lines(text, findings, families=("brag",))
        remaining = lint.lint_text(
            fixed, path=name, select=selected or None, ignore=ignored + config_ignore, allow=allow, max_words=max_words
        ) if removed else findings
        remaining_all.extend(remaining)
        diff = _diff(text, fixed, name) if removed else ""
        if name == "-":
            sys.stdout.write(fixed)
            sys.stdout.flush()
            sys.stderr.write(diff)
            if remaining or fmt == "json":
                _print_findings(remaining, fmt, removed=removed, to_stderr=True)
            continue
        if removed:
            _write_fixed(Path(name), data, fixed)
            # a script reading JSON gets only JSON on stdout; the diff goes to stderr then
            (sys.stderr if fmt == "json" else sys.stdout).write(diff)
            output.warn(f"{name}: removed {len({f.line for f in removed})} brag line(s); the original is in {name}.bak")
        _print_findings(remaining, fmt, removed=removed)
    if not fix:
        _print_findings(remaining_all, fmt)
    if remaining_all:
        raise typer.Exit(1)


def _write_fixed(path: Path, data: bytes, fixed: str) -> None:
    """The backup first (the original bytes, byte for byte), then the fixed letter, both atomically;
    both keep the letter's permissions, and the fixed letter its byte-order mark and its place."""
    from cardkeep.fileio import write_atomic

    mode = path.stat().st_mode & 0o777
    backup = path.with_name(path.name + ".bak")
    write_atomic(backup, data)
    os.chmod(backup, mode)
    target = path.resolve()  # a symlinked letter is fixed where it lives; the link stays a link
    write_atomic(target, ("\ufeff" if data.startswith(b"\xef\xbb\xbf") else "") + fixed)
    os.chmod(target, mode)
