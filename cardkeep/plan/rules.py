"""The yearly plan: who gets a card this year, and why, in plain words.

Pure rules over plain data. `plan()` takes households (built by `cardkeep.plan.history.load_households`
or by hand in tests), the plan `year`, `today` and the config dict, and returns one `Decision` per
household: `send`, `consider` or `skip`, with the reasons a thoughtful friend would give. Nothing
here reads the clock or the database, except the two thin lookups at the end that delegate to
`cardkeep.plan.batch` (the saved plan).

Every rule is a small function registered with `@rule`, in the order its reasons are shown. A rule
returns a `Verdict` (or several, or None): a reason and, optionally, the decision it asks for.
`skip` beats `consider`, which beats `send`; when a household is skipped only the skip reasons are
shown. Judgements use the whole card history, never a window of recent years.

Settings, all optional, in the config file:

    [plan]
    arrive_by = "12-20"          # MM-DD the holiday cards should arrive by
    quiet_years = 5              # no card back for this many of our cards: consider
    long_friendship = 5          # years with a card back that make a long friendship; such a
                                 #   friendship gets at least that many quiet years before "consider"
    exempt_tags = ["always", "elder"]   # tags (household or member) that keep cards going regardless
    unverified_years = 3         # an address verified longer ago than this: check it
    moved_years = 1              # a move in the plan year or this many years before is mentioned
    mourning_years = 1           # a death in the plan year or this many years before is mentioned
    over_contact = 4             # this many cards sent in the last 12 months: a gentle warning
    baby_words = ["baby", "newborn", "born"]   # words in a note that mean a new baby
    [plan.targets]               # arrive-by dates (MM-DD) for occasions other than holiday
    thank-you = "01-15"

Mail-by dates come from `cardkeep.plan.mailing` (`[mail]` lead times, `[sender] country` for home).
When `[sender] country` is not set, the most common country in the book is taken as home, and the
plan says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from cardkeep.dates import milestone, occurrence_in_year, ordinal, years_before
from cardkeep.errors import CardkeepError, InvalidInput
from cardkeep.model import Card, Household, Person
from cardkeep.plan import mailing
from cardkeep.store.load import no_cycle_collection

DECISIONS = ("send", "consider", "skip")
_RANK = {"send": 0, "consider": 1, "skip": 2}

DEFAULTS: dict[str, Any] = {
    "arrive_by": "12-20",
    "quiet_years": 5,
    "long_friendship": 5,
    "exempt_tags": ["always", "elder"],
    "unverified_years": 3,
    "moved_years": 1,
    "mourning_years": 1,
    "over_contact": 4,
    "baby_words": ["baby", "newborn", "born"],
}
BIRTHDAY_MILESTONES = frozenset({18, 21, 30, 40, 50, 60, 65, 70, 75, 80, 85, 90, 95, 100})


# ---------------------------------------------------------------- plain data


@dataclass(frozen=True)
class Verdict:
    reason: str
    decision: str | None = None  # None: a remark that does not change the decision


@dataclass(frozen=True)
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
class Settings:
    arrive_by: dt.date
    quiet_years: int
    long_friendship: int
    exempt_tags: frozenset[str]
    unverified_years: int
    moved_years: int
    mourning_years: int
    over_contact: int
    baby_words: tuple[str, ...]
    home: str | None
    mail: dict[str, Any] = field(default_factory=dict)


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


# ---------------------------------------------------------------- settings


def _int(table: dict[str, Any], key: str, low: int = 0) -> int:
    value = table.get(key, DEFAULTS[key])
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise InvalidInput(f"config [plan] {key}: {value!r} is not a whole number >= {low}")
    return value


def _words(table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key, DEFAULTS[key])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"config [plan] {key}: expected a list of words, got {value!r}")
    return [v.strip().lower() for v in value if v.strip()]


def _month_day(text: Any, year: int, what: str) -> dt.date:
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(text).strip())
    try:
        if not match:
            raise ValueError
        month, day = int(match.group(1)), int(match.group(2))
        dt.date(2000, month, day)  # a leap year: 02-29 is a day of the year, kept to 28 February otherwise
        return occurrence_in_year(month, day, year)
    except ValueError:
        raise InvalidInput(f"config {what}: {text!r} is not a day of the year (use MM-DD, such as 12-20)") from None


def arrive_by(config: dict[str, Any], year: int, occasion: str = "holiday") -> dt.date:
    """The date cards for `occasion` in `year` should arrive by."""
    table = config.get("plan", {}) or {}
    if occasion == "holiday":
        return _month_day(table.get("arrive_by", DEFAULTS["arrive_by"]), year, "[plan] arrive_by")
    targets = table.get("targets", {}) or {}
    if occasion not in targets:
        raise CardkeepError(
            f"no arrive-by date for {occasion} cards: set it in the config, [plan.targets] {occasion} = \"MM-DD\""
        )
    return _month_day(targets[occasion], year, f"[plan.targets] {occasion}")


def settings(config: dict[str, Any], year: int, occasion: str = "holiday") -> Settings:
    """The plan settings from the config dict (see the module docstring), checked."""
    table = config.get("plan", {}) or {}
    if not isinstance(table, dict):
        raise InvalidInput("config [plan] must be a table")
    return Settings(
        arrive_by=arrive_by(config, year, occasion),
        quiet_years=_int(table, "quiet_years", 1),
        long_friendship=_int(table, "long_friendship", 1),
        exempt_tags=frozenset(_words(table, "exempt_tags")),
        unverified_years=_int(table, "unverified_years", 1),
        moved_years=_int(table, "moved_years"),
        mourning_years=_int(table, "mourning_years"),
        over_contact=_int(table, "over_contact", 1),
        baby_words=tuple(_words(table, "baby_words")),
        home=mailing.home_country(config),
        mail=mailing.check_settings(config.get("mail")),
    )


# ---------------------------------------------------------------- facts


@dataclass
class Facts:
    """What the rules share about one household, computed once."""

    year: int
    today: dt.date
    occasion: str
    settings: Settings
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


def _facts(h: Household, *, year: int, today: dt.date, occasion: str, s: Settings, design: str | None,
           mail_by_date: dt.date | None) -> Facts:
    sent: set[int] = set()
    back: set[int] = set()
    sent_now = None
    back_now = False
    last_sent: Card | None = None
    recent = 0
    came_back = []
    year_ago = years_before(today, 1)
    for card in h.cards:  # one pass over the whole history
        if card.direction == "sent":
            if card.date and year_ago < card.date <= today:
                recent += 1
            if card.returned:
                came_back.append(card.year)
            if (card.year < year or card.occasion != occasion) and (
                last_sent is None
                or (card.year, card.date or dt.date.min) >= (last_sent.year, last_sent.date or dt.date.min)
            ):
                last_sent = card
        if card.occasion != occasion:
            continue
        if card.year == year:
            if card.direction == "sent":
                sent_now = card
            else:
                back_now = True
        elif card.year < year:
            (sent if card.direction == "sent" else back).add(card.year)
    return Facts(
        year=year, today=today, occasion=occasion, settings=s, design=design, mail_by=mail_by_date,
        sent_years=sorted(sent), back_years=sorted(back), sent_now=sent_now, back_now=back_now,
        last_sent=last_sent, living=[m for m in h.members if m.status != "deceased"],
        sent_last_12_months=recent, came_back=came_back,
    )


# ---------------------------------------------------------------- the rules

Rule = Callable[[Household, Facts], "Verdict | Iterable[Verdict] | None"]
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
def do_not_send(h: Household, f: Facts) -> Verdict | None:
    if h.status == "do-not-send":
        return Verdict("do-not-send", "skip")
    if f.living and all(m.status == "do-not-send" for m in f.living):
        return Verdict("do-not-send", "skip")
    return None


@rule
def everyone_deceased(h: Household, f: Facts) -> Verdict | None:
    if h.members and not f.living:
        return Verdict("everyone deceased", "skip")
    return None


@rule
def lost_touch(h: Household, f: Facts) -> Verdict | None:
    return Verdict("lost touch", "skip") if h.status == "lost-touch" else None


@rule
def already_sent(h: Household, f: Facts) -> Verdict | None:
    if f.sent_now is None:
        return None
    when = f"on {f.sent_now.date.isoformat()}" if f.sent_now.date else "this year"
    return Verdict(f"already sent {when}", "skip")


@rule
def no_address(h: Household, f: Facts) -> Verdict | None:
    if h.address is None:
        return Verdict("no current address: add one with `cardkeep move`", "consider")
    return None


@rule
def relationship(h: Household, f: Facts) -> Verdict | None:
    """The history in one phrase: how long and how faithfully we have sent."""
    years = f.sent_years
    if not years:
        if f.back_now or (f.back_years and f.back_years[-1] == f.year - 1):
            return None  # they wrote lately; `reciprocate` speaks for them
        if f.back_years:
            n = len(f.back_years)
            return Verdict(f"they sent us cards in {n} year{'s' if n > 1 else ''} (last in {f.back_years[-1]}), "
                           "we never have: consider", "consider")
        if h.created and h.created.year >= f.year:
            return Verdict("new this year", "send")
        since = f" since {h.created.year}" if h.created else ""
        return Verdict(f"in the book{since} but no card either way yet: consider", "consider")
    first, last = years[0], years[-1]
    span = f.year - first
    if len(years) == span:
        return Verdict(f"sent every year since {first}" if span > 1 else f"first card went in {first}")
    text = f"sent {len(years)} of {span} years since {first}"
    if last < f.year - 1:
        text += f", last in {last}"
    return Verdict(text)


@rule
def reciprocate(h: Household, f: Facts) -> Verdict | None:
    if f.back_now:
        return Verdict("they already sent one this year: reciprocate", "send")
    if f.back_years and f.back_years[-1] == f.year - 1:
        return Verdict(f"they sent us one in {f.year - 1}: reciprocate", "send")
    return None


def _exempt_tag(h: Household, f: Facts) -> str | None:
    tags = set(h.tags)
    for person in f.living:
        tags |= person.tags
    hits = sorted(tags & f.settings.exempt_tags)
    return hits[0] if hits else None


@rule
def quiet(h: Household, f: Facts) -> Verdict | None:
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
            return Verdict(f"{words}, but tagged {tag}: send anyway")
        return Verdict(f"{words}: consider", "consider")
    if long_friend and quiet_count >= 2:
        return Verdict(
            f"quiet since {last_back}, but they sent cards in {len(f.back_years)} years since "
            f"{f.back_years[0]}: a long friendship, keep sending"
        )
    return None


@rule
def returned(h: Household, f: Facts) -> Verdict | None:
    if h.address is None or h.address.returned_on is None:
        return None
    when = max(f.came_back) if f.came_back else h.address.returned_on.year
    return Verdict(f"card came back in {when}: address needs fixing", "consider")


@rule
def moved(h: Household, f: Facts) -> Verdict | None:
    a = h.address
    if not (h.moved and a and a.valid_from and a.valid_from.year >= f.year - f.settings.moved_years):
        return None
    where = f" to {a.city}" if a.city else ""
    return Verdict(f"moved{where} in {a.valid_from.year}: new address")


@rule
def unverified(h: Household, f: Facts) -> Verdict | None:
    a = h.address
    if a is None or a.verified_on is None or a.returned_on is not None:
        return None
    if a.verified_on <= years_before(f.today, f.settings.unverified_years):
        return Verdict(f"address unverified since {a.verified_on.year}: check it")
    return None


@rule
def bereavement(h: Household, f: Facts) -> Iterable[Verdict]:
    if not f.living:
        return
    previous_target = occurrence_in_year(f.settings.arrive_by.month, f.settings.arrive_by.day, f.year - 1)
    for person in h.members:
        died = person.deceased_on
        if person.status != "deceased" or died is None or died.year < f.year - f.settings.mourning_years:
            continue
        if died > f.settings.arrive_by:
            continue  # after this season's cards: next year's plan speaks of it
        alone = " alone" if len(f.living) == 1 else ""
        first = " (the first holidays since)" if died > previous_target and f.occasion == "holiday" else ""
        yield Verdict(
            f"{_first_name(person)} died in {died.year}{first}: address to "
            f"{_join([_first_name(p) for p in f.living])}{alone}; consider a thinking-of-you note"
        )
        if _first_name(person).casefold() in re.findall(r"\w+", h.mailing_name.casefold()):
            yield Verdict(f"the mailing name still says {_first_name(person)}: fix it with `cardkeep household rename`")


@rule
def milestones(h: Household, f: Facts) -> Iterable[Verdict]:
    people = {p.id: p for p in f.living}
    seen = set()
    for d in h.dates:
        if d.contact_id not in people or d.year is None or d.kind not in ("anniversary", "birthday"):
            continue
        found = milestone(d.kind, d.year, f.year)
        if not found:
            continue
        n, _, is_round = found
        if d.kind == "anniversary" and is_round:
            key = ("anniversary", d.year, d.month, d.day, d.label)
            if key not in seen:
                seen.add(key)
                label = f"{d.label} " if d.label else ""
                yield Verdict(f"{ordinal(n)} {label}anniversary this year")
        elif d.kind == "birthday" and n in BIRTHDAY_MILESTONES:
            yield Verdict(f"{_first_name(people[d.contact_id])} turns {n} this year")


def _since_last_card(f: Facts) -> dt.date:
    """News counts as new when it came after the last card we sent (or within the last year)."""
    if f.last_sent is not None:
        return f.last_sent.date or dt.date(f.last_sent.year, 12, 1)
    return years_before(f.today, 1)


@rule
def new_baby(h: Household, f: Facts) -> Verdict | None:
    since = _since_last_card(f)
    words = f.settings.baby_words
    for note in sorted(h.notes, key=lambda n: n.created or dt.date.min, reverse=True):
        if note.created and since < note.created <= f.today and words and re.search(
            r"\b(" + "|".join(map(re.escape, words)) + r")\b", note.text.casefold()
        ):
            return Verdict(f"first holiday since the new baby (noted {note.created.isoformat()})")
    people = {p.id: p for p in f.living}
    for d in h.dates:
        if d.kind == "birthday" and d.contact_id in people and d.year and d.month and d.day:
            try:
                born = dt.date(d.year, d.month, d.day)
            except ValueError:
                continue
            if since < born <= f.today:
                return Verdict(f"first holiday since {_first_name(people[d.contact_id])} was born")
    return None


@rule
def over_contact(h: Household, f: Facts) -> Verdict | None:
    count = f.sent_last_12_months
    if count >= f.settings.over_contact:
        return Verdict(f"already sent {count} cards in the last 12 months: maybe keep this one short and warm")
    return None


@rule
def repeat_design(h: Household, f: Facts) -> Verdict | None:
    if not f.design:
        return None
    wanted = " ".join(f.design.casefold().split())
    same = sorted((c.year, c.design) for c in h.cards
                  if c.direction == "sent" and c.design and " ".join(c.design.casefold().split()) == wanted)
    if same:
        years = _join(sorted({str(year) for year, _ in same}))
        return Verdict(f"already had the {same[0][1]} design in {years}: pick another")
    return None


@rule
def late(h: Household, f: Facts) -> Verdict | None:
    if f.mail_by and f.mail_by < f.today and f.sent_now is None:
        return Verdict(f"mail-by date {f.mail_by.isoformat()} has passed: mail it soon")
    return None


# ---------------------------------------------------------------- the plan


def infer_home(households: Iterable[Household]) -> str | None:
    """The most common country of the current addresses (ties: alphabetical)."""
    counts = Counter(h.address.country for h in households if h.address)
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], c))


def decide(h: Household, *, year: int, today: dt.date, s: Settings, occasion: str = "holiday",
           design: str | None = None) -> Decision:
    """Run every rule over one household and combine the verdicts."""
    country = h.address.country if h.address else None
    mail_by_date = mailing.mail_by(s.arrive_by, country, s.home, s.mail) if country else None
    f = _facts(h, year=year, today=today, occasion=occasion, s=s, design=design, mail_by_date=mail_by_date)
    verdicts: list[Verdict] = []
    for fn in RULES:
        result = fn(h, f)
        if result is None:
            continue
        verdicts.extend([result] if isinstance(result, Verdict) else result)
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
        international=mailing.is_international(country, s.home),
        years_sent=len(f.sent_years) + (f.sent_now is not None),
        years_back=len(f.back_years) + f.back_now,
        first_year=f.first_year,
    )


def mailing_order_key(international: bool, mail_by: dt.date | None, name: str) -> tuple:
    """International first, then the earliest mail-by date, then the name."""
    return (not international, mail_by or dt.date.max, name.casefold())


def plan(households: Iterable[Household], *, year: int, today: dt.date, config: dict[str, Any],
         occasion: str = "holiday", design: str | None = None) -> Plan:
    """Decide for every household; decisions come back in mailing order."""
    households = list(households)
    s = settings(config, year, occasion)
    inferred = False
    if s.home is None:
        home = infer_home(households)
        if home:
            s = replace(s, home=home)
            inferred = True
    with no_cycle_collection():
        decisions = [decide(h, year=year, today=today, s=s, occasion=occasion, design=design) for h in households]
    decisions.sort(key=lambda d: mailing_order_key(d.international, d.mail_by, d.mailing_name))
    return Plan(year=year, occasion=occasion, arrive_by=s.arrive_by, home=s.home, home_inferred=inferred,
                decisions=decisions)


# ---------------------------------------------------------------- the saved plan (thin, over the db)


def saved_household_ids(db, year: int, occasion: str = "holiday") -> list[int] | None:
    """The saved batch's household ids in mailing order; None when no plan was saved for `year`."""
    from cardkeep.plan import batch

    return batch.saved_household_ids(db, year, occasion)


def due_mailings(db, *, today: dt.date, until: dt.date) -> list[dict[str, Any]]:
    """Saved-batch cards not yet mailed whose mail-by date is on or before `until`, most urgent first:
    `{"household": "h12", "mailing_name", "mail_by": date, "state", "country"}`."""
    from cardkeep.plan import batch

    return batch.due(db, today=today, until=until)
