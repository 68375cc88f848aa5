"""Dates as people write them, and the yearly rules that move with the calendar.

A date is either a `PartialDate` (a calendar day, with or without its year: `1978-03-14`,
`--03-14`) or a `YearlyRule`:

- a fixed day: `may 4`, `4 may`;
- the nth weekday of a month: `2nd sun may`, `2nd Sunday of May`, `last fri nov`;
- an Easter offset: `easter`, `easter+49` (Pentecost), `easter-2` (Good Friday);
- or RRULE text for any of these: `FREQ=YEARLY;BYMONTH=5;BYDAY=2SU`,
  `FREQ=YEARLY;BYMONTH=11;BYDAY=FR;BYSETPOS=-1`.

Rules are stored normalised as RRULE text (`YearlyRule.rrule`). RFC 5545 has no Easter, so an
Easter offset is stored with python-dateutil's extension `FREQ=YEARLY;BYEASTER=49`, which
`dateutil.rrule.rrulestr` also reads.

29 February follows one setting, `[dates] leap_day = "feb28" | "mar1"` (default feb28): in a
common year the day is kept on 28 February or moved to 1 March, the same way in reminders, the
calendar export and the "turns N" text.

Pure code: nothing here reads the clock; callers pass `today`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from cardkeep.errors import InvalidInput

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")


# The date types are named tuples, not frozen dataclasses: as immutable and compared by value, and
# several times cheaper to define, which `cardkeep remind` pays on every cron run.


class PartialDate(NamedTuple):
    """A calendar day with an optional year: a birthday whose year nobody knows is still a birthday."""

    month: int
    day: int
    year: int | None = None

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_iso_date(text: str, *, what: str = "date") -> dt.date:
    """Parse `YYYY-MM-DD` strictly; anything else is an InvalidInput naming `what`."""
    match = _ISO.match(text.strip())
    if not match:
        raise InvalidInput(f"{what}: {text!r} is not a date (use YYYY-MM-DD)")
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError as exc:
        raise InvalidInput(f"{what}: {text!r} is not a real date ({exc})") from None


def parse_partial_date(text: str, *, what: str = "date") -> PartialDate:
    """Parse `YYYY-MM-DD` or year-less `--MM-DD` (also `--MMDD`)."""
    text = text.strip()
    match = _NO_YEAR.match(text)
    if match:
        month, day = map(int, match.groups())
        try:
            dt.date(2000, month, day)  # a leap year, so --02-29 is allowed
        except ValueError:
            raise InvalidInput(f"{what}: {text!r} is not a real day of the year") from None
        return PartialDate(month, day)
    if not _ISO.match(text):
        raise InvalidInput(f"{what}: {text!r} is not a date (use YYYY-MM-DD, or --MM-DD without a year)")
    full = parse_iso_date(text, what=what)
    return PartialDate(full.month, full.day, full.year)


LEAP_POLICIES = ("feb28", "mar1")


def occurrence_in_year(month: int, day: int, year: int, *, leap_day: str = "feb28") -> dt.date:
    """The day a yearly date falls on in `year`. 29 February in a common year becomes 28 February
    or 1 March, by the `leap_day` setting, the same way everywhere."""
    if month == 2 and day == 29 and not _is_leap(year):
        return dt.date(year, 3, 1) if leap_day == "mar1" else dt.date(year, 2, 28)
    return dt.date(year, month, day)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


ROUND_NUMBERS = frozenset({1, 5, 10, 15, 20, 25, 30, 40, 50, 60, 65, 70, 75, 80, 90, 100})


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def milestone(kind: str, start_year: int | None, year: int) -> tuple[int, str, bool] | None:
    """(number, words, is_round) for the occurrence in `year` of a date that began in `start_year`.

    birthday -> "turns 40"; anniversary -> "25th anniversary"; memorial -> "10 years since"
    (gently: never "celebrate"). None when the year is unknown or not yet reached.
    """
    if start_year is None or year <= start_year and not (kind == "birthday" and year == start_year):
        return None
    n = year - start_year
    if kind == "birthday":
        words = "born" if n == 0 else f"turns {n}"
    elif kind == "memorial":
        words = f"{n} year{'s' if n != 1 else ''} since"
    else:
        words = f"{ordinal(n)} anniversary"
    return n, words, n in ROUND_NUMBERS


# ---------------------------------------------------------------- yearly rules

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAY_NAMES = {name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                                     "saturday", "sunday"))}
_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_NTH_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
              "fifth": 5, "5th": 5, "last": -1}
_ORDINAL_WORDS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}


def _lookup(word: str, names: dict[str, int]) -> int | None:
    """A month or weekday by its full name or any prefix of three letters or more ("sun", "Sept")."""
    word = word.lower().rstrip(".")
    if len(word) < 3:
        return None
    found = {value for name, value in names.items() if name.startswith(word) or word == name + "s"}
    return found.pop() if len(found) == 1 else None


class YearlyRule(NamedTuple):
    """A date that recurs every year by a rule rather than on one calendar day.

    kind "fixed": `month`/`day`; "weekday": the `nth` (1..5, or -1..-5 from the end) `weekday`
    (0 = Monday) of `month`; "easter": `offset` days from Easter Sunday (Western).
    """

    kind: str
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    offset: int = 0

    def in_year(self, year: int, *, leap_day: str = "feb28") -> dt.date | None:
        """The day the rule falls on in `year`, or None when it has none (a "5th Sunday")."""
        if self.kind == "fixed":
            return occurrence_in_year(self.month, self.day, year, leap_day=leap_day)
        if self.kind == "easter":
            from dateutil.easter import easter

            return easter(year) + dt.timedelta(days=self.offset)
        first_weekday, days = calendar.monthrange(year, self.month)
        if self.nth > 0:
            day = 1 + (self.weekday - first_weekday) % 7 + (self.nth - 1) * 7
        else:
            last_weekday = (first_weekday + days - 1) % 7
            day = days - (last_weekday - self.weekday) % 7 + (self.nth + 1) * 7
        return dt.date(year, self.month, day) if 1 <= day <= days else None

    @property
    def rrule(self) -> str:
        """The normalised RRULE text stored in the database."""
        if self.kind == "fixed":
            return f"FREQ=YEARLY;BYMONTH={self.month};BYMONTHDAY={self.day}"
        if self.kind == "easter":
            return f"FREQ=YEARLY;BYEASTER={self.offset}"
        return f"FREQ=YEARLY;BYMONTH={self.month};BYDAY={self.nth}{WEEKDAYS[self.weekday]}"

    def describe(self) -> str:
        """In words: "2nd Sunday of May", "last Friday of November", "49 days after Easter"."""
        if self.kind == "fixed":
            return f"{self.day} {calendar.month_name[self.month]}"
        if self.kind == "easter":
            if self.offset == 0:
                return "Easter Sunday"
            return f"{abs(self.offset)} day{'s' if abs(self.offset) != 1 else ''} {'after' if self.offset > 0 else 'before'} Easter"
        nth = _ORDINAL_WORDS.get(self.nth) or f"{ordinal(-self.nth)} last"
        return f"{nth} {calendar.day_name[self.weekday]} of {calendar.month_name[self.month]}"

    def __str__(self) -> str:
        return self.describe()


def _fixed(month: int, day: int, text: str) -> YearlyRule:
    try:
        dt.date(2000, month, day)  # a leap year: 29 February is a day of the year
    except ValueError:
        raise InvalidInput(f"rule {text!r}: day {day} is not in {calendar.month_name[month]}") from None
    return YearlyRule("fixed", month=month, day=day)


def _weekday_rule(nth: int, weekday: int, month: int, text: str) -> YearlyRule:
    if not (1 <= abs(nth) <= 5):
        raise InvalidInput(f"rule {text!r}: a month has at most 5 of each weekday (use 1..5 or -1..-5)")
    return YearlyRule("weekday", month=month, weekday=weekday, nth=nth)


def _easter_rule(offset: int, text: str) -> YearlyRule:
    # The same bound for the plain form and RRULE text: a stored rule must read back.
    if abs(offset) > 180:
        raise InvalidInput(f"rule {text!r}: an Easter offset must be a number of days from -180 to 180")
    return YearlyRule("easter", offset=offset)


def _parse_rrule(text: str) -> YearlyRule:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts: dict[str, str] = {}
    for item in filter(None, body.split(";")):
        key, sep, value = item.partition("=")
        if not sep or not value.strip():
            raise InvalidInput(f"rule {text!r}: {item!r} is not KEY=VALUE")
        parts[key.strip().upper()] = value.strip().upper()
    if parts.pop("FREQ", None) != "YEARLY":
        raise InvalidInput(f"rule {text!r}: only yearly rules are dates (FREQ=YEARLY)")
    if parts.pop("INTERVAL", "1") != "1":
        raise InvalidInput(f"rule {text!r}: a date recurs every year (INTERVAL=1)")
    parts.pop("WKST", None)
    easter = parts.pop("BYEASTER", None) or parts.pop("X-EASTER", None)
    unknown = sorted(set(parts) - {"BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS"})
    if unknown:
        raise InvalidInput(
            f"rule {text!r}: {', '.join(unknown)} is not supported (cardkeep takes BYMONTH with BYMONTHDAY, "
            "BYMONTH with BYDAY such as 2SU, or BYEASTER)"
        )

    def number(key: str, low: int, high: int) -> int:
        value = parts[key]
        if not re.fullmatch(r"[+-]?\d{1,3}", value) or not (low <= int(value) <= high):
            raise InvalidInput(f"rule {text!r}: {key}={value} must be one number from {low} to {high}")
        return int(value)

    if easter is not None:
        if parts:
            raise InvalidInput(f"rule {text!r}: BYEASTER stands alone (no BYMONTH or BYDAY with it)")
        if not re.fullmatch(r"[+-]?\d{1,3}", easter):
            raise InvalidInput(f"rule {text!r}: BYEASTER={easter} must be a number of days from -180 to 180")
        return _easter_rule(int(easter), text)
    if "BYMONTH" not in parts:
        raise InvalidInput(f"rule {text!r}: a yearly date needs BYMONTH (or BYEASTER)")
    month = number("BYMONTH", 1, 12)
    if "BYMONTHDAY" in parts:
        if "BYDAY" in parts or "BYSETPOS" in parts:
            raise InvalidInput(f"rule {text!r}: use BYMONTHDAY or BYDAY, not both")
        return _fixed(month, number("BYMONTHDAY", 1, 31), text)
    match = re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", parts.get("BYDAY", ""))
    if not match:
        raise InvalidInput(f"rule {text!r}: needs BYMONTHDAY=N or one BYDAY such as 2SU or -1FR")
    if match.group(1) and "BYSETPOS" in parts:
        raise InvalidInput(f"rule {text!r}: give the position in BYDAY or in BYSETPOS, not both")
    if match.group(1):
        nth = int(match.group(1))
    elif "BYSETPOS" in parts:
        nth = number("BYSETPOS", -5, 5)
    else:
        raise InvalidInput(f"rule {text!r}: BYDAY={match.group(2)} is every such weekday; say which, e.g. 2{match.group(2)}")
    return _weekday_rule(nth, WEEKDAYS.index(match.group(2)), month, text)


_EASTER_TEXT = re.compile(r"^easter(?:\s*([+-])\s*(\d{1,3})(?:\s*days?)?)?$")
_ORDINAL_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"


def _parse_plain(text: str) -> YearlyRule | None:
    words = re.sub(r"[,\s]+", " ", text.strip().lower())
    match = _EASTER_TEXT.match(words)
    if match:
        sign, days = match.groups()
        return _easter_rule((-1 if sign == "-" else 1) * int(days or 0), text)
    tokens = [t for t in words.split(" ") if t not in ("of", "in")]
    if len(tokens) == 3 and re.fullmatch(r"\d+(st|nd|rd|th)", tokens[0]) and tokens[0] not in _NTH_WORDS:
        raise InvalidInput(f"rule {text!r}: a month has at most 5 of each weekday (1st to 5th, or last)")
    if len(tokens) == 3 and tokens[0] in _NTH_WORDS:
        weekday, month = _lookup(tokens[1], _WEEKDAY_NAMES), _lookup(tokens[2], _MONTH_NAMES)
        if weekday is None:
            raise InvalidInput(f"rule {text!r}: {tokens[1]!r} is not a weekday")
        if month is None:
            raise InvalidInput(f"rule {text!r}: {tokens[2]!r} is not a month")
        return _weekday_rule(_NTH_WORDS[tokens[0]], weekday, month, text)
    if len(tokens) == 2:
        for month_word, day_word in (tokens, tokens[::-1]):
            month, day = _lookup(month_word, _MONTH_NAMES), re.fullmatch(_ORDINAL_DAY, day_word)
            if month is not None and day:
                return _fixed(month, int(day.group(1)), text)
    return None


@lru_cache(maxsize=1024)
def parse_rule(text: str) -> YearlyRule:
    """A yearly rule from RRULE text or a plain form ("2nd sun may", "last fri nov", "easter+49")."""
    if "=" in text:
        return _parse_rrule(text)
    rule = _parse_plain(text)
    if rule is None:
        raise InvalidInput(
            f"rule {text!r}: not a date or a yearly rule (try '2nd sun may', 'last fri nov', 'may 4', "
            "'easter+49' or RRULE text such as FREQ=YEARLY;BYMONTH=5;BYDAY=2SU)"
        )
    return rule


When = PartialDate | YearlyRule


def parse_when(text: str, *, what: str = "date") -> When:
    """A calendar day (`YYYY-MM-DD`, `--MM-DD`) or a yearly rule; a fixed rule ("may 4") comes back as
    the year-less `PartialDate` it means, so a day is stored one way only."""
    text = text.strip()
    if text.startswith("--") or re.match(r"^\d{4}-", text):
        return parse_partial_date(text, what=what)
    try:
        rule = parse_rule(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{what}: {exc}") from None
    if rule.kind == "fixed":
        return PartialDate(rule.month, rule.day)
    return rule


def stored_when(year: int | None, month: int | None, day: int | None, rule: str | None) -> When:
    """The `When` of a row of the dates table."""
    if rule:
        return parse_rule(rule)
    return PartialDate(month, day, year)


def readable_when(year: int | None, month: int | None, day: int | None, rule: str | None) -> When | None:
    """`stored_when`, or None for a row this version cannot read (a rule stored by hand or by an
    older cardkeep): such a row is skipped and reported, never the end of a whole command."""
    try:
        return stored_when(year, month, day, rule)
    except (InvalidInput, ValueError, TypeError):
        return None


def describe(when: When) -> str:
    """How a date reads in a listing: `1978-03-14`, `--03-14`, `2nd Sunday of May`."""
    return str(when)


@lru_cache(maxsize=4096)
def _rule_in_year(rule: YearlyRule, year: int, leap_day: str) -> dt.date | None:
    # A book shares a handful of rules (Mother's Day, Easter) among many dates: compute each once.
    return rule.in_year(year, leap_day=leap_day)


def in_year(when: When, year: int, *, leap_day: str = "feb28") -> dt.date | None:
    """The occurrence of `when` in `year`; None before a dated day's own year, or when a rule has none."""
    if isinstance(when, YearlyRule):
        return _rule_in_year(when, year, leap_day)
    if when.year is not None and year < when.year:
        return None
    return occurrence_in_year(when.month, when.day, year, leap_day=leap_day)


