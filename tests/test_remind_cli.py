"""`cardkeep remind`, `date add/list/rm` and `cron` end to end, as cron and people run them."""

import datetime as dt
import json
import os
import re
import subprocess
import sys

import pytest

from cardkeep.dates import PartialDate
from cardkeep.store import book
from cardkeep.store.db import open_db, transaction
from cardkeep.store.load import load_households

TODAY = "2026-03-01"


def _address(country):
    return {"street": "1 Main St", "city": "Town", "postal_code": "12345", "country": country}


@pytest.fixture
def home_us(tmp_path):
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')
    return tmp_path / "config.toml"


@pytest.fixture
def people(db_path, home_us):
    """Ada (birthday 14 March, turns 50), Jürgen in Germany (birthday 20 March), Bob (deceased, with
    a memorial on 10 March), Marcus (do-not-send, birthday 5 March), Sam (birthday in August)."""
    db = open_db(db_path)
    day = dt.date(2020, 1, 1)
    ids = {
        "ada": book.add_contact(db, "Ada Okafor", today=day, address=_address("US"),
                                dates=[("birthday", PartialDate(3, 14, 1976))]),
        "jurgen": book.add_contact(db, "Jürgen Müller", today=day, address=_address("DE"),
                                   dates=[("birthday", PartialDate(3, 20, 1980))]),
        "bob": book.add_contact(db, "Bob Whitaker", today=day, address=_address("US"),
                                dates=[("birthday", PartialDate(3, 4, 1944)), ("memorial", PartialDate(3, 10, 2025))]),
        "marcus": book.add_contact(db, "Marcus Fenwick", today=day, address=_address("US"),
                                   dates=[("birthday", PartialDate(3, 5, 1970))]),
        "sam": book.add_contact(db, "Sam Lee", today=day, address=_address("US"),
                                dates=[("birthday", PartialDate(8, 19))]),
    }
    book.set_contact_status(db, ids["bob"], "deceased", on=dt.date(2025, 3, 10))
    book.set_contact_status(db, ids["marcus"], "do-not-send")
    db.close()
    return ids


def test_nothing_due_prints_nothing_and_exits_0(cli, people):
    result = cli("remind", "--today", "2026-06-01")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_an_empty_book_is_silent_too(cli):
    cli("init")
    result = cli("remind", "--today", TODAY)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_due_items_with_when_to_mail(cli, people):
    result = cli("remind", "--today", TODAY, "--within", "2w")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Cards to mail, 2026-03-01 to 2026-03-14:",
        "  mail by Thu 2026-03-05  Bob Whitaker: in memory, 1 year since on Tue 2026-03-10",
        "  mail by Fri 2026-03-06  Jürgen Müller: birthday, turns 46 on Fri 2026-03-20 [DE, 14 days]",
        "  mail by Mon 2026-03-09  Ada Okafor: birthday, turns 50 (round) on Sat 2026-03-14",
    ]
    assert "\x1b[" not in result.stdout  # plain text in a pipe: no colour, no box drawing
    assert "Marcus" not in result.stdout  # do-not-send
    assert "birthday, turns 82" not in result.stdout  # Bob's birthday on the 4th: not for the dead


def test_quiet_prints_only_the_items(cli, people):
    result = cli("remind", "--today", TODAY, "--within", "2w", "--quiet")
    assert [line.split("  ")[1].split(":")[0] for line in result.stdout.splitlines()] == [
        "Bob Whitaker", "Jürgen Müller", "Ada Okafor"]
    assert not result.stdout.startswith(" ")


def test_json(cli, people):
    result = cli("remind", "--today", TODAY, "--within", "14d", "--format", "json")
    data = json.loads(result.stdout)
    assert (data["today"], data["until"], data["mailings"]) == ("2026-03-01", "2026-03-14", [])
    ada = data["dates"][-1]
    assert ada == {
        "date_id": "d1", "contact": f"c{people['ada']}", "household": ada["household"], "name": "Ada Okafor",
        "kind": "birthday", "label": None, "occasion": "birthday", "date": "2026-03-14", "days_until": 13,
        "number": 50, "milestone": "turns 50", "round": True, "mail_by": "2026-03-09", "late": False,
        "lead_days": 5, "country": "US", "international": False,
    }
    assert [d["name"] for d in data["dates"]] == ["Bob Whitaker", "Jürgen Müller", "Ada Okafor"]
    assert cli("remind", "--today", TODAY, "--json").stdout == result.stdout


