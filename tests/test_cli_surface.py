"""The command line's surface (issue 16): one exit-code rule, one-line usage errors, only the
commands that create data create a book.

The exit-code table is built by walking the Typer app, so a new command or option is covered the
day it is added: every option gets a bad value and must be refused as usage (exit 2) in one line
on stderr that names it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from cardkeep.cli import app

# A bad value for each kind of option value, by its placeholder. An option whose placeholder is
# free text (a name, a file to write) is given no value at all, which is just as much a usage error.
BAD_VALUES = {
    "YYYY-MM-DD": "12/25/2026",
    "DATE": "25.12.2026",
    "N": "abc",
    "YEAR": "abc",
    "DAYS": "abc",
    "MM": "abc",
    "FACTOR": "abc",
    "CC": "XX",
    "STATUS": "dead",
    "OCCASION": "xmas",
    "SIZE": "B4",
    "SORT": "shoe-size",
    "ID|CODE|FILE": "9999",
    "ID|CODE": "9999",
    "NAME|FILE": "no-such-template",
    "NAME": "no-such-template",
    "LIST": "a-b",
    "WINDOW": "soon",
    "RULES": "no.such.rule",
    "COLUMN=FIELD": "nonsense",
    "FORMAT": "xml",
    "VERSION": "9.9",
    "PER": "street",
    "MODE": "sometimes",
    "STATE": "dead",
}
FREE_TEXT = {"TEXT", "WHO", "TAG", "FILE", "FILE|DIR", "PATH", "EMAIL", "PHONE", "DESIGN"}
# Where a NAME is free text (a mailing name), not the name of something that must exist; or a CUPS
# printer, which is looked up only when printing (tests/test_print_command.py: one line, exit 1).
FREE_NAMES = {("edit", "--name"), ("household", "new", "--name"), ("labels", "print", "--printer"),
              ("envelopes", "--printer"), ("drafts", "make", "--printer")}
# Refused as usage in one line, but the message names the rule rather than the option (cli/lint.py's
# own wording, kept).
UNNAMED = {("lint", "--select"), ("lint", "--ignore")}
# A valid value for each argument, by its name, so that the bad option is the only mistake.
ARGUMENTS = {
    "who": "c1",
    "name": "Ada Okafor",
    "text": "hello",
    "tags": "friends",
    "new_status": "active",
    "members": "c1",
    "household": "h1",
    "kind": "birthday",
    "when": "2000-01-01",
    "date_id": "d1",
    "date": "d1",
    "card": "k1",
    "note": "n1",
    "words": "c1",
    "files": "{file}",
    "path": "{file}",
}


def _commands(command=None, path=()):
    command = command or typer.main.get_command(app)
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, command


def _cases():
    for path, command in _commands():
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        for param in command.params:
            if param.param_type_name != "option" or param.name == "help":
                continue
            opt = max(param.opts, key=len)
            if param.is_flag:
                bad = [f"{opt}=maybe"]
            else:
                metavar = param.metavar or "<give it a placeholder (metavar)>"
                if metavar in FREE_TEXT or (*path, opt) in FREE_NAMES:
                    bad = [opt]  # the value is missing
                elif "|" in metavar and metavar == metavar.lower():
                    bad = [opt, "bogus"]  # one of the choices it lists
                elif "YYYY-MM-DD" in metavar:
                    bad = [opt, "12/25/2026"]
                else:
                    bad = [opt, BAD_VALUES.get(metavar, f"<add a bad value for {metavar} to BAD_VALUES>")]
            yield pytest.param(path, arguments, bad, id=" ".join((*path, *bad)))


@pytest.fixture
def small_book(cli, tmp_path):
    cli("init")
    cli("add", "Ada Okafor", "--country", "US", "--street", "1 Elm St", "--city", "Springfield")
    (tmp_path / "in.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Zed\nEND:VCARD\n")
    return tmp_path


@pytest.mark.parametrize(("path", "arguments", "bad"), list(_cases()))
def test_every_bad_option_value_is_usage(cli, small_book, path, arguments, bad):
    assert not bad[-1].startswith("<"), f"{' '.join(path)} {bad[0]}: {bad[-1]}"
    args = []
    for argument in arguments:
        if argument.required:
            assert argument.name in ARGUMENTS, f"{' '.join(path)}: add a valid value for {argument.name}"
            args.append(ARGUMENTS[argument.name].format(file=small_book / "in.vcf"))
    result = cli(*path, *args, *bad)
    lines = result.stderr.splitlines()
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    option = bad[0].split("=")[0]
    assert option in lines[0] or (*path, option) in UNNAMED, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["add", "Temp Person", "--birthday", "12/25/2026"],
        ["sent", "c1", "--date", "25.12.2026"],
        ["plan", "--today", "12/01/2026"],
        ["labels", "--template", "9999"],
        ["status", "c1", "dead"],
        ["envelopes", "--size", "B4"],
        ["plan", "--frobnicate"],
        ["search"],
        ["plan", "--year", "abc"],
    ],
    ids=" ".join,
)
def test_the_mistakes_in_the_issue_are_one_line_and_exit_2(cli, small_book, args):
    result = cli(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: "), result.stderr


def test_in_a_pipe_a_usage_error_is_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "cardkeep", "plan", "--frobnicate"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "Error: No such option: --frobnicate (see `cardkeep plan --help`)\n"


# ---------------------------------------------------------------- only creating commands create a book


@pytest.mark.parametrize("args", [["list"], ["doctor"], ["show", "ada"], ["remind"], ["plan"], ["export"]])
def test_a_missing_book_is_one_error_naming_it(cli, tmp_path, args):
    path = tmp_path / "typo.db"
    result = cli("--db", path, *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and str(path) in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not path.exists()


def test_a_typo_in_db_creates_nothing(cli, tmp_path):
    path = tmp_path / "no-such-dir" / "x.db"
    for args in (["list"], ["doctor"], ["add", "Ada"], ["init"]):
        result = cli("--db", path, *args)
        assert result.exit_code == 1 and str(path.parent) in result.stderr
    assert not path.parent.exists()


@pytest.mark.parametrize("args", [["init"], ["add", "Ada Okafor"]])
def test_creating_commands_create_a_book(cli, tmp_path, args):
    path = tmp_path / "new.db"
    assert cli("--db", path, *args).exit_code == 0
    assert path.exists()
    assert cli("--db", path, "list").exit_code == 0


def test_import_creates_a_book(cli, tmp_path):
    (tmp_path / "in.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Zed Ant\nEND:VCARD\n")
    result = cli("--db", tmp_path / "new.db", "import", tmp_path / "in.vcf")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "new.db").exists()


def test_the_default_data_directory_is_created(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("CARDKEEP_DB")
    from cardkeep.paths import data_dir

    assert not data_dir().exists()
    assert cli("init").exit_code == 0
    assert (data_dir() / "cardkeep.db").exists()
    assert (data_dir().stat().st_mode & 0o777) == 0o700


# ---------------------------------------------------------------- the small ones


def test_answering_no_to_rm_says_nothing_was_removed(cli):
    cli("add", "Ben Ode")
    result = cli("rm", "Ben Ode", input="n\n")
    assert result.exit_code == 1 and result.stderr.endswith("Nothing removed.\n")
    assert cli("show", "Ben Ode").exit_code == 0


def test_import_counts_are_plural_only_when_they_should_be(cli, tmp_path):
    (tmp_path / "one.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Zed Ant\nEND:VCARD\n")
    assert cli("import", tmp_path / "one.vcf").stdout.startswith("Imported 1 household, 1 person")


def test_an_unknown_config_key_is_one_warning_naming_it_and_the_file(cli, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[plan]\nquiet_yaers = 3\n[sender]\ncountry = "US"\n')
    cli("init")
    result = cli("plan", "--today", "2026-11-01")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "quiet_yaers" in line]
    assert warnings == [f"warning: config file {config}: unknown key [plan] quiet_yaers is ignored"]


@pytest.mark.parametrize("command", ["plan", "remind", "history", "status c1 active", "doctor"])
def test_today_far_out_of_range_is_one_line(cli, small_book, command):
    result = cli(*command.split(), "--today", "0001-01-01")
    assert result.exit_code == 2
    assert result.stderr == "Error: --today 0001-01-01: choose a day from 1900 to 9998\n"


# ---------------------------------------------------------------- names


@pytest.fixture
def named(cli):
    for name in ("Ada Okafor", "Ben Ode", "Carl Diaz", "Margaret Chen", "Siobhán O'Neill"):
        cli("add", name)
    return cli


def test_an_unknown_name_offers_close_matches_with_ids(named):
    result = named("show", "margret")
    assert (result.exit_code, result.stderr) == (1, "Error: no contact named 'margret'; did you mean Margaret Chen (c4)?\n")


def test_a_suggested_search_runs_as_shown(named):
    result = named("show", "Temp Person")
    assert result.stderr == "Error: no contact named 'Temp Person' (try `cardkeep search 'Temp Person'`)\n"
    import shlex

    suggested = shlex.split(result.stderr.split("`")[1])
    assert suggested[:2] == ["cardkeep", "search"]
    assert named(*suggested[1:]).exit_code == 1  # runs (finds nobody), no "unexpected extra argument"
    assert "unexpected" not in named(*suggested[1:]).stderr


@pytest.mark.parametrize("text", ["oneill", "O'NEILL", "siobhan o neill", "SIOBHÁN"])
def test_search_ignores_case_accents_and_punctuation(named, text):
    result = named("search", text)
    assert result.exit_code == 0 and "c5\tSiobhán O'Neill\tname" in result.stdout


def test_a_name_without_its_punctuation_names_them(named):
    assert "O'Neill" in named("show", "siobhan oneill").stdout


# ---------------------------------------------------------------- default output files


def test_return_labels_never_replace_address_labels_and_a_replaced_default_is_said(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.toml").write_text(
        '[sender]\nname = "Jamie Rivera"\nstreet = "221 Cherry Lane"\ncity = "Evanston"\nregion = "IL"\n'
        'postal_code = "60201"\ncountry = "US"\n'
    )
    cli("add", "Ada Okafor", "--street", "12 Elm St", "--city", "Springfield", "--region", "IL",
        "--postal-code", "62701", "--country", "US")
    first = cli("labels", "ada")
    assert first.exit_code == 0, first.stderr
    address_labels = (tmp_path / "labels.pdf").read_bytes()
    returns = cli("labels", "--return", "--count", "3")
    assert returns.exit_code == 0, returns.stderr
    assert (tmp_path / "return-labels.pdf").exists()
    assert (tmp_path / "labels.pdf").read_bytes() == address_labels
    assert "replacing" not in first.stderr + returns.stderr
    again = cli("labels", "ada")
    assert "warning: replacing labels.pdf from an earlier run" in again.stderr
    named = cli("labels", "ada", "--output", "labels.pdf")
    assert "replacing" not in named.stderr  # the user named it


def test_a_suggested_template_path_is_quoted(cli, tmp_path):
    target = tmp_path / "my templates" / "mine.j2"
    target.parent.mkdir()
    result = cli("drafts", "templates", "--copy", "holiday", "--to", target)
    assert result.exit_code == 0, result.stderr
    assert f"`cardkeep drafts --template '{target}'`" in result.stdout
