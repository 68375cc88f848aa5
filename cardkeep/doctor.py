"""`cardkeep doctor`: what would make a card go wrong, each with the command that fixes it.

A check is a function registered with `@check`; it reads the `Book` (everything loaded once, in a
handful of queries) and yields `Finding`s. Checks never write. `today` is passed in.

Config:

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
from typing import Any

from cardkeep.config import ConfigError, section
from cardkeep.dates import years_before
from cardkeep.store import book
from cardkeep.store.db import Database

DEFAULT_UNVERIFIED_YEARS = 3


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
    """The few tables the checks read, loaded once."""

    today: dt.date
    unverified_years: int
    households: dict[int, dict[str, Any]]
    members: dict[int, list[dict[str, Any]]]  # household id -> contacts, in id order
    addresses: dict[int, dict[str, Any]]  # household id -> current address
    dates: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # contact id -> dates

    def mailing_name(self, household_id: int) -> str:
        house = self.households[household_id]
        return house["mailing_name"] or book.generated_mailing_name(self.members.get(household_id, []))

    def wants_cards(self, household_id: int) -> bool:
        """Active, with someone alive who may be written to: the households whose details matter."""
        if self.households[household_id]["status"] != "active":
            return False
        return any(m["status"] == "active" for m in self.members.get(household_id, []))


Check = Callable[[Book], Iterable[Finding]]
CHECKS: list[tuple[str, Check]] = []


def check(name: str) -> Callable[[Check], Check]:
    """Register a check under `name`; checks run (and report) in the order they are defined."""

    def register(fn: Check) -> Check:
        CHECKS.append((name, fn))
        return fn

    return register


def load(db: Database, *, today: dt.date, unverified_years: int | None = None) -> Book:
    if unverified_years is None:
        unverified_years = settings()
    households = {r["id"]: r for r in db.query("select * from households order by id")}
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in db.query("select * from contacts order by id"):
        members[row["household_id"]].append(row)
    addresses = {}
    for row in db.query("select * from addresses where valid_to is null order by id"):
        addresses[row["household_id"]] = row  # the newest current one, as book.current_address
    dates: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in db.query("select * from dates where rule is null order by id"):
        dates[row["contact_id"]].append(row)
    return Book(today, unverified_years, households, dict(members), addresses, dict(dates))


def settings() -> int:
    value = section("doctor").get("unverified_years", DEFAULT_UNVERIFIED_YEARS)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"config [doctor] unverified_years = {value!r}: use a whole number of years, 1 or more")
    return value


def diagnose(db: Database, *, today: dt.date, unverified_years: int | None = None) -> list[Finding]:
    """Every finding of every check, in check order."""
    loaded = load(db, today=today, unverified_years=unverified_years)
    return [finding for _name, fn in CHECKS for finding in fn(loaded)]


def to_json(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- helpers


def _people(b: Book) -> Iterator[dict[str, Any]]:
    for household_id in b.households:
        yield from b.members.get(household_id, [])


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# ---------------------------------------------------------------- the checks


@check("duplicates")
def probable_duplicates(b: Book) -> Iterator[Finding]:
    """Two records for one person: the same name, or the same e-mail address or phone number."""
    keys: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for person in _people(b):
        keys[("name", book.fold(" ".join(person["name"].split())))].append(person)
        for email in json.loads(person["emails"] or "[]"):
            if email.strip():
                keys[("e-mail address", email.strip().casefold())].append(person)
        for phone in json.loads(person["phones"] or "[]"):
            if len(_digits(phone)) >= 7:
                keys[("phone number", _digits(phone))].append(person)
    reported: set[tuple[int, ...]] = set()
    for (why, _value), people in keys.items():
        ids = tuple(sorted({p["id"] for p in people}))
        if len(ids) < 2 or ids in reported:
            continue
        if why != "name" and len({p["household_id"] for p in people}) < 2:
            continue  # a couple with one landline or one family e-mail address: two people, not one
        reported.add(ids)
        first, *others = sorted({p["id"]: p for p in people}.values(), key=lambda p: p["id"])
        listed = ", ".join(f"{book.cid(p['id'])} {p['name']}" for p in others)
        yield Finding(
            "duplicates",
            book.cid(first["id"]),
            first["name"],
            f"probably the same person as {listed} (same {why})",
            f"cardkeep show {book.cid(first['id'])}; then, if it is one person, "
            + "; ".join(f"cardkeep rm {book.cid(p['id'])}" for p in others),
        )


@check("no-address")
def no_current_address(b: Book) -> Iterator[Finding]:
    for household_id in b.households:
        if b.wants_cards(household_id) and household_id not in b.addresses:
            yield Finding(
                "no-address",
                book.hid(household_id),
                b.mailing_name(household_id),
                "no current address: no card can go out",
                f"cardkeep move {book.hid(household_id)} --street ... --city ... --postal-code ... --country CC",
            )


@check("returned")
def returned_mail(b: Book) -> Iterator[Finding]:
    for household_id, address in b.addresses.items():
        if address["returned_on"] and b.wants_cards(household_id):
            ref = book.hid(household_id)
            yield Finding(
                "returned",
                ref,
                b.mailing_name(household_id),
                f"mail to {address['street']}, {address['city']} came back on {address['returned_on']}",
                f"cardkeep move {ref} --street ... (the new address), or cardkeep verify {ref} if it is right",
            )


@check("unverified")
def unverified_addresses(b: Book) -> Iterator[Finding]:
    cutoff = years_before(b.today, b.unverified_years)
    for household_id, address in b.addresses.items():
        if address["returned_on"] or not b.wants_cards(household_id):
            continue  # a returned address is reported as such
        verified = _date(address["verified_on"])
        since = verified or _date(address["valid_from"]) or _date(b.households[household_id]["created"])
        if since is None or since >= cutoff:
            continue
        what = f"not verified since {verified}" if verified else f"never verified (on file since {since})"
        yield Finding(
            "unverified",
            book.hid(household_id),
            b.mailing_name(household_id),
            f"address {what}, over {b.unverified_years} years ago",
            f"cardkeep verify {book.hid(household_id)} (once you have checked it), or cardkeep move "
            f"{book.hid(household_id)} ... if they moved",
        )


def _given(person: dict[str, Any]) -> str:
    return book.fold(person["given_name"] or (person["name"].split() or [""])[0])


@check("deceased-in-name")
def deceased_in_mailing_name(b: Book) -> Iterator[Finding]:
    """A mailing name typed by hand that still names someone who has died."""
    for household_id, house in b.households.items():
        if not house["mailing_name"] or house["status"] == "do-not-send":
            continue
        people = b.members.get(household_id, [])
        living = {_given(p) for p in people if p["status"] != "deceased"}
        if not living:
            continue  # everyone has died: no card goes there at all
        words = set(re.findall(r"\w+", book.fold(house["mailing_name"])))
        named = book.fold(house["mailing_name"])
        for person in people:
            if person["status"] != "deceased":
                continue
            given = _given(person)
            if given in living:
                continue  # a living member shares the name: cannot tell
            if (given and given in words) or book.fold(person["name"]) in named:
                ref = book.hid(household_id)
                yield Finding(
                    "deceased-in-name",
                    ref,
                    house["mailing_name"],
                    f"the mailing name still names {person['name']} ({book.cid(person['id'])}), who died"
                    + (f" on {person['deceased_on']}" if person["deceased_on"] else ""),
                    f"cardkeep household rename {ref} --auto, or cardkeep household rename {ref} \"NEW NAME\"",
                )


@check("no-name")
def no_real_name(b: Book) -> Iterator[Finding]:
    """A person known only by an e-mail address or a string with no letters in it."""
    for person in _people(b):
        name = person["name"].strip()
        emails = [e.casefold() for e in json.loads(person["emails"] or "[]")]
        if _EMAIL.match(name) or name.casefold() in emails:
            problem = "known only by an e-mail address"
        elif not any(ch.isalpha() for ch in name):
            problem = f"the name {name!r} has no letters in it"
        else:
            continue
        yield Finding(
            "no-name",
            book.cid(person["id"]),
            name,
            problem,
            f"cardkeep edit {book.cid(person['id'])} --name \"Their Name\"",
        )


def _redate(ref: str, row: dict[str, Any], hint: str = "YYYY-MM-DD") -> str:
    """The command that corrects one date: `edit --birthday` replaces only an unlabelled birthday or
    anniversary; any other date is removed and added again."""
    if row["kind"] in ("birthday", "anniversary") and not row["label"]:
        return f"cardkeep edit {ref} --{row['kind']} {hint}"
    label = f" --label {json.dumps(row['label'], ensure_ascii=False)}" if row["label"] else ""
    return f"cardkeep date rm d{row['id']}; then cardkeep date add {ref} {row['kind']} YYYY-MM-DD{label}"


@check("impossible-dates")
def impossible_dates(b: Book) -> Iterator[Finding]:
    """A birthday in the future, an anniversary before the birthday, a death before the birth."""
    for person in _people(b):
        ref = book.cid(person["id"])
        full: dict[str, list[tuple[dt.date, dict[str, Any]]]] = defaultdict(list)
        for row in b.dates.get(person["id"], []):
            if row["year"] and row["month"] and row["day"]:
                try:
                    full[row["kind"]].append((dt.date(row["year"], row["month"], row["day"]), row))
                except ValueError:
                    yield Finding("impossible-dates", ref, person["name"],
                                  f"{row['kind']} {row['year']}-{row['month']:02d}-{row['day']:02d} is not a real day",
                                  _redate(ref, row))
        births = full.get("birthday", [])
        for born, row in births:
            if born > b.today:
                yield Finding("impossible-dates", ref, person["name"], f"birthday {born} is in the future",
                              _redate(ref, row, "YYYY-MM-DD (or --MM-DD without the year)"))
        birth = min(born for born, _row in births) if births else None
        for married, row in full.get("anniversary", []):
            if married > b.today:
                yield Finding("impossible-dates", ref, person["name"], f"anniversary {married} is in the future",
                              _redate(ref, row))
            elif birth and married < birth:
                yield Finding("impossible-dates", ref, person["name"],
                              f"anniversary {married} is before the birthday {birth}",
                              _redate(ref, row) + " (or correct the birthday, whichever is wrong)")
        died = _date(person["deceased_on"])
        if died and died > b.today:
            yield Finding("impossible-dates", ref, person["name"], f"date of death {died} is in the future",
                          f"cardkeep status {ref} deceased --on YYYY-MM-DD")
        elif died and birth and died < birth:
            yield Finding("impossible-dates", ref, person["name"], f"date of death {died} is before the birthday {birth}",
                          f"cardkeep status {ref} deceased --on YYYY-MM-DD, or cardkeep edit {ref} --birthday ...")