@pytest.mark.parametrize("no_color", [False, True])
def test_on_a_terminal_markup_styles_and_names_stay_text(cli, people, monkeypatch, no_color):
    """On a terminal: the heading bold and a late card red (unless NO_COLOR); a name that looks like
    rich markup is printed as written. In a pipe (the other tests): plain text."""
    from cardkeep.cli import output

    added = cli("add", "[bold]Zed[/bold]", "--birthday", "--03-02", "--street", "1 Elm St", "--city", "Town",
                "--country", "US")
    assert added.exit_code == 0, added.stderr
    monkeypatch.setattr(output, "is_terminal", lambda: True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    output.console.cache_clear()
    try:
        result = cli("remind", "--today", TODAY, "--within", "2w")
    finally:
        output.console.cache_clear()
    assert result.exit_code == 0, result.stderr
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert plain.splitlines()[0] == "Cards to mail, 2026-03-01 to 2026-03-14:"
    assert "late, mail now (was 2026-02-25)  [bold]Zed[/bold]: birthday on Mon 2026-03-02" in plain
    assert result.stdout.startswith("\x1b[1mCards to mail")  # bold is not colour: kept under NO_COLOR
    assert ("\x1b[31m" in result.stdout) is not no_color  # the late card in red


def test_json_when_nothing_is_due_is_still_a_document(cli, people):
    data = json.loads(cli("remind", "--today", "2026-06-01", "--format", "json").stdout)
    assert (data["dates"], data["mailings"]) == ([], [])


def test_the_window_and_late_cards(cli, people):
    # On the 12th, Ada's card (mail by the 9th) is late but her birthday has not passed.
    result = cli("remind", "--today", "2026-03-12", "--within", "1d", "--quiet")
    assert result.stdout.splitlines() == [
        "late, mail now (was 2026-03-06)  Jürgen Müller: birthday, turns 46 on Fri 2026-03-20 [DE, 14 days]",
        "late, mail now (was 2026-03-09)  Ada Okafor: birthday, turns 50 (round) on Sat 2026-03-14",
    ]


@pytest.mark.parametrize(("policy", "expected"), [("feb28", "Sun 2027-02-28"), ("mar1", "Mon 2027-03-01")])
def test_leap_day_policy_from_config(cli, db_path, home_us, policy, expected):
    home_us.write_text(f'[sender]\ncountry = "US"\n[dates]\nleap_day = "{policy}"\n')
    db = open_db(db_path)
    book.add_contact(db, "Leap Lee", today=dt.date(2020, 1, 1), dates=[("birthday", PartialDate(2, 29, 1988))])
    db.close()
    result = cli("remind", "--today", "2027-02-20", "--within", "3w", "--quiet")
    assert result.stdout.splitlines() == [
        f"mail by {'Tue 2027-02-23' if policy == 'feb28' else 'Wed 2027-02-24'}  Leap Lee: birthday, turns 39 on {expected}"]


def test_bad_input_is_one_line_on_stderr(cli, people, home_us):
    for args, code, message in [
        (["--within", "soon"], 2, "Error: --within: 'soon' is not a window (use e.g. 14d, 3w, 2m or 1y)\n"),
        (["--today", "2026-02-30"], 2, "Error: --today: '2026-02-30' is not a real date (day is out of range for month)\n"),
        (["--format", "xml"], 2, "Error: --format: 'xml' is not text or json\n"),
    ]:
        result = cli("remind", *args)
        assert (result.exit_code, result.stdout, result.stderr) == (code, "", message)
    home_us.write_text('[dates]\nleap_day = "29th"\n')
    result = cli("remind", "--today", TODAY)
    assert (result.exit_code, result.stderr) == (1, "Error: config [dates] leap_day: '29th' is not one of feb28, mar1\n")


def test_the_mail_settings_decide_the_lead_times(cli, people, home_us):
    home_us.write_text('[sender]\ncountry = "US"\n[mail]\ndomestic = 2\n[mail.countries]\nDE = 30\n')
    result = cli("remind", "--today", TODAY, "--within", "2w", "--quiet")
    assert result.stdout.splitlines() == [
        "late, mail now (was 2026-02-18)  Jürgen Müller: birthday, turns 46 on Fri 2026-03-20 [DE, 30 days]",
        "mail by Sun 2026-03-08           Bob Whitaker: in memory, 1 year since on Tue 2026-03-10",
        "mail by Thu 2026-03-12           Ada Okafor: birthday, turns 50 (round) on Sat 2026-03-14",
    ]
    home_us.write_text('[mail]\ndomestic = "two"\n')
    result = cli("remind", "--today", TODAY)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "Error: config [mail] domestic: 'two' is not a number of days from 0 to 365\n")


