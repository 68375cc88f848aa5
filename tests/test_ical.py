"""`cardkeep calendar`: an iCalendar file that parses, recurs on the right days and keeps its UIDs."""

import datetime as dt
import stat

import icalendar
import pytest
from dateutil.rrule import rrulestr

from cardkeep.dates import PartialDate, in_year, stored_when
from cardkeep.formats import ical
from cardkeep.store import book
from cardkeep.store.db import open_db

TODAY = dt.date(2026, 11, 23)


def _address(country):
    return {"street": "1 Main St", "city": "Town", "postal_code": "12345", "country": country}


@pytest.fixture
def filled(db_path, tmp_path):
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')
    db = open_db(db_path)
    day = dt.date(2020, 1, 1)
    ada = book.add_contact(db, "Ada Okafor", today=day, address=_address("US"),
                           dates=[("birthday", PartialDate(3, 14, 1976)), ("anniversary", PartialDate(6, 23, 2001))])
    book.add_date(db, ada, "custom", rule="FREQ=YEARLY;BYMONTH=5;BYDAY=2SU", label="Mother's Day")
    book.add_date(db, ada, "custom", rule="FREQ=YEARLY;BYEASTER=49", label="Pentecost", lead_days=3)
    book.add_contact(db, "Leap Lee", today=day, address=_address("AU"), dates=[("birthday", PartialDate(2, 29, 1988))])
    book.add_contact(db, "Sam Lee", today=day, address=_address("US"), dates=[("birthday", PartialDate(2, 29))])
    bob = book.add_contact(db, "Bob Whitaker", today=day, address=_address("US"),
                           dates=[("birthday", PartialDate(7, 4, 1944)), ("memorial", PartialDate(5, 10, 2025))])
    book.set_contact_status(db, bob, "deceased", on=dt.date(2025, 5, 10))
    marcus = book.add_contact(db, "Marcus Fenwick", today=day, dates=[("birthday", PartialDate(1, 1, 1970))])
    book.set_contact_status(db, marcus, "do-not-send")
    db.close()
    return db_path


def events(data: bytes):
    cal = icalendar.Calendar.from_ical(data)
    return cal, {str(e["summary"]): e for e in cal.walk("VEVENT")}


def expand(event, years):
    """The days an event falls on, as a calendar program would expand it (dateutil's RFC 5545 rrule)."""
    start = event.decoded("dtstart")
    found = set()
    if "rrule" in event:
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=dt.datetime.combine(start, dt.time()))
        found |= {d.date() for d in rule.between(dt.datetime(years[0], 1, 1), dt.datetime(years[-1], 12, 31), inc=True)}
    else:
        found.add(start)
    for rdate in event.get("rdate", []) if isinstance(event.get("rdate"), list) else [event.get("rdate")]:
        if rdate is not None:
            found |= {d.dt for d in rdate.dts}
    return sorted(d for d in found if years[0] <= d.year <= years[-1])


def export(db_path, leap_day="feb28", today=TODAY):
    db = open_db(db_path)
    try:
        return ical.export(db, today=today, config={"sender": {"country": "US"}, "dates": {"leap_day": leap_day}})
    finally:
        db.close()


def test_it_parses_with_one_event_per_date(filled):
    cal, found = events(export(filled))
    assert cal["version"] == "2.0" and str(cal["prodid"]).startswith("-//cardkeep//")
    assert sorted(found) == sorted([
        "Ada Okafor: birthday (born 1976)", "Ada Okafor: anniversary (2001)", "Ada Okafor: Mother's Day", "Ada Okafor: Pentecost",
        "Leap Lee: birthday (born 1988)", "Sam Lee: birthday", "Bob Whitaker: in memory (2025)",
    ])  # Bob's birthday (deceased) and Marcus (do-not-send) are left out
    for event in found.values():
        assert {"uid", "dtstamp", "dtstart", "summary"} <= {k.lower() for k in event}
        assert len(event.walk("VALARM")) == 1


