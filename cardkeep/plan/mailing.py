"""How long a card takes to arrive, and so when to mail it.

A small default table by destination (domestic vs international, slower routes listed), which the
user overrides in the config:

    [mail]
    domestic = 4            # days, within the sender's country
    international = 12      # days, anywhere else
    [mail.countries]
    AU = 21                 # days to this country

Pure: `home` (the sender's country) and the overrides are passed in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DOMESTIC_DAYS = 5
INTERNATIONAL_DAYS = 14
# Routes that usually take longer than the international default, in days.
SLOW_ROUTES = {
    "AU": 18, "NZ": 18, "BR": 21, "AR": 21, "CL": 21, "ZA": 21, "IN": 18, "NG": 25, "KE": 21,
    "PH": 18, "ID": 18, "MX": 16, "RU": 25,
}


MAX_LEAD_DAYS = 365


def check_settings(mail: Any) -> dict[str, Any]:
    """The `[mail]` table, checked: whole numbers of days from 0 to 365. InvalidInput names the key."""
    from cardkeep.errors import InvalidInput

    if mail is None:
        return {}
    if not isinstance(mail, dict):
        raise InvalidInput("config [mail] must be a table")

    def days(value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_LEAD_DAYS:
            raise InvalidInput(f"config {where}: {value!r} is not a number of days from 0 to {MAX_LEAD_DAYS}")
        return value

    checked: dict[str, Any] = {key: days(mail[key], f"[mail] {key}") for key in ("domestic", "international")
                               if key in mail}
    if "countries" in mail:
        countries = mail["countries"]
        if not isinstance(countries, dict):
            raise InvalidInput("config [mail.countries] must be a table of country codes and days, such as AU = 21")
        checked["countries"] = {str(code).upper(): days(value, f"[mail.countries] {code}")
                                for code, value in countries.items()}
    return checked


def lead_days(destination: str | None, home: str | None, settings: dict[str, Any] | None = None) -> int:
    """Days to allow for a card to `destination` (ISO code) from `home`."""
    settings = settings or {}
    destination = (destination or home or "").upper()
    home = (home or destination).upper()
    per_country = {k.upper(): int(v) for k, v in settings.get("countries", {}).items()}
    if destination == home:
        return int(per_country.get(destination, settings.get("domestic", DOMESTIC_DAYS)))
    if destination in per_country:
        return per_country[destination]
    default = int(settings.get("international", INTERNATIONAL_DAYS))
    return max(default, SLOW_ROUTES.get(destination, 0)) if "international" not in settings else default


def max_lead_days(settings: dict[str, Any] | None = None) -> int:
    """The longest lead time `lead_days` can give with these settings, to any destination."""
    settings = settings or {}
    values = [int(settings.get("domestic", DOMESTIC_DAYS)), int(settings.get("international", INTERNATIONAL_DAYS))]
    if "international" not in settings:
        values += SLOW_ROUTES.values()
    values += [int(v) for v in settings.get("countries", {}).values()]
    return max(values)


def is_international(destination: str | None, home: str | None) -> bool:
    return bool(destination and home and destination.upper() != home.upper())


def mail_by(arrive_by: dt.date, destination: str | None, home: str | None, settings: dict[str, Any] | None = None,
            extra_days: int = 0) -> dt.date:
    """The last day to post a card so that it arrives by `arrive_by`."""
    return arrive_by - dt.timedelta(days=lead_days(destination, home, settings) + extra_days)


def home_country(config: dict[str, Any]) -> str | None:
    """The sender's country from `[sender] country`, if set."""
    value = config.get("sender", {}).get("country")
    return value.upper() if isinstance(value, str) else None
