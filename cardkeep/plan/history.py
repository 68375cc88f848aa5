"""Card history: cards sent and received, year by year, and the plain data the planner reads.

`record_sent` and `record_received` write one card each (news on a received card also becomes a
dated note on the person, so next year's draft can mention it); a card sent that the saved batch
holds becomes mailed there (`cardkeep.plan.batch`). `household_history` gives one household's
years, designs and how often they wrote back; `overview` every household's, in two queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from cardkeep import model
from cardkeep.errors import CardkeepError, InvalidInput, NotFound, UsageError
from cardkeep.model import check_occasion as check_occasion
from cardkeep.plan import batch
from cardkeep.store import book
from cardkeep.store.db import Database, transaction


def _check_year(year: int) -> int:
    if not 1900 <= year <= 9999:
        raise InvalidInput(f"year: {year} is not a year")
    return year


def _existing(db: Database, household_id: int, year: int, occasion: str, direction: str) -> dict[str, Any] | None:
    rows = list(
        db.query(
            "select * from cards where household_id = ? and year = ? and occasion = ? and direction = ? "
            "order by id limit 1",
            [household_id, year, occasion, direction],
        )
    )
    return rows[0] if rows else None


def record_sent(
    db: Database,
    household_id: int,
    *,
    year: int,
    occasion: str = "holiday",
    on: dt.date | None = None,
    design: str | None = None,
    message: str | None = None,
    signed_by_hand: bool | None = None,
    contact_id: int | None = None,
) -> int:
    """Record a card sent to a household; returns the card id.

    A holiday (birthday, anniversary) card goes once a year: a second one for the same year is an
    error naming the first. If the year's saved batch holds this household, its card becomes mailed.
    """
    check_occasion(occasion)
    _check_year(year)
    with transaction(db):
        name = book.mailing_name(db, household_id)  # NotFound for a missing household
        if occasion in model.YEARLY_OCCASIONS:
            earlier = _existing(db, household_id, year, occasion, "sent")
            if earlier:
                when = f" on {earlier['date']}" if earlier["date"] else ""
                raise CardkeepError(
                    f"a {year} {occasion} card to {book.hid(household_id)} {name} is already recorded{when}"
                )
        card_id = db.execute(
            """insert into cards (household_id, contact_id, year, occasion, direction, date, design, message,
                   signed_by_hand) values (?, ?, ?, ?, 'sent', ?, ?, ?, ?)""",
            [household_id, contact_id, year, occasion, on.isoformat() if on else None, _clean(design),
             _clean(message), None if signed_by_hand is None else int(signed_by_hand)],
        ).lastrowid
        batch.card_recorded(db, household_id, year=year, occasion=occasion, card_id=card_id, on=on)
    return card_id


def record_received(
    db: Database,
    household_id: int,
    *,
    year: int,
    occasion: str = "holiday",
    on: dt.date | None = None,
    news: str | None = None,
    contact_id: int | None = None,
) -> int:
    """Record a card that came from a household. Its news also becomes a note, dated the day it came,
    on the person who sent it (or the household's first living member)."""
    check_occasion(occasion)
    _check_year(year)
    people = book.members(db, household_id)
    if not people:
        raise NotFound(f"no household with id {book.hid(household_id)}")
    news = _clean(news)
    with transaction(db):
        if occasion in model.YEARLY_OCCASIONS and _existing(db, household_id, year, occasion, "received"):
            raise CardkeepError(f"a {year} {occasion} card from {book.hid(household_id)} "
                                f"{book.mailing_name(db, household_id)} is already recorded")
        card_id = db.execute(
            """insert into cards (household_id, contact_id, year, occasion, direction, date, news)
               values (?, ?, ?, ?, 'received', ?, ?)""",
            [household_id, contact_id, year, occasion, on.isoformat() if on else None, news],
        ).lastrowid
        if news:
            living = [p for p in people if p["status"] != "deceased"] or people
            author = contact_id if contact_id is not None else living[0]["id"]
            noted = on or dt.date(year, 12, 31)
            book.add_note(db, author, news, on=noted)
    return card_id


def _clean(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text or None


# ---------------------------------------------------------------- one household's history


def household_history(db: Database, household_id: int, *, occasion: str | None = None) -> dict[str, Any]:
    """Year by year, sent and received (with designs), first and last year, and how many years
    they sent one back. `occasion` limits it to one kind of card (default: all)."""
    name = book.mailing_name(db, household_id)
    sql = "select * from cards where household_id = ?"
    params: list[Any] = [household_id]
    if occasion:
        sql += " and occasion = ?"
        params.append(check_occasion(occasion))
    cards = list(db.query(sql + " order by year, coalesce(date, ''), id", params))
    years: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for c in cards:
        entry = years.setdefault(c["year"], {"sent": [], "received": []})
        item: dict[str, Any] = {"occasion": c["occasion"], "date": c["date"]}
        if c["direction"] == "sent":
            item |= {
                "design": c["design"],
                "message": c["message"],
                "signed_by_hand": None if c["signed_by_hand"] is None else bool(c["signed_by_hand"]),
                "returned": bool(c["returned"]),
            }
        else:
            item["news"] = c["news"]
        entry[c["direction"]].append(item)
    sent_years = sorted(y for y, e in years.items() if e["sent"])
    back_years = sorted(y for y, e in years.items() if e["received"])
    return {
        "household": book.hid(household_id),
        "mailing_name": name,
        "first_year": min(years) if years else None,
        "last_year": max(years) if years else None,
        "years_sent": len(sent_years),
        "years_sent_back": len(back_years),
        "designs": [
            {"year": y, "design": card["design"]}
            for y in sent_years
            for card in years[y]["sent"]
            if card["design"]
        ],
        "years": [{"year": y, **years[y]} for y in sorted(years)],
    }


MARKS = {"both": "↔", "sent": "→", "received": "←", "none": "·", "returned": "×"}
MARKS_LEGEND = "↔ cards both ways · → we sent · ← they sent · × came back · · none"


def marks(sent: Iterable[int], received: Iterable[int], first: int, last: int,
          returned: Iterable[int] = ()) -> str:
    """One character per year from `first` to `last`: the compact picture of a friendship."""
    sent, received, returned = set(sent), set(received), set(returned)
    out = []
    for year in range(first, last + 1):
        if year in returned:
            out.append(MARKS["returned"])
        elif year in sent and year in received:
            out.append(MARKS["both"])
        elif year in sent:
            out.append(MARKS["sent"])
        elif year in received:
            out.append(MARKS["received"])
        else:
            out.append(MARKS["none"])
    return "".join(out)


def overview(db: Database, *, occasion: str = "holiday") -> list[dict[str, Any]]:
    """Every household with cards of `occasion`: years sent, years back and designs, in two queries."""
    check_occasion(occasion)
    per: dict[int, dict[str, set[int]]] = defaultdict(lambda: {"sent": set(), "received": set(), "returned": set()})
    for household_id, year, direction, was_returned in db.execute(
        "select household_id, year, direction, returned from cards where occasion = ?", [occasion]
    ):
        per[household_id][direction].add(year)
        if was_returned:
            per[household_id]["returned"].add(year)
    names = _mailing_names(db)
    rows = []
    for household_id in sorted(per, key=lambda i: (book.fold(names.get(i, "")), i)):
        entry = per[household_id]
        years = entry["sent"] | entry["received"]
        rows.append({
            "household": book.hid(household_id),
            "mailing_name": names.get(household_id, ""),
            "first_year": min(years),
            "last_year": max(years),
            "years_sent": sorted(entry["sent"]),
            "years_received": sorted(entry["received"]),
            "years_returned": sorted(entry["returned"]),
        })
    return rows


# ---------------------------------------------------------------- names for the overview


def _mailing_names(db: Database, ids: list[int] | None = None) -> dict[int, str]:
    where, params = _where_ids("id", ids)
    stored = {row[0]: row[1] for row in db.execute(f"select id, mailing_name from households {where}", params)}
    where, params = _where_ids("household_id", ids)
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in db.query(
        f"select household_id, name, given_name, family_name, status from contacts {where} order by id", params
    ):
        members[row["household_id"]].append(row)
    return {i: name or book.generated_mailing_name(members.get(i, [])) for i, name in stored.items()}


def _where_ids(column: str, ids: list[int] | None, *, joiner: str = "where") -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    return f"{joiner} {column} in ({', '.join('?' * len(ids))})", list(ids)


# ---------------------------------------------------------------- fixing the record


def card_ref(card_id: int) -> str:
    return f"k{card_id}"


def parse_card_ref(text: str) -> int:
    """`k12` (or `12`) -> 12; UsageError otherwise."""
    value = text.strip().lower().removeprefix("k")
    if not value.isdigit():
        raise UsageError(f"{text!r} is not a card id such as k12 (see `cardkeep card list WHO`)")
    return int(value)


def get_card(db: Database, card_id: int) -> dict[str, Any]:
    rows = list(db.query("select * from cards where id = ?", [card_id]))
    if not rows:
        raise NotFound(f"no card with id {card_ref(card_id)} (see `cardkeep card list WHO`)")
    return rows[0]


def list_cards(db: Database, household_id: int) -> list[dict[str, Any]]:
    """Every card of a household, oldest first, with its id (`k12`) for `card edit` and `card rm`."""
    book.mailing_name(db, household_id)  # NotFound for an unknown household
    return [
        {"id": card_ref(c["id"]), "year": c["year"], "occasion": c["occasion"], "direction": c["direction"],
         "date": c["date"], "design": c["design"], "message": c["message"], "news": c["news"],
         "returned": bool(c["returned"])}
        for c in db.query("select * from cards where household_id = ? order by year, coalesce(date, ''), id",
                          [household_id])
    ]


CARD_FIELDS = ("year", "occasion", "date", "design", "message", "news", "returned")


def edit_card(db: Database, card_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change a recorded card's fields (None: leave as is; "" clears a text field). Returns the card
    as it was, so the same command can put it back."""
    card = get_card(db, card_id)
    updates = {k: v for k, v in changes.items() if v is not None}
    unknown = set(updates) - set(CARD_FIELDS)
    if unknown:
        raise UsageError(f"a card has no field {sorted(unknown)[0]!r}")
    if "occasion" in updates:
        check_occasion(updates["occasion"])
    if "year" in updates:
        _check_year(updates["year"])
    for key in ("design", "message", "news"):
        if key in updates:
            updates[key] = _clean(updates[key])
    if "date" in updates:
        updates["date"] = updates["date"].isoformat() if updates["date"] else None
    if "returned" in updates:
        updates["returned"] = int(bool(updates["returned"]))
    if not updates:
        raise UsageError("nothing to change: give --year, --occasion, --date, --design, --message, --news or --returned")
    year, occasion = updates.get("year", card["year"]), updates.get("occasion", card["occasion"])
    with transaction(db):
        if occasion in model.YEARLY_OCCASIONS and (year, occasion) != (card["year"], card["occasion"]):
            other = db.execute(
                "select id from cards where household_id = ? and year = ? and occasion = ? and direction = ? "
                "and id != ?", [card["household_id"], year, occasion, card["direction"], card_id]).fetchone()
            if other:
                raise CardkeepError(f"the {year} {occasion} card {card_ref(other[0])} is already recorded for "
                                    f"{book.hid(card['household_id'])}: remove one of them first")
        sets = ", ".join(f"{key} = ?" for key in updates)
        db.execute(f"update cards set {sets} where id = ?", [*updates.values(), card_id])
    return card


def remove_card(db: Database, card_id: int) -> dict[str, Any]:
    """Delete a recorded card; returns what it was. A card the saved batch marked mailed steps that
    batch card back to stamped: the batch and the history never disagree."""
    card = get_card(db, card_id)
    with transaction(db):
        db.execute("update batch_cards set state = 'stamped', card_id = null where card_id = ? and state = 'mailed'",
                   [card_id])
        db.execute("delete from cards where id = ?", [card_id])
    return card
