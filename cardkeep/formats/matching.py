"""Deciding what an import does, before anything is written: matching, duplicates, households.

`plan_import` takes what the readers found (`cardkeep.formats.records`) and decides, without
writing anything, what happens to each person; `cardkeep.formats.apply` then writes the plan.

- **match**: an incoming person is the same as one in the book when the UID is the same, else
  when the folded name and the normalised address are the same (both without an address counts);
  `on_conflict` says what to do then: `merge` (default), `skip`, or `new` (add a second copy on
  purpose, with UIDs of its own). A merge matched by UID is a newer version of the same record (a
  file cardkeep exported, edited on a phone): what it changed is updated, field by field, and a
  changed address is a move (the old one kept as history). A merge matched by name and address
  only adds what is new and overwrites nothing. People repeated within one import are merged the
  same way, so importing the same file twice never makes two copies of anyone.
- **households**: a vCard group card (vCard 4 `KIND:group`, Apple's `X-ADDRESSBOOKSERVER-KIND`)
  becomes one household, and so do rows sharing a spreadsheet's `household` column; otherwise
  people at the same address with the same family name are proposed as one household (joining a
  household already in the book at that address when there is one). `households=False` gives
  everyone else a household of their own.
- **addresses**: one current address per household, the home one when a card has several. Free
  text (Gmail's block in the street field, a `LABEL`) is split into its parts first
  (`cardkeep.formats.freeform`). An address without a country uses `[sender] country` from the
  config, else it is stored with the country unknown (`ZZ`, flagged by `doctor` and `plan`); only
  one without a street or a city is kept as a note on the person instead, with a warning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cardkeep import model
from cardkeep.countries import UNKNOWN
from cardkeep.errors import UsageError
from cardkeep.formats.changes import address_key, address_text, known_notes, note_key, what_changed
from cardkeep.formats.freeform import book_address, complete_country
from cardkeep.formats.records import Address, Person, Problem, ReadResult, clean_tag
from cardkeep.store import book
from cardkeep.store.db import Database
from cardkeep.store.load import json_list, no_cycle_collection

ON_CONFLICT = ("merge", "skip", "new")

# ---------------------------------------------------------------- cleaning people


ADDRESS_PREFERENCE = ("home", "", "other", "work")


def ranked_addresses(addresses: list[Address]) -> list[Address]:
    """Addresses in the order a card should go to them: home, untyped, other, work; `pref` first."""

    def rank(item: tuple[int, Address]) -> tuple[int, int, int]:
        index, address = item
        types = set(address.types)
        tier = next((i for i, t in enumerate(ADDRESS_PREFERENCE) if t and t in types), 1)
        return (tier, 0 if "pref" in types else 1, index)

    usable = [(i, a) for i, a in enumerate(addresses) if a.has_text()]
    return [a for _, a in sorted(usable, key=rank)]


def _choose_address(
    person: Person, default_country: str | None, warnings: list[str]
) -> tuple[dict[str, Any] | None, bool]:
    """(the first address that is complete enough to store (`freeform.book_address`), whether the
    file named its country); the better-ranked ones that are not (no street or no city, even after
    splitting free text) are kept as notes on the person, with a warning."""
    passed_over: list[tuple[Address, str]] = []
    chosen = None
    country_given = True
    for address in ranked_addresses(person.addresses):
        clean, why, split_from = book_address(address, default_country)
        if clean:
            chosen = clean
            if why:
                warnings.append(f"{person.source}: {person.name}: address {why}")
            if split_from:
                person.split_address = (split_from, clean)
            country_given = bool(address.country.strip() or complete_country(address, default_country))
            written = " ".join(address.country.split())
            if clean["country"] == UNKNOWN and written and written.upper() != UNKNOWN:
                note = f"Country of the address as the file wrote it: {written}"
                if note not in person.notes:
                    person.notes.append(note)
            break
        passed_over.append((address, why or ""))
    # Keep what the file said about a better address than the one stored (or about the best one).
    for address, why in passed_over if chosen else passed_over[:1]:
        note = f"Address from import, not stored ({why}): {address.text()}"
        if note not in person.notes:
            person.notes.append(note)
            warnings.append(f"{person.source}: {person.name}: address not stored ({why}); kept as a note")
    return chosen, country_given


_NAME_PUNCTUATION = re.compile(r"[,.;]+")


def name_key(name: str) -> str:
    """A name as matching compares it: folded, commas and dots aside ("John Richter,James Doe" is
    "John Richter James Doe", as a Mac and an iPhone write the same card)."""
    return " ".join(_NAME_PUNCTUATION.sub(" ", book.fold(name)).split())


def normal_uid(uid: str | None) -> str | None:
    if not uid or not uid.strip():
        return None
    uid = uid.strip()
    for prefix in ("urn:uuid:", "urn:uid:"):
        if uid.lower().startswith(prefix):
            uid = uid[len(prefix) :]
    return uid.lower()


# ---------------------------------------------------------------- the plan


@dataclass
class Entry:
    """One incoming person and what will happen to them."""

    person: Person
    action: str  # add, merge, unchanged, skip
    address: dict[str, Any] | None = None
    contact_id: int | None = None  # the match in the book
    changes: list[str] = field(default_factory=list)
    household: int | None = None  # index into ImportPlan.households, for adds
    by_uid: bool = False  # matched by UID: the file's version of the record wins
    updates: dict[str, Any] = field(default_factory=dict)  # contact column -> new value
    date_updates: list[tuple[str, str | None, Any]] = field(default_factory=list)  # (kind, label, PartialDate)
    move: dict[str, Any] | None = None  # the household's new address
    country_given: bool = True  # False: the file named no country (the address took [sender] country)

    @property
    def label(self) -> str:
        return f"{book.cid(self.contact_id)} {self.person.name}" if self.contact_id else self.person.name


@dataclass
class NewHousehold:
    members: list[Entry]
    address: dict[str, Any] | None
    existing_id: int | None = None  # join this household in the book
    mailing_name: str | None = None
    reason: str = ""
    status: str = "active"
    uid: str | None = None  # a group card's UID, kept as the household's


@dataclass
class ImportPlan:
    entries: list[Entry] = field(default_factory=list)
    households: list[NewHousehold] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    same_person: list[tuple[Person, Entry]] = field(default_factory=list)  # (record, the entry it merged into)

    def count(self, action: str) -> int:
        return sum(1 for e in self.entries if e.action == action)

    def summary(self) -> dict[str, int]:
        return {
            "added": self.count("add"),
            "households": sum(1 for h in self.households if h.existing_id is None),
            "merged": self.count("merge"),
            "unchanged": self.count("unchanged"),
            "skipped": self.count("skip"),
            "bad": len(self.problems),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "entries": [
                {
                    "name": e.person.name,
                    "source": e.person.source,
                    "action": e.action,
                    "contact": book.cid(e.contact_id) if e.contact_id else None,
                    "changes": e.changes,
                    "household": e.household,
                    "address_from_text": e.person.split_address[0] if e.person.split_address else None,
                }
                for e in self.entries
            ],
            "households": [
                {
                    "index": i,
                    "members": [m.person.name for m in h.members],
                    "join": book.hid(h.existing_id) if h.existing_id else None,
                    "reason": h.reason,
                    "address": h.address,
                }
                for i, h in enumerate(self.households)
            ],
            "same_person": [
                {"name": p.name, "source": p.source, "into": into.person.name, "into_source": into.person.source}
                for p, into in self.same_person
            ],
            "problems": [str(p) for p in self.problems],
            "warnings": self.warnings,
        }


@dataclass
class BookPerson:
    """Someone already in the book, as an import matches against them."""

    id: int
    household_id: int
    uid: str | None
    name: str
    address: dict[str, Any] | None
    past: list[dict[str, Any]] = field(default_factory=list)  # addresses the household moved away from

    def keys(self) -> list[tuple[str, str]]:
        """(name, address) keys that identify this person: the current address first, then old ones,
        so that a file exported before a move still finds them."""
        return [(name_key(self.name), address_key(a)) for a in (self.address, *self.past)]


def book_people(db: Database) -> list[BookPerson]:
    """Everyone in the book with their household's current and earlier addresses (two queries)."""
    rows = db.execute(
        """select c.id, c.household_id, c.uid, c.name, a.street, a.city, a.postal_code, a.country
           from contacts c left join addresses a on a.household_id = c.household_id and a.valid_to is null
           order by c.id"""
    ).fetchall()
    seen: dict[int, BookPerson] = {}
    for cid_, hid_, uid, name, street, city, postal, country in rows:
        if cid_ in seen:
            continue
        address = {"street": street, "city": city, "postal_code": postal, "country": country} if street else None
        seen[cid_] = BookPerson(cid_, hid_, uid, name, address)
    past: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
        "select household_id, street, city, postal_code, country from addresses where valid_to is not null order by id"
    ):
        past.setdefault(row.pop("household_id"), []).append(row)
    for person in seen.values():
        person.past = past.get(person.household_id, [])
    return list(seen.values())


