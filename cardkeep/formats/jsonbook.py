"""The JSON interchange format, version 1: the whole book, without loss.

`dump_book` writes it and `import_book` reads it back. Import validates every record before it
writes anything and runs in one transaction: a malformed file imports nothing, and the error names
the record (`households[3].members[0].dates[1]`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cardkeep import model
from cardkeep.countries import UNKNOWN
from cardkeep.dates import PartialDate, parse_iso_date, parse_partial_date, parse_rule
from cardkeep.errors import InvalidInput, UsageError
from cardkeep.formats.dump import dump_households
from cardkeep.formats.matching import ON_CONFLICT, address_key, book_people, name_key, normal_uid
from cardkeep.formats.records import Address, Person, clean_tag
from cardkeep.store import book
from cardkeep.store.db import Database, transaction

FORMAT_VERSION = 1


def dump_book(db: Database, household_ids: list[int] | None = None) -> dict[str, Any]:
    """The book (or the households in `household_ids`) as a format-1 document, in a few queries."""
    houses = dump_households(db, household_ids, history=True)
    return {"cardkeep": FORMAT_VERSION, "households": [_record(house) for house in houses]}


def _record(house: dict[str, Any]) -> dict[str, Any]:
    """One household as the format writes it. A saved plan's cards (`plan --save`) go in `batch`,
    so that a book moved with export and import keeps December's progress."""
    record = {
        "id": book.hid(house["id"]),
        "mailing_name": house["mailing_name"],
        "status": house["status"],
        "created": house["created"],
        "uid": house["uid"],
        "tags": house["tags"],
        "addresses": house["addresses"],
        "members": [{**m, "id": book.cid(m["id"])} for m in house["members"]],
        "cards": [
            {
                "year": c["year"],
                "occasion": c["occasion"],
                "direction": c["direction"],
                "date": c["date"],
                "contact": book.cid(c["contact_id"]) if c["contact_id"] else None,
                "design": c["design"],
                "message": c["message"],
                "signed_by_hand": c["signed_by_hand"],
                "news": c["news"],
                "returned": c["returned"],
            }
            for c in house["cards"]
        ],
    }
    if house["batch"]:
        record["batch"] = house["batch"]
    if house["greeting"] is not None:  # the household's own (`household greeting`)
        record["greeting"] = house["greeting"]
    return record


MAX_DIGITS = 30  # an id, a year or a count: a longer number is not one of cardkeep's


class _TooBig(ValueError):
    pass


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _TooBig(f"a number with {len(text.lstrip('-')):,} digits")
    return int(text)


def _no_constant(text: str) -> float:
    raise _TooBig(f"{text} is not a number JSON allows")


def load_json(text: str, *, source: str) -> dict[str, Any]:
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise InvalidInput(f"{source}: not a cardkeep export (lists or objects nested too deeply)") from None
    except _TooBig as exc:
        raise InvalidInput(f"{source}: not a cardkeep export ({exc})") from None
    if not isinstance(data, dict) or "cardkeep" not in data:
        raise InvalidInput(f"{source}: not a cardkeep export (no \"cardkeep\" version key)")
    if data["cardkeep"] != FORMAT_VERSION or isinstance(data["cardkeep"], bool):
        raise InvalidInput(f"{source}: format version {data['cardkeep']!r} is not supported (this cardkeep reads 1)")
    if not isinstance(data.get("households"), list):
        raise InvalidInput(f"{source}: \"households\" must be a list")
    return data


# ---------------------------------------------------------------- validation


