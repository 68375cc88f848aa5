"""Who a printing command is for: `--plan [YEAR]`, `--tag T`, or names.

Labels, envelopes and drafts share this, and the skip rules with it: deceased, do-not-send and
households with no current address are never printed; they come back as skipped, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cardkeep.errors import CardkeepError
from cardkeep.store import book
from cardkeep.store.db import Database


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
    from cardkeep.plan import rules as planning

    ids = planning.saved_household_ids(db, year)
    if ids is None:
        raise CardkeepError(f"no saved plan for {year}: run `cardkeep plan --year {year} --save` first")
    return ids


def resolve(db: Database, household_ids: list[int]) -> Selection:
    """Recipients with a current address; everyone else skipped with a reason a person understands.

    Three queries whatever the number of households: printing 3,000 labels must not wait on 12,000.
    """
    import json

    wanted = json.dumps(household_ids)
    houses = {
        row["id"]: row
        for row in db.query("select id, status, mailing_name from households where id in (select value from json_each(?))",
                            [wanted])
    }
    people: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
        "select * from contacts where household_id in (select value from json_each(?)) order by id", [wanted]
    ):
        people.setdefault(row["household_id"], []).append(row)
    addresses: dict[int, dict[str, Any]] = {}
    for row in db.query(
        """select * from addresses where valid_to is null
           and household_id in (select value from json_each(?)) order by id""",
        [wanted],
    ):
        addresses[row["household_id"]] = row  # the newest current one wins, as in book.current_address

    selection = Selection()
    for household_id in household_ids:
        house = houses[household_id]
        members = people.get(household_id, [])
        name = house["mailing_name"] or book.generated_mailing_name(members)
        living = [p for p in members if p["status"] != "deceased"]
        reachable = [p for p in living if p["status"] != "do-not-send"]
        if house["status"] == "do-not-send":
            selection.skipped.append((name, "household is do-not-send"))
        elif house["status"] == "lost-touch":
            selection.skipped.append((name, "lost touch"))
        elif not living:
            selection.skipped.append((name, "everyone in it has died"))
        elif not reachable:
            selection.skipped.append((name, "do-not-send"))
        elif household_id not in addresses:
            selection.skipped.append((name, "no current address"))
        else:
            selection.recipients.append(Recipient(household_id, name, addresses[household_id], reachable))
    return selection
