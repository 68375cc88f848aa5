"""Country customs as data (`data/customs.json`): the honorific a name carries on the envelope, and
how a season's card is sent to a country (a Japanese household's holiday card is a New Year card,
arriving on 1 January). Used by the plan (arrive-by and mail-by, the reason) and by addressing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache

from cardkeep.paths import DATA_DIR


@dataclass(frozen=True)
class SeasonCustom:
    card: str  # what the card is called there
    arrive_by: tuple[int, int]  # (month, day), in the year after the season's
    domestic_mail_by: tuple[int, int] | None  # the post's own deadline, when mailed within the country
    reason: str  # what the plan says


@cache
def _table() -> dict:
    return json.loads((DATA_DIR / "customs.json").read_text(encoding="utf-8"))


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def honorific(country: str | None) -> tuple[str, tuple[str, ...]] | None:
    """(the honorific to add after a name, those that already count) for mail to `country`."""
    entry = _table().get((country or "").upper())
    if not entry or "honorific" not in entry:
        return None
    return entry["honorific"], tuple(entry.get("honorifics_already", [entry["honorific"]]))


def with_honorific(name: str, country: str | None) -> str:
    """`name` as the envelope to `country` writes it: "山田 太郎" -> "山田 太郎 様"; a name that
    already ends with an honorific is left alone."""
    found = honorific(country)
    if not found or not name.strip():
        return name
    mark, already = found
    stripped = name.rstrip()
    return stripped if stripped.endswith(already) else f"{stripped} {mark}"


def season(country: str | None, occasion: str) -> SeasonCustom | None:
    """How a card of `occasion` goes to `country`, when that country has its own custom."""
    entry = _table().get((country or "").upper(), {}).get(occasion)
    if not entry:
        return None
    mail_by = entry.get("domestic_mail_by")
    return SeasonCustom(entry["card"], _month_day(entry["arrive_by"]),
                        _month_day(mail_by) if mail_by else None, entry["reason"])


def arrive_by(custom: SeasonCustom, year: int) -> dt.date:
    """The day a season's card of `year` should arrive under `custom` (1 January of `year` + 1)."""
    return dt.date(year + 1, *custom.arrive_by)
