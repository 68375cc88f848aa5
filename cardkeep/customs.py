"""Country customs as data (`data/customs.json`): the honorific a name carries on the envelope, how
a season's card is sent to a country (a Japanese household's holiday card is a New Year card,
arriving on 1 January), and how a card greets its people. Used by the plan (arrive-by and mail-by,
the reason), by addressing and by the card drafts (the greeting line).

The greeting, in one place (`greeting`):
- a household's own greeting, when it has one, is used as written;
- else the card's language decides the form: "Dear Ada & Emeka," in English, "Liebe Anna und
  Peter," in German, "太郎さん、花子さん" in Japanese (`greetings` in the data; a language the data
  has no form for is greeted in English, the language of the shipped templates);
- the card's language is the sender's (`card_language`: `[drafts] language`, else `[sender]
  language`, else English, the language the shipped templates are written in). It is never guessed
  from a country, except where the data says how a card to that country is written: to Japan,
  names written in Japanese are greeted the Japanese way (name and さん, no "Dear").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

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


# ---------------------------------------------------------------- greetings

# A greeting as segments: (text, True) for a name from the book, (text, False) for the words around
# it, so that the draft checks can tell the data from the form ("Dear Valued Customer" is an error
# whoever typed it).
Segments = list[tuple[str, bool]]

DEFAULT_LANGUAGE = "en"  # the language the shipped templates are written in


def card_language(drafts: Mapping[str, Any], sender: Mapping[str, Any]) -> str:
    """The language cards are written in: `[drafts] language`, else the sender's `[sender]
    language`, else English. Never guessed from the sender's or the recipient's country."""
    for table in (drafts, sender):
        value = table.get("language")
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    return DEFAULT_LANGUAGE


def greeting_language(names: Sequence[str], country: str | None, language: str) -> str:
    """The language the greeting to `names` in `country` is written in: the card's, unless the
    country's custom says how names written in its script are greeted (Japan: the Japanese way)."""
    custom = _table().get((country or "").upper(), {}).get("greeting")
    names = [n for n in names if n and n.strip()]
    if custom and names and all(re.search(custom["names_in"], n) for n in names):
        return custom["language"]
    return language


def greeting(names: Sequence[str], *, country: str | None, language: str = DEFAULT_LANGUAGE,
             own: str | None = None) -> Segments:
    """The greeting line of a card to `names` (each person's salutation, else given name) at an
    address in `country` (the home country when the address has none), in a card written in
    `language`. `own`: the household's own greeting, used as written: the user's text, so data to
    the draft checks like a name ("{{ 7*7 }}" is printed, not taken for a merge field)."""
    if own and own.strip():
        return [(own.strip(), True)]
    names = [n.strip() for n in names if n and n.strip()]
    lang = greeting_language(names, country, language)
    table = _table()["greetings"]
    form = table.get(lang) or table[DEFAULT_LANGUAGE]
    if form.get("honorific"):
        already = tuple(form.get("honorifics_already", [form["honorific"]]))
        names = [n if n.endswith(already) else n + form["honorific"] for n in names]
    if len(names) == 1 and "one" in form:
        text = form["one"][_gender(names[0], form)]
        before, _, after = text.partition("{name}")
        return [(before, False), (names[0], True), (after, False)]
    joined: Segments = []
    for i, name in enumerate(names):
        if i:
            joined.append((form["and"] if i == len(names) - 1 else form["comma"], False))
        joined.append((name, True))
    before, _, after = form["form"].partition("{names}")
    return [(before, False), *joined, (after, False)]


def _gender(name: str, form: Mapping[str, Any]) -> str:
    """"feminine" or "masculine" when the salutation's first word says so ("Tante Ingrid"), else "unknown"."""
    first = name.split()[0] if name.split() else ""
    for gender in ("feminine", "masculine"):
        if first in form.get(gender, ()):
            return gender
    return "unknown"


def greeting_text(segments: Segments) -> str:
    return "".join(text for text, _ in segments)