def plan_import(
    db: Database,
    read: ReadResult,
    *,
    on_conflict: str = "merge",
    households: bool = True,
    tags: Iterable[str] = (),
    default_country: str | None = None,
) -> ImportPlan:
    """Decide what importing `read` does to the book; writes nothing."""
    if on_conflict not in ON_CONFLICT:
        raise UsageError(f"--on-conflict {on_conflict!r}: choose {', '.join(ON_CONFLICT)}")
    with no_cycle_collection():  # thousands of small acyclic records: no collector scans meanwhile
        return _plan_import(db, read, on_conflict, households, tags, default_country)


def _plan_import(
    db: Database, read: ReadResult, on_conflict: str, households: bool, tags: Iterable[str],
    default_country: str | None,
) -> ImportPlan:
    extra_tags = [t for t in (clean_tag(t) for t in tags) if t]
    plan = ImportPlan(problems=list(read.problems), warnings=list(read.warnings))
    existing = book_people(db)
    by_uid = {normal_uid(e.uid): e for e in existing if e.uid}
    house_uids = {normal_uid(u) for (u,) in db.execute("select uid from households where uid is not null")}
    by_name_address: dict[tuple[str, str], BookPerson] = {}
    for e in existing:
        for key in e.keys():
            by_name_address.setdefault(key, e)
    batch_uid: dict[str, Entry] = {}
    batch_key: dict[tuple[str, str], Entry] = {}
    groups = [p for p in read.people if p.kind == "group"]
    for person in read.people:
        if person.kind == "group":
            continue
        for tag in extra_tags:
            if tag not in person.tags:
                person.tags.append(tag)
        entry = Entry(person, "add")
        entry.address, entry.country_given = _choose_address(person, default_country, plan.warnings)
        uid = normal_uid(person.uid)
        key = (name_key(person.name), address_key(entry.address))
        if on_conflict != "new":
            earlier = _same_in_import(batch_uid, batch_key, uid, key, person)
            if earlier is not None:
                plan.same_person.append((person, earlier))
                _absorb(earlier.person, person)
                if uid:
                    batch_uid.setdefault(uid, earlier)  # a group card may name either record
                continue
            match = _same(by_uid, by_name_address, uid, key, lambda e: e.uid)
            if not entry.country_given and entry.address and entry.address["country"] != UNKNOWN:
                # A file with no country for an address the book has with the country unknown (a card
                # cardkeep wrote back from a phone): the same address, not a move to [sender] country.
                unknown = {**entry.address, "country": UNKNOWN}
                same = match or _same(by_uid, by_name_address, uid, (key[0], address_key(unknown)), lambda e: e.uid)
                if same is not None and same.address and address_key(same.address) == address_key(unknown):
                    match, entry.address, key = same, unknown, (key[0], address_key(unknown))
            if match is not None:
                entry.contact_id = match.id
                entry.action = "skip" if on_conflict == "skip" else "merge"
                entry.by_uid = bool(uid) and uid in by_uid
        elif uid in by_uid:  # a second copy on purpose: never a second record with one UID
            person.uid = uid = None
        plan.entries.append(entry)
        if uid:
            batch_uid.setdefault(uid, entry)
        batch_key.setdefault(key, entry)
    merges = [e for e in plan.entries if e.action == "merge"] if on_conflict == "merge" else []
    if merges:
        held = held_by_book(db)
        for entry in merges:
            if entry.by_uid:
                update = what_changed(entry.person, entry.address, held[entry.contact_id])
                entry.changes, entry.updates, entry.date_updates, entry.move = update
            entry.changes += _merge_changes(entry, held[entry.contact_id])
            if not entry.changes:
                entry.action = "unchanged"
            kept = None if entry.by_uid else _address_differs(entry, held[entry.contact_id])
            if kept:
                plan.warnings.append(
                    f"{entry.person.source}: {entry.label}: the file has another address; kept {kept} "
                    "(use `cardkeep move` if they moved)"
                )
    _propose_households(plan, groups, batch_uid, by_name_address, existing, households)
    for house in plan.households:
        if house.uid and normal_uid(house.uid) in house_uids:
            house.uid = None  # that household is in the book already: this one gets a UID of its own
    return plan


