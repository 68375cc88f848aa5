"""One settings object: every key checked once, the same error in every command, one home country."""

import datetime as dt
import json

import pytest

from cardkeep.dates import PartialDate
from cardkeep.plan import mailing
from cardkeep.settings import PlanThresholds, Settings, SettingsError, home_country, load_settings
from cardkeep.store import book
from cardkeep.store.db import open_db
from tests.conftest import EXAMPLES

T = ("--today", "2026-11-23")


def test_an_empty_config_is_every_default():
    s = load_settings({})
    assert s == Settings()
    assert (s.home, s.leap_day, s.mail, s.plan) == (None, "feb28", {}, PlanThresholds())
    assert s.arrive_by(2026) == dt.date(2026, 12, 20)


def test_values_are_checked_and_normalised():
    s = load_settings({"sender": {"country": " de "}, "dates": {"leap_day": "mar1"},
                       "mail": {"countries": {"au": 21}}, "plan": {"exempt_tags": [" Always "], "arrive_by": "12-18"},
                       "doctor": {"unverified_years": 2}})
    assert (s.home, s.leap_day, s.mail, s.plan.exempt_tags) == ("DE", "mar1", {"countries": {"AU": 21}},
                                                                 frozenset({"always"}))
    assert (s.arrive_by(2026), s.doctor_unverified_years) == (dt.date(2026, 12, 18), 2)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"dates": {"leap_day": "29th"}}, "config [dates] leap_day: '29th' is not one of feb28, mar1"),
        ({"dates": "feb28"}, "config [dates] must be a table"),
        ({"plan": {"quiet_years": "lots"}}, "config [plan] quiet_years: 'lots' is not a whole number >= 1"),
        ({"plan": {"arrive_by": "12/20"}}, "config [plan] arrive_by: '12/20' is not a day of the year"),
        ({"plan": {"targets": {"thank-you": "13-01"}}}, "config [plan.targets] thank-you: '13-01'"),
        ({"mail": {"domestic": -3}}, "config [mail] domestic: -3 is not a number of days from 0 to 365"),
        ({"sender": {"country": "USA"}}, "config [sender] country: 'USA' is not an ISO country code"),
        ({"doctor": {"unverified_years": 0}}, "config [doctor] unverified_years: 0 is not a whole number >= 1"),
    ],
)
def test_a_bad_value_names_its_key(config, message):
    with pytest.raises(SettingsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(config)


def test_an_occasion_without_a_target_date_says_where_to_set_it():
    with pytest.raises(SettingsError, match=r'\[plan.targets\] thank-you = "MM-DD"'):
        load_settings({}).arrive_by(2026, "thank-you")


# ---------------------------------------------------------------- the same error in every command

BAD = [
    ('[dates]\nleap_day = "29th"\n', "Error: config [dates] leap_day: '29th' is not one of feb28, mar1\n"),
    ('[plan]\nquiet_years = "lots"\n', "Error: config [plan] quiet_years: 'lots' is not a whole number >= 1\n"),
    ("[mail]\ndomestic = -3\n", "Error: config [mail] domestic: -3 is not a number of days from 0 to 365\n"),
    ('[sender]\ncountry = "USA"\n',
     "Error: config [sender] country: 'USA' is not an ISO country code (for example US, DE, JP, GB)\n"),
]
COMMANDS = [
    ("plan", *T),
    ("remind", *T),
    ("calendar", *T),
    ("date", "list", *T),
    ("mark", "Ada Okafor", "planned", *T),
    ("drafts", "Ada Okafor", "--format", "md", *T),
]


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    from typer.testing import CliRunner

    from cardkeep.cli import app

    path = tmp_path_factory.mktemp("book") / "book.db"
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(path), "import", str(EXAMPLES / "book.json")], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return path


@pytest.mark.parametrize(("config", "error"), BAD, ids=["leap_day", "quiet_years", "mail", "country"])
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] if c[0] != "date" else "date-list" for c in COMMANDS])
def test_a_bad_value_is_the_same_error_in_every_command(cli, isolated, sample_book, config, error, command):
    (isolated / "config.toml").write_text(config)
    result = cli("--db", sample_book, *command)
    assert (result.exit_code, result.stderr, result.stdout) == (1, error, "")


# ---------------------------------------------------------------- one home country


def test_home_is_the_sender_country_else_the_most_common_one():
    assert home_country(load_settings({"sender": {"country": "jp"}}), ["US", "US"]) == ("JP", False)
    assert home_country(load_settings({}), ["US", "AU", None, "us"]) == ("US", True)
    assert home_country(load_settings({}), ["DE", "AU"]) == ("AU", True)  # a tie: alphabetical
    assert home_country(load_settings({}), []) == (None, False)


def _address(country):
    return {"street": "1 Main St", "city": "Town", "postal_code": "12345", "country": country}


def test_plan_and_remind_give_the_australian_card_the_same_lead_time(cli, isolated, db_path):
    """No [sender] country in a US/US/AU book: both take US as home, so 18 days to Australia."""
    db = open_db(db_path)
    for name, country in [("Ada Okafor", "US"), ("Sam Lee", "US"), ("Kylie Brown", "AU")]:
        contact = book.add_contact(db, name, today=dt.date(2020, 1, 1), address=_address(country))
        book.add_date(db, contact, "birthday", PartialDate(12, 20, None))
    db.close()
    assert mailing.book_home(open_db(db_path), load_settings({})) == ("US", True)

    planned = cli("plan", *T, "--json")
    assert planned.exit_code == 0, planned.stderr
    plan_lead = {d["country"]: (dt.date(2026, 12, 20) - dt.date.fromisoformat(d["mail_by"])).days
                 for d in json.loads(planned.stdout)}
    reminded = cli("remind", "--today", "2026-11-20", "--within", "30d", "--format", "json")
    assert reminded.exit_code == 0, reminded.stderr
    remind_lead = {d["country"]: d["lead_days"] for d in json.loads(reminded.stdout)["dates"]}
    assert plan_lead == remind_lead == {"US": 5, "AU": 18}