def days_between(month: int, day: int, year: int | None, start: dt.date, end: dt.date, *,
                 leap_day: str = "feb28") -> tuple[dt.date, ...]:
    """`occurrences` of the calendar day `PartialDate(month, day, year)`, without making one: what
    `cardkeep remind` asks of thousands of stored dates (which fall on a few dozen days of the year)."""
    found = _days_between(month, day, start, end, leap_day)
    if year is not None and found and found[0].year < year:  # not before its own year
        return tuple(on for on in found if on.year >= year)
    return found


@lru_cache(maxsize=4096)
def _days_between(month: int, day: int, start: dt.date, end: dt.date, leap_day: str) -> tuple[dt.date, ...]:
    years = range(max(start.year, dt.MINYEAR), min(end.year, dt.MAXYEAR) + 1)
    return tuple(on for on in (occurrence_in_year(month, day, y, leap_day=leap_day) for y in years) if start <= on <= end)


def occurrences(when: When, start: dt.date, end: dt.date, *, leap_day: str = "feb28") -> Iterator[dt.date]:
    """Every day `when` falls on from `start` to `end`, both included, in order."""
    if not isinstance(when, YearlyRule):
        yield from days_between(when.month, when.day, when.year, start, end, leap_day=leap_day)
        return
    # An Easter offset can cross into the next or previous year, so look one year either side.
    years = range(start.year - 1, end.year + 2) if when.kind == "easter" else range(start.year, end.year + 1)
    for year in years:
        if not dt.MINYEAR <= year <= dt.MAXYEAR:
            continue
        day = in_year(when, year, leap_day=leap_day)
        if day is not None and start <= day <= end:
            yield day