def _same(by_uid: dict, by_key: dict, uid: str | None, key: tuple[str, str], uid_of: Callable[[Any], str | None]):
    """The record with this UID, else the one with this name and address, unless their UIDs differ."""
    if uid and uid in by_uid:
        return by_uid[uid]
    candidate = by_key.get(key)
    if candidate is not None:
        other = normal_uid(uid_of(candidate))
        if uid and other and other != uid:
            return None
    return candidate


def _file(person: Person) -> str:
    return person.source.rsplit(", line", 1)[0]


def _same_in_import(
    batch_uid: dict[str, Entry], batch_key: dict[tuple[str, str], Entry], uid: str | None, key: tuple[str, str],
    person: Person,
) -> Entry | None:
    """The same person earlier in this import: the same UID, else the same name and address. Two
    cards of one file with different UIDs are two people; across files (an Outlook and an iPhone
    export) each program made up its own UID, so the name and address decide."""
    if uid and uid in batch_uid:
        return batch_uid[uid]
    candidate = batch_key.get(key)
    if candidate is not None:
        other = normal_uid(candidate.person.uid)
        if uid and other and other != uid and _file(candidate.person) == _file(person):
            return None
    return candidate


def _absorb(first: Person, again: Person) -> None:
    """The same person twice in one import: keep one, with everything either copy said."""
    for attr in ("emails", "phones", "notes", "tags", "addresses"):
        items = getattr(first, attr)
        for item in getattr(again, attr):
            if item not in items:
                items.append(item)
    for date in again.dates:
        if date not in first.dates:
            first.dates.append(date)
    for attr in ("given_name", "family_name", "nickname", "salutation", "uid"):
        if not getattr(first, attr) and getattr(again, attr):
            setattr(first, attr, getattr(again, attr))


