"""Issue 17: inputs have limits (nesting depth, number size, file size) with one-line errors; an
unclosed CSV quote is an error with its line; templates run under a time and output-size limit
with an error naming the template; text tidying is linear."""

import json
import time

import pytest

from cardkeep.drafts import render, sandbox
from tests.conftest import EXAMPLES


def one_line_error(result, code=1):
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_json_nested_too_deep(cli, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"cardkeep": 1, "households": ' + "[" * 200_000 + "]" * 200_000 + "}")
    assert "nested too deeply" in one_line_error(cli("import", path))


def test_a_5000_digit_number(cli, tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"cardkeep": 1, "households": [{"members": [{"name": "A"}], "x": ' + "9" * 5000 + "}]}")
    assert "5,000 digits" in one_line_error(cli("import", path))


@pytest.mark.parametrize("args", [["import", "/dev/zero"], ["lint", "/dev/zero"]])
def test_an_endless_file_stops_with_one_line(cli, args):
    message = one_line_error(cli(*args), code=2 if args[0] == "lint" else 1)
    assert "larger than" in message


def test_an_endless_letter_stops_with_one_line(cli):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    assert "larger than" in one_line_error(cli("drafts", "--letter", "/dev/zero", "--format", "md", "c1"))


def test_an_endless_stdin_stops_with_one_line(cli, monkeypatch):
    from cardkeep import fileio

    monkeypatch.setattr(fileio, "MAX_INPUT_BYTES", 1000)
    monkeypatch.setattr(fileio.read_input, "__kwdefaults__", {**fileio.read_input.__kwdefaults__, "limit": 1000})
    assert "larger than" in one_line_error(cli("import", "--format", "csv", "-", input="name\n" + "x\n" * 1000))


def test_an_unclosed_csv_quote_is_an_error_with_its_line(cli, tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('name,city\nAda Okafor,Leeds\n"Unclosed quote,Town\n')
    message = one_line_error(cli("import", "--dry-run", path))
    assert "q.csv, line 3" in message or "q.csv, line 4" in message


CONTEXT = {"household": "h1", "mailing_name": "Ada Okafor"}


@pytest.mark.parametrize(("source", "why"), [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "longer than"),
    ("{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}", "longer than"),
    ("{{ 'x'|center(3*10**7) }}", "too long"),
    ("{% for i in range(100000) %}{{ 'abcdefghij' }}{% endfor %}", "more than"),
])
def test_a_template_runs_under_a_time_and_size_limit(source, why):
    template = sandbox.compile_template(source, name="evil", filename="evil.j2")
    started = time.monotonic()
    with pytest.raises(render.DraftError, match=why) as caught:
        render.render(template, CONTEXT)
    assert time.monotonic() - started < sandbox.TIME_LIMIT + 3
    assert str(caught.value).startswith("template evil.j2")


def test_a_slow_template_from_the_command_line(cli, tmp_path):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    path = tmp_path / "slow.j2"
    path.write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    message = one_line_error(cli("drafts", "--template", path, "--format", "md", "c1"))
    assert "slow.j2" in message and "longer than" in message


def test_tidy_is_linear():
    started = time.monotonic()
    text, spans = render._tidy("S" + " " * 50_000 + "x")
    assert time.monotonic() - started < 0.5
    assert text == "S" + " " * 50_000 + "x"
    assert render._tidy("a  \t\nb \n\n\n\nc  ")[0] == "a\nb\n\nc"


def test_json_numbers_of_ordinary_size_still_import(cli, tmp_path):
    data = json.loads((EXAMPLES / "book.json").read_text())
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(data))
    assert cli("import", "--dry-run", path).exit_code == 0
