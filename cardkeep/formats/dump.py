"""The book as the export formats read it: plain dicts, in a few queries for the whole book.

`dump_households` reads every household with its members, tags, dates, notes and addresses in
seven queries, and with `history=True` its cards and saved-plan cards in two more: never one
query per household. JSON export writes these records; vCard and CSV export read them.

Why not `cardkeep.store.load`: its `cardkeep.model` objects are what the plan reads, normalised on
purpose (dates parsed, empty text None, one shared `Card` per card value), and lack what an export
must carry to be lossless: the text as stored, a person's creation day (the stable vCard UID of
someone without one), past addresses, a card's identity, message, news, signer and recipient, and
the saved plan. ARCHITECTURE.md ("Who reads the book, and how") gives the decision in full.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from cardkeep.model import ADDRESS_FIELDS
from cardkeep.store.book import generated_mailing_name
from cardkeep.store.db import Database
from cardkeep.store.load import json_list, no_cycle_collection

ADDRESS_COLUMNS = (*ADDRESS_FIELDS, "valid_from", "valid_to", "verified_on", "returned_on")
DATE_COLUMNS = ("kind", "year", "month", "day", "label", "rule", "lead_days")


def dump_households(db: Database, ids: list[int] | None = None, *, history: bool = False) -> list[dict[str, Any]]:
    """Every household (or those in `ids`, in that order), each a dict:

    `id`, `mailing_name` (as stored), `display_name`, `greeting` (the household's own, or None), `status`, `created`, `uid`, `tags`, `address` (the
    current one, or None), `addresses` (all, oldest first) and `members` (each with `id`, names,
    `status`, `tags`, `emails`, `phones`, `uid`, `created`, `dates` and `notes`). With `history`,
    also `cards` (each with the recipient's contact id as `contact_id`) and `batch`: the
    household's cards in saved plans, `card` the index in `cards` of the card mailed."""
    with no_cycle_collection():
        return _dump(db, ids, history)


def _grouped(db: Database, sql: str) -> dict[int, list[tuple]]:
    """Rows grouped by their first column (the owner's id), the owner's id left out."""
    out: dict[int, list[tuple]] = defaultdict(list)
    for row in db.execute(sql):
        out[row[0]].append(row[1:])
    return out


def _dump(db: Database, ids: list[int] | None, history: bool) -> list[dict[str, Any]]:
    houses = {row[0]: row for row in db.execute("select id, mailing_name, status, created, uid, greeting from households")}
    wanted = list(houses) if ids is None else [i for i in ids if i in houses]
    if ids is None:
        wanted.sort()

    house_tags = _grouped(db, "select household_id, tag from household_tags order by tag")
    contact_tags = _grouped(db, "select contact_id, tag from contact_tags order by tag")
    dates = _grouped(db, f"select contact_id, {', '.join(DATE_COLUMNS)} from dates order by id")
    notes = _grouped(db, "select contact_id, text, created from notes order by id")
    addresses = _grouped(db, f"select household_id, {', '.join(ADDRESS_COLUMNS)} from addresses order by id")
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (contact_id, household_id, name, given, family, nickname, salutation, status, deceased_on, emails, phones,
         uid, created) in db.execute(
        "select id, household_id, name, given_name, family_name, nickname, salutation, status, deceased_on, "
        "emails, phones, uid, created from contacts order by id"
    ):
        people[household_id].append({
            "id": contact_id,
            "name": name,
            "given_name": given,
            "family_name": family,
            "nickname": nickname,
            "salutation": salutation,
            "status": status,
            "deceased_on": deceased_on,
            "tags": [t for (t,) in contact_tags.get(contact_id, ())],
            "emails": list(json_list(emails)),
            "phones": list(json_list(phones)),
            "uid": uid,
            "created": created,
            "dates": [dict(zip(DATE_COLUMNS, d, strict=True)) for d in dates.get(contact_id, ())],
            "notes": [{"text": text, "created": day} for text, day in notes.get(contact_id, ())],
        })
    cards = _cards(db) if history else {}
    batch = _batch(db) if history else {}

    result = []
    for household_id in wanted:
        _, stored_name, status, created, uid, greeting = houses[household_id]
        members = people.get(household_id, [])
        every = [dict(zip(ADDRESS_COLUMNS, a, strict=True)) for a in addresses.get(household_id, ())]
        current = [a for a in every if a["valid_to"] is None]
        record = {
            "id": household_id,
            "mailing_name": stored_name,
            "display_name": stored_name or generated_mailing_name(members),
            "greeting": greeting,
            "status": status,
            "created": created,
            "uid": uid,
            "tags": [t for (t,) in house_tags.get(household_id, ())],
            "address": current[-1] if current else None,
            "addresses": every,
            "members": members,
        }
        if history:
            own = cards.get(household_id, [])
            index = {card.pop("_id"): i for i, card in enumerate(own)}
            record["cards"] = own
            record["batch"] = [{**b, "card": index.get(b["card"])} for b in batch.get(household_id, ())]
        result.append(record)
    return result


def _cards(db: Database) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (card_id, household_id, contact_id, year, occasion, direction, date, design, message, signed, news,
         returned) in db.execute(
        "select id, household_id, contact_id, year, occasion, direction, date, design, message, signed_by_hand, "
        "news, returned from cards order by household_id, year, id"
    ):
        out[household_id].append({
            "_id": card_id,
            "year": year,
            "occasion": occasion,
            "direction": direction,
            "date": date,
            "contact_id": contact_id,
            "design": design,
            "message": message,
            "signed_by_hand": None if signed is None else bool(signed),
            "news": news,
            "returned": bool(returned),
        })
    return out


def _batch(db: Database) -> dict[int, list[dict[str, Any]]]:
    """Saved-plan cards by household; `card` is still the card's id here."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in db.query(
        """select c.household_id as _household, b.year, b.occasion, b.arrive_by, b.design as batch_design, b.saved,
                  c.mailing_name, c.country, c.international, c.mail_by, c.state, c.typeset, c.design, c.message,
                  c.updated, c.card_id as card
           from batch_cards c join batches b on b.id = c.batch_id
           order by c.household_id, b.year, b.occasion"""
    ):
        household_id = row.pop("_household")
        row["international"] = bool(row["international"])
        row["typeset"] = bool(row["typeset"])
        out[household_id].append(row)
    return out
