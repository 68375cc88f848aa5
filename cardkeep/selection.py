"""Who a printing command is for: `--plan [YEAR]`, `--tag T`, or names.

Labels, envelopes and drafts share this, and the skip rules with it: deceased, do-not-send and
households with no current address are never printed; they come back as skipped, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cardkeep import book
from cardkeep.db import Database
from cardkeep.errors import CardkeepError


@dataclass
class Recipient:
    household_id: int
    mailing_name: str
    address: dict[str, Any]
    members: list[dict[str, Any]]  # living members, in household order


@dataclass
class Selection:
    recipients: list[Recipient] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)


def select_household_ids(
    db: Database, *, who: list[str] | None = None, tag: str | None = None, plan_year: int | None = None
) -> list[int]:
    """Household ids in the order asked for: the plan's mailing order, tag order, or as named."""
    given = [bool(who), tag is not None, plan_year is not None]
    if sum(given) > 1:
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
    if plan_year is not None:
        return plan_household_ids(db, plan_year)
    return book.household_ids(db)


def plan_household_ids(db: Database, year: int) -> list[int]:
    """The saved plan's households for `year`, in mailing order (filled in by the plan module)."""
    from cardkeep import planning

    ids = planning.saved_household_ids(db, year)
    if ids is None:
        raise CardkeepError(f"no saved plan for {year}: run `cardkeep plan --year {year} --save` first")
    return ids


def resolve(db: Database, household_ids: list[int]) -> Selection:
    """Recipients with a current address; everyone else skipped with a reason a person understands."""
    selection = Selection()
    for household_id in household_ids:
        house = db.execute("select status from households where id = ?", [household_id]).fetchone()
        people = book.members(db, household_id)
        name = book.mailing_name(db, household_id)
        living = [p for p in people if p["status"] != "deceased"]
        reachable = [p for p in living if p["status"] != "do-not-send"]
        if house[0] == "do-not-send":
            selection.skipped.append((name, "household is do-not-send"))
        elif house[0] == "lost-touch":
            selection.skipped.append((name, "lost touch"))
        elif not living:
            selection.skipped.append((name, "everyone in it has died"))
        elif not reachable:
            selection.skipped.append((name, "do-not-send"))
        else:
            address = book.current_address(db, household_id)
            if address is None:
                selection.skipped.append((name, "no current address"))
            else:
                selection.recipients.append(Recipient(household_id, name, address, reachable))
    return selection
