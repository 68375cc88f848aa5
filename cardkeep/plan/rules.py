"""The yearly plan: who gets a card this year, and why, in plain words.

Pure rules over plain data. `plan()` takes households (`cardkeep.model.Household`, as
`cardkeep.store.load.load_households` builds them or by hand in tests), the plan `year`, `today`
and the checked `cardkeep.settings.Settings`, and returns one `Decision` per household: `send`,
`consider` or `skip`, with the reasons a thoughtful friend would give. Nothing here reads the
clock, the config or the database (`cardkeep.services.plan` does that).

Every rule is a small function registered with `@rule`, in the order its reasons are shown. A rule
returns a `Reason` (or several, or None): a reason and, optionally, the decision it asks for.
`skip` beats `consider`, which beats `send`; when a household is skipped only the skip reasons are
shown. Judgements use the whole card history, never a window of recent years.

The settings (`[plan]` thresholds and arrive-by dates, `[mail]` lead times, `[sender] country`)
are documented in `cardkeep.settings`. Who gets no card at all is `cardkeep.plan.eligibility`.
When `[sender] country` is not set, the most common country in the book is taken as home
(`cardkeep.settings.home_country`), and the plan says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cardkeep import customs
from cardkeep.countries import UNKNOWN
from cardkeep.dates import milestone, occurrence_in_year, ordinal, years_before
from cardkeep.model import Card, Household, Person
from cardkeep.plan import eligibility, mailing
from cardkeep.settings import PlanThresholds, Settings, home_country
from cardkeep.store.load import no_cycle_collection

DECISIONS = ("send", "consider", "skip")
_RANK = {"send": 0, "consider": 1, "skip": 2}

# The same few days for every household of a plan: worked out once.
_years_before = cache(years_before)
_occurrence_in_year = cache(occurrence_in_year)
_milestone = cache(milestone)  # a few kinds and start years
_ordinal = cache(ordinal)
BIRTHDAY_MILESTONES = frozenset({18, 21, 30, 40, 50, 60, 65, 70, 75, 80, 85, 90, 95, 100})


# ---------------------------------------------------------------- plain data


@dataclass(frozen=True, slots=True)
class Reason:
    reason: str
    decision: str | None = None  # None: a remark that does not change the decision


@dataclass(frozen=True, slots=True)
class Decision:
    household_id: int
    mailing_name: str
    decision: str
    reasons: tuple[str, ...]
    mail_by: dt.date | None
    country: str | None
    international: bool
    years_sent: int = 0
    years_back: int = 0
    first_year: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "household": f"h{self.household_id}",
            "mailing_name": self.mailing_name,
            "decision": self.decision,
            "reasons": list(self.reasons),
            "mail_by": self.mail_by.isoformat() if self.mail_by else None,
            "country": self.country,
            "international": self.international,
            "first_year": self.first_year,
            "years_sent": self.years_sent,
            "years_back": self.years_back,
        }


@dataclass(frozen=True)
class Season:
    """What one plan holds fixed for every household: the year and occasion, the day cards should
    arrive by, the home country and the settings."""

    year: int
    occasion: str
    arrive_by: dt.date
    home: str | None
    settings: Settings
    _mail_by: dict[str | None, dt.date] = field(default_factory=dict, compare=False, repr=False)

    def mail_by(self, country: str | None) -> dt.date | None:
        """The day to post a card to `country` (None: no address, no date); worked out once a country."""
        if country is None:
            return None
        try:
            return self._mail_by[country]
        except KeyError:
            found = self._mail_by[country] = self._custom_mail_by(country) or mailing.mail_by(
                self.arrive_by, country, self.home, self.settings.mail)
            return found

    def _custom_mail_by(self, country: str) -> dt.date | None:
        """A country whose season's card has its own day (Japan: New Year cards arrive on 1 January;
        posted at home by the post's own deadline)."""
        custom = customs.season(country, self.occasion)
        if custom is None:
            return None
        if custom.domestic_mail_by and country.upper() == (self.home or "").upper():
            return dt.date(self.year, *custom.domestic_mail_by)
        return mailing.mail_by(customs.arrive_by(custom, self.year), country, self.home, self.settings.mail)

    @classmethod
    def of(cls, settings: Settings, year: int, occasion: str = "holiday", home: str | None = None) -> Season:
        """The season for `year`; `home` defaults to `[sender] country`."""
        return cls(year, occasion, settings.arrive_by(year, occasion), home or settings.home, settings)