class _Checker:
    """Reads fields from one record, naming the record in every error."""

    def __init__(self, record: Any, where: str):
        if not isinstance(record, dict):
            raise InvalidInput(f"{where}: expected an object, got {type(record).__name__}")
        self.record = record
        self.where = where

    def fail(self, message: str) -> InvalidInput:
        return InvalidInput(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.record.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(f"{key} is required")
            return None
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string")
        return value

    def date(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None:
            parse_iso_date(value, what=f"{self.where}.{key}")
        return value

    def integer(self, key: str, *, low: int | None = None, high: int | None = None) -> int | None:
        value = self.record.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"{key} must be a whole number")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(f"{key} {value} is out of range")
        return value

    def boolean(self, key: str, default: bool | None = None) -> bool | None:
        value = self.record.get(key)
        if value is None:  # absent or null: the default
            return default
        if not isinstance(value, bool):
            raise self.fail(f"{key} must be true or false")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.record.get(key, default) or default
        if value not in choices:
            raise self.fail(f"{key} {value!r} is not one of {', '.join(choices)}")
        return value

    def strings(self, key: str) -> list[str]:
        value = self.record.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{key} must be a list of strings")
        return value

    def tags(self, key: str = "tags") -> list[str]:
        """Single words, lower case: what `cardkeep tag` accepts (and `untag` can remove again)."""
        try:
            return book.clean_tags(self.strings(key))
        except InvalidInput as exc:
            raise self.fail(str(exc)) from None

    def contact_points(self, key: str) -> list[str]:
        """E-mails or phones, blanks dropped."""
        return book.clean_list(self.strings(key))

    def items(self, key: str) -> list[_Checker]:
        value = self.record.get(key) or []
        if not isinstance(value, list):
            raise self.fail(f"{key} must be a list")
        return [_Checker(item, f"{self.where}.{key}[{i}]") for i, item in enumerate(value)]

    def ref(self, key: str, prefix: str) -> int | None:
        value = self.text(key)
        if value is None:
            return None
        parsed = book.parse_id(value)
        if not parsed or not value.lower().startswith(prefix):
            raise self.fail(f"{key} {value!r} is not an id like {prefix}12")
        return parsed[1]


def _check_date(item: _Checker) -> dict[str, Any]:
    kind = item.choice("kind", model.DATE_KINDS, "birthday")
    year = item.integer("year", low=1, high=9999)
    month = item.integer("month", low=1, high=12)
    day = item.integer("day", low=1, high=31)
    rule = item.text("rule")
    if rule is not None:
        try:
            parse_rule(rule)  # a rule that cannot be read would stop every reminder later
        except InvalidInput as exc:
            raise item.fail(str(exc)) from None
    if rule is None:
        if month is None or day is None:
            raise item.fail("a date needs month and day, or a rule")
        text = str(PartialDate(month, day, year))
        try:
            parse_partial_date(text)
        except InvalidInput:
            raise item.fail(f"{text} is not a real date") from None
    return {
        "kind": kind,
        "year": year,
        "month": month,
        "day": day,
        "label": item.text("label"),
        "rule": rule,
        "lead_days": item.integer("lead_days", low=0, high=365),
    }


def _check_member(person: _Checker) -> dict[str, Any]:
    name = person.text("name", required=True)
    if not name.strip():
        raise person.fail("name must not be empty")
    status = person.choice("status", model.CONTACT_STATUSES, "active")
    deceased_on = person.date("deceased_on")
    return {
        "id": person.ref("id", "c"),
        "name": " ".join(name.split()),
        "given_name": person.text("given_name"),
        "family_name": person.text("family_name"),
        "nickname": person.text("nickname"),
        "salutation": person.text("salutation"),
        "status": status,
        "deceased_on": deceased_on,
        "tags": person.tags(),
        "emails": person.contact_points("emails"),
        "phones": person.contact_points("phones"),
        "uid": person.text("uid"),
        "created": person.date("created"),
        "dates": [_check_date(d) for d in person.items("dates")],
        "notes": [
            {"text": n.text("text", required=True), "created": n.date("created")} for n in person.items("notes")
        ],
    }


def _check_address(item: _Checker) -> dict[str, Any]:
    record = item.record
    # An address imported without a country is stored with the unknown one (ZZ); it round-trips.
    unknown = isinstance(record.get("country"), str) and record["country"].strip().upper() == UNKNOWN
    try:
        fields = book.clean_address({**record, "country": "US"} if unknown else record, what=item.where)
    except InvalidInput as exc:
        raise InvalidInput(str(exc)) from None
    if unknown:
        fields["country"] = UNKNOWN
    for key in ("valid_from", "valid_to", "verified_on", "returned_on"):
        fields[key] = item.date(key)
    if fields["valid_from"] and fields["valid_to"] and fields["valid_to"] < fields["valid_from"]:
        raise item.fail(f"valid_to {fields['valid_to']} is before valid_from {fields['valid_from']}")
    return fields


def _check_card(item: _Checker) -> dict[str, Any]:
    year = item.integer("year", low=1900, high=9999)
    if year is None:
        raise item.fail("year is required")
    return {
        "year": year,
        "occasion": item.choice("occasion", model.OCCASIONS, "holiday"),
        "direction": item.choice("direction", ("sent", "received"), "sent"),
        "date": item.date("date"),
        "contact": item.ref("contact", "c"),
        "design": item.text("design"),
        "message": item.text("message"),
        "signed_by_hand": item.boolean("signed_by_hand"),
        "news": item.text("news"),
        "returned": item.boolean("returned", False),
    }


def _check_batch_card(item: _Checker, card_count: int) -> dict[str, Any]:
    year = item.integer("year", low=1900, high=9999)
    if year is None:
        raise item.fail("year is required")
    card = item.integer("card", low=0, high=max(card_count - 1, 0))
    if card is not None and card >= card_count:
        raise item.fail(f"card {card} is not one of this household's cards")
    for key in ("arrive_by", "mail_by", "saved"):
        if item.date(key) is None:
            raise item.fail(f"{key} is required")
    return {
        "year": year,
        "occasion": item.choice("occasion", model.OCCASIONS, "holiday"),
        "arrive_by": item.date("arrive_by"),
        "batch_design": item.text("batch_design"),
        "saved": item.date("saved"),
        "mailing_name": item.text("mailing_name", required=True),
        "country": item.text("country"),
        "international": item.boolean("international", False) or False,
        "mail_by": item.date("mail_by"),
        "state": item.choice("state", model.CARD_STATES, "planned"),
        "typeset": item.boolean("typeset", False) or False,
        "design": item.text("design"),
        "message": item.text("message"),
        "updated": item.text("updated"),
        "card": card,
    }


def check_household(house: _Checker) -> dict[str, Any]:
    members = [_check_member(p) for p in house.items("members")]
    if not members:
        raise house.fail("a household needs at least one member")
    addresses = [_check_address(a) for a in house.items("addresses")]
    if sum(1 for a in addresses if a["valid_to"] is None) > 1:
        raise house.fail("more than one current address (all but one need valid_to)")
    cards = [_check_card(c) for c in house.items("cards")]
    member_ids = {m["id"] for m in members if m["id"] is not None}
    for i, card in enumerate(cards):
        if card["contact"] is not None and card["contact"] not in member_ids:
            raise house.fail(f"cards[{i}].contact c{card['contact']} is not a member of this household")
    batch = [_check_batch_card(b, len(cards)) for b in house.items("batch")]
    return {
        "id": house.ref("id", "h"),
        "batch": batch,
        "mailing_name": house.text("mailing_name"),
        "greeting": house.text("greeting"),
        "status": house.choice("status", model.HOUSEHOLD_STATUSES, "active"),
        "created": house.date("created"),
        "uid": house.text("uid"),
        "tags": house.tags(),
        "addresses": addresses,
        "members": members,
        "cards": cards,
    }


def check_book(data: dict[str, Any], *, source: str) -> list[dict[str, Any]]:
    houses = [check_household(_Checker(h, f"{source}: households[{i}]")) for i, h in enumerate(data["households"])]
    seen: set[int] = set()
    for i, house in enumerate(houses):
        for member in house["members"]:
            if member["id"] is not None and member["id"] in seen:
                raise InvalidInput(f"{source}: households[{i}]: contact c{member['id']} appears twice")
            if member["id"] is not None:
                seen.add(member["id"])
    return houses


# ---------------------------------------------------------------- writing


def _free(db: Database, table: str, wanted: int | None) -> int | None:
    """Keep an imported id when it is free, so a round trip into a new book is exact."""
    if wanted is None:
        return None
    taken = db.execute(f"select 1 from {table} where id = ?", [wanted]).fetchone()
    return None if taken else wanted


def write_household(db: Database, house: dict[str, Any], *, today: str) -> int:
    """Insert one validated household (inside the caller's transaction); returns its id."""
    household_id = db.execute(
        "insert into households (id, mailing_name, status, created, uid, greeting) values (?, ?, ?, ?, ?, ?)",
        [_free(db, "households", house["id"]), house["mailing_name"], house["status"], house["created"] or today,
         house.get("uid") or book.new_uid(), house.get("greeting")],
    ).lastrowid
    for tag in house["tags"]:
        db.execute("insert or ignore into household_tags values (?, ?)", [household_id, tag.lower()])
    for a in house["addresses"]:
        db.execute(
            """insert into addresses (household_id, street, extended, city, region, postal_code, country,
                   valid_from, valid_to, verified_on, returned_on) values (?,?,?,?,?,?,?,?,?,?,?)""",
            [household_id, *(a[k] for k in model.ADDRESS_FIELDS),
             a["valid_from"], a["valid_to"], a["verified_on"], a["returned_on"]],
        )
    new_ids: dict[int, int] = {}
    for m in house["members"]:
        contact_id = db.execute(
            """insert into contacts (id, household_id, name, given_name, family_name, nickname, salutation,
                   status, deceased_on, emails, phones, uid, search_key, created)
               values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [_free(db, "contacts", m["id"]), household_id, m["name"], m["given_name"], m["family_name"],
             m["nickname"], m["salutation"], m["status"], m["deceased_on"], json.dumps(m["emails"]),
             json.dumps(m["phones"]), m["uid"] or book.new_uid(), book.fold(f"{m['name']} {m['nickname'] or ''}"),
             m["created"] or today],
        ).lastrowid
        if m["id"] is not None:
            new_ids[m["id"]] = contact_id
        for tag in m["tags"]:
            db.execute("insert or ignore into contact_tags values (?, ?)", [contact_id, tag.lower()])
        for d in m["dates"]:
            db.execute(
                "insert into dates (contact_id, kind, year, month, day, label, rule, lead_days) values (?,?,?,?,?,?,?,?)",
                [contact_id, d["kind"], d["year"], d["month"], d["day"], d["label"], d["rule"], d["lead_days"]],
            )
        for n in m["notes"]:
            db.execute(
                "insert into notes (contact_id, text, created) values (?, ?, ?)",
                [contact_id, n["text"], n["created"] or today],
            )
    card_ids = []
    for c in house["cards"]:
        signed = c["signed_by_hand"]
        card_ids.append(db.execute(
            """insert into cards (household_id, contact_id, year, occasion, direction, date, design, message,
                   signed_by_hand, news, returned) values (?,?,?,?,?,?,?,?,?,?,?)""",
            [household_id, new_ids.get(c["contact"]) if c["contact"] else None, c["year"], c["occasion"],
             c["direction"], c["date"], c["design"], c["message"], None if signed is None else int(signed),
             c["news"], int(c["returned"])],
        ).lastrowid)
    for b in house.get("batch", []):
        db.execute(
            "insert or ignore into batches (year, occasion, arrive_by, design, saved) values (?, ?, ?, ?, ?)",
            [b["year"], b["occasion"], b["arrive_by"], b["batch_design"], b["saved"]],
        )
        batch_id = db.execute("select id from batches where year = ? and occasion = ?",
                              [b["year"], b["occasion"]]).fetchone()[0]
        db.execute(
            """insert or ignore into batch_cards (batch_id, household_id, mailing_name, country, international,
                   mail_by, state, typeset, design, message, updated, card_id) values (?,?,?,?,?,?,?,?,?,?,?,?)""",
            [batch_id, household_id, b["mailing_name"], b["country"], int(b["international"]), b["mail_by"],
             b["state"], int(b["typeset"]), b["design"], b["message"], b["updated"],
             card_ids[b["card"]] if b["card"] is not None else None],
        )
    return household_id


def write_households(db: Database, houses: list[dict[str, Any]], *, today: str) -> None:
    """Write validated households, all or nothing (a savepoint inside the caller's transaction)."""
    with transaction(db):
        for house in houses:
            write_household(db, house, today=today)


@dataclass
class BookImport:
    """What importing one JSON document will do: the households to write, those skipped (why), and
    the people already in the book by UID, as records for the vCard/CSV merge (`updates`)."""

    write: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    updates: list[Person] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "households": len(self.write),
            "contacts": sum(len(h["members"]) for h in self.write),
            "cards": sum(len(h["cards"]) for h in self.write),
        }


def plan_book(
    db: Database, houses: list[dict[str, Any]], *, on_conflict: str = "new", tags: Iterable[str] = ()
) -> BookImport:
    """What to write of validated households (`check_book`): those already in the book are skipped
    unless `on_conflict` is "new" (`match_households`); `tags` go on everyone written. Writes nothing."""
    write, skipped = match_households(db, houses, on_conflict=on_conflict)
    updates: list[Person] = []
    if on_conflict == "merge":  # a household whose people the book has by UID: updated, as a vCard would be
        by_uid = {normal_uid(u) for (u,) in db.execute("select uid from contacts where uid is not null")}
        kept = []
        for house, why in skipped:
            if any(normal_uid(m["uid"]) in by_uid for m in house["members"] if m["uid"]):
                updates += as_people(house)
            else:
                kept.append((house, why))
        skipped = kept
    extra = {t for t in (clean_tag(t) for t in tags) if t}
    if extra:
        for house in write:
            for member in house["members"]:
                member["tags"] = sorted(set(member["tags"]) | extra)
    return BookImport(write, skipped, updates)


def as_people(house: dict[str, Any]) -> list[Person]:
    """A validated household's members as import records (`cardkeep.formats.records.Person`), with
    its current address: what a re-import matched by UID compares field by field."""
    current = next((a for a in house["addresses"] if a["valid_to"] is None), None)
    address = Address(**{k: current[k] or "" for k in model.ADDRESS_FIELDS}) if current else None
    where = house.get("source") or "JSON"
    people = []
    for i, m in enumerate(house["members"]):
        people.append(Person(
            name=m["name"], source=f"{where}.members[{i}]", given_name=m["given_name"], family_name=m["family_name"],
            nickname=m["nickname"], salutation=m["salutation"], emails=list(m["emails"]), phones=list(m["phones"]),
            addresses=[address] if address else [],
            dates=[(d["kind"], PartialDate(d["month"], d["day"], d["year"]), d["label"]) for d in m["dates"]
                   if d["rule"] is None],
            notes=[n["text"] for n in m["notes"]], tags=sorted(set(m["tags"]) | set(house["tags"])), uid=m["uid"],
            status=m["status"], deceased_on=m["deceased_on"], household=f"{where}#household",
        ))
    return people


def import_book(
    db: Database, data: dict[str, Any], *, source: str, today: str, on_conflict: str = "new", tags: Iterable[str] = ()
) -> dict[str, int]:
    """Validate everything, then write everything in one transaction. Returns counts.

    `cardkeep import` takes this same path for JSON files (`check_book`, `plan_book`, then
    `write_households` inside the import's transaction), with `on_conflict="merge"`."""
    planned = plan_book(db, check_book(data, source=source), on_conflict=on_conflict, tags=tags)
    write_households(db, planned.write, today=today)
    return planned.counts()


def match_households(
    db: Database, houses: list[dict[str, Any]], *, on_conflict: str = "merge"
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], str]]]:
    """(households to write, [(household, why skipped)]) for validated JSON households.

    A household is already in the book when it has the same UID, or one of its members is: the same UID, else the
    same folded name and current address. Unless `on_conflict` is "new", such a household is not
    written again (JSON import never merges field by field: the book's copy is kept as it is).
    """
    if on_conflict not in ON_CONFLICT:
        raise UsageError(f"--on-conflict {on_conflict!r}: choose {', '.join(ON_CONFLICT)}")
    existing = book_people(db)
    by_uid = {normal_uid(e.uid): e for e in existing if e.uid}
    house_uids = {normal_uid(u): i for i, u in db.execute("select id, uid from households where uid is not null")}
    if on_conflict == "new":  # a second copy on purpose: it gets UIDs of its own
        for house in houses:
            if normal_uid(house.get("uid")) in house_uids:
                house["uid"] = None
            for member in house["members"]:
                if normal_uid(member["uid"]) in by_uid:
                    member["uid"] = None
        return houses, []
    by_key: dict[tuple[str, str], Any] = {}
    for e in existing:
        for key in e.keys():  # the current address, then old ones: an export made before a move
            by_key.setdefault(key, e)
    write, skipped = [], []
    seen: set[tuple[str, str]] = set()
    for house in houses:
        current = next((a for a in house["addresses"] if a["valid_to"] is None), None)
        where = address_key(current)
        found = None
        same_house = house_uids.get(normal_uid(house.get("uid")) or "")
        if same_house is not None:
            skipped.append((house, f"already in the book as {book.hid(same_house)}"))
            continue
        for member in house["members"]:
            uid = normal_uid(member["uid"])
            key = (name_key(member["name"]), where)
            found = (by_uid.get(uid) if uid else None) or by_key.get(key)
            if found is None and key in seen:
                skipped.append((house, f"{member['name']} appears twice in the import"))
                break
            if found is not None:
                skipped.append((house, f"already in the book as {book.cid(found.id)} {found.name}"))
                break
        else:
            write.append(house)
        seen.update((name_key(m["name"]), where) for m in house["members"])
    return write, skipped
