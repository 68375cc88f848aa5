"""Reminders: what is due, when to mail it, who is left out; the pure core and the SQL around it."""

import calendar
import datetime as dt
import random

import pytest
from hypothesis import given, strategies as st

from cardkeep.dates import PartialDate
from cardkeep.plan import mailing, reminders
from cardkeep.settings import Settings, SettingsError, load_settings
from cardkeep.store import book
from cardkeep.store.db import open_db

DAY = dt.timedelta(days=1)


def falls_on(month, day_of_month, year, day, leap_day):
    """Oracle from the definition: does a yearly (month, day[, year]) fall on `day`?"""
    if year is not None and day.year < year:
        return False
    if (month, day_of_month) == (day.month, day.day):
        return True
    if (month, day_of_month) == (2, 29) and not calendar.isleap(day.year):
        return day == (dt.date(day.year, 3, 1) if leap_day == "mar1" else dt.date(day.year, 2, 28))
    return False


@st.composite
def rows(draw):
    count = draw(st.integers(0, 12))
    result = []
    for n in range(count):
        month = draw(st.integers(1, 12))
        day = 29 if month == 2 and draw(st.booleans()) else draw(st.integers(1, calendar.monthrange(2001, month)[1]))
        result.append({
            "id": n + 1, "contact_id": n + 1, "household_id": n + 1, "name": f"P{n}",
            "kind": draw(st.sampled_from(["birthday", "anniversary", "memorial", "custom"])),
            "status": draw(st.sampled_from(["active", "active", "deceased", "do-not-send"])),
            "year": draw(st.one_of(st.none(), st.integers(1940, 2030))),
            "month": month, "day": day, "label": None, "rule": None,
            "lead_days": draw(st.one_of(st.none(), st.integers(0, 40))),
            "country": draw(st.sampled_from([None, "US", "DE", "AU", "NG"])),
        })
    return result


@given(rows(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), st.integers(1, 70),
       st.sampled_from(["feb28", "mar1"]))
def test_exactly_the_due_occasions_are_reported(items, today, length, leap_day):
    until = today + dt.timedelta(days=length - 1)
    found = reminders.collect(items, today=today, until=until, home="US", leap_day=leap_day)
    expected = set()
    for row in items:
        if row["status"] == "do-not-send" or (row["status"] == "deceased" and row["kind"] in ("birthday", "anniversary")):
            continue
        lead = row["lead_days"] if row["lead_days"] is not None else mailing.lead_days(row["country"], "US")
        for n in range((until - today).days + lead + 1):
            day = today + n * DAY
            if falls_on(row["month"], row["day"], row["year"], day, leap_day) and day - lead * DAY <= until:
                expected.add((row["id"], day, day - lead * DAY))
    assert {(r.date_id, r.on, r.mail_by) for r in found} == expected
    assert [r.mail_by for r in found] == sorted(r.mail_by for r in found)  # most urgent first
    # Every occasion inside the window is there, none before today.
    inside = {(r["id"], today + n * DAY) for r in items for n in range(length)
              if falls_on(r["month"], r["day"], r["year"], today + n * DAY, leap_day)
              and r["status"] != "do-not-send"
              and not (r["status"] == "deceased" and r["kind"] in ("birthday", "anniversary"))}
    assert inside <= {(r.date_id, r.on) for r in found}
    assert all(r.on >= today for r in found)


def row(**kw):
    base = {"id": 1, "contact_id": 1, "household_id": 1, "name": "Ada Okafor", "kind": "birthday",
            "status": "active", "year": 1978, "month": 3, "day": 14, "label": None, "rule": None,
            "lead_days": None, "country": "US"}
    return {**base, **kw}


