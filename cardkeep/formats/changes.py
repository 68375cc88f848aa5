"""What an import changes on someone already in the book, and how records are compared.

`cardkeep.formats.matching` plans an import with these; `cardkeep.formats.apply` writes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from cardkeep import model
from cardkeep.dates import PartialDate
from cardkeep.formats.records import Person
from cardkeep.store import book
from cardkeep.store.load import json_list

_PUNCTUATION = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)  # the same streets, cities and postcodes come up again and again
def _norm(text: str | None) -> str:
    return _PUNCTUATION.sub(" ", book.fold(text or "")).strip()


def address_key(address: dict[str, Any] | None) -> str:
    if not address:
        return ""
    return "|".join(_norm(address.get(k)) for k in ("street", "city", "postal_code")) + "|" + (address["country"] or "")


def note_key(text: str) -> str:
    """A note as compared: any line ending is one, NUL is nothing (as a vCard writes them)."""
    return "\n".join(line.rstrip() for line in re.split(r"\r\n|\r|\n", text.replace("\x00", ""))).strip()


def known_notes(texts: Iterable[str]) -> set[str]:
    """What the book's notes on a person match: each note, and all of them as one text (cardkeep's CSV
    export writes a person's notes in one cell, a blank line between them)."""
    texts = list(texts)
    known = {note_key(t) for t in texts}
    if len(texts) > 1:
        known.add(note_key("\n\n".join(texts)))
    return known


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "(none)"
    return "(none)" if value in (None, "") else str(value)


Update = tuple[list[str], dict[str, Any], list[tuple[str, str | None, PartialDate]], dict[str, Any] | None]


def what_changed(person: Person, address: dict[str, Any] | None, row: dict[str, Any]) -> Update:
    """A person matched by UID: what the file changed (it is the newer version), field by field, as
    (changes in words, contact columns -> new values, dates (kind, label, new date), the new address
    of a move or None). `row` is what `held_by_book` gives; what the file leaves out is kept."""
    changes: list[str] = []
    updates: dict[str, Any] = {}
    date_updates: list[tuple[str, str | None, PartialDate]] = []
    move = None
    wanted: dict[str, Any] = {"name": " ".join(person.name.split())}
    wanted.update({attr: getattr(person, attr) for attr in ("given_name", "family_name", "nickname", "salutation")})
    for attr, new in wanted.items():
        if new and new != row[attr]:
            updates[attr] = new
            changes.append(f"{attr}: {_show(row[attr])} -> {new}")
    for attr in ("emails", "phones"):
        new, old = list(dict.fromkeys(getattr(person, attr))), list(json_list(row[attr]))
        if new and new != old:
            updates[attr] = new
            changes.append(f"{attr}: {_show(old)} -> {_show(new)}")
    for kind, date, label in person.dates:
        old = row["dates"].get((kind, label))
        if old is not None and old != (date.year, date.month, date.day):
            date_updates.append((kind, label, date))
            changes.append(f"{label or kind}: {PartialDate(old[1], old[2], old[0])} -> {date}")
    current = row["address"]
    # An address the household moved away from is a file older than the move, not a move back.
    if address and current and address_key(current) != address_key(address) and address_key(address) not in row["past"]:
        move = address
        changes.append(f"address: {address_text(current)} -> {address_text(address)} (a move)")
    return changes, updates, date_updates, move


def address_text(address: dict[str, Any]) -> str:
    return ", ".join(str(address[k]) for k in model.ADDRESS_FIELDS if address.get(k))


