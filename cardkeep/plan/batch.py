"""The saved plan: this year's batch of cards, from planned to mailed.

`plan --save` records the batch (one per year and occasion). Each card then moves through

    planned -> written -> signed -> addressed -> stamped -> mailed

`mark()` moves cards forward any number of steps, or back to undo a slip, with two hard rules: a
mailed card stays mailed (it is in the history), and a card cannot pass `signed` (to addressed,
stamped or mailed) without being signed by hand, unless the caller says `typeset` on purpose.
Marking mailed records the card as sent in the history, with the batch's design and message.

Reminders: `due()` lists cards not yet mailed whose mail-by date has come; a batch stops
reminding two weeks after its arrive-by date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cardkeep import model
from cardkeep.errors import CardkeepError, NotFound, UsageError
from cardkeep.plan import mailing
from cardkeep.plan.rules import Decision, Plan, Season, decide, mailing_order_key
from cardkeep.settings import Settings, load_settings
from cardkeep.store import book
from cardkeep.store.db import Database, transaction
from cardkeep.store.load import load_households

STATES = model.CARD_STATES
_INDEX = {state: i for i, state in enumerate(STATES)}
SIGNED = _INDEX["signed"]
REMIND_AFTER_TARGET = dt.timedelta(days=14)


def _order(item: dict[str, Any]) -> tuple:
    return mailing_order_key(bool(item["international"]), dt.date.fromisoformat(item["mail_by"]),
                             item["mailing_name"])


def get_batch(db: Database, year: int, occasion: str = "holiday") -> dict[str, Any] | None:
    rows = list(db.query("select * from batches where year = ? and occasion = ?", [year, occasion]))
    return rows[0] if rows else None


def require_batch(db: Database, year: int, occasion: str = "holiday") -> dict[str, Any]:
    found = get_batch(db, year, occasion)
    if found is None:
        what = "" if occasion == "holiday" else f" {occasion}"
        flag = "" if occasion == "holiday" else f" --occasion {occasion}"
        last = get_batch(db, year - 1, occasion)
        left = last and db.execute("select count(*) from batch_cards where batch_id = ? and state != 'mailed'",
                                   [last["id"]]).fetchone()[0]
        # Early in the new year, last season's late cards may be the ones meant.
        cards = f"{left} card{'s' if left != 1 else ''}"
        also = f" (or add --year {year - 1} for the {cards} of {year - 1} not yet mailed)" if left else ""
        raise CardkeepError(
            f"no saved{what} plan for {year}: run `cardkeep plan --year {year}{flag} --save` first{also}"
        )
    return found


def items(db: Database, year: int, occasion: str = "holiday") -> list[dict[str, Any]]:
    """The batch's cards in mailing order (international first, then mail-by date, then name)."""
    found = get_batch(db, year, occasion)
    if found is None:
        return []
    rows = list(db.query("select * from batch_cards where batch_id = ?", [found["id"]]))
    return sorted(rows, key=_order)


def saved_household_ids(db: Database, year: int, occasion: str = "holiday") -> list[int] | None:
    """The saved batch's household ids in mailing order; None when no plan was saved for `year`."""
    if get_batch(db, year, occasion) is None:
        return None
    return [row["household_id"] for row in items(db, year, occasion)]


# ---------------------------------------------------------------- saving the plan


@dataclass
class SaveResult:
    added: list[str]
    kept: list[str]  # already in the batch (their progress is kept)
    removed: list[str]  # cards still only planned that the plan now skips
    left_out: list[str]  # households to consider, not in the batch
    total: int = 0
    resaved: bool = False  # the batch existed: this save refreshed it