def _propose_households(
    plan: ImportPlan,
    groups: list[Person],
    batch_uid: dict[str, Entry],
    by_name_address: dict[tuple[str, str], BookPerson],
    existing: list[BookPerson],
    together: bool,
) -> None:
    adds = [e for e in plan.entries if e.action == "add"]
    placed: set[int] = set()
    for group in groups:
        members = []
        known = 0  # members in the import but already in the book (a re-import of our own export)
        for member in group.members:
            entry = batch_uid.get(normal_uid(member) or "")
            known += entry is not None
            if entry is None or entry.action != "add":
                continue
            if id(entry) in placed:
                plan.warnings.append(
                    f"{group.source}: {entry.person.name} is in more than one group; kept in the first"
                )
                continue
            members.append(entry)
        if not members:
            if group.members and not known:
                plan.warnings.append(f"{group.source}: group {group.name!r}: none of its members is being added")
            continue
        address = next((m.address for m in members if m.address), None)
        names = _name_rows(members)
        mailing = group.mailing_name
        if mailing is None and group.name != book.generated_mailing_name(names):
            mailing = group.name
        house = NewHousehold(
            members, address, mailing_name=mailing or None, reason=f"group {group.name!r}", uid=group.uid
        )
        if group.status in model.HOUSEHOLD_STATUSES:
            house.status = group.status
        plan.households.append(house)
        for m in members:
            placed.add(id(m))
    # A spreadsheet's household column (cardkeep's own CSV export has one).
    keyed: dict[str, list[Entry]] = {}
    for entry in adds:
        if entry.person.household and id(entry) not in placed:
            # Only rows that also agree on the address: a household has one address, and a person
            # stored at another one would not be recognised when the file is imported again.
            keyed.setdefault(f"{entry.person.household}|{address_key(entry.address)}", []).append(entry)
    for members in keyed.values():
        address = next((m.address for m in members if m.address), None)
        house = NewHousehold(members, address, reason="same household column")
        written = next((m.person.mailing_name for m in members if m.person.mailing_name), None)
        names = _name_rows(members)
        if written and written != book.generated_mailing_name(names):
            house.mailing_name = written
        plan.households.append(house)
        placed.update(id(m) for m in members)
    existing_homes: dict[tuple[str, str], int] = {}
    if together:
        for person in existing:
            if person.address:
                family = book.split_name(person.name)[1]
                if family:
                    existing_homes.setdefault((book.fold(family), address_key(person.address)), person.household_id)
    shared: dict[tuple[str, str], NewHousehold] = {}
    for entry in adds:
        if id(entry) in placed:
            continue
        family = given_and_family(entry.person)[1]
        key = (book.fold(family), address_key(entry.address)) if together and family and entry.address else None
        if key and key in shared:
            shared[key].members.append(entry)
            shared[key].reason = "same address and family name"
            continue
        house = NewHousehold([entry], entry.address)
        if key and key in existing_homes:
            house.existing_id = existing_homes[key]
            house.reason = "same address and family name as a household in the book"
        plan.households.append(house)
        if key:
            shared[key] = house
    for index, house in enumerate(plan.households):
        for member in house.members:
            member.household = index


