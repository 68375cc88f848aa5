"""Who a printing command is for: `--tag T`, names, or the saved plan's households.

Labels, envelopes and drafts share this, and the skip rules with it: households that get no card
(`cardkeep.plan.eligibility`: do-not-send, everyone deceased, lost touch) and households with no
current address are never printed; they come back as skipped, with the reason. Households are read
through the one bulk loader (`cardkeep.store.load.load_households`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cardkeep.errors import CardkeepError
from cardkeep.model import Household, Person
from cardkeep.plan import eligibility
from cardkeep.store import book
from cardkeep.store.db import Database
from cardkeep.store.load import load_households

NO_ADDRESS = "no current address"


@dataclass
class Recipient:
    household_id: int
    mailing_name: str
    address: dict[str, Any]  # the current address's postal fields (`model.Address.fields()`)
    members: list[Person]  # living members who may be written to, in household order
    household: Household | None = None  # everything the loader read about it


@dataclass
class Selection:
    recipients: list[Recipient] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)


def select_household_ids(db: Database, *, who: list[str] | None = None, tag: str | None = None) -> list[int]:
    """Household ids in the order asked for: tag order, or as named (default: every household)."""
    if who and tag is not None:
        raise CardkeepError("choose one of --plan, --tag or names")
    if who:
        ids: list[int] = []
        for name in who:
            household_id = book.resolve_household(db, name)
            if household_id not in ids:
                ids.append(household_id)
        return ids
    if tag is not None:
        return book.households_with_tag(db, tag)
    return book.household_ids(db)


def resolve(db: Database, household_ids: list[int], *, history: bool = True) -> Selection:
    """Recipients with a current address, in the order given; everyone else skipped with a reason
    a person understands. One bulk load whatever the number of households. Without `history`, the
    households come without cards, notes and dates (labels and envelopes print who and where)."""
    houses = {h.id: h for h in load_households(db, sorted(set(household_ids)), history=history, dates=history)}
    selection = Selection()
    for household_id in household_ids:
        house = houses[household_id]
        why = eligibility.why_not(house) or (NO_ADDRESS if house.address is None else None)
        if why:
            selection.skipped.append((house.mailing_name, why))
            continue
        reachable = [p for p in house.living if not eligibility.person_excluded(p.status, house.status)]
        selection.recipients.append(
            Recipient(household_id, house.mailing_name, house.address.fields(), reachable, house)
        )
    return selection