def test_cardkeep_today_from_the_environment(cli, people, monkeypatch):
    monkeypatch.setenv("CARDKEEP_TODAY", TODAY)
    assert "Ada Okafor" in cli("remind").stdout


def test_the_saved_holiday_batch_is_reminded(cli, db_path, home_us):
    from cardkeep.plan import batch, history, rules as planning
    from cardkeep.settings import load_settings

    db = open_db(db_path)
    for name, country in [("Ada Okafor", "US"), ("Jürgen Müller", "DE")]:
        household = book.contact_household(db, book.add_contact(db, name, today=dt.date(2016, 1, 1),
                                                                address=_address(country)))
        for year in range(2018, 2026):
            history.record_sent(db, household, year=year, on=dt.date(year, 12, 5))
            history.record_received(db, household, year=year, on=dt.date(year, 12, 18))
    config = {"sender": {"country": "US"}}
    plan = planning.plan(load_households(db), year=2026, today=dt.date(2026, 11, 23), settings=load_settings(config))
    batch.save(db, plan, today=dt.date(2026, 11, 23))
    expected = {d["mailing_name"]: d["mail_by"] for d in batch.due(
        db, today=dt.date(2026, 11, 23), until=dt.date(2026, 12, 31))}
    db.close()
    result = cli("remind", "--today", "2026-11-23", "--within", "5w")
    assert result.exit_code == 0
    assert "Holiday cards (saved plan):" in result.stdout
    for name, mail_by in expected.items():
        assert f"mail by {mail_by:%a} {mail_by.isoformat()}" in result.stdout and name in result.stdout
    data = json.loads(cli("remind", "--today", "2026-11-23", "--within", "5w", "--json").stdout)
    assert {m["mailing_name"]: m["mail_by"] for m in data["mailings"]} == {
        k: v.isoformat() for k, v in expected.items()}


# ---------------------------------------------------------------- the cron fast path


def _run_python(code, db_path, home_us):
    env = {**os.environ, "CARDKEEP_DB": str(db_path), "CARDKEEP_CONFIG": str(home_us), "CARDKEEP_TODAY": TODAY}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)


HEAVY = ("reportlab", "jinja2", "icalendar")


def test_remind_does_not_import_heavy_libraries(people, db_path, home_us):
    code = (
        "import sys\nsys.argv = ['cardkeep', 'remind', '--within', '3w']\nfrom cardkeep.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))"
    )
    result = _run_python(code, db_path, home_us)
    assert result.returncode == 0, result.stderr
    assert "Ada Okafor" in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"


def test_remind_loads_only_its_own_commands(people, db_path, home_us):
    # cron runs this every morning: no other command module, no rich in a pipe, no sqlite-utils.
    code = (
        "import sys\nsys.argv = ['cardkeep', 'remind', '--within', '3w']\nfrom cardkeep.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('cardkeep.cli.') or m.split('.')[0] in"
        " ('rich', 'sqlite_utils', 'pydantic')))"
    )
    result = _run_python(code, db_path, home_us)
    assert result.returncode == 0, result.stderr
    assert "Ada Okafor" in result.stdout
    assert result.stdout.splitlines()[-1] == "['cardkeep.cli._app', 'cardkeep.cli.output', 'cardkeep.cli.remind']"


