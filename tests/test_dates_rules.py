"""Yearly rules, occurrences in a window, leap days and windows: pure date code, no database."""

import calendar
import datetime as dt

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, strategies as st

from cardkeep.dates import (
    PartialDate,
    YearlyRule,
    in_year,
    next_occurrence,
    occurrences,
    parse_rule,
    parse_when,
    window_end,
)
from cardkeep.errors import InvalidInput

DAY = dt.timedelta(days=1)
policies = st.sampled_from(["feb28", "mar1"])
days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))


def is_leap(year):
    return calendar.isleap(year)


def falls_on(when: PartialDate, day: dt.date, leap_day: str) -> bool:
    """An oracle written from the definition, not from the code: does the date fall on `day`?"""
    if when.year is not None and day.year < when.year:
        return False
    if (when.month, when.day) == (day.month, day.day):
        return True
    if (when.month, when.day) == (2, 29) and not is_leap(day.year):
        return day == (dt.date(day.year, 3, 1) if leap_day == "mar1" else dt.date(day.year, 2, 28))
    return False


@st.composite
def partial_dates(draw):
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(2000, month)[1]))  # 2000 is a leap year: 29 Feb allowed
    if draw(st.booleans()):
        day, month = 29, 2  # weight the awkward one
    year = draw(st.one_of(st.none(), st.integers(1900, 2150)))
    return PartialDate(month, day, year)


# ---------------------------------------------------------------- occurrences in a window


@given(partial_dates(), days, st.integers(0, 800), policies)
def test_every_day_in_the_window_is_found_and_none_outside(when, start, length, leap_day):
    end = start + dt.timedelta(days=length)
    found = list(occurrences(when, start, end, leap_day=leap_day))
    expected = [start + n * DAY for n in range(length + 1) if falls_on(when, start + n * DAY, leap_day)]
    assert found == expected


@given(partial_dates(), st.integers(1901, 2199), policies)
def test_a_date_falls_once_a_year(when, year, leap_day):
    found = list(occurrences(when, dt.date(year, 1, 1), dt.date(year, 12, 31), leap_day=leap_day))
    assert len(found) == (0 if when.year and year < when.year else 1)


@pytest.mark.parametrize(
    ("year", "leap_day", "expected"),
    [
        (2027, "feb28", dt.date(2027, 2, 28)),
        (2027, "mar1", dt.date(2027, 3, 1)),
        (2028, "feb28", dt.date(2028, 2, 29)),
        (2028, "mar1", dt.date(2028, 2, 29)),
        (2100, "feb28", dt.date(2100, 2, 28)),  # not a leap year: divisible by 100
        (2000, "mar1", dt.date(2000, 2, 29)),  # a leap year: divisible by 400
    ],
)
def test_29_february_by_policy(year, leap_day, expected):
    assert in_year(PartialDate(2, 29, 1988), year, leap_day=leap_day) == expected


def test_a_window_crossing_the_new_year():
    when = PartialDate(1, 3)
    assert list(occurrences(when, dt.date(2026, 12, 20), dt.date(2027, 1, 9))) == [dt.date(2027, 1, 3)]
    assert list(occurrences(PartialDate(12, 31), dt.date(2026, 12, 31), dt.date(2028, 1, 1))) == [
        dt.date(2026, 12, 31), dt.date(2027, 12, 31)]


def test_a_dated_day_does_not_occur_before_its_year():
    assert in_year(PartialDate(6, 1, 2030), 2029) is None
    assert next_occurrence(PartialDate(6, 1, 2030), dt.date(2026, 1, 1)) == dt.date(2030, 6, 1)


def test_next_occurrence_of_today_is_today():
    assert next_occurrence(PartialDate(11, 23), dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)
    assert next_occurrence(PartialDate(11, 22), dt.date(2026, 11, 23)) == dt.date(2027, 11, 22)


# ---------------------------------------------------------------- nth weekday rules


def nth_weekday_oracle(year, month, weekday, nth):
    matching = [d for d in range(1, calendar.monthrange(year, month)[1] + 1)
                if dt.date(year, month, d).weekday() == weekday]
    index = nth - 1 if nth > 0 else nth
    return dt.date(year, month, matching[index]) if -len(matching) <= index < len(matching) else None


@given(st.integers(1900, 2200), st.integers(1, 12), st.integers(0, 6),
       st.sampled_from([1, 2, 3, 4, 5, -1, -2, -3, -4, -5]))
def test_nth_weekday_in_every_month(year, month, weekday, nth):
    rule = YearlyRule("weekday", month=month, weekday=weekday, nth=nth)
    assert rule.in_year(year) == nth_weekday_oracle(year, month, weekday, nth)


