"""Issue 17: closed or full standard streams, SIGPIPE and a non-UTF-8 locale give at most one
clear line and never a traceback; tab-separated output escapes tabs and newlines in fields."""

import os
import subprocess
import sys

import pytest

from cardkeep.cli import output
from tests.conftest import EXAMPLES


@pytest.fixture
def book(cli, db_path):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    return db_path


def shell(db_path, script, **env):
    environment = {**os.environ, "CARDKEEP_DB": str(db_path), **env}
    environment.pop("PYTHONIOENCODING", None)
    command = f"{sys.executable} -m cardkeep"
    return subprocess.run(["bash", "-c", script.replace("cardkeep", command)], capture_output=True, text=True,
                          env=environment, timeout=60)


def one_clean_line(stderr):
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert stderr.count("\n") <= 1, stderr


@pytest.mark.parametrize("command", ["list", "remind", "export"])
def test_a_closed_stdout_is_one_line(book, command):
    result = shell(book, f"cardkeep {command} >&-")
    assert result.returncode == 1
    assert result.stderr == "Error: standard output is closed; nothing to write to\n"


def test_a_closed_stdout_never_lets_the_book_take_its_place(book, cli):
    before = cli("export").stdout
    shell(book, "cardkeep add 'Zed New' >&-")
    shell(book, "cardkeep list >&-")
    assert cli("export").stdout == before  # nothing printed into the book's file descriptor


@pytest.mark.parametrize("command", ["list", "export", "search a"])
def test_a_full_stdout_is_one_line(book, command):
    result = shell(book, f"cardkeep {command} > /dev/full")
    assert result.returncode == 1
    one_clean_line(result.stderr)
    assert "No space left on device" in result.stderr


@pytest.mark.parametrize("command", ["list", "export", "calendar"])
def test_sigpipe_is_quiet(book, command):
    result = shell(book, f"cardkeep {command} | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}")
    assert result.returncode in (0, 1)
    assert result.stderr == ""


def test_a_closed_stdin_is_no_answer(book):
    result = shell(book, "cardkeep rm c1 <&-")
    assert result.returncode == 1
    assert "no answer" in result.stderr
    one_clean_line(result.stderr)


def test_a_non_utf8_locale(book):
    added = shell(book, "cardkeep add 'Zoë Café'", LC_ALL="C", PYTHONUTF8="0")
    assert added.returncode == 0, added.stderr
    one_clean_line(added.stderr)
    listed = shell(book, "cardkeep list", LC_ALL="C", PYTHONUTF8="0")
    assert listed.returncode == 0, listed.stderr
    assert "Zo\\xeb Caf\\xe9" in listed.stdout  # shown escaped, never a traceback
    utf8 = shell(book, "cardkeep search Zoë", LC_ALL="C.UTF-8")
    assert "Zoë Café" in utf8.stdout  # stored as the UTF-8 it was typed in


def test_tab_separated_output_escapes_tabs_and_newlines(cli, book):
    assert cli("add", "Tab Person").exit_code == 0
    assert cli("note", "Tab Person", "one\ttwo\nc99\tForged Row").exit_code == 0
    assert output.tsv_field("a\tb\nc\\d\r") == "a\\tb\\nc\\\\d\\r"
    result = cli("search", "Forged")
    for line in result.stdout.splitlines():
        assert line.count("\t") == 2, line
    assert "c99" not in [line.split("\t")[0] for line in result.stdout.splitlines()]


def test_print_table_in_a_pipe_escapes_every_cell(capsys):
    output.print_table([["c1", "Ada\tLovelace", "line\nbreak"]], ["id", "name", "note"])
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["id\tname\tnote", "c1\tAda\\tLovelace\tline\\nbreak"]