def save(db: Database, plan: Plan, *, today: dt.date, include_consider: bool = False,
         design: str | None = None) -> SaveResult:
    """Record `plan` (a `cardkeep.plan.rules.Plan`) as the batch for its year: the households to send to (and
    to consider, with `include_consider`). Saving again refreshes it: new households join, every
    card keeps its state, and a card still only planned is dropped when the plan now skips it
    (do-not-send, deceased, already sent). Nothing added by hand is dropped otherwise."""
    wanted = {"send", "consider"} if include_consider else {"send"}
    chosen = [d for d in plan.decisions if d.decision in wanted]
    result = SaveResult([], [], [], [])
    with transaction(db):
        found = get_batch(db, plan.year, plan.occasion)
        if found is None:
            batch_id = db.execute(
                "insert into batches (year, occasion, arrive_by, design, saved) values (?, ?, ?, ?, ?)",
                [plan.year, plan.occasion, plan.arrive_by.isoformat(), design, today.isoformat()],
            ).lastrowid
            existing: dict[int, dict[str, Any]] = {}
        else:
            batch_id = found["id"]
            result.resaved = True
            db.execute(
                "update batches set arrive_by = ?, design = coalesce(?, design), saved = ? where id = ?",
                [plan.arrive_by.isoformat(), design, today.isoformat(), batch_id],
            )
            existing = {r["household_id"]: r for r in db.query("select * from batch_cards where batch_id = ?",
                                                               [batch_id])}
        result.left_out = [d.mailing_name for d in plan.decisions
                           if d.decision == "consider" and d.household_id not in existing and not include_consider]
        for d in chosen:
            # No address yet (a "consider"): the target date stands in until the plan knows better.
            values = [d.mailing_name, d.country, int(d.international), (d.mail_by or plan.arrive_by).isoformat()]
            if d.household_id in existing:
                db.execute(
                    "update batch_cards set mailing_name = ?, country = ?, international = ?, mail_by = ? "
                    "where id = ?",
                    [*values, existing[d.household_id]["id"]],
                )
                result.kept.append(d.mailing_name)
            else:
                db.execute(
                    "insert into batch_cards (batch_id, household_id, mailing_name, country, international, mail_by, "
                    "updated) values (?, ?, ?, ?, ?, ?, ?)",
                    [batch_id, d.household_id, *values, today.isoformat()],
                )
                result.added.append(d.mailing_name)
        skipped = {d.household_id for d in plan.decisions if d.decision == "skip"}
        for household_id, row in existing.items():
            if household_id in skipped and row["state"] == "planned":
                db.execute("delete from batch_cards where id = ?", [row["id"]])
                result.removed.append(row["mailing_name"])
        result.total = db.execute("select count(*) from batch_cards where batch_id = ?", [batch_id]).fetchone()[0]
    return result


# ---------------------------------------------------------------- moving cards along


@dataclass(frozen=True)
class Change:
    household_id: int
    mailing_name: str
    before: str | None  # None: added to the batch
    after: str

    def to_json(self) -> dict[str, Any]:
        return {"household": book.hid(self.household_id), "mailing_name": self.mailing_name,
                "from": self.before, "to": self.after}


def state_of(db: Database, household_id: int, *, year: int, occasion: str = "holiday") -> str | None:
    """Where a household's card stands in the saved batch, or None when it is not in it."""
    row = db.execute(
        "select c.state from batch_cards c join batches b on b.id = c.batch_id "
        "where b.year = ? and b.occasion = ? and c.household_id = ?", [year, occasion, household_id]).fetchone()
    return row[0] if row else None


def check_state(state: str) -> str:
    if state not in STATES:
        raise UsageError(f"state: {state!r} is not one of {', '.join(STATES)}")
    return state


def _illegal(row: dict[str, Any], state: str, typeset: bool, unmail: bool = False) -> str | None:
    """Why `row` cannot move to `state` ("mailed" or "unsigned"); None when it can."""
    now, then = _INDEX[row["state"]], _INDEX[state]
    if row["state"] == "mailed" and state != "mailed" and not unmail:
        return "mailed"
    if then > SIGNED and now < SIGNED and not typeset and not row["typeset"]:
        return "unsigned"
    return None