@dataclass
class Plan:
    year: int
    occasion: str
    arrive_by: dt.date
    home: str | None
    home_inferred: bool
    decisions: list[Decision]

    def by_decision(self, decision: str) -> list[Decision]:
        return [d for d in self.decisions if d.decision == decision]

    def stamps(self) -> dict[str, int]:
        """Stamps for the cards to send: domestic and international."""
        sending = self.by_decision("send")
        international = sum(d.international for d in sending)
        return {"domestic": len(sending) - international, "international": international}


# ---------------------------------------------------------------- facts


@dataclass(slots=True)
class Facts:
    """What the rules share about one household, computed once."""

    year: int
    today: dt.date
    occasion: str
    settings: PlanThresholds
    arrive_by: dt.date
    design: str | None
    mail_by: dt.date | None
    sent_years: list[int]  # years before `year` with a card of this occasion sent
    back_years: list[int]  # years before `year` with one received
    sent_now: Card | None  # this year's, if already sent
    back_now: bool
    last_sent: Card | None  # the latest card of any occasion sent before this year's
    living: list[Person]
    sent_last_12_months: int  # cards of any occasion
    came_back: list[int]  # years of sent cards that came back

    @property
    def first_year(self) -> int | None:
        years = self.sent_years + self.back_years
        if self.sent_now is not None or self.back_now:
            years.append(self.year)
        return min(years) if years else None


def _facts(h: Household, *, season: Season, today: dt.date, design: str | None,
           mail_by_date: dt.date | None) -> Facts:
    year, occasion = season.year, season.occasion
    sent: set[int] = set()
    back: set[int] = set()
    sent_now = None
    back_now = False
    last_sent: Card | None = None
    last_key: tuple[int, dt.date] | None = None
    recent = 0
    came_back = []
    year_ago = _years_before(today, 1)
    earliest = dt.date.min
    for card in h.cards:  # one pass over the whole history
        card_year, card_occasion, direction, date, _design, was_returned = card
        if direction == "sent":
            if date and year_ago < date <= today:
                recent += 1
            if was_returned:
                came_back.append(card_year)
            if card_occasion != occasion:
                key = (card_year, date or earliest)
                if last_key is None or key >= last_key:
                    last_sent, last_key = card, key
            elif card_year < year:
                key = (card_year, date or earliest)
                if last_key is None or key >= last_key:
                    last_sent, last_key = card, key
                sent.add(card_year)
            elif card_year == year:
                sent_now = card
        elif card_occasion == occasion:
            if card_year == year:
                back_now = True
            elif card_year < year:
                back.add(card_year)
    return Facts(
        year=year, today=today, occasion=occasion, settings=season.settings.plan, arrive_by=season.arrive_by,
        design=design, mail_by=mail_by_date,
        sent_years=sorted(sent), back_years=sorted(back), sent_now=sent_now, back_now=back_now,
        last_sent=last_sent, living=[m for m in h.members if m.status != "deceased"],
        sent_last_12_months=recent, came_back=came_back,
    )


# ---------------------------------------------------------------- the rules

Rule = Callable[[Household, Facts], "Reason | Iterable[Reason] | None"]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    """Register a plan rule; rules run (and their reasons read) in registration order."""
    RULES.append(fn)
    return fn


def _first_name(person: Person) -> str:
    return person.given_name or person.name.split()[0]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]


