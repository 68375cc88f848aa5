"""Who labels and envelopes are for, and what is printed for each: library calls under
`cardkeep labels` and `cardkeep envelopes` (the CLI parses options, calls these, prints).

    chosen = choose_recipients(db, who=["Rosa"], today=today)      # or tag="friends", plan=True
    mailing = address_recipients(db, chosen.recipients, sender)      # lines in each destination's format
    mailing.home, mailing.home_inferred                              # the country left off the labels

Nothing here prints or reads the clock. The rules come from the features: who gets no card from
`cardkeep.plan.selection.resolve`, the home country from `cardkeep.settings.home_country` over the whole book, as `plan` has it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cardkeep.errors import CardkeepError, UsageError
from cardkeep.plan import selection
from cardkeep.plan.selection import Recipient, Selection
from cardkeep.store.db import Database

__all__ = ["Addressed", "Mailing", "Recipient", "Selection", "address_recipients", "choose_recipients",
           "envelope_items", "home_country", "label_items", "missing_glyphs"]


@dataclass(frozen=True)
class Addressed:
    """One recipient and the lines to print for them, in the destination country's format."""

    who: str  # the mailing name, as problems are reported
    lines: tuple[str, ...]
    country: str | None  # the destination (ISO code), as stored
    recipient: Recipient
    keep: tuple[int, ...] = ()  # the postal-code line: broken only when nothing else fits
    fallback: tuple[str, ...] = ()  # the lines with a US unit above the street line, for when it does not fit


@dataclass(frozen=True)
class Mailing:
    addressed: tuple[Addressed, ...]
    home: str | None  # the sender's country: no country line on mail to it
    home_inferred: bool = False  # no [sender] country: `home` is the most common destination
    language: str = "en"  # for country names


def choose_recipients(
    db: Database,
    *,
    who: Sequence[str] | None = None,
    tag: str | None = None,
    plan: bool = False,
    today: dt.date,
    sort: str = "plan",
    include_returned: bool = False,
) -> Selection:
    """The recipients (and the skipped, with the reason) for names, `tag`, `plan` or this year's plan.

    With `plan`, a single 4-digit name is the plan's year. With neither names, `tag` nor `plan`,
    the saved plan of `today`'s year is used. `sort`: "plan" (the order asked for: the mailing
    order for a plan), "name" or "postal-code". UsageError for options that do not go together;
    CardkeepError when there is no saved plan, nobody has the tag, or the plan is empty. A
    household whose address came back (and was not verified since) is skipped, and named, unless
    `include_returned`; so is one whose address has no known country (an import that could not
    tell): the post needs it, and guessing could send a card abroad to the wrong place.
    """
    from cardkeep.printing.labels import sort_key

    key = sort_key(sort)  # an unknown --sort is an error before anything is read
    names = list(who or [])
    year = today.year
    if plan and len(names) == 1 and re.fullmatch(r"\d{4}", names[0]):
        year, names = int(names[0]), []
    elif plan and tag is None and names:
        raise UsageError(f"--plan takes one YEAR such as {year}, not {' '.join(names)!r}")
    elif plan and (names or tag is not None):
        raise UsageError("choose one of --plan [YEAR], --tag or names")
    if names or tag is not None:
        ids = selection.select_household_ids(db, who=names or None, tag=tag)
    else:
        from cardkeep.plan import batch

        saved = batch.saved_household_ids(db, year)
        if saved is None:
            how = "" if plan else ", or name the recipients, or use --tag T"
            raise CardkeepError(f"no saved plan for {year}: run `cardkeep plan --year {year} --save` first{how}")
        ids = saved
    if not ids:
        raise CardkeepError(f"nobody is tagged {tag!r}" if tag is not None else f"the saved plan for {year} is empty")
    chosen = _without_unknown_country(selection.resolve(db, ids, history=False))  # who and where only
    if not include_returned:
        chosen = _without_returned(chosen)
    if sort != "plan":
        chosen = Selection(sorted(chosen.recipients, key=key), chosen.skipped)
    return chosen