def test_milestones_and_round_numbers():
    today = dt.date(2026, 3, 1)
    (ada,) = reminders.collect([row()], today=today, until=dt.date(2026, 3, 14), home="US")
    assert (ada.on, ada.mail_by, ada.lead_days, ada.words, ada.round) == (
        dt.date(2026, 3, 14), dt.date(2026, 3, 9), mailing.DOMESTIC_DAYS, "turns 48", False)
    (fifty,) = reminders.collect([row(year=1976)], today=today, until=dt.date(2026, 3, 14), home="US")
    assert (fifty.words, fifty.round) == ("turns 50", True)
    (wedding,) = reminders.collect([row(kind="anniversary", year=2001, label="wedding")], today=today,
                                   until=dt.date(2026, 3, 14), home="US")
    assert (wedding.occasion, wedding.words, wedding.round) == ("wedding anniversary", "25th anniversary", True)
    (unknown,) = reminders.collect([row(year=None)], today=today, until=dt.date(2026, 3, 14), home="US")
    assert (unknown.number, unknown.words) == (None, None)


def test_a_window_across_the_new_year_counts_the_next_years_age():
    (r,) = reminders.collect([row(month=1, day=5, year=1980)], today=dt.date(2026, 12, 20),
                             until=dt.date(2027, 1, 9), home="US")
    assert (r.on, r.words) == (dt.date(2027, 1, 5), "turns 47")


@pytest.mark.parametrize(("leap_day", "on"), [("feb28", dt.date(2027, 2, 28)), ("mar1", dt.date(2027, 3, 1))])
def test_29_february_in_a_common_year(leap_day, on):
    (r,) = reminders.collect([row(month=2, day=29, year=1988, lead_days=0)], today=dt.date(2027, 2, 20),
                             until=dt.date(2027, 3, 5), home="US", leap_day=leap_day)
    assert (r.on, r.words) == (on, "turns 39")


def test_a_card_abroad_is_due_before_the_day_enters_the_window():
    # Birthday on the 20th, to Australia (18 days): mail by the 2nd, inside a week starting on the 1st.
    (r,) = reminders.collect([row(month=12, day=20, country="AU")], today=dt.date(2026, 12, 1),
                             until=dt.date(2026, 12, 7), home="US")
    assert (r.mail_by, r.international, r.lead_days) == (dt.date(2026, 12, 2), True, 18)
    # The same day at home is not due yet.
    assert reminders.collect([row(month=12, day=20)], today=dt.date(2026, 12, 1), until=dt.date(2026, 12, 7),
                             home="US") == []


def test_a_dates_own_lead_replaces_the_destinations():
    (r,) = reminders.collect([row(month=3, day=30, lead_days=21)], today=dt.date(2026, 3, 1),
                             until=dt.date(2026, 3, 14), home="US")
    assert (r.mail_by, r.lead_days) == (dt.date(2026, 3, 9), 21)


def test_late_cards_stay_until_the_day():
    (r,) = reminders.collect([row()], today=dt.date(2026, 3, 12), until=dt.date(2026, 3, 12), home="US")
    assert r.mail_by < dt.date(2026, 3, 12) and r.as_json(dt.date(2026, 3, 12))["late"] is True
    assert reminders.collect([row()], today=dt.date(2026, 3, 15), until=dt.date(2026, 3, 30), home="US") == []


def test_the_deceased_are_remembered_gently():
    items = [row(status="deceased"), row(id=2, kind="anniversary", status="deceased"),
             row(id=3, kind="memorial", status="deceased", year=2025)]
    (memorial,) = reminders.collect(items, today=dt.date(2026, 3, 1), until=dt.date(2026, 3, 14), home="US")
    assert (memorial.date_id, memorial.occasion, memorial.words) == (3, "in memory", "1 year since")
    assert "celebrat" not in repr(memorial)


def test_yearly_rules_are_reminded():
    mothers_day = row(kind="custom", year=None, month=None, day=None, rule="FREQ=YEARLY;BYMONTH=5;BYDAY=2SU",
                      label="Mother's Day")
    (r,) = reminders.collect([mothers_day], today=dt.date(2026, 5, 1), until=dt.date(2026, 5, 14), home="US")
    assert (r.on, r.occasion, r.words) == (dt.date(2026, 5, 10), "Mother's Day", None)


