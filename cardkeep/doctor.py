"""`cardkeep doctor`: what would make a card go wrong, each with the command that fixes it.

A check is a function registered with `@check`; it reads the `Book` (the households as
`cardkeep.store.load.load_households` builds them: the one bulk loader) and yields `Finding`s.
Checks never write. `today` is passed in.

Config (checked with every other value by `cardkeep.settings.load_settings`):

    [doctor]
    unverified_years = 3     # flag a current address nobody has confirmed for this long
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

from cardkeep.dates import years_before
from cardkeep.model import Household, ImportantDate, Person
from cardkeep.settings import Settings, load_settings
from cardkeep.store import book
from cardkeep.store.db import Database
from cardkeep.store.load import load_households


@dataclass(frozen=True)
class Finding:
    check: str  # the check's name: duplicates, no-address, ...
    ref: str  # h3 or c12: what it is about
    name: str  # whom it is about, as a person reads it
    problem: str
    fix: str  # the command (or commands) that fix it

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Book:
    """The whole book, loaded once."""

    today: dt.date
    unverified_years: int
    households: list[Household]  # in id order
    dates: dict[int, list[ImportantDate]] = field(default_factory=dict)  # person id -> fixed dates, in id order


def wants_cards(house: Household) -> bool:
    """Active, with someone alive who may be written to: the households whose details matter."""
    return house.status == "active" and any(m.status == "active" for m in house.members)


Check = Callable[[Book], Iterable[Finding]]
CHECKS: list[tuple[str, Check]] = []


def check(name: str) -> Callable[[Check], Check]:
    """Register a check under `name`; checks run (and report) in the order they are defined."""

    def register(fn: Check) -> Check:
        CHECKS.append((name, fn))
        return fn

    return register


def load(db: Database, *, today: dt.date, unverified_years: int) -> Book:
    households = load_households(db, history=False)
    dates: dict[int, list[ImportantDate]] = defaultdict(list)
    for house in households:
        for date in house.dates:
            if date.rule is None:  # a date that moves (an nth weekday, Easter) is never impossible
                dates[date.contact_id].append(date)
    return Book(today, unverified_years, households, dict(dates))


def diagnose(db: Database, *, today: dt.date, settings: Settings | None = None,
             unverified_years: int | None = None) -> list[Finding]:
    """Every finding of every check, in check order. `settings` default to the config file's;
    `unverified_years` overrides their `[doctor] unverified_years`."""
    if unverified_years is None:
        unverified_years = (settings or load_settings()).doctor_unverified_years
    loaded = load(db, today=today, unverified_years=unverified_years)
    return [finding for _name, fn in CHECKS for finding in fn(loaded)]


def to_json(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- helpers


def _people(b: Book) -> Iterator[Person]:
    for house in b.households:
        yield from house.members


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# ---------------------------------------------------------------- the checks


@check("duplicates")
def probable_duplicates(b: Book) -> Iterator[Finding]:
    """Two records for one person: the same name, or the same e-mail address or phone number."""
    keys: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for person in _people(b):
        keys[("name", book.fold(" ".join(person.name.split())))].append(person)
        for email in person.emails:
            if email.strip():
                keys[("e-mail address", email.strip().casefold())].append(person)
        for phone in person.phones:
            if len(_digits(phone)) >= 7:
                keys[("phone number", _digits(phone))].append(person)
    reported: set[tuple[int, ...]] = set()
    for (why, _value), people in keys.items():
        ids = tuple(sorted({p.id for p in people}))
        if len(ids) < 2 or ids in reported:
            continue
        if why != "name" and len({p.household_id for p in people}) < 2:
            continue  # a couple with one landline or one family e-mail address: two people, not one
        reported.add(ids)
        first, *others = sorted({p.id: p for p in people}.values(), key=lambda p: p.id)
        listed = ", ".join(f"{book.cid(p.id)} {p.name}" for p in others)
        yield Finding(
            "duplicates",
            book.cid(first.id),
            first.name,
            f"probably the same person as {listed} (same {why})",
            f"cardkeep show {book.cid(first.id)}; then, if it is one person, "
            + "; ".join(f"cardkeep rm {book.cid(p.id)}" for p in others),
        )


@check("no-address")
def no_current_address(b: Book) -> Iterator[Finding]:
    for house in b.households:
        if wants_cards(house) and house.address is None:
            yield Finding(
                "no-address",
                book.hid(house.id),
                house.mailing_name,
                "no current address: no card can go out",
                f"cardkeep move {book.hid(house.id)} --street ... --city ... --postal-code ... --country CC",
            )


@check("no-country")
def unknown_country(b: Book) -> Iterator[Finding]:
    """An address imported without a country (and no `[sender] country`): stored, but where to?"""
    from cardkeep.countries import UNKNOWN

    for house in b.households:
        if wants_cards(house) and house.address is not None and house.address.country == UNKNOWN:
            who = house.members[0] if house.members else None
            yield Finding(
                "no-country",
                book.hid(house.id),
                house.mailing_name,
                f"no country: check it ({house.address.street}, {house.address.city})",
                f"cardkeep edit {book.cid(who.id) if who else book.hid(house.id)} --country CC",
            )


@check("returned")
def returned_mail(b: Book) -> Iterator[Finding]:
    for house in b.households:
        address = house.address
        if address is not None and address.returned_on and wants_cards(house):
            ref = book.hid(house.id)
            yield Finding(
                "returned",
                ref,
                house.mailing_name,
                f"mail to {address.street}, {address.city} came back on {address.returned_on}",
                f"cardkeep move {ref} --street ... (the new address), or cardkeep verify {ref} if it is right",
            )


@check("unverified")
def unverified_addresses(b: Book) -> Iterator[Finding]:
    cutoff = years_before(b.today, b.unverified_years)
    for house in b.households:
        address = house.address
        if address is None or address.returned_on or not wants_cards(house):
            continue  # a returned address is reported as such
        verified = address.verified_on
        since = verified or address.valid_from or house.created
        if since is None or since >= cutoff:
            continue
        what = f"not verified since {verified}" if verified else f"never verified (on file since {since})"
        ref = book.hid(house.id)
        yield Finding(
            "unverified",
            ref,
            house.mailing_name,
            f"address {what}, over {b.unverified_years} years ago",
            f"cardkeep verify {ref} (once you have checked it), or cardkeep move {ref} ... if they moved",
        )


def _given(person: Person) -> str:
    return book.fold(person.given_name or (person.name.split() or [""])[0])


@check("deceased-in-name")
def deceased_in_mailing_name(b: Book) -> Iterator[Finding]:
    """A mailing name typed by hand that still names someone who has died."""
    for house in b.households:
        if not house.named or house.status == "do-not-send":
            continue
        living = {_given(p) for p in house.members if p.status != "deceased"}
        if not living:
            continue  # everyone has died: no card goes there at all
        named = book.fold(house.mailing_name)
        words = set(re.findall(r"\w+", named))
        for person in house.members:
            if person.status != "deceased":
                continue
            given = _given(person)
            if given in living:
                continue  # a living member shares the name: cannot tell
            if (given and given in words) or book.fold(person.name) in named:
                ref = book.hid(house.id)
                yield Finding(
                    "deceased-in-name",
                    ref,
                    house.mailing_name,
                    f"the mailing name still names {person.name} ({book.cid(person.id)}), who died"
                    + (f" on {person.deceased_on}" if person.deceased_on else ""),
                    f"cardkeep household rename {ref} --auto, or cardkeep household rename {ref} \"NEW NAME\"",
                )


@check("no-name")
def no_real_name(b: Book) -> Iterator[Finding]:
    """A person known only by an e-mail address or a string with no letters in it."""
    for person in _people(b):
        name = person.name.strip()
        emails = [e.casefold() for e in person.emails]
        if _EMAIL.match(name) or name.casefold() in emails:
            problem = "known only by an e-mail address"
        elif not any(ch.isalpha() for ch in name):
            problem = f"the name {name!r} has no letters in it"
        else:
            continue
        yield Finding(
            "no-name",
            book.cid(person.id),
            name,
            problem,
            f"cardkeep edit {book.cid(person.id)} --name \"Their Name\"",
        )


def _redate(ref: str, date: ImportantDate, hint: str = "YYYY-MM-DD") -> str:
    """The command that corrects one date: `edit --birthday` replaces only an unlabelled birthday or
    anniversary; any other date is removed and added again."""
    if date.kind in ("birthday", "anniversary") and not date.label:
        return f"cardkeep edit {ref} --{date.kind} {hint}"
    label = f" --label {json.dumps(date.label, ensure_ascii=False)}" if date.label else ""
    return f"cardkeep date rm d{date.id}; then cardkeep date add {ref} {date.kind} YYYY-MM-DD{label}"


@check("impossible-dates")
def impossible_dates(b: Book) -> Iterator[Finding]:
    """A birthday in the future, an anniversary before the birthday, a death before the birth."""
    for person in _people(b):
        ref = book.cid(person.id)
        full: dict[str, list[tuple[dt.date, ImportantDate]]] = defaultdict(list)
        for date in b.dates.get(person.id, []):
            if date.year and date.month and date.day:
                try:
                    full[date.kind].append((dt.date(date.year, date.month, date.day), date))
                except ValueError:
                    yield Finding("impossible-dates", ref, person.name,
                                  f"{date.kind} {date.year}-{date.month:02d}-{date.day:02d} is not a real day",
                                  _redate(ref, date))
        births = full.get("birthday", [])
        for born, date in births:
            if born > b.today:
                yield Finding("impossible-dates", ref, person.name, f"birthday {born} is in the future",
                              _redate(ref, date, "YYYY-MM-DD (or --MM-DD without the year)"))
        birth = min(born for born, _date in births) if births else None
        for married, date in full.get("anniversary", []):
            if married > b.today:
                yield Finding("impossible-dates", ref, person.name, f"anniversary {married} is in the future",
                              _redate(ref, date))
            elif birth and married < birth:
                yield Finding("impossible-dates", ref, person.name,
                              f"anniversary {married} is before the birthday {birth}",
                              _redate(ref, date) + " (or correct the birthday, whichever is wrong)")
        died = person.deceased_on
        if died and died > b.today:
            yield Finding("impossible-dates", ref, person.name, f"date of death {died} is in the future",
                          f"cardkeep status {ref} deceased --on YYYY-MM-DD")
        elif died and birth and died < birth:
            yield Finding("impossible-dates", ref, person.name, f"date of death {died} is before the birthday {birth}",
                          f"cardkeep status {ref} deceased --on YYYY-MM-DD, or cardkeep edit {ref} --birthday ...")


@check("duplicate-dates")
def duplicate_dates(b: Book) -> Iterator[Finding]:
    """The same date recorded twice for one person: two reminders for one occasion."""
    for house in b.households:
        people = {p.id: p for p in house.members}
        seen: dict[tuple, ImportantDate] = {}
        for date in house.dates:
            key = (date.contact_id, date.kind, date.year, date.month, date.day, date.rule,
                   book.fold(date.label or ""))
            first = seen.setdefault(key, date)
            if first is not date:
                person = people.get(date.contact_id)
                ref = book.cid(date.contact_id)
                yield Finding("duplicate-dates", ref, person.name if person else ref,
                              f"the {date.kind} d{first.id} is recorded again as d{date.id}",
                              f"cardkeep date rm d{date.id}")


@check("unreadable-dates")
def unreadable_dates(b: Book) -> Iterator[Finding]:
    """A stored rule this version cannot read: remind and the calendar skip it (and say so)."""
    from cardkeep.dates import readable_when

    for house in b.households:
        people = {p.id: p for p in house.members}
        for date in house.dates:
            if readable_when(date.year, date.month, date.day, date.rule) is None:
                person = people.get(date.contact_id)
                ref = book.cid(date.contact_id)
                yield Finding("unreadable-dates", ref, person.name if person else ref,
                              f"the {date.kind} d{date.id} has a rule this version cannot read: {date.rule!r}",
                              f"cardkeep date rm d{date.id}, then add it again with `cardkeep date add`")