def held_by_book(db: Database) -> dict[int, dict[str, Any]]:
    """What the book holds for each person, as a merge compares it: the contact's columns, its
    `tags`, `dates` ((kind, label) -> (year, month, day)), `notes` (`known_notes`) and its
    household's `address` (current, or None) and `past` (the address keys it moved away from). Six queries for the whole book, never one per person."""
    held = {
        row["id"]: {**row, "tags": set(), "dates": set(), "notes": set(), "address": None}
        for row in db.query("select * from contacts")
    }
    for contact_id, tag in db.execute("select contact_id, tag from contact_tags"):
        held[contact_id]["tags"].add(tag)
    # A household's tags are the person's too in a flat file (one row per person): not new.
    for contact_id, tag in db.execute(
        "select c.id, t.tag from contacts c join household_tags t on t.household_id = c.household_id"
    ):
        held[contact_id]["tags"].add(tag)
    held_dates: dict[int, dict[tuple[str, str | None], tuple]] = {cid_: {} for cid_ in held}
    for contact_id, kind, label, year, month, day in db.execute(
        "select contact_id, kind, label, year, month, day from dates order by id"
    ):
        held_dates[contact_id].setdefault((kind, label), (year, month, day))
    for contact_id, text in db.execute("select contact_id, text from notes order by id"):
        held[contact_id]["notes"].add(text)
    for contact_id, person in held.items():
        person["dates"] = held_dates[contact_id]
        person["notes"] = known_notes(person["notes"])
    current: dict[int, dict[str, Any]] = {}
    past: dict[int, set[str]] = defaultdict(set)
    for a in db.query("select * from addresses order by id"):
        if a["valid_to"] is None:
            current[a["household_id"]] = a
        else:
            past[a["household_id"]].add(address_key(a))
    for person in held.values():
        person["address"] = current.get(person["household_id"])
        person["past"] = past.get(person["household_id"], set())
    return held


def _merge_changes(entry: Entry, row: dict[str, Any]) -> list[str]:
    """What merging would add to the matched contact (overwriting nothing; `entry.updates` says what a
    UID match overwrites)."""
    person = entry.person
    changes: list[str] = []
    for attr in ("given_name", "family_name", "nickname", "salutation"):
        if not row[attr] and getattr(person, attr) and attr not in entry.updates:
            changes.append(f"{attr}={getattr(person, attr)}")
    if not row["uid"] and person.uid:
        changes.append("uid")
    for attr in ("emails", "phones"):
        if attr in entry.updates:
            continue
        have = set(json_list(row[attr]))
        changes += [f"{attr[:-1]} {v}" for v in getattr(person, attr) if v not in have]
    changes += [f"tag {t}" for t in dict.fromkeys(person.tags) if t not in row["tags"]]
    changes += [f"{kind} {date}" for kind, date, label in person.dates if (kind, label) not in row["dates"]]
    changes += ["note" for text in dict.fromkeys(person.notes) if note_key(text) not in row["notes"]]
    if entry.address and row["address"] is None:
        changes.append("address")
    return changes


def _address_differs(entry: Entry, row: dict[str, Any]) -> str | None:
    """The address in the book, when the file has another one for a matched person."""
    current = row["address"]
    if entry.address and current and address_key(current) != address_key(entry.address):
        return address_text(current)
    return None


def given_and_family(person: Person) -> tuple[str | None, str | None]:
    """The names as read, else cardkeep's usual guess from the display name (as `add` does)."""
    name = " ".join(person.name.split())
    if person.given_name or person.family_name:
        return person.given_name, person.family_name
    if "@" in name and " " not in name:
        return None, None  # named after an e-mail address: no name to split
    return book.split_name(name)


def _name_rows(members: list[Entry]) -> list[dict[str, Any]]:
    """What book.generated_mailing_name reads, for people not yet in the book."""
    rows = []
    for m in members:
        given, family = given_and_family(m.person)
        rows.append({"name": m.person.name, "given_name": given, "family_name": family,
                     "status": m.person.status or "active"})
    return rows