def next_occurrence(when: When, on_or_after: dt.date, *, leap_day: str = "feb28") -> dt.date | None:
    """The first day `when` falls on from `on_or_after` (looking up to 8 years ahead for a "5th Sunday")."""
    end = on_or_after.replace(year=min(on_or_after.year + 8, dt.MAXYEAR), month=12, day=31)
    return next(occurrences(when, on_or_after, end, leap_day=leap_day), None)


def check_leap_policy(value: object, *, where: str = "[dates] leap_day") -> str:
    if value not in LEAP_POLICIES:
        raise InvalidInput(f"{where}: {value!r} is not one of {', '.join(LEAP_POLICIES)}")
    return value  # type: ignore[return-value]


# ---------------------------------------------------------------- windows

_LAST_WINDOW_END = dt.date(dt.MAXYEAR - 1, 12, 31)
_WINDOW = re.compile(r"^\s*(\d{1,4})\s*([dwmy]?)\s*$")


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, kept to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def window_end(today: dt.date, within: str) -> dt.date:
    """The last day of a window that starts `today`: "14d" (or "14"), "3w", "2m", "1y".

    "7d" is seven days, today included, so a weekly run on Mondays covers Monday to Sunday and the
    next Monday's run picks up exactly where it ended. "2m" ends the day before the same date two
    months on.
    """
    match = _WINDOW.match(within.lower())
    if not match or int(match.group(1)) == 0:
        raise InvalidInput(f"--within: {within!r} is not a window (use e.g. 14d, 3w, 2m or 1y)")
    n, unit = int(match.group(1)), match.group(2) or "d"
    try:
        if unit == "d":
            after = today + dt.timedelta(days=n)
        elif unit == "w":
            after = today + dt.timedelta(weeks=n)
        else:
            after = add_months(today, n * (12 if unit == "y" else 1))
    except (OverflowError, ValueError):
        after = dt.date.max
    # Reminders look up to a year of lead time past the window's end: keep that inside the calendar.
    if after > _LAST_WINDOW_END:
        raise InvalidInput(f"--within: {within!r} from {today.isoformat()} runs past the end of the calendar")
    return after - dt.timedelta(days=1)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
