"""Who gets no card, and why: the one rule that plan, selection (labels, envelopes, drafts),
reminders, the calendar and doctor share.

A household gets no card when it is do-not-send, when everyone in it has died, when every living
member is do-not-send, or when the user has lost touch. A person gets no card of their own when
they (or their household) are do-not-send, and someone who has died is never celebrated (no
birthday or anniversary; a memorial is still remembered).

Pure functions of the model (or, for the reminder query's rows, of the same three values).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `remind` asks `person_excluded` only: it need not build the model's classes
    from cardkeep.model import Household

# The reasons, as the plan, labels, envelopes and drafts show them.
HOUSEHOLD_DO_NOT_SEND = "household is do-not-send"
DO_NOT_SEND = "do-not-send"  # every living member is
EVERYONE_DECEASED = "everyone deceased"
LOST_TOUCH = "lost touch"

# Kinds of date that celebrate a person: not for someone who has died.
CELEBRATIONS = frozenset({"birthday", "anniversary"})


def reasons_not(household: Household) -> list[str]:
    """Every reason `household` gets no card, in the order they are shown ([] when it gets one)."""
    reasons = []
    living = [m for m in household.members if m.status != "deceased"]
    if household.status == "do-not-send":
        reasons.append(HOUSEHOLD_DO_NOT_SEND)
    elif living and all(m.status == "do-not-send" for m in living):
        reasons.append(DO_NOT_SEND)
    if household.members and not living:
        reasons.append(EVERYONE_DECEASED)
    if household.status == "lost-touch":
        reasons.append(LOST_TOUCH)
    return reasons


def why_not(household: Household) -> str | None:
    """The first reason `household` gets no card, or None when it gets one."""
    reasons = reasons_not(household)
    return reasons[0] if reasons else None


def person_excluded(status: str | None, household_status: str | None, kind: str | None = None) -> str | None:
    """Why a person (with `status`, in a household with `household_status`) gets no card for a date
    of `kind` (None: any card at all), or None when they do."""
    if household_status == "do-not-send":
        return HOUSEHOLD_DO_NOT_SEND
    if status == "do-not-send":
        return DO_NOT_SEND
    if status == "deceased" and (kind is None or kind in CELEBRATIONS):
        return "deceased"
    return None