@rule
def no_card(h: Household, f: Facts) -> list[Reason]:
    """Do-not-send, everyone deceased, lost touch: `cardkeep.plan.eligibility`, the one rule."""
    return [Reason(reason, "skip") for reason in eligibility.reasons_not(h)]


@rule
def already_sent(h: Household, f: Facts) -> Reason | None:
    if f.sent_now is None:
        return None
    when = f"on {f.sent_now.date.isoformat()}" if f.sent_now.date else "this year"
    return Reason(f"already sent {when}", "skip")


@rule
def no_address(h: Household, f: Facts) -> Reason | None:
    if h.address is None:
        return Reason("no current address: add one with `cardkeep move`", "consider")
    if h.address.country == UNKNOWN:  # imported without one: stored, flagged until someone sets it
        return Reason("no country: check it (`cardkeep edit NAME --country CC`)", "consider")
    return None


@rule
def relationship(h: Household, f: Facts) -> Reason | None:
    """The history in one phrase: how long and how faithfully we have sent."""
    years = f.sent_years
    if not years:
        if f.back_now or (f.back_years and f.back_years[-1] == f.year - 1):
            return None  # they wrote lately; `reciprocate` speaks for them
        if f.back_years:
            n = len(f.back_years)
            return Reason(f"they sent us cards in {n} year{'s' if n > 1 else ''} (last in {f.back_years[-1]}), "
                           "we never have: consider", "consider")
        if h.created and h.created.year >= f.year:
            return Reason("new this year", "send")
        since = f" since {h.created.year}" if h.created else ""
        return Reason(f"in the book{since} but no card either way yet: consider", "consider")
    first, last = years[0], years[-1]
    span = f.year - first
    if len(years) == span:
        return Reason(f"sent every year since {first}" if span > 1 else f"first card went in {first}")
    text = f"sent {len(years)} of {span} years since {first}"
    if last < f.year - 1:
        text += f", last in {last}"
    return Reason(text)


@rule
def reciprocate(h: Household, f: Facts) -> Reason | None:
    if f.back_now:
        return Reason("they already sent one this year: reciprocate", "send")
    if f.back_years and f.back_years[-1] == f.year - 1:
        return Reason(f"they sent us one in {f.year - 1}: reciprocate", "send")
    return None


def _exempt_tag(h: Household, f: Facts) -> str | None:
    tags = set(h.tags)
    for person in f.living:
        tags |= person.tags
    hits = sorted(tags & f.settings.exempt_tags)
    return hits[0] if hits else None


@rule
def quiet(h: Household, f: Facts) -> Reason | None:
    """No card back for a while. The threshold grows with the friendship: a household that sent
    cards in N years gets at least N quiet years, so a long friendship survives a quiet spell."""
    if not f.sent_years or f.back_now:
        return None
    last_back = f.back_years[-1] if f.back_years else None
    unanswered = [y for y in f.sent_years if last_back is None or y > last_back]
    quiet_count = len(unanswered)
    s = f.settings
    long_friend = len(f.back_years) >= s.long_friendship
    threshold = max(s.quiet_years, len(f.back_years)) if long_friend else s.quiet_years
    if quiet_count >= threshold:
        words = (
            f"never sent one back in {quiet_count} years" if last_back is None
            else f"no card back in {quiet_count} years"
        )
        tag = _exempt_tag(h, f)
        if tag:
            return Reason(f"{words}, but tagged {tag}: send anyway")
        return Reason(f"{words}: consider", "consider")
    if long_friend and quiet_count >= 2:
        return Reason(
            f"quiet since {last_back}, but they sent cards in {len(f.back_years)} years since "
            f"{f.back_years[0]}: a long friendship, keep sending"
        )
    return None


@rule
def returned(h: Household, f: Facts) -> Reason | None:
    a = h.address
    if a is None or a.returned_on is None or (a.verified_on and a.verified_on >= a.returned_on):
        return None
    if f.came_back:
        return Reason(f"card came back in {max(f.came_back)}: address needs fixing", "consider")
    # Only the address was flagged (mail of ours or someone else's came back): no card of ours did.
    return Reason(f"address flagged as returned on {a.returned_on.isoformat()}: check it", "consider")