def test_remind_help_is_the_full_help():
    """The light path (remind's module alone) shows the same help as the full app."""
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb"}
    env.pop("FORCE_COLOR", None)
    light = "import sys\nfrom cardkeep.cli import main\nsys.argv = ['cardkeep', 'remind', '--help']\nmain()\n"
    full = "from cardkeep.cli import load\nload()(['remind', '--help'], prog_name='cardkeep')\n"
    done = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
            for code in (light, full)]
    assert [d.returncode for d in done] == [0, 0], [d.stderr for d in done]
    assert "--within" in done[0].stdout and "cardkeep remind --within 3w" in done[0].stdout
    assert done[0].stdout == done[1].stdout


# ---------------------------------------------------------------- date add / list / rm


def _count_dates(db_path):
    db = open_db(db_path)
    try:
        return db.execute("select count(*) from dates").fetchone()[0]
    finally:
        db.close()


def test_date_add_list_rm(cli, people, db_path):
    result = cli("date", "add", "Ada", "custom", "2nd sun may", "--label", "Mother's Day", "--today", TODAY)
    assert result.stdout == (f"Added d7: c{people['ada']} Ada Okafor, custom (Mother's Day) on 2nd Sunday of May "
                             "(next: 2026-05-10)\n")
    result = cli("date", "add", "Ada", "anniversary", "--06-23", "--label", "wedding", "--lead", "10", "--today", TODAY)
    assert result.exit_code == 0 and "anniversary (wedding) on --06-23 (next: 2026-06-23)" in result.stdout
    cli("date", "add", "Sam Lee", "custom", "FREQ=YEARLY;BYEASTER=49", "--label", "Pentecost")
    listed = json.loads(cli("date", "list", "Ada", "--today", TODAY, "--json").stdout)
    assert [(d["id"], d["describe"], d["next"], d["milestone"], d["lead_days"]) for d in listed] == [
        ("d1", "1976-03-14", "2026-03-14", "turns 50", None),
        ("d7", "2nd Sunday of May", "2026-05-10", None, None),
        ("d8", "--06-23", "2026-06-23", None, 10),
    ]
    assert listed[1]["rule"] == "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU"
    table = cli("date", "list", "--today", TODAY).stdout.splitlines()
    assert table[0] == "id\twho\tkind\tlabel\tdate\tnext\tmilestone\tlead"
    assert len(table) == 1 + 9
    result = cli("date", "rm", "d7")
    assert result.stdout == f"Removed d7: c{people['ada']} Ada Okafor, custom on 2nd Sunday of May\n"
    assert "d7" not in cli("date", "list", "--json").stdout


