"""Reading the book for people: members, mailing names, lists, search, the records `show` prints,
and the names the linter must read as names. (The whole book as model objects: `store.load`.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from cardkeep.errors import InvalidInput, NotFound
from cardkeep.model import ADDRESS_FIELDS, CONTACT_STATUSES, HOUSEHOLD_STATUSES
from cardkeep.store.db import Database
from cardkeep.store.find import bare, cid, fold, generated_mailing_name, hid


def check_choice(value: str, choices: Sequence[str], what: str) -> str:
    if value not in choices:
        raise InvalidInput(f"{what}: {value!r} is not one of {', '.join(choices)}")
    return value


def clean_tags(tags: Iterable[str]) -> list[str]:
    clean = []
    for tag in tags:
        tag = tag.strip().lower()
        if not tag or any(ch.isspace() for ch in tag):
            raise InvalidInput(f"tag {tag!r}: tags are single words (use - for spaces)")
        clean.append(tag)
    return clean


def members(db: Database, household_id: int) -> list[dict[str, Any]]:
    return list(db.query("select * from contacts where household_id = ? order by id", [household_id]))


def mailing_name(db: Database, household_id: int) -> str:
    row = db.execute("select mailing_name from households where id = ?", [household_id]).fetchone()
    if row is None:
        raise NotFound(f"no household with id {hid(household_id)}")
    return row[0] or generated_mailing_name(members(db, household_id))


def household_ids(db: Database) -> list[int]:
    return [row[0] for row in db.execute("select id from households order by id")]


def households_with_tag(db: Database, tag: str) -> list[int]:
    """Households tagged `tag`, directly or through any member."""
    (tag,) = clean_tags([tag])
    return [
        row[0]
        for row in db.execute(
            """select id from households where id in (
                   select household_id from household_tags where tag = ?
                   union select c.household_id from contact_tags t join contacts c on c.id = t.contact_id
                         where t.tag = ?)
               order by id""",
            [tag, tag],
        )
    ]


def list_contacts(db: Database, *, tag: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """One summary row per person, in household order."""
    sql = """
        select c.id, c.name, c.status, c.household_id,
               (select group_concat(tag, ' ') from (
                    select tag from contact_tags where contact_id = c.id
                    union select tag from household_tags where household_id = c.household_id)) as tags,
               a.city, a.country
        from contacts c
        left join addresses a on a.household_id = c.household_id and a.valid_to is null
        where 1 = 1"""
    params: list[Any] = []
    if status:
        if status in HOUSEHOLD_STATUSES and status not in CONTACT_STATUSES:
            sql += " and c.household_id in (select id from households where status = ?)"
        else:
            check_choice(status, sorted(set(CONTACT_STATUSES + HOUSEHOLD_STATUSES)), "status")
            sql += " and (c.status = ? or c.household_id in (select id from households where status = ?))"
            params.append(status)
        params.append(status)
    if tag is not None:
        (tag,) = clean_tags([tag])  # an empty --tag (an unset shell variable) must not mean "everyone"
        sql += """ and (c.id in (select contact_id from contact_tags where tag = ?)
                   or c.household_id in (select household_id from household_tags where tag = ?))"""
        params += [tag.lower(), tag.lower()]
    sql += " group by c.id order by c.household_id, c.id"
    return [
        {
            "id": cid(row["id"]),
            "name": row["name"],
            "household": hid(row["household_id"]),
            "status": row["status"],
            "tags": sorted((row["tags"] or "").split()),
            "city": row["city"],
            "country": row["country"],
        }
        for row in db.query(sql, params)
    ]


def search(db: Database, text: str) -> list[dict[str, Any]]:
    """People whose name, nickname or notes contain `text`, ignoring case, accents and punctuation
    ("zoe" finds Zoë, "oneill" finds O'Neill)."""
    key = fold(text).strip()
    if not key:
        raise InvalidInput("search text must not be empty")
    squeezed = bare(text)

    def contains(haystack: str) -> bool:
        return key in haystack or bool(squeezed) and squeezed in bare(haystack)

    hits: dict[int, dict[str, Any]] = {}
    for row in db.query("select id, name, search_key from contacts order by id"):
        if contains(row["search_key"]):
            hits[row["id"]] = {"id": cid(row["id"]), "name": row["name"], "matched": "name"}
    for row in db.query("select c.id, c.name, n.text from notes n join contacts c on c.id = n.contact_id order by n.id"):
        if row["id"] not in hits and contains(fold(row["text"])):
            hits[row["id"]] = {"id": cid(row["id"]), "name": row["name"], "matched": f"note: {row['text']}"}
    return list(hits.values())


def _tags(db: Database, table: str, column: str, owner: int) -> list[str]:
    return [r[0] for r in db.execute(f"select tag from {table} where {column} = ? order by tag", [owner])]


def contact_record(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """A person as the interchange format writes them."""
    return {
        "id": cid(row["id"]),
        "name": row["name"],
        "given_name": row["given_name"],
        "family_name": row["family_name"],
        "nickname": row["nickname"],
        "salutation": row["salutation"],
        "status": row["status"],
        "deceased_on": row["deceased_on"],
        "tags": _tags(db, "contact_tags", "contact_id", row["id"]),
        "emails": json.loads(row["emails"]),
        "phones": json.loads(row["phones"]),
        "uid": row["uid"],
        "created": row["created"],
        "dates": [
            {k: d[k] for k in ("kind", "year", "month", "day", "label", "rule", "lead_days")}
            for d in db.query("select * from dates where contact_id = ? order by id", [row["id"]])
        ],
        "notes": [
            {"text": n["text"], "created": n["created"]}
            for n in db.query("select * from notes where contact_id = ? order by created, id", [row["id"]])
        ],
    }


def household_record(db: Database, household_id: int) -> dict[str, Any]:
    """A household with everything in it, exactly as `export --format json` writes it."""
    rows = list(db.query("select * from households where id = ?", [household_id]))
    if not rows:
        raise NotFound(f"no household with id {hid(household_id)}")
    house = rows[0]
    people = members(db, household_id)
    return {
        "id": hid(household_id),
        "mailing_name": house["mailing_name"],
        "display_name": house["mailing_name"] or generated_mailing_name(people),
        "greeting": house["greeting"],
        "status": house["status"],
        "created": house["created"],
        "tags": _tags(db, "household_tags", "household_id", household_id),
        "addresses": [
            {k: a[k] for k in (*ADDRESS_FIELDS, "valid_from", "valid_to", "verified_on", "returned_on")}
            for a in db.query("select * from addresses where household_id = ? order by id", [household_id])
        ],
        "members": [contact_record(db, person) for person in people],
        "cards": [
            {
                "year": c["year"],
                "occasion": c["occasion"],
                "direction": c["direction"],
                "date": c["date"],
                "contact": cid(c["contact_id"]) if c["contact_id"] else None,
                "design": c["design"],
                "message": c["message"],
                "signed_by_hand": None if c["signed_by_hand"] is None else bool(c["signed_by_hand"]),
                "news": c["news"],
                "returned": bool(c["returned"]),
            }
            for c in db.query("select * from cards where household_id = ? order by year, id", [household_id])
        ],
    }


# A pet named in a note: "their dog Tiffany", "a kitten called Oscar", "Porsche (the cat)".
_PET = re.compile(
    r"\b(?:dog|puppy|pup|cat|kitten|pony|horse|rabbit|bunny|parrot|hamster|guinea pig|tortoise|goldfish)"
    r"(?:\s+(?:named|called))?\s+([A-Z][\w'-]{1,30})"
    r"|\b([A-Z][\w'-]{1,30}),?\s+(?:the|their|our|her|his)\s+(?:dog|puppy|cat|kitten|pony|horse|rabbit|parrot)\b"
)


def known_names(db: Database) -> set[str]:
    """The given names, nicknames and first names of everyone in the book, and the pets named in
    their notes: words the linter must read as names, never as brands or prizes."""
    names: set[str] = set()
    for name, given, nickname in db.execute("select name, given_name, nickname from contacts"):
        for value in (given, nickname, (name or "").split()[0] if (name or "").split() else None):
            if value:
                names.add(value)
    for (text,) in db.execute("select text from notes"):
        for match in _PET.finditer(text or ""):
            names.add(match.group(1) or match.group(2))
    return names