@rule
def moved(h: Household, f: Facts) -> Reason | None:
    a = h.address
    if not (h.moved and a and a.valid_from and a.valid_from.year >= f.year - f.settings.moved_years):
        return None
    last = f.last_sent
    if last is not None and (last.date or dt.date(last.year, 12, 1)) >= a.valid_from:
        return None  # a card has gone to the new address since: the move is no longer news
    where = f" to {a.city}" if a.city else ""
    return Reason(f"moved{where} in {a.valid_from.year}: new address")


@rule
def unverified(h: Household, f: Facts) -> Reason | None:
    a = h.address
    if a is None or a.verified_on is None or a.returned_on is not None:
        return None
    if a.verified_on <= _years_before(f.today, f.settings.unverified_years):
        return Reason(f"address unverified since {a.verified_on.year}: check it")
    return None


@rule
def bereavement(h: Household, f: Facts) -> Iterable[Reason]:
    if not f.living:
        return
    previous_target = _occurrence_in_year(f.arrive_by.month, f.arrive_by.day, f.year - 1)
    for person in h.members:
        died = person.deceased_on
        if person.status != "deceased" or died is None or died.year < f.year - f.settings.mourning_years:
            continue
        if died > f.arrive_by:
            continue  # after this season's cards: next year's plan speaks of it
        alone = " alone" if len(f.living) == 1 else ""
        first = " (the first holidays since)" if died > previous_target and f.occasion == "holiday" else ""
        yield Reason(
            f"{_first_name(person)} died in {died.year}{first}: address to "
            f"{_join([_first_name(p) for p in f.living])}{alone}; consider a thinking-of-you note"
        )
        if _first_name(person).casefold() in re.findall(r"\w+", h.mailing_name.casefold()):
            yield Reason(f"the mailing name still says {_first_name(person)}: fix it with `cardkeep household rename`")


@rule
def milestones(h: Household, f: Facts) -> Iterable[Reason]:
    if not h.dates:
        return
    people = {p.id: p for p in f.living}
    seen = set()
    for d in h.dates:
        if d.year is None or d.kind not in ("anniversary", "birthday") or d.contact_id not in people:
            continue
        found = _milestone(d.kind, d.year, f.year)
        if not found:
            continue
        n, _, is_round = found
        if d.kind == "anniversary" and is_round:
            key = ("anniversary", d.year, d.month, d.day, d.label)
            if key not in seen:
                seen.add(key)
                label = f"{d.label} " if d.label else ""
                yield Reason(f"{_ordinal(n)} {label}anniversary this year")
        elif d.kind == "birthday" and n in BIRTHDAY_MILESTONES:
            yield Reason(f"{_first_name(people[d.contact_id])} turns {n} this year")


def _since_last_card(f: Facts) -> dt.date:
    """News counts as new when it came after the last card we sent (or within the last year)."""
    if f.last_sent is not None:
        return f.last_sent.date or dt.date(f.last_sent.year, 12, 1)
    return _years_before(f.today, 1)


@cache
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b")


@rule
def new_baby(h: Household, f: Facts) -> Reason | None:
    since = _since_last_card(f)
    words = f.settings.baby_words
    for note in sorted(h.notes, key=lambda n: n.created or dt.date.min, reverse=True):
        if note.created and since < note.created <= f.today and words and _words_pattern(words).search(
            note.text.casefold()
        ):
            return Reason(f"first holiday since the new baby (noted {note.created.isoformat()})")
    people = {p.id: p for p in f.living}
    for d in h.dates:
        # born after `since` needs a year no earlier than its year: most birthdays stop here
        if d.kind == "birthday" and d.year and d.year >= since.year and d.month and d.day and d.contact_id in people:
            try:
                born = dt.date(d.year, d.month, d.day)
            except ValueError:
                continue
            if since < born <= f.today:
                return Reason(f"first holiday since {_first_name(people[d.contact_id])} was born")
    return None


