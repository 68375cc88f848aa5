"""Every command's help (issue 16): a one-line summary, placeholders that look alike, two or three
examples that parse as written, and docs/cli.md generated from it all."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
import typer
import typer.main

from cardkeep.cli import app
from cardkeep.cli._app import polish_help
from cardkeep.cli.examples import EXAMPLES

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
_ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _top():
    top = typer.main.get_command(app)
    for name, command in top.commands.items():
        polish_help(command, name)
    return top


def _commands(command=None, path=()):
    command = command or _top()
    for name, sub in command.commands.items():
        yield " ".join((*path, name)), sub
        if hasattr(sub, "commands"):
            yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands())


@pytest.mark.parametrize("path", COMMANDS)
def test_a_one_line_summary(path):
    summary = COMMANDS[path].help.split("\n\n")[0]
    assert summary and "\n" not in summary
    assert len(summary) <= 90, f"cardkeep {path}: shorten the summary ({len(summary)} characters)"


@pytest.mark.parametrize("path", COMMANDS)
def test_two_or_three_examples_that_parse(path):
    examples = EXAMPLES.get(path, ())
    assert 1 <= len(examples) <= 3 if path == "date rm" else 2 <= len(examples) <= 3, f"cardkeep {path}"
    assert "Examples:" in COMMANDS[path].help
    top = _top()
    for example in examples:
        words = shlex.split(example.split(" > ")[0])
        assert words[0] == "cardkeep"
        try:
            ctx = top.make_context("cardkeep", words[1:])
            command = top
            while hasattr(command, "commands"):
                args = [*ctx._protected_args, *ctx.args]
                name, command, rest = command.resolve_command(ctx, args)
                ctx = command.make_context(name, rest, parent=ctx)
        except _ClickException as exc:
            pytest.fail(f"{example!r}: {exc.format_message()}")
        except Exception as exc:  # a value a callback refuses
            pytest.fail(f"{example!r}: {exc}")


def test_every_example_belongs_to_a_command():
    assert set(EXAMPLES) <= set(COMMANDS)


PLACEHOLDER = re.compile(r"^\[?[A-Z][A-Z0-9|=.-]*\]?(\.\.\.)?$|^[a-z0-9.]+(\|[a-z0-9.-]+)+$")


@pytest.mark.parametrize("path", COMMANDS)
def test_placeholders_look_alike(path):
    for param in COMMANDS[path].params:
        if param.param_type_name == "option" and (param.is_flag or param.name == "help"):
            continue
        metavar = param.metavar
        assert metavar and all(PLACEHOLDER.match(word) for word in metavar.split()), (
            f"cardkeep {path} {param.name}: placeholder {metavar!r}"
        )


def test_no_help_text_loses_a_bracketed_word(cli):
    for args in (["add", "--help"], ["move", "--help"], ["edit", "--help"], ["envelopes", "--help"]):
        result = cli(*args)
        assert "(default:  " not in result.stdout
    assert "[sender] country" in " ".join(cli("add", "--help").stdout.split())


def test_labels_help_shows_the_printing_options(cli):
    text = cli("labels", "--help").stdout
    for option in ("--template", "--start", "--skip", "--copies", "--return", "--output"):
        assert option in text


def test_status_help_is_true_deceased_defaults_to_today(cli):
    assert "default: today" in " ".join(cli("status", "--help").stdout.split())
    cli("add", "Bob Whitaker")
    result = cli("status", "bob", "deceased", "--today", "2026-03-01")
    assert result.exit_code == 0, result.stderr
    assert cli("show", "bob", "--json").stdout.count("2026-03-01") >= 1


def test_a_long_paragraph_is_wrapped_by_the_terminal_not_the_source(cli):
    for command in ("remind", "envelopes"):
        help_text = COMMANDS[command].help
        paragraphs = help_text.split("\n\nExamples:")[0].split("\n\n")
        assert all("\n" not in p for p in paragraphs), command


def test_docs_cli_md_is_the_help():
    result = subprocess.run([sys.executable, "-m", "cardkeep.cli.docs", "--check"], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- shell completion


def _complete(shell, line, **env):
    import os

    environ = {**os.environ, "_CARDKEEP_COMPLETE": f"complete_{shell}", **env}
    if shell == "bash":
        words = line.split(" ")
        environ.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        environ.update(_TYPER_COMPLETE_ARGS=line)
        if shell == "fish":
            environ.update(_TYPER_COMPLETE_FISH_ACTION="get-args")
    return subprocess.run([sys.executable, "-m", "cardkeep"], capture_output=True, text=True, env=environ,
                          timeout=60)


@pytest.mark.parametrize(("shell", "mark"), [
    ("bash", "_cardkeep_completion()"), ("zsh", "#compdef cardkeep"), ("fish", "complete --command cardkeep")])
def test_each_shell_gets_its_own_completion_script(shell, mark):
    import os

    env = {**os.environ, "_CARDKEEP_COMPLETE": f"source_{shell}"}
    result = subprocess.run([sys.executable, "-m", "cardkeep"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert mark in result.stdout and "_CARDKEEP_COMPLETE" in result.stdout


def test_show_completion_prints_the_script_for_the_shell_it_runs_in():
    # Typer finds the shell from the process tree, so the command runs under bash whatever started
    # pytest ("; exit": a lone command would be exec'd, and bash would leave the tree)
    command = f"{shlex.quote(sys.executable)} -m cardkeep --show-completion; exit $?"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "_cardkeep_completion()" in result.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_of_names_tags_sheets_and_templates(cli, shell):
    cli("add", "Ada Okafor", "--tag", "friends")
    cli("add", "Ben Ode", "--tag", "family")
    assert "Ada Okafor" in _complete(shell, "cardkeep show Ad").stdout
    assert "Ben Ode" not in _complete(shell, "cardkeep show Ad").stdout
    tags = _complete(shell, "cardkeep list --tag fr").stdout
    assert "friends" in tags and "family" not in tags
    assert "avery-5160" in _complete(shell, "cardkeep labels --template avery-51").stdout
    assert "holiday" in _complete(shell, "cardkeep drafts --template hol").stdout


def test_completion_on_a_missing_book_creates_nothing_and_prints_no_error(tmp_path):
    path = tmp_path / "typo" / "x.db"
    result = _complete("zsh", f"cardkeep --db {path} show Ad")
    assert result.returncode == 0 and result.stderr == ""
    assert not path.parent.exists()
    result = _complete("bash", "cardkeep show Ad", CARDKEEP_DB=str(tmp_path / "none.db"))
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")
    assert not (tmp_path / "none.db").exists()


def test_install_completion_writes_the_script_into_the_home_directory(tmp_path):
    import os

    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    command = f"{shlex.quote(sys.executable)} -m cardkeep --install-completion; exit $?"  # under bash: see above
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "_CARDKEEP_COMPLETE" in (tmp_path / ".bash_completions" / "cardkeep.sh").read_text()
    assert "cardkeep.sh" in (tmp_path / ".bashrc").read_text()
