"""The config, validated once: home country, leap day, lead times, plan thresholds.

`load_settings(config)` reads every section the planning features use and returns one frozen
`Settings`; a bad value raises `SettingsError`, whose message names the key (`config [dates]
leap_day: 'march' is not one of feb28, mar1`). Every command that needs settings (plan, mark,
progress, remind, calendar, date list, drafts, labels, envelopes, doctor) gets them here, so a bad
value is the same error everywhere. Every key is optional:

    [sender]
    country = "US"               # home; when unset, `home_country` takes the book's most common
    [dates]
    leap_day = "feb28"           # or "mar1": 29 February in a common year
    [mail]
    domestic = 4                 # days within the home country
    international = 12           # days anywhere else
    [mail.countries]
    AU = 21                      # days to this country
    [plan]
    arrive_by = "12-20"          # MM-DD the holiday cards should arrive by
    quiet_years = 5              # no card back for this many of our cards: consider
    long_friendship = 5          # years with a card back that make a long friendship
    exempt_tags = ["always", "elder"]   # tags that keep cards going regardless
    unverified_years = 3         # an address verified longer ago than this: check it
    moved_years = 1              # a move this recently is mentioned
    mourning_years = 1           # a death this recently is mentioned
    over_contact = 4             # this many cards sent in 12 months: a gentle warning
    baby_words = ["baby", "newborn", "born"]
    [plan.targets]               # arrive-by dates (MM-DD) for occasions other than holiday
    thank-you = "01-15"
    [doctor]
    unverified_years = 3         # doctor flags a current address unconfirmed for this long

Pure: no I/O but `load_config` when no config is passed; nothing reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from cardkeep.config import ConfigError
from cardkeep.dates import LEAP_POLICIES, occurrence_in_year

MAX_LEAD_DAYS = 365


class SettingsError(ConfigError):
    """A config value cannot be used; `key` names it as the file spells it ("[plan] quiet_years")."""

    def __init__(self, key: str, problem: str) -> None:
        joiner = " " if problem.startswith("must be") else ": "
        super().__init__(f"config {key}{joiner}{problem}")
        self.key = key


# Named tuples rather than frozen dataclasses: as immutable, and several times cheaper to define,
# which every command (`cardkeep remind` on each cron run) pays.


class PlanThresholds(NamedTuple):
    """`[plan]`: when the yearly plan asks to consider a card, and what it mentions."""

    quiet_years: int = 5
    long_friendship: int = 5
    exempt_tags: frozenset[str] = frozenset({"always", "elder"})
    unverified_years: int = 3
    moved_years: int = 1
    mourning_years: int = 1
    over_contact: int = 4
    baby_words: tuple[str, ...] = ("baby", "newborn", "born")


_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Settings(NamedTuple):
    home: str | None = None  # `[sender] country`; None: see `home_country`
    leap_day: str = "feb28"
    mail: Mapping[str, Any] = _EMPTY  # `[mail]`, checked, as `plan.mailing` takes it
    plan: PlanThresholds = PlanThresholds()
    arrive_by_day: tuple[int, int] = (12, 20)  # holiday cards, (month, day)
    targets: Mapping[str, tuple[int, int]] = _EMPTY  # other occasions
    doctor_unverified_years: int = 3
    season_ends: tuple[int, int] = (2, 1)  # a holiday card dated before this (month, day) is last season's

    def card_year(self, occasion: str, on: dt.date) -> int:
        """The year a card dated `on` belongs to: a holiday card that arrives in early January is
        the season before's (before `[plan] season_ends`, 1 February by default); any other card,
        its own year. The one rule for every command that gives a card a year."""
        if occasion == "holiday" and (on.month, on.day) < self.season_ends:
            return on.year - 1
        return on.year

    def arrive_by(self, year: int, occasion: str = "holiday") -> dt.date:
        """The day cards for `occasion` in `year` should arrive by (29 February kept to the 28th)."""
        if occasion == "holiday":
            month, day = self.arrive_by_day
        elif occasion in self.targets:
            month, day = self.targets[occasion]
        else:
            raise SettingsError(
                f"[plan.targets] {occasion}",
                f"no arrive-by date for {occasion} cards: set it in the config, "
                f"[plan.targets] {occasion} = \"MM-DD\"",
            )
        return occurrence_in_year(month, day, year)


# ---------------------------------------------------------------- reading the config


def _table(config: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = config.get(name, {})
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SettingsError(f"[{name}]", "must be a table")
    return value


def _whole(table: Mapping[str, Any], key: str, where: str, default: int, low: int) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise SettingsError(f"{where} {key}", f"{value!r} is not a whole number >= {low}")
    return value


def _words(table: Mapping[str, Any], key: str, default: Iterable[str]) -> tuple[str, ...]:
    value = table.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"[plan] {key}", f"expected a list of words, got {value!r}")
    return tuple(v.strip().lower() for v in value if v.strip())


def _month_day(value: Any, key: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(value).strip())
    try:
        if not match:
            raise ValueError
        month, day = int(match.group(1)), int(match.group(2))
        dt.date(2000, month, day)  # a leap year: 02-29 is a day of the year, kept to 28 February otherwise
    except ValueError:
        raise SettingsError(key, f"{value!r} is not a day of the year (use MM-DD, such as 12-20)") from None
    return month, day


def _days(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_LEAD_DAYS:
        raise SettingsError(key, f"{value!r} is not a number of days from 0 to {MAX_LEAD_DAYS}")
    return value


def _mail(config: Mapping[str, Any]) -> dict[str, Any]:
    mail = _table(config, "mail")
    checked: dict[str, Any] = {key: _days(mail[key], f"[mail] {key}") for key in ("domestic", "international")
                               if key in mail}
    if "countries" in mail:
        countries = mail["countries"]
        if not isinstance(countries, Mapping):
            raise SettingsError("[mail.countries]", "must be a table of country codes and days, such as AU = 21")
        checked["countries"] = {str(code).upper(): _days(value, f"[mail.countries] {code}")
                                for code, value in countries.items()}
    return checked


def _home(config: Mapping[str, Any]) -> str | None:
    value = _table(config, "sender").get("country")
    if value is None or value == "":
        return None
    code = value.strip().upper() if isinstance(value, str) else ""
    if not (len(code) == 2 and code.isascii() and code.isalpha()) or code == "ZZ":
        raise SettingsError("[sender] country", f"{value!r} is not an ISO country code (for example US, DE, JP, GB)")
    return code


def load_settings(config: Mapping[str, Any] | None = None) -> Settings:
    """The settings from the whole config dict (the config file when None), every value checked."""
    if config is None:
        from cardkeep.config import load_config

        config = load_config()
    leap_day = _table(config, "dates").get("leap_day", "feb28")
    if leap_day not in LEAP_POLICIES:
        raise SettingsError("[dates] leap_day", f"{leap_day!r} is not one of {', '.join(LEAP_POLICIES)}")
    table = _table(config, "plan")
    defaults = PlanThresholds()
    thresholds = PlanThresholds(
        quiet_years=_whole(table, "quiet_years", "[plan]", defaults.quiet_years, 1),
        long_friendship=_whole(table, "long_friendship", "[plan]", defaults.long_friendship, 1),
        exempt_tags=frozenset(_words(table, "exempt_tags", sorted(defaults.exempt_tags))),
        unverified_years=_whole(table, "unverified_years", "[plan]", defaults.unverified_years, 1),
        moved_years=_whole(table, "moved_years", "[plan]", defaults.moved_years, 0),
        mourning_years=_whole(table, "mourning_years", "[plan]", defaults.mourning_years, 0),
        over_contact=_whole(table, "over_contact", "[plan]", defaults.over_contact, 1),
        baby_words=_words(table, "baby_words", defaults.baby_words),
    )
    targets = table.get("targets", {}) or {}
    if not isinstance(targets, Mapping):
        raise SettingsError("[plan.targets]", "must be a table of occasions and MM-DD days, such as thank-you = \"01-15\"")
    return Settings(
        home=_home(config),
        leap_day=leap_day,
        mail=_mail(config),
        plan=thresholds,
        arrive_by_day=_month_day(table.get("arrive_by", "12-20"), "[plan] arrive_by"),
        targets={str(k): _month_day(v, f"[plan.targets] {k}") for k, v in targets.items()},
        doctor_unverified_years=_whole(_table(config, "doctor"), "unverified_years", "[doctor]", 3, 1),
        season_ends=_month_day(table.get("season_ends", "02-01"), "[plan] season_ends"),
    )


# ---------------------------------------------------------------- the home country


def home_country(settings: Settings, countries: Iterable[str | None]) -> tuple[str | None, bool]:
    """(home country, inferred): `[sender] country`, else the most common of `countries` (the
    current addresses of the book; ties go alphabetically), else None.

    The one rule for home: plan, the saved batch, reminders, the calendar, labels and envelopes
    all call this (`cardkeep.plan.mailing.book_home` feeds it the book's countries)."""
    if settings.home:
        return settings.home, False
    counts = Counter(c.upper() for c in countries if c)
    if not counts:
        return None, False
    return min(counts, key=lambda c: (-counts[c], c)), True
