"""How long a card takes to arrive, and so when to mail it.

A small default table by destination (domestic vs international, slower routes listed), which the
user overrides in the config:

    [mail]
    domestic = 4            # days, within the sender's country
    international = 12      # days, anywhere else
    [mail.countries]
    AU = 21                 # days to this country

Pure: `home` (the sender's country) and the overrides are passed in; the `[mail]` table is checked
by `cardkeep.settings.load_settings`. `book_home` alone reads the book, to find home.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from cardkeep.settings import Settings, home_country

DOMESTIC_DAYS = 5
INTERNATIONAL_DAYS = 14
# Routes that usually take longer than the international default, in days.
SLOW_ROUTES = {
    "AU": 18, "NZ": 18, "BR": 21, "AR": 21, "CL": 21, "ZA": 21, "IN": 18, "NG": 25, "KE": 21,
    "PH": 18, "ID": 18, "MX": 16, "RU": 25,
}


def lead_days(destination: str | None, home: str | None, mail: Mapping[str, Any] | None = None) -> int:
    """Days to allow for a card to `destination` (ISO code) from `home`."""
    mail = mail or {}
    destination = (destination or home or "").upper()
    home = (home or destination).upper()
    per_country = {k.upper(): int(v) for k, v in mail.get("countries", {}).items()}
    if destination == home:
        return int(per_country.get(destination, mail.get("domestic", DOMESTIC_DAYS)))
    if destination in per_country:
        return per_country[destination]
    default = int(mail.get("international", INTERNATIONAL_DAYS))
    return max(default, SLOW_ROUTES.get(destination, 0)) if "international" not in mail else default


def max_lead_days(mail: Mapping[str, Any] | None = None) -> int:
    """The longest lead time `lead_days` can give with these settings, to any destination."""
    mail = mail or {}
    values = [int(mail.get("domestic", DOMESTIC_DAYS)), int(mail.get("international", INTERNATIONAL_DAYS))]
    if "international" not in mail:
        values += SLOW_ROUTES.values()
    values += [int(v) for v in mail.get("countries", {}).values()]
    return max(values)


def is_international(destination: str | None, home: str | None) -> bool:
    return bool(destination and home and destination.upper() != home.upper())


def mail_by(arrive_by: dt.date, destination: str | None, home: str | None, mail: Mapping[str, Any] | None = None,
            extra_days: int = 0) -> dt.date:
    """The last day to post a card so that it arrives by `arrive_by`."""
    return arrive_by - dt.timedelta(days=lead_days(destination, home, mail) + extra_days)


def book_home(db: Any, settings: Settings) -> tuple[str | None, bool]:
    """(home country, inferred) for this book: `[sender] country`, else the most common country of
    the current addresses (`cardkeep.settings.home_country`, read with one small query)."""
    if settings.home:
        return settings.home, False
    return home_country(settings, (row[0] for row in db.execute("select country from addresses where valid_to is null")))