def test_date_add_bad_input_changes_nothing(cli, people, db_path):
    before = _count_dates(db_path)
    for args, code, message in [
        (["Ada", "party", "--05-04"], 2, "KIND: 'party' is not one of birthday, anniversary, memorial, custom"),
        (["Ada", "custom", "6th sun may"], 1, "a month has at most 5 of each weekday"),
        (["Ada", "custom", "FREQ=WEEKLY"], 1, "only yearly rules are dates"),
        (["Ada", "custom", "--02-30"], 1, "not a real day of the year"),
        (["Ada", "custom", "may 4", "--lead", "-1"], 2, "--lead: -1 is not a number of days from 0 to 365"),
        (["Nobody", "custom", "may 4"], 1, "no contact named 'Nobody'"),
        (["Ada", "custom", "easter+400"], 1, "from -180 to 180"),
        (["Ada", "birthday", "9999-12-31", "--today", TODAY], 2, "9999-12-31 is in year 9999, more than a year"),
    ]:
        result = cli("date", "add", *args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stderr.startswith("Error: ") and message in result.stderr and result.stdout == ""
    assert _count_dates(db_path) == before


def test_date_rm_removes_a_rule_that_no_longer_reads(cli, people, db_path):
    db = open_db(db_path)
    with transaction(db):  # as an earlier version could store it
        db.execute("insert into dates (contact_id, kind, rule) values (?, 'custom', 'FREQ=YEARLY;BYEASTER=400')",
                   [people["ada"]])
    date_id = db.execute("select max(id) from dates").fetchone()[0]
    db.close()
    result = cli("date", "rm", f"d{date_id}")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Removed d{date_id}: c{people['ada']} Ada Okafor, custom on FREQ=YEARLY;BYEASTER=400\n"
    assert cli("remind", "--today", TODAY).exit_code == 0


def test_date_list_on_a_terminal_shows_markup_as_text(cli, people, monkeypatch):
    from cardkeep.cli import output

    cli("date", "add", "Ada", "custom", "--03-03", "--label", "[/] party [bold]")
    monkeypatch.setattr(output, "is_terminal", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    output.console.cache_clear()
    try:
        result = cli("date", "list", "--today", TODAY)
    finally:
        output.console.cache_clear()
    assert result.exit_code == 0, result.stderr
    assert "[/]" in result.stdout and "[bold]" in result.stdout  # wrapped in a narrow table, but text


def test_date_rm_unknown(cli, people):
    assert cli("date", "rm", "d99").stderr == "Error: no date with id d99 (see `cardkeep date list`)\n"
    assert cli("date", "rm", "x").exit_code == 2


def test_date_list_of_a_household(cli, db_path, home_us):
    db = open_db(db_path)
    ada = book.add_contact(db, "Ada Okafor", today=dt.date(2020, 1, 1), dates=[("birthday", PartialDate(3, 14))])
    book.add_contact(db, "Emeka Okafor", today=dt.date(2020, 1, 1), household=book.contact_household(db, ada),
                     dates=[("birthday", PartialDate(9, 2))])
    book.add_contact(db, "Someone Else", today=dt.date(2020, 1, 1), dates=[("birthday", PartialDate(1, 2))])
    household = book.contact_household(db, ada)
    db.close()
    listed = json.loads(cli("date", "list", f"h{household}", "--json", "--today", TODAY).stdout)
    assert [d["name"] for d in listed] == ["Ada Okafor", "Emeka Okafor"]


# ---------------------------------------------------------------- cron


def test_cron_prints_a_ready_line(cli, db_path):
    line = cli("cron").stdout
    assert line.endswith(f" --db {db_path} remind --within 14d\n")
    assert line.startswith("0 8 * * * CARDKEEP_CONFIG=")
    executable = line.split()[6]
    assert os.path.isabs(executable) and os.path.exists(executable)
    assert cli("cron", "--weekly").stdout.startswith("0 8 * * 1 ")
    assert cli("cron", "--weekly").stdout.endswith("remind --within 7d\n")


def test_cron_line_quotes_and_escapes_percent():
    line = reminders_cron_line(db_path="/home/me/my books/50% off.db")
    assert line == "0 8 * * * /opt/bin/cardkeep --db '/home/me/my books/50\\% off.db' remind --within 14d"


def reminders_cron_line(**kw):
    from cardkeep.cli.dates import cron_line

    return cron_line(weekly=False, executable=["/opt/bin/cardkeep"], config_path=None, **kw)


def test_the_cron_line_runs(cli, people, db_path, home_us):
    """The line cron would run, run through a shell: the reminder, or silence."""
    command = cli("cron").stdout.split(" ", 5)[5].replace("\\%", "%")
    env = {"PATH": "/usr/bin:/bin", "CARDKEEP_TODAY": TODAY, "HOME": str(db_path.parent)}
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Ada Okafor: birthday, turns 50 (round)" in result.stdout
    env["CARDKEEP_TODAY"] = "2026-06-01"
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# ---------------------------------------------------------------- the sample book


def words(text):
    """Lines with their column padding squeezed to one space."""
    return [" ".join(line.split()) for line in text.splitlines()]


@pytest.fixture
def sample(cli, home_us):
    from tests.conftest import EXAMPLES

    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    return home_us


@pytest.mark.parametrize(("policy", "line"), [
    ("feb28", "mail by Sun 2027-02-14 Zoë Müller: birthday, turns 39 on Sun 2027-02-28 [DE, 14 days]"),
    ("mar1", "mail by Mon 2027-02-15 Zoë Müller: birthday, turns 39 on Mon 2027-03-01 [DE, 14 days]"),
])
def test_sample_book_leap_day_abroad(cli, sample, policy, line):
    sample.write_text(f'[sender]\ncountry = "US"\n[dates]\nleap_day = "{policy}"\n')
    result = cli("remind", "--today", "2027-02-01", "--within", "3w", "--quiet")
    assert line in words(result.stdout)


def test_sample_book_bob_is_remembered_not_celebrated(cli, sample):
    lines = words(cli("remind", "--today", "2027-05-01", "--within", "2w", "--quiet").stdout)
    assert "mail by Wed 2027-05-05 Bob Whitaker: in memory, 1 year since on Mon 2027-05-10" in lines
    assert "Bob" not in cli("remind", "--today", "2027-06-25", "--within", "2w").stdout  # his birthday, 4 July
    # "1 year since" is not a round number to mark, in JSON or in the list of dates.
    data = json.loads(cli("remind", "--today", "2027-05-01", "--within", "2w", "--json").stdout)
    assert [d["round"] for d in data["dates"] if d["kind"] == "memorial"] == [False]
    listed = json.loads(cli("date", "list", "Bob Whitaker", "--today", "2027-05-01", "--json").stdout)
    assert [(d["milestone"], d["round"]) for d in listed if d["kind"] == "memorial"] == [("1 year since", False)]
    assert "Marcus" not in cli("remind", "--today", "2027-01-01", "--within", "1y").stdout


def test_sample_book_across_the_new_year(cli, sample):
    data = json.loads(cli("remind", "--today", "2026-12-20", "--within", "3w", "--json").stdout)
    assert data["until"] == "2027-01-09"
    diego = [d for d in data["dates"] if d["name"] == "Diego Ramírez"]
    assert [(d["date"], d["milestone"]) for d in diego] == [("2026-12-29", "turns 41")]
    assert all("2026-12-20" <= d["date"] and d["mail_by"] <= "2027-01-09" for d in data["dates"])


def test_a_card_sent_ends_that_occasions_reminder(cli, people):
    before = cli("remind", "--today", TODAY, "--within", "2w").stdout
    assert "Ada Okafor: birthday" in before and "Jürgen Müller: birthday" in before
    assert cli("sent", "ada", "--occasion", "birthday", "--today", "2026-03-02").exit_code == 0
    after = cli("remind", "--today", "2026-03-02", "--within", "2w").stdout
    assert "Ada Okafor" not in after and "Jürgen Müller: birthday" in after  # his card is still to send
    # Next year's birthday is due again.
    assert "Ada Okafor: birthday" in cli("remind", "--today", "2027-03-01", "--within", "2w").stdout


def test_a_card_mailed_in_december_ends_a_january_birthdays_reminder(cli, db_path, home_us):
    db = open_db(db_path)
    book.add_contact(db, "Tante Ingrid", today=dt.date(2020, 1, 1), address=_address("DE"),
                     dates=[("birthday", PartialDate(1, 3, 1950))])
    db.close()
    assert "Tante Ingrid: birthday" in cli("remind", "--today", "2026-12-10", "--within", "3w").stdout
    assert cli("sent", "Tante Ingrid", "--occasion", "birthday", "--today", "2026-12-10").exit_code == 0
    assert "Tante Ingrid" not in cli("remind", "--today", "2026-12-11", "--within", "3w").stdout


def test_a_couples_anniversary_is_one_reminder(cli, db_path, home_us):
    db = open_db(db_path)
    wedding = PartialDate(6, 23, 2001)
    ada = book.add_contact(db, "Ada Okafor", today=dt.date(2020, 1, 1), address=_address("US"),
                           dates=[("anniversary", wedding)])
    emeka = book.add_contact(db, "Emeka Okafor", today=dt.date(2020, 1, 1), dates=[("anniversary", wedding)])
    book.join_household(db, emeka, book.contact_household(db, ada))
    db.close()
    lines = cli("remind", "--today", "2026-06-10", "--within", "3w").stdout.splitlines()
    assert [line for line in lines if "anniversary" in line] == [
        "  mail by Thu 2026-06-18  Ada Okafor & Emeka Okafor: 25th anniversary (round) on Tue 2026-06-23"]


def test_date_list_gives_the_dead_no_age(cli, people):
    listed = json.loads(cli("date", "list", "Bob", "--today", TODAY, "--json").stdout)
    birthday = next(d for d in listed if d["kind"] == "birthday")
    assert birthday["milestone"] is None and not birthday["round"]