@given(st.integers(1, 12), st.integers(0, 6), st.sampled_from([1, 2, 3, 4, 5, -1, -2]))
def test_the_stored_rrule_means_the_same_to_dateutil(month, weekday, nth):
    rule = YearlyRule("weekday", month=month, weekday=weekday, nth=nth)
    theirs = [d.date() for d in rrulestr(rule.rrule, dtstart=dt.datetime(2020, 1, 1)).between(
        dt.datetime(2020, 1, 1), dt.datetime(2035, 12, 31), inc=True)]
    ours = [d for y in range(2020, 2036) if (d := rule.in_year(y))]
    assert ours == theirs
    assert parse_rule(rule.rrule) == rule


@pytest.mark.parametrize(
    ("text", "rrule", "year", "expected"),
    [
        ("2nd sun may", "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU", 2026, dt.date(2026, 5, 10)),
        ("2nd Sunday of May", "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU", 2027, dt.date(2027, 5, 9)),
        ("second sunday in may", "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU", 2026, dt.date(2026, 5, 10)),
        ("last fri nov", "FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR", 2026, dt.date(2026, 11, 27)),
        ("Last Monday of May", "FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO", 2026, dt.date(2026, 5, 25)),
        ("4th thu nov", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", 2026, dt.date(2026, 11, 26)),
        ("3rd sun june", "FREQ=YEARLY;BYMONTH=6;BYDAY=3SU", 2026, dt.date(2026, 6, 21)),
        ("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=FR;BYSETPOS=-1", "FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR", 2025,
         dt.date(2025, 11, 28)),
        ("freq=yearly;bymonth=5;byday=2su", "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU", 2026, dt.date(2026, 5, 10)),
        ("easter", "FREQ=YEARLY;BYEASTER=0", 2026, dt.date(2026, 4, 5)),
        ("easter+49", "FREQ=YEARLY;BYEASTER=49", 2026, dt.date(2026, 5, 24)),  # Pentecost
        ("Easter - 2", "FREQ=YEARLY;BYEASTER=-2", 2025, dt.date(2025, 4, 18)),  # Good Friday
        ("easter+39 days", "FREQ=YEARLY;BYEASTER=39", 2024, dt.date(2024, 5, 9)),  # Ascension
        ("FREQ=YEARLY;BYEASTER=-47", "FREQ=YEARLY;BYEASTER=-47", 2026, dt.date(2026, 2, 17)),  # Shrove Tuesday
        ("may 4", "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=4", 2026, dt.date(2026, 5, 4)),
        ("4th of July", "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=4", 2026, dt.date(2026, 7, 4)),
        ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", 2026, dt.date(2026, 12, 25)),
    ],
)
def test_rules_people_write(text, rrule, year, expected):
    rule = parse_rule(text)
    assert rule.rrule == rrule
    assert rule.in_year(year) == expected
    assert parse_rule(rule.rrule) == rule  # stored text reads back as the same rule


def test_easter_agrees_with_dateutil_byeaster_for_two_centuries():
    rule = parse_rule("easter+49")
    theirs = [d.date() for d in rrulestr(rule.rrule, dtstart=dt.datetime(1900, 1, 1)).between(
        dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31), inc=True)]
    assert [rule.in_year(y) for y in range(1900, 2101)] == theirs


def test_a_fifth_weekday_skips_years_without_one():
    rule = parse_rule("5th sat aug")
    found = list(occurrences(rule, dt.date(2024, 1, 1), dt.date(2030, 12, 31)))
    assert all(d.month == 8 and d.weekday() == 5 and d.day > 28 for d in found)
    assert [d.year for d in found] == [2024, 2025, 2026, 2030]  # August with five Saturdays
    assert next_occurrence(rule, dt.date(2025, 9, 1)) == next(d for d in found if d >= dt.date(2025, 9, 1))


def test_an_easter_offset_window_across_the_new_year():
    # Epiphany-style offsets are not Easter's business, but a window may still start in one year and
    # end in the next: the occurrence in the later year is found.
    rule = parse_rule("easter")
    assert list(occurrences(rule, dt.date(2026, 12, 1), dt.date(2027, 4, 30))) == [dt.date(2027, 3, 28)]


