"""A household's own greeting (`household greeting`, issue 15): stored, shown, used by the drafts as
written (a birthday card still greets the one it is for), cleared, exported and imported."""

import datetime as dt
import hashlib
import json

import pytest

from cardkeep.errors import InvalidInput, NotFound
from cardkeep.formats.dump import dump_households
from cardkeep.store import book
from cardkeep.store.db import open_db
from cardkeep.store.load import load_households
from tests.conftest import EXAMPLES

TODAY = "2026-11-23"


def digest(path):
    db = open_db(path)
    dump = "\n".join(db.conn.iterdump())
    db.conn.close()
    return hashlib.sha256(dump.encode()).hexdigest()


def draft(cli, who, *args, today=TODAY):
    result = cli("drafts", who, "--format", "json", "--today", today, *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["drafts"][0]


def shown(cli, who):
    return json.loads(cli("show", who, "--json").stdout)


# ---------------------------------------------------------------- the command and `show`


def test_set_show_and_clear(cli):
    cli("add", "Ada Smith")
    cli("add", "Ben Smith", "--household", "Ada Smith")
    result = cli("household", "greeting", "ada", "  Dear   Smiths, ")
    assert (result.exit_code, result.stdout, result.stderr) == (0, 'h1 Ada & Ben Smith: its cards begin "Dear Smiths,"\n', "")
    assert shown(cli, "h1")["greeting"] == "Dear Smiths,"
    assert "\n  greeting: Dear Smiths,\n" in cli("show", "ben").stdout

    result = cli("household", "greeting", "h1", "--clear")
    assert (result.exit_code, result.stdout) == (0, "h1 Ada & Ben Smith: its cards greet the members by name again\n")
    assert shown(cli, "h1")["greeting"] is None
    assert "greeting:" not in cli("show", "h1").stdout


def test_show_prints_a_greeting_with_markup_as_text(cli):
    cli("add", "Ada Smith")
    assert cli("household", "greeting", "ada", "[bold]Hi[/bold] all,").exit_code == 0
    assert "  greeting: [bold]Hi[/bold] all,\n" in cli("show", "ada").stdout


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (("nobody", "Dear you,"), 1, "Error: no contact named 'nobody' (try `cardkeep search nobody`)\n"),
        (("h99", "Dear you,"), 1, None),
        (("ada",), 2, "give either a greeting or --clear"),
        (("ada", "Dear you,", "--clear"), 2, "give either a greeting or --clear"),
        (("ada", "   "), 1, "Error: greeting must not be empty\n"),
        (("ada", "x" * 201), 1, "Error: greeting: 201 characters is too long for a card's first line (at most 200)\n"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(cli, db_path, args, code, error):
    cli("add", "Ada Smith")
    cli("household", "greeting", "ada", "Dear Smiths,")
    before = digest(db_path)
    result = cli("household", "greeting", *args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    if code == 1:
        assert result.stderr.count("\n") == 1  # one line
    if error:
        assert error in result.stderr
    assert digest(db_path) == before


# ---------------------------------------------------------------- the drafts


def test_a_holiday_draft_uses_it_as_written_and_clearing_restores_the_generated_one(cli, sample):
    generated = draft(cli, "Ada Okafor")["body"]
    assert cli("household", "greeting", "Ada Okafor", "Dear Okafor clan,").exit_code == 0
    own = draft(cli, "Ada Okafor")
    assert own["body"].startswith("Dear Okafor clan,\n\n")
    assert own["body"].split("\n", 1)[1] == generated.split("\n", 1)[1]  # only the first line changed
    assert own["warnings"] == []
    markdown = cli("drafts", "Ada Okafor", "--format", "md", "--today", TODAY).stdout
    assert "\n\nDear Okafor clan,\n" in markdown

    assert cli("household", "greeting", "Ada Okafor", "--clear").exit_code == 0
    assert draft(cli, "Ada Okafor")["body"] == generated


def test_a_birthday_draft_still_greets_the_birthday_person(cli, sample):
    assert cli("household", "greeting", "Ada Okafor", "Dear Okafor clan,").exit_code == 0
    ngozi = draft(cli, "Ngozi", "--occasion", "birthday")
    assert ngozi["body"].startswith("Dear Ngozi,\n\nHappy 15th birthday!")


def test_template_syntax_in_a_greeting_prints_literally(cli, sample, tmp_path):
    text = "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} [First Name],"
    assert cli("household", "greeting", "Rosa", text).exit_code == 0
    assert draft(cli, "Rosa")["body"].startswith(text + "\n\n")
    out = tmp_path / "cards.pdf"
    result = cli("drafts", "Rosa", "--output", out, "--today", TODAY)
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_generic_own_greeting_is_still_an_error(cli, sample):
    assert cli("household", "greeting", "Rosa", "Dear Valued Customer,").exit_code == 0
    result = cli("drafts", "Rosa", "--format", "json", "--today", TODAY)
    assert result.exit_code == 1 and result.stdout == ""
    assert "the household's greeting: salutation.generic: generic greeting" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


# ---------------------------------------------------------------- export and import


def test_json_export_and_import_keep_it(cli, sample, tmp_path):
    cli("household", "greeting", "Ada Okafor", "Dear Okafor clan,")
    exported = json.loads(cli("export").stdout)
    with_greeting = [h for h in exported["households"] if "greeting" in h]
    assert [(h["id"], h["greeting"]) for h in with_greeting] == [("h1", "Dear Okafor clan,")]
    path = tmp_path / "book.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    second = tmp_path / "second.db"
    assert cli("--db", second, "import", path).exit_code == 0
    assert json.loads(cli("--db", second, "show", "Ada Okafor", "--json").stdout)["greeting"] == "Dear Okafor clan,"
    assert json.loads(cli("--db", second, "export").stdout) == exported


def test_an_import_checks_the_greeting_is_text(cli, tmp_path):
    data = json.loads((EXAMPLES / "book.json").read_text(encoding="utf-8"))
    data["households"][2]["greeting"] = 7
    path = tmp_path / "book.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli("import", path)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: households[2]: greeting must be a string\n"


# ---------------------------------------------------------------- as plain functions


def test_the_store_sets_loads_dumps_and_clears_it(db_path):
    db = open_db(db_path)
    ada = book.add_contact(db, "Ada Smith", today=dt.date(2026, 1, 1))
    household = book.contact_household(db, ada)
    assert book.set_greeting(db, household, " Dear\tSmiths, ") == "Dear Smiths,"
    assert book.household_record(db, household)["greeting"] == "Dear Smiths,"
    assert load_households(db)[0].greeting == "Dear Smiths,"
    assert dump_households(db)[0]["greeting"] == "Dear Smiths,"
    assert book.set_greeting(db, household, None) is None
    assert load_households(db)[0].greeting is None
    assert dump_households(db)[0]["greeting"] is None
    with pytest.raises(NotFound, match="no household with id h99"):
        book.set_greeting(db, 99, "Dear you,")
    with pytest.raises(InvalidInput, match="must not be empty"):
        book.set_greeting(db, household, " \n ")
    db.close()