def _names(rows: list[dict[str, Any]], limit: int = 8) -> str:
    shown = ", ".join(f"{book.hid(r['household_id'])} {r['mailing_name']}" for r in rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


def _refusal(problems: dict[str, list[dict[str, Any]]], state: str) -> str:
    parts = []
    if problems.get("unsigned"):
        rows = problems["unsigned"]
        many = len(rows) > 1
        parts.append(
            f"{_names(rows)} {'are' if many else 'is'} not signed by hand yet: mark {'them' if many else 'it'} "
            f"signed first, or say --typeset to send {'them' if many else 'it'} {state} unsigned on purpose"
        )
    if problems.get("mailed"):
        rows = problems["mailed"]
        parts.append(f"{_names(rows)} {'are' if len(rows) > 1 else 'is'} already mailed: to step "
                     f"{'them' if len(rows) > 1 else 'it'} back (the card was not mailed after all), add --unmail")
    if problems.get("skip"):
        parts.append("; ".join(f"{r['mailing_name']} is not sent a card ({r['why']})" for r in problems["skip"]))
    return f"cannot mark {state}: " + "; ".join(parts)


def mark(
    db: Database,
    household_ids: list[int] | None,
    state: str,
    *,
    year: int,
    on: dt.date,
    occasion: str = "holiday",
    typeset: bool = False,
    design: str | None = None,
    message: str | None = None,
    settings: Settings | None = None,
    unmail: bool = False,
) -> list[Change]:
    """Move the named households' cards (or, with `household_ids=None`, every card in the batch) to
    `state`. All or nothing: if any move is illegal, nothing changes and the error lists them all.
    `settings` (default: the config's) decide a household added by hand, as `plan` would.

    Naming a household that is not in the batch with state `planned` adds it. With every card
    (`None`), cards already at or past `state` are left where they are. A mailed card steps back
    only with `unmail` (it was not mailed after all): the sent card it recorded is removed."""
    check_state(state)
    if typeset and state == "signed":
        raise UsageError("--typeset means the card is not signed by hand; it cannot be marked signed")
    with transaction(db):  # read and write under one lock: two `mark`s at once cannot cross
        return _mark(db, household_ids, state, year=year, on=on, occasion=occasion, typeset=typeset,
                     design=design, message=message, settings=settings, unmail=unmail)


def _mark(db: Database, household_ids: list[int] | None, state: str, *, year: int, on: dt.date, occasion: str,
          typeset: bool, design: str | None, message: str | None, settings: Settings | None,
          unmail: bool = False) -> list[Change]:
    found = require_batch(db, year, occasion)
    rows = {r["household_id"]: r for r in db.query("select * from batch_cards where batch_id = ?", [found["id"]])}
    if household_ids is None:
        targets = [r for r in sorted(rows.values(), key=_order) if _INDEX[r["state"]] < _INDEX[state]]
        to_add: list[int] = []
    else:
        targets, to_add, missing = [], [], []
        for household_id in dict.fromkeys(household_ids):
            if household_id in rows:
                targets.append(rows[household_id])
            elif state == "planned":
                to_add.append(household_id)
            else:
                missing.append(f"{book.hid(household_id)} {book.mailing_name(db, household_id)}")
        if missing:
            first = missing[0].split()[0]
            raise NotFound(
                f"not in the {year} {occasion} batch: {'; '.join(missing)} "
                f"(add with `cardkeep mark {first} planned`)"
            )
    problems: dict[str, list[dict[str, Any]]] = {}
    for row in targets:
        why = _illegal(row, state, typeset, unmail)
        if why:
            problems.setdefault(why, []).append(row)
    if to_add and settings is None:
        settings = load_settings()
    additions = [_plan_one(db, household_id, year=year, occasion=occasion, today=on, settings=settings)
                 for household_id in to_add]
    for d in additions:
        if d.decision == "skip":
            problems.setdefault("skip", []).append(
                {"household_id": d.household_id, "mailing_name": d.mailing_name, "why": "; ".join(d.reasons)}
            )
    if problems:
        raise CardkeepError(_refusal(problems, state))
    changes: list[Change] = []
    for d in additions:
        db.execute(
            "insert into batch_cards (batch_id, household_id, mailing_name, country, international, mail_by, "
            "design, message, updated) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [found["id"], d.household_id, d.mailing_name, d.country, int(d.international),
             (d.mail_by or _arrive_by(found)).isoformat(), design, message, on.isoformat()],
        )
        changes.append(Change(d.household_id, d.mailing_name, None, "planned"))
    for row in targets:
        changes.append(_move(db, found, row, state, on=on, typeset=typeset, design=design, message=message))
    return changes