def test_settings_from_config():
    assert load_settings({}) == Settings()
    assert (load_settings({}).home, load_settings({}).mail, load_settings({}).leap_day) == (None, {}, "feb28")
    assert load_settings({"sender": {"country": "de"}, "dates": {"leap_day": "mar1"}}).home == "DE"
    with pytest.raises(SettingsError, match=r"config \[dates\] leap_day: 'march' is not one of feb28, mar1"):
        load_settings({"dates": {"leap_day": "march"}})


@pytest.mark.parametrize(
    ("mail", "message"),
    [
        ({"domestic": "four"}, r"\[mail\] domestic: 'four' is not a number of days"),
        ({"international": 10**9}, r"\[mail\] international: 1000000000"),
        ({"domestic": -3}, r"\[mail\] domestic: -3"),
        ({"countries": 5}, r"\[mail.countries\] must be a table"),
        ({"countries": {"AU": "x"}}, r"\[mail.countries\] AU: 'x'"),
        (3, r"\[mail\] must be a table"),
    ],
)
def test_bad_mail_settings_name_the_key(mail, message):
    with pytest.raises(SettingsError, match=message):
        load_settings({"mail": mail})
    settings = load_settings({"mail": {"domestic": 3, "countries": {"au": 21}}}).mail
    assert settings == {"domestic": 3, "countries": {"AU": 21}}


# ---------------------------------------------------------------- the SQL around it


@pytest.fixture
def db(db_path):
    return open_db(db_path)


def _address(country):
    return {"street": "1 Main St", "city": "Town", "postal_code": "12345", "country": country}


def test_the_narrowed_query_loses_nothing(db):
    """`due` asks SQLite only for candidates; it must agree with `collect` over every row."""
    rng = random.Random(7)
    for n in range(120):
        contact = book.add_contact(db, f"Person {n}", today=dt.date(2020, 1, 1),
                                   address=_address(rng.choice(["US", "US", "DE", "AU", "NG", "JP"])))
        month = rng.randint(1, 12)
        day = 29 if month == 2 and rng.random() < 0.3 else rng.randint(1, 28)
        book.add_date(db, contact, rng.choice(["birthday", "anniversary", "custom"]),
                      PartialDate(month, day, rng.choice([None, 1970, 1999])),
                      lead_days=rng.choice([None, None, 0, 30]))
    # Rules are narrowed once per distinct rule text: a few, shared by many dates, some abroad.
    rules = ["FREQ=YEARLY;BYEASTER=49", "FREQ=YEARLY;BYEASTER=-2", "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU",
             "FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR", "FREQ=YEARLY;BYMONTH=12;BYDAY=5SU", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=2",
             "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"]
    for n in range(40):
        book.add_date(db, n + 1, "custom", rule=rules[n % len(rules)], label="rule", lead_days=rng.choice([None, 30]))
    db.execute("insert into dates (contact_id, kind, rule) values (1, 'custom', 'FREQ=WEEKLY')")  # unreadable
    for config in ({"sender": {"country": "US"}}, {"sender": {"country": "US"}, "dates": {"leap_day": "mar1"}}):
        settings = load_settings(config)
        every_row = list(db.query(reminders.DATES_SQL))
        for start in range(0, 800, 11):
            today = dt.date(2026, 1, 1) + start * DAY
            for length in (1, 7, 14, 60):
                until = today + (length - 1) * DAY
                assert reminders.due(db, today=today, until=until, settings=settings) == reminders.collect(
                    every_row, today=today, until=until, **reminders.collect_settings(db, settings)), (today, length)