def _without_unknown_country(chosen: Selection) -> Selection:
    """Move households whose address has the unknown country (`countries.UNKNOWN`) to the skipped."""
    from cardkeep.countries import UNKNOWN

    kept, skipped = [], list(chosen.skipped)
    for r in chosen.recipients:
        address = r.household.address if r.household else None
        if address is not None and (address.country or "").upper() == UNKNOWN:
            skipped.append((r.mailing_name, "the address has no country: check it (`cardkeep edit NAME --country CC`)"))
        else:
            kept.append(r)
    return Selection(kept, skipped)


def _without_returned(chosen: Selection) -> Selection:
    """Move households whose current address came back to the skipped, with the reason."""
    kept, skipped = [], list(chosen.skipped)
    for r in chosen.recipients:
        address = r.household.address if r.household else None
        came_back = address.returned_on if address else None
        if came_back and not (address.verified_on and address.verified_on >= came_back):
            skipped.append((r.mailing_name, f"the address came back on {came_back.isoformat()}: check it "
                                             "(`cardkeep verify` or `cardkeep move`), or use --include-returned"))
        else:
            kept.append(r)
    return Selection(kept, skipped)


def home_country(db: Any, sender: dict[str, Any]) -> tuple[str | None, bool]:
    """(home country, inferred): the one rule (`cardkeep.settings.home_country`) over the whole
    book, as `plan` and `remind` use it; a `[sender] country` must also be a code we can address."""
    from cardkeep.plan.mailing import book_home
    from cardkeep.printing.addressing import normalize_country
    from cardkeep.settings import load_settings

    if sender.get("country"):
        normalize_country(sender["country"], what="config [sender] country")
    return book_home(db, load_settings())


def address_recipients(db: Any, recipients: Sequence[Recipient], sender: dict[str, Any]) -> Mailing:
    """Each recipient's address lines in its destination's format, and the home country used; with
    the postal-code line to keep whole and, for US mail with a unit, the lines with the unit above
    the street line (Publication 28's second choice, when the street line does not fit)."""
    from cardkeep.printing.addressing import USPS_COUNTRIES, format_address, postal_line, sender_language

    home, inferred = home_country(db, sender)
    language = sender_language(sender)
    addressed = []
    for r in recipients:
        address = r.address
        lines = format_address(r.mailing_name, address, home=home, language=language)
        fallback: tuple[str, ...] = ()
        if address.get("extended") and (address.get("country") or home or "").upper() in USPS_COUNTRIES:
            above = format_address(r.mailing_name, address, home=home, language=language, unit_above=True)
            fallback = tuple(above) if above != lines else ()
        keep = postal_line(lines, address.get("postal_code"))
        addressed.append(Addressed(r.mailing_name, tuple(lines), address.get("country"), r,
                                   () if keep is None else (keep,), fallback))
    return Mailing(tuple(addressed), home, inferred, language)


def label_items(mailing: Mailing) -> list[Any]:
    """`cardkeep.printing.labels.Label`s for the addressed recipients."""
    from cardkeep.printing.labels import Label

    return [Label(a.who, list(a.lines), a.keep, a.fallback) for a in mailing.addressed]


def envelope_items(mailing: Mailing, sender: dict[str, Any], *, return_address: bool = True) -> list[Any]:
    """`cardkeep.printing.envelopes.Envelope`s: each recipient, with the return address (which
    names the sender's country only on mail abroad) unless `return_address` is false."""
    from cardkeep.printing.addressing import return_address_lines
    from cardkeep.printing.envelopes import Envelope

    return [
        Envelope(a.who, list(a.lines), return_address_lines(sender, destination=a.country) if return_address else [],
                 a.keep, a.fallback)
        for a in mailing.addressed
    ]


def missing_glyphs(envelopes: Sequence[Any], fonts: Any) -> list[tuple[str, set[str]]]:
    """(who, characters) that no font has, per recipient and once for the return address."""
    out = []
    for env in envelopes:
        missing = set().union(*(fonts.missing(line) for line in env.recipient))
        if missing:
            out.append((env.who, missing))
    returns = {line for env in envelopes for line in env.sender}
    missing = set().union(*(fonts.missing(line) for line in returns))
    if missing:
        out.append(("your return address", missing))
    return out
