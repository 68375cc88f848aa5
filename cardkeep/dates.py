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