@pytest.mark.parametrize("leap_day", ["feb28", "mar1"])
def test_events_recur_on_the_days_reminders_use(filled, leap_day):
    _, found = events(export(filled, leap_day))
    db = open_db(filled)
    rows = {r["id"]: r for r in db.query("select d.*, c.name from dates d join contacts c on c.id = d.contact_id")}
    db.close()
    years = list(range(2027, 2041))
    for event in found.values():
        date_id = int(str(event["uid"]).split("-")[0][1:])
        row = rows[date_id]
        when = stored_when(row["year"], row["month"], row["day"], row["rule"])
        expected = [d for y in years if (d := in_year(when, y, leap_day=leap_day))]
        assert expand(event, years) == expected, event["summary"]


def test_29_february_follows_the_policy(filled):
    _, feb28 = events(export(filled, "feb28"))
    _, mar1 = events(export(filled, "mar1"))
    assert dt.date(2027, 2, 28) in expand(feb28["Leap Lee: birthday (born 1988)"], [2027])
    assert expand(mar1["Leap Lee: birthday (born 1988)"], [2027, 2028]) == [dt.date(2027, 3, 1), dt.date(2028, 2, 29)]
    assert expand(feb28["Sam Lee: birthday"], [2027, 2028]) == [dt.date(2027, 2, 28), dt.date(2028, 2, 29)]


def test_the_alarm_is_on_the_mail_by_day(filled):
    _, found = events(export(filled))
    trigger = {name: e.walk("VALARM")[0].decoded("trigger") for name, e in found.items()}
    assert trigger["Ada Okafor: birthday (born 1976)"] == dt.timedelta(days=-5, hours=9)  # domestic
    assert trigger["Leap Lee: birthday (born 1988)"] == dt.timedelta(days=-18, hours=9)  # Australia
    assert trigger["Ada Okafor: Pentecost"] == dt.timedelta(days=-3, hours=9)  # its own --lead


def test_uids_are_stable_across_exports(filled):
    _, first = events(export(filled, today=TODAY))
    _, later = events(export(filled, today=TODAY + dt.timedelta(days=40)))
    assert {str(e["uid"]) for e in first.values()} == {str(e["uid"]) for e in later.values()}
    assert len({str(e["uid"]) for e in first.values()}) == len(first)
    assert export(filled) == export(filled)  # the same day, the same bytes


def test_the_file_is_well_formed(filled):
    data = export(filled)
    lines = data.split(b"\r\n")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in lines)  # RFC 5545 folds long lines


def test_cli_writes_a_private_file(cli, filled, tmp_path):
    out = tmp_path / "cards.ics"
    result = cli("calendar", "--output", out, "--today", TODAY.isoformat())
    assert (result.exit_code, result.stdout) == (0, f"Wrote 7 events to {out}\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # names and birthdays
    assert out.read_bytes() == export(filled)
    piped = cli("calendar", "--today", TODAY.isoformat())
    assert piped.stdout_bytes == export(filled)


def test_cli_unwritable_output_is_one_error_line(cli, filled, tmp_path):
    (tmp_path / "ro").mkdir()
    result = cli("calendar", "--output", tmp_path / "ro")
    assert result.exit_code == 2 and result.stderr.startswith("Error: cannot write")


def test_a_day_at_the_end_of_the_calendar_does_not_crash_the_export(filled):
    db = open_db(filled)
    book.add_date(db, 1, "custom", PartialDate(12, 31, 9999), label="typo")
    db.close()
    _, found = events(export(filled))
    event = found["Ada Okafor: typo (9999)"]
    assert event.decoded("dtstart") == dt.date(9999, 12, 31) and "dtend" not in event


def test_a_card_sent_silences_that_years_alarm_only(filled):
    from cardkeep.plan import history

    db = open_db(filled)
    ada_household = book.resolve_household(db, "Ada Okafor")
    history.record_sent(db, ada_household, year=2027, occasion="birthday", on=dt.date(2027, 3, 1))
    db.close()
    cal = icalendar.Calendar.from_ical(export(filled, today=dt.date(2027, 2, 20)))
    birthday = [e for e in cal.walk("VEVENT") if str(e["summary"]).startswith("Ada Okafor: birthday")]
    series = [e for e in birthday if "recurrence-id" not in e]
    (done,) = [e for e in birthday if "recurrence-id" in e]
    assert len(series) == 1 and len(series[0].walk("VALARM")) == 1  # the other years still remind
    assert done.decoded("recurrence-id") == dt.date(2027, 3, 14) and done.walk("VALARM") == []
    assert str(done["uid"]) == str(series[0]["uid"]) and str(done["summary"]).endswith("(card sent)")
