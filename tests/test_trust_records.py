"""Issue 17: a bad record never disables a command for the whole book. A rule is checked on import
(an error naming where it is); a stored row that cannot be read is reported once with its id and
skipped by remind and calendar; `date list` still lists it so `date rm` can remove it."""

import json
import sqlite3

import pytest

from tests.conftest import EXAMPLES


def test_a_bad_rule_is_an_import_error_naming_where(cli, tmp_path):
    path = tmp_path / "bogus.json"
    path.write_text(json.dumps({"cardkeep": 1, "households": [
        {"members": [{"name": "Bo Gus", "dates": [{"kind": "custom", "rule": "bogus rule"}]}]}]}))
    result = cli("import", path)
    assert result.exit_code == 1
    assert "households[0].members[0].dates[0]: rule 'bogus rule'" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.fixture
def bad_row(cli, db_path):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("insert into dates (contact_id, kind, label, rule) values (1, 'custom', 'x', 'bogus rule')")
    conn.commit()
    date_id = conn.execute("select max(id) from dates").fetchone()[0]
    conn.close()
    return f"d{date_id}"


@pytest.mark.parametrize("command", [["remind", "--within", "60d"], ["calendar"], ["date", "list"]])
def test_an_unreadable_row_is_reported_once_and_skipped(cli, bad_row, command):
    result = cli(*command, "--today", "2026-11-20")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if bad_row in line]
    assert len(warnings) == 1 and "cannot be read" in warnings[0]
    assert "Traceback" not in result.output


def test_remind_still_lists_every_other_date(cli, bad_row, db_path, tmp_path):
    result = cli("remind", "--within", "60d", "--today", "2026-11-20")
    assert result.stdout.strip()  # the rest of the book is still reminded


def test_date_list_shows_it_and_date_rm_removes_it(cli, bad_row):
    listed = cli("date", "list", "--today", "2026-11-20")
    assert bad_row in listed.stdout
    removed = cli("date", "rm", bad_row)
    assert removed.exit_code == 0, removed.output
    assert bad_row not in cli("date", "list", "--today", "2026-11-20").stdout
    assert cli("remind", "--within", "60d", "--today", "2026-11-20").stderr == ""
