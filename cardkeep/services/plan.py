"""The yearly plan as library calls; the CLI (`cardkeep.cli.plan`) parses, calls these, prints.

    settings = load_settings(config)                                # cardkeep.settings: checked once
    the_plan = make_plan(db, year=2026, today=today, settings=settings)
    result = save_plan(db, the_plan, today=today)                   # the saved batch, in one transaction

`make_plan` reads the book through the one bulk loader and runs the rules
(`cardkeep.plan.rules`); nothing here prints or reads the clock.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cardkeep.model import check_occasion
from cardkeep.plan import rules
from cardkeep.plan.rules import Plan
from cardkeep.settings import Settings, load_settings
from cardkeep.store.db import Database
from cardkeep.store.load import load_households

if TYPE_CHECKING:
    from cardkeep.plan.batch import SaveResult

__all__ = ["Plan", "make_plan", "save_plan"]

# The plan reads notes this recent (news for the rules about babies and the like).
NOTES_YEARS = 2


def make_plan(
    db: Database,
    *,
    year: int,
    today: dt.date,
    settings: Settings | None = None,
    occasion: str = "holiday",
    design: str | None = None,
) -> Plan:
    """Who gets a card of `occasion` in `year`, and why, for the whole book, in mailing order.
    `settings` default to the config file's."""
    check_occasion(occasion)
    settings = settings or load_settings()
    houses = load_households(db, notes_since=dt.date(year - NOTES_YEARS, 1, 1))
    return rules.plan(houses, year=year, today=today, settings=settings, occasion=occasion, design=design)


def save_plan(db: Database, plan: Plan, *, today: dt.date, include_consider: bool = False,
              design: str | None = None) -> SaveResult:
    """Record `plan` as its year's batch (one transaction); saving again refreshes it, keeping progress."""
    from cardkeep.plan import batch  # only a save needs it: `plan` alone stays light

    return batch.save(db, plan, today=today, include_consider=include_consider, design=design)