@rule
def over_contact(h: Household, f: Facts) -> Reason | None:
    count = f.sent_last_12_months
    if count >= f.settings.over_contact:
        return Reason(f"already sent {count} cards in the last 12 months: maybe keep this one short and warm")
    return None


@rule
def repeat_design(h: Household, f: Facts) -> Reason | None:
    if not f.design:
        return None
    same = design_years(h.cards, f.design)
    if same:
        years = _join(sorted({str(year) for year, _ in same}))
        return Reason(f"already had the {same[0][1]} design in {years}: pick another")
    return None


def design_years(cards: Iterable[Card], design: str, *, before: int | None = None) -> list[tuple[int, str]]:
    """(year, the design as recorded) of each card of this design (case and spacing aside) sent,
    optionally before a year: the one rule for "they had it already" (plan --design, sent --design)."""
    wanted = " ".join(design.casefold().split())
    return sorted((c.year, c.design) for c in cards if c.direction == "sent" and c.design
                  and (before is None or c.year < before) and " ".join(c.design.casefold().split()) == wanted)


@rule
def country_custom(h: Household, f: Facts) -> Reason | None:
    custom = customs.season(h.address.country if h.address else None, f.occasion)
    return Reason(custom.reason) if custom else None


@rule
def late(h: Household, f: Facts) -> Reason | None:
    if f.mail_by and f.mail_by < f.today and f.sent_now is None:
        return Reason(f"mail-by date {f.mail_by.isoformat()} has passed: mail it soon")
    return None


# ---------------------------------------------------------------- the plan


def decide(h: Household, season: Season, *, today: dt.date, design: str | None = None) -> Decision:
    """Run every rule over one household and combine the reasons."""
    country = h.address.country if h.address else None
    home = season.home
    mail_by_date = season.mail_by(country)
    f = _facts(h, season=season, today=today, design=design, mail_by_date=mail_by_date)
    verdicts: list[Reason] = []
    for fn in RULES:
        result = fn(h, f)
        if result is None:
            continue
        verdicts.extend([result] if isinstance(result, Reason) else result)
    skips = [v.reason for v in verdicts if v.decision == "skip"]
    if skips:
        decision, reasons = "skip", skips
    else:
        decision = "consider" if any(v.decision == "consider" for v in verdicts) else "send"
        reasons = [v.reason for v in verdicts]
    return Decision(
        household_id=h.id,
        mailing_name=h.mailing_name,
        decision=decision,
        reasons=tuple(dict.fromkeys(reasons)),
        mail_by=mail_by_date,
        country=country,
        international=mailing.is_international(country, home),
        years_sent=len(f.sent_years) + (f.sent_now is not None),
        years_back=len(f.back_years) + f.back_now,
        first_year=f.first_year,
    )


def mailing_order_key(international: bool, mail_by: dt.date | None, name: str) -> tuple:
    """International first, then the earliest mail-by date, then the name."""
    return (not international, mail_by or dt.date.max, name.casefold())


def plan(households: Iterable[Household], *, year: int, today: dt.date, settings: Settings,
         occasion: str = "holiday", design: str | None = None) -> Plan:
    """Decide for every household; decisions come back in mailing order. Home is `[sender]
    country`, else the most common country of these households (`home_inferred`)."""
    households = list(households)
    home, inferred = home_country(settings, (h.address.country for h in households if h.address))
    season = Season.of(settings, year, occasion, home)
    with no_cycle_collection():
        decisions = [decide(h, season, today=today, design=design) for h in households]
    decisions.sort(key=lambda d: mailing_order_key(d.international, d.mail_by, d.mailing_name))
    return Plan(year=year, occasion=occasion, arrive_by=season.arrive_by, home=home, home_inferred=inferred,
                decisions=decisions)
