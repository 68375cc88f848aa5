"""Dates as people write them: full ISO dates and year-less `--MM-DD`.

Pure code: nothing here reads the clock; callers pass `today`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cardkeep.errors import InvalidInput

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")


@dataclass(frozen=True)
class PartialDate:
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
