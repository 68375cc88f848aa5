"""The contact book as plain data: households, people, addresses, cards, important dates, notes.

Frozen dataclasses (cards: a NamedTuple, for speed) with no I/O. `cardkeep.store.load` builds them for the whole book in a few
queries; plan, reminders, export, drafts, labels, envelopes and doctor all read these same shapes.
Dates are `datetime.date` (or None); e-mails, phones and tags are tuples/frozensets, never JSON text.

The vocabularies the schema enforces live here too, once: statuses, date kinds, occasions and the
states of a card in the saved plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from typing import NamedTuple

from cardkeep.errors import InvalidInput

CONTACT_STATUSES = ("active", "deceased", "do-not-send")
HOUSEHOLD_STATUSES = ("active", "do-not-send", "lost-touch")
DATE_KINDS = ("birthday", "anniversary", "memorial", "custom")
OCCASIONS = ("holiday", "birthday", "anniversary", "sympathy", "thank-you", "other")
YEARLY_OCCASIONS = ("holiday", "birthday", "anniversary")
# Every occasion but "other" has a shipped draft template.
DRAFT_OCCASIONS = ("holiday", "birthday", "anniversary", "sympathy", "thank-you")
ADDRESS_FIELDS = ("street", "extended", "city", "region", "postal_code", "country")
# A card in the saved plan moves forward through these (see `cardkeep.plan.batch`).
CARD_STATES = ("planned", "written", "signed", "addressed", "stamped", "mailed")


def check_occasion(occasion: str) -> str:
    """`occasion`, when it is one of OCCASIONS; else InvalidInput naming them."""
    if occasion not in OCCASIONS:
        raise InvalidInput(f"occasion: {occasion!r} is not one of {', '.join(OCCASIONS)}")
    return occasion


@dataclass(frozen=True, slots=True)
class Address:
    country: str  # ISO 3166-1 alpha-2
    city: str = ""
    valid_from: dt.date | None = None
    verified_on: dt.date | None = None
    returned_on: dt.date | None = None
    _: KW_ONLY
    street: str = ""
    extended: str | None = None
    region: str | None = None
    postal_code: str | None = None
    valid_to: dt.date | None = None  # None: the current address
    id: int | None = None

    def fields(self) -> dict[str, str | None]:
        """The postal fields, as `cardkeep.printing.addressing.format_address` takes them."""
        return {name: getattr(self, name) for name in ADDRESS_FIELDS}


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    given_name: str | None = None
    status: str = "active"  # see CONTACT_STATUSES
    deceased_on: dt.date | None = None
    tags: frozenset[str] = frozenset()
    _: KW_ONLY
    family_name: str | None = None
    nickname: str | None = None
    salutation: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    uid: str | None = None
    household_id: int | None = None

    @property
    def living(self) -> bool:
        return self.status != "deceased"

    @property
    def first_name(self) -> str:
        """What a card calls them: the given name, else the first word of the name."""
        return self.given_name or self.name.split()[0]


class Card(NamedTuple):
    """A card sent or received. A NamedTuple rather than a frozen dataclass: a large book holds
    over 100,000 of them and `plan` builds every one; a tuple is as immutable and builds 3x faster."""

    year: int
    occasion: str
    direction: str  # "sent" or "received"
    date: dt.date | None = None
    design: str | None = None
    returned: bool = False


@dataclass(frozen=True, slots=True)
class ImportantDate:
    """A birthday, anniversary, memorial or custom date. Year, month or day may be unknown."""

    contact_id: int
    kind: str  # see DATE_KINDS
    year: int | None
    month: int | None
    day: int | None
    label: str | None = None
    _: KW_ONLY
    rule: str | None = None  # an RRULE or a plain rule, for dates that move
    lead_days: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Note:
    contact_id: int
    text: str
    created: dt.date | None
    _: KW_ONLY
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Household:
    """One mailing: the people at one address, and everything cardkeep knows about them."""

    id: int
    mailing_name: str  # the stored one, else generated from the living members
    status: str = "active"  # see HOUSEHOLD_STATUSES
    created: dt.date | None = None
    tags: frozenset[str] = frozenset()
    members: tuple[Person, ...] = ()
    address: Address | None = None  # the current one
    moved: bool = False  # an earlier address is on record
    cards: tuple[Card, ...] = ()
    dates: tuple[ImportantDate, ...] = ()
    notes: tuple[Note, ...] = ()
    named: bool = False  # the mailing name was set by the user, not generated
    greeting: str | None = None  # the household's own greeting line, used as written (None: generated)

    @property
    def living(self) -> tuple[Person, ...]:
        return tuple(p for p in self.members if p.status != "deceased")

    @property
    def country(self) -> str | None:
        return self.address.country if self.address else None


# ---------------------------------------------------------------- names


def is_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def split_name(name: str) -> tuple[str | None, str | None]:
    """A best guess at (given, family) for a display name; the user can correct it with `edit`."""
    parts = name.split()
    if len(parts) < 2:
        return (parts[0] if parts else None), None
    if is_cjk(name):
        return " ".join(parts[1:]), parts[0]  # 山田 太郎: family name first
    return " ".join(parts[:-1]), parts[-1]


def generated_mailing_name(members: Sequence[Person]) -> str:
    """The name on the envelope, from the living members in household order.

    One person: their name. Two: "Ada & Ben Okafor" when they share a family name, else
    "Sam Lee & Priya Nair". Three or more sharing a family name: "The Okafor Family".
    """
    living = [m for m in members if m.status != "deceased"] or list(members)
    if not living:
        return ""
    if len(living) == 1:
        return living[0].name
    families = {m.family_name for m in living}
    first, second = living[0], living[1]
    family = first.family_name
    if len(living) == 2:
        if family and families == {family} and not is_cjk(family):
            return f"{first.given_name or first.name} & {second.given_name or second.name} {family}"
        return f"{first.name} & {second.name}"
    if family and families == {family}:
        return f"The {family} Family"
    return f"{first.name} & {second.name} and family"