def _arrive_by(found: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(found["arrive_by"])


def _move(db: Database, found: dict[str, Any], row: dict[str, Any], state: str, *, on: dt.date, typeset: bool,
          design: str | None, message: str | None) -> Change:
    then = _INDEX[state]
    if then > SIGNED and _INDEX[row["state"]] < SIGNED:
        flag = 1  # passed `signed` without signing: typeset, on purpose (checked above)
    elif then < SIGNED or state == "signed":
        flag = 0
    else:
        flag = row["typeset"]
    design = design or row["design"]
    message = message or row["message"]
    card_id = row["card_id"]
    if state == "mailed" and row["state"] != "mailed":
        card_id = _record_mailed(db, found, row, on=on, typeset=bool(flag), design=design, message=message)
    elif row["state"] == "mailed" and state != "mailed":  # stepped back (--unmail): it was never sent
        if card_id is not None:
            db.execute("delete from cards where id = ?", [card_id])
        card_id = None
    db.execute(
        "update batch_cards set state = ?, typeset = ?, design = ?, message = ?, updated = ?, card_id = ? "
        "where id = ?",
        [state, flag, design, message, on.isoformat(), card_id, row["id"]],
    )
    return Change(row["household_id"], row["mailing_name"], row["state"], state)


def _record_mailed(db: Database, found: dict[str, Any], row: dict[str, Any], *, on: dt.date, typeset: bool,
                   design: str | None, message: str | None) -> int:
    """The sent card in the history: the one already recorded for this year, or a new one."""
    existing = db.execute(
        "select id from cards where household_id = ? and year = ? and occasion = ? and direction = 'sent' "
        "order by id limit 1",
        [row["household_id"], found["year"], found["occasion"]],
    ).fetchone()
    if existing:
        return existing[0]
    return db.execute(
        """insert into cards (household_id, year, occasion, direction, date, design, message, signed_by_hand)
           values (?, ?, ?, 'sent', ?, ?, ?, ?)""",
        [row["household_id"], found["year"], found["occasion"], on.isoformat(), design or found["design"], message,
         0 if typeset else 1],
    ).lastrowid


def card_recorded(db: Database, household_id: int, *, year: int, occasion: str, card_id: int,
                  on: dt.date | None) -> None:
    """A card sent by hand (`cardkeep sent`) that the batch holds is mailed: keep the two in step."""
    found = get_batch(db, year, occasion)
    if found is None:
        return
    db.execute(
        "update batch_cards set state = 'mailed', card_id = ?, updated = coalesce(?, updated) "
        "where batch_id = ? and household_id = ? and state != 'mailed'",
        [card_id, on.isoformat() if on else None, found["id"], household_id],
    )


def _plan_one(db: Database, household_id: int, *, year: int, occasion: str, today: dt.date,
              settings: Settings) -> Decision:
    """The plan's decision for one household (to add it to the batch by hand), with the same home
    country as `plan` (`mailing.book_home`)."""
    houses = load_households(db, [household_id], notes_since=dt.date(year - 2, 1, 1))
    if not houses:
        raise NotFound(f"no household with id {book.hid(household_id)}")
    home, _ = mailing.book_home(db, settings)
    return decide(houses[0], Season.of(settings, year, occasion, home), today=today)


# ---------------------------------------------------------------- where the batch stands


def progress(db: Database, year: int, *, today: dt.date, occasion: str = "holiday") -> dict[str, Any]:
    """Counts by state, the cards not yet signed by hand, and who is left, most urgent first."""
    found = require_batch(db, year, occasion)
    rows = items(db, year, occasion)
    counts = {state: 0 for state in STATES}
    for r in rows:
        counts[r["state"]] += 1

    def entry(r: dict[str, Any]) -> dict[str, Any]:
        return {
            "household": book.hid(r["household_id"]),
            "mailing_name": r["mailing_name"],
            "state": r["state"],
            "mail_by": r["mail_by"],
            "country": r["country"],
            "international": bool(r["international"]),
            "typeset": bool(r["typeset"]),
            "overdue": r["mail_by"] < today.isoformat(),
        }

    left = sorted((r for r in rows if r["state"] != "mailed"),
                  key=lambda r: (r["mail_by"], not r["international"], r["mailing_name"].casefold()))
    return {
        "year": year,
        "occasion": occasion,
        "arrive_by": found["arrive_by"],
        "total": len(rows),
        "counts": counts,
        "mailed": counts["mailed"],
        "typeset": sum(1 for r in rows if r["typeset"]),
        "unsigned": [entry(r) for r in left if _INDEX[r["state"]] < SIGNED and not r["typeset"]],
        "left": [entry(r) for r in left],
    }


def due(db: Database, *, today: dt.date, until: dt.date) -> list[dict[str, Any]]:
    """Cards in saved batches, not yet mailed, to mail by `until` (most urgent first). Batches whose
    arrive-by date is more than two weeks past are over and stay quiet."""
    rows = db.query(
        """select bc.household_id, bc.mailing_name, bc.mail_by, bc.state, bc.country, bc.international
           from batch_cards bc join batches b on b.id = bc.batch_id
           where bc.state != 'mailed' and bc.mail_by <= ? and b.arrive_by >= ?""",
        [until.isoformat(), (today - REMIND_AFTER_TARGET).isoformat()],
    )
    result = [
        {
            "household": book.hid(r["household_id"]),
            "mailing_name": r["mailing_name"],
            "mail_by": dt.date.fromisoformat(r["mail_by"]),
            "state": r["state"],
            "country": r["country"],
        }
        for r in rows
    ]
    return sorted(result, key=lambda r: (r["mail_by"], r["mailing_name"].casefold()))