@pytest.mark.parametrize("month", range(1, 13))
def test_plain_forms_for_every_month_and_weekday(month):
    name = calendar.month_name[month]
    for weekday in range(7):
        day_name = calendar.day_name[weekday]
        for words, nth in (("1st", 1), ("2nd", 2), ("third", 3), ("4th", 4), ("last", -1)):
            for text in (f"{words} {day_name[:3]} {name[:3]}", f"{words} {day_name} of {name}"):
                assert parse_rule(text) == YearlyRule("weekday", month=month, weekday=weekday, nth=nth), text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("6th sun may", "at most 5"),
        ("2nd xyz may", "'xyz' is not a weekday"),
        ("2nd sun smarch", "'smarch' is not a month"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", "only yearly rules"),
        ("FREQ=YEARLY;INTERVAL=2;BYMONTH=5;BYMONTHDAY=1", "every year"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "day 30 is not in February"),
        ("FREQ=YEARLY;BYMONTH=13;BYMONTHDAY=1", "BYMONTH=13"),
        ("FREQ=YEARLY;BYMONTH=5;BYDAY=SU", "say which"),
        ("FREQ=YEARLY;BYMONTH=5;BYDAY=2SU;COUNT=3", "COUNT is not supported"),
        ("FREQ=YEARLY;BYEASTER=1;BYMONTH=5", "stands alone"),
        ("FREQ=YEARLY;BYDAY=2SU", "needs BYMONTH"),
        ("FREQ=YEARLY;BYMONTH", "not KEY=VALUE"),
        ("sometime in spring", "not a date or a yearly rule"),
        ("ma 4", "not a date or a yearly rule"),
        ("easter+400", "from -180 to 180"),  # the plain form has the same bound as BYEASTER
        ("easter - 181 days", "from -180 to 180"),
    ],
)
def test_bad_rules_say_what_is_wrong(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_rule(text)


def test_parse_when_keeps_days_as_days():
    assert parse_when("1978-03-14") == PartialDate(3, 14, 1978)
    assert parse_when("--02-29") == PartialDate(2, 29)
    assert parse_when("may 4") == PartialDate(5, 4)  # a fixed rule is a year-less day, stored one way
    assert parse_when("2nd sun may") == YearlyRule("weekday", month=5, weekday=6, nth=2)
    with pytest.raises(InvalidInput, match="DATE: rule 'hello'"):
        parse_when("hello", what="DATE")
    with pytest.raises(InvalidInput, match="not a real day"):
        parse_when("--02-30")


def test_rules_describe_themselves():
    assert parse_rule("2nd sun may").describe() == "2nd Sunday of May"
    assert parse_rule("last fri nov").describe() == "last Friday of November"
    assert parse_rule("FREQ=YEARLY;BYMONTH=3;BYDAY=-2TU").describe() == "2nd last Tuesday of March"
    assert parse_rule("easter+49").describe() == "49 days after Easter"
    assert parse_rule("easter-1").describe() == "1 day before Easter"
    assert parse_rule("easter").describe() == "Easter Sunday"


# ---------------------------------------------------------------- windows


@given(days.filter(lambda d: d.year < 2200), st.integers(1, 400), st.sampled_from(["d", "w", ""]))
def test_a_window_of_days_or_weeks_has_that_many_days(today, n, unit):
    end = window_end(today, f"{n}{unit}")
    assert (end - today).days + 1 == n * (7 if unit == "w" else 1)


@given(days.filter(lambda d: d.year < 2200), st.integers(1, 24))
def test_a_window_of_months_ends_the_day_before_the_same_date(today, n):
    end = window_end(today, f"{n}m")
    after = end + DAY
    months = (after.year - today.year) * 12 + after.month - today.month
    assert months == n
    assert after.day == min(today.day, calendar.monthrange(after.year, after.month)[1])


def test_weekly_windows_tile_the_year():
    monday = dt.date(2026, 11, 23)
    assert window_end(monday, "7d") == dt.date(2026, 11, 29)
    assert window_end(monday + 7 * DAY, "7d") == dt.date(2026, 12, 6)
    assert window_end(dt.date(2026, 1, 31), "1m") == dt.date(2026, 2, 27)
    assert window_end(dt.date(2026, 11, 23), "1y") == dt.date(2027, 11, 22)


@pytest.mark.parametrize("text", ["", "0d", "two weeks", "14x", "-3d", "1.5w"])
def test_bad_windows(text):
    with pytest.raises(InvalidInput, match="--within"):
        window_end(dt.date(2026, 1, 1), text)


@pytest.mark.parametrize(("today", "text"), [(dt.date(2026, 1, 1), "9999y"), (dt.date(9999, 12, 31), "1y"),
                                             (dt.date(9999, 12, 20), "14d")])
def test_a_window_past_the_calendar_is_an_error_not_a_crash(today, text):
    with pytest.raises(InvalidInput, match="--within"):
        window_end(today, text)