def test_the_query_asks_only_for_rules_that_fall_in_the_window(db):
    ada = book.add_contact(db, "Ada Okafor", today=dt.date(2020, 1, 1), address=_address("US"))
    book.add_date(db, ada, "custom", rule="FREQ=YEARLY;BYMONTH=5;BYDAY=2SU", label="Mother's Day")
    book.add_date(db, ada, "custom", rule="FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR", label="Black Friday")
    sql, params = reminders.candidate_sql(db, today=dt.date(2026, 11, 1), until=dt.date(2026, 11, 14), mail_settings={})
    assert [row["label"] for row in db.query(sql, params)] == ["Black Friday"]


def test_a_rule_that_cannot_be_read_is_reported_once_with_its_id(db):
    ada = book.add_contact(db, "Ada Okafor", today=dt.date(2020, 1, 1), address=_address("US"))
    assert reminders.unreadable_dates(db) == []
    book.add_date(db, ada, "custom", rule="FREQ=YEARLY;BYEASTER=49")
    db.execute("insert into dates (contact_id, kind, rule) values (?, 'custom', 'FREQ=WEEKLY')", [ada])
    db.execute("insert into dates (contact_id, kind, rule) values (?, 'custom', 'FREQ=WEEKLY')", [ada])
    assert [line.split(" (")[0] for line in reminders.unreadable_dates(db)] == ["d2", "d3"]


def test_the_query_leaves_out_do_not_send_and_uses_the_current_address(db):
    today = dt.date(2026, 3, 1)
    ada = book.add_contact(db, "Ada Okafor", today=today, address=_address("US"),
                           dates=[("birthday", PartialDate(3, 14, 1978))])
    marcus = book.add_contact(db, "Marcus Fenwick", today=today, address=_address("US"),
                              dates=[("birthday", PartialDate(3, 10, 1970))])
    book.set_contact_status(db, marcus, "do-not-send")
    quiet = book.add_contact(db, "Quiet House", today=today, address=_address("US"),
                             dates=[("birthday", PartialDate(3, 11, 1970))])
    book.set_household_status(db, book.contact_household(db, quiet), "do-not-send")
    book.move(db, book.contact_household(db, ada), _address("AU"), since=dt.date(2025, 6, 1))
    (r,) = reminders.due(db, today=today, until=dt.date(2026, 3, 14), settings=load_settings({"sender": {"country": "US"}}))
    assert (r.name, r.country, r.international, r.mail_by) == ("Ada Okafor", "AU", True, dt.date(2026, 2, 24))


def test_text_lines_word_each_kind():
    today = dt.date(2026, 6, 1)
    items = reminders.collect(
        [row(kind="anniversary", year=2001, month=6, day=23, label="wedding"),
         row(id=2, kind="anniversary", year=2024, month=6, day=20, label=None),
         row(id=3, kind="memorial", year=2016, month=6, day=10, name="Bob Whitaker"),
         row(id=4, kind="custom", year=None, month=6, day=12, label="Name day", country="DE")],
        today=today, until=dt.date(2026, 6, 21), home="US")
    assert [" ".join(line.split()) for line in reminders.text_lines(items, [], today=today, until=dt.date(2026, 6, 21))] == [
        "Cards to mail, 2026-06-01 to 2026-06-21:",
        "late, mail now (was 2026-05-29) Ada Okafor: Name day on Fri 2026-06-12 [DE, 14 days]",
        "mail by Fri 2026-06-05 Bob Whitaker: in memory, 10 years since on Wed 2026-06-10",
        "mail by Mon 2026-06-15 Ada Okafor: 2nd anniversary on Sat 2026-06-20",
        "mail by Thu 2026-06-18 Ada Okafor: 25th wedding anniversary (round) on Tue 2026-06-23",
    ]
    assert reminders.text_lines([], [], today=today, until=today) == []  # the cron contract: silence


def test_the_weekday_reads_as_strftime_writes_it():
    for n in range(7):
        day = dt.date(2026, 11, 23) + n * DAY
        assert reminders.day_text(day) == day.strftime("%a %Y-%m-%d")


def test_collect_reads_the_querys_columns_in_order(db):
    assert tuple(column[0] for column in db.execute(reminders.DATES_SQL).description) == reminders.COLUMNS
