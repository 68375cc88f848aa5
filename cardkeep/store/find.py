"""Finding people and households by what a user types: an id (`c12`, `h3`), a name, a nickname,
the salutation a card uses, or a unique prefix. Folding makes the match ignore case and accents.
"""

from __future__ import annotations

import difflib
import re
import shlex
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cardkeep import model
from cardkeep.errors import Ambiguous, InvalidInput, NotFound
from cardkeep.model import Person
from cardkeep.store.db import Database

# ---------------------------------------------------------------- ids and names


def hid(household_id: int) -> str:
    return f"h{household_id}"


def cid(contact_id: int) -> str:
    return f"c{contact_id}"


def parse_id(text: str) -> tuple[str, int] | None:
    """`h12` -> ("household", 12); `c34` or `34` -> ("contact", 34); else None."""
    match = re.fullmatch(r"([hc]?)(\d+)", text.strip().lower())
    if not match:
        return None
    return ("household" if match.group(1) == "h" else "contact", int(match.group(2)))


# Letters that do not decompose but that people type without their stroke.
_UNSTROKED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form: "Zoë" and "zoe" fold alike; CJK passes through."""
    if not text:
        return ""
    if text.isascii():  # most names and streets: nothing to decompose (an import folds thousands)
        return text.casefold()
    return _fold_unicode(text)


@lru_cache(maxsize=1 << 14)  # the same names, streets and cities come up again and again in an import
def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_UNSTROKED)


def bare(text: str | None) -> str:
    """`fold` without spaces or punctuation: "O'Neill", "oneill" and "O Neill" are alike."""
    return re.sub(r"[\W_]+", "", fold(text))


def generated_mailing_name(rows: Sequence[dict[str, Any]]) -> str:
    """`model.generated_mailing_name` for rows (dicts with name, given_name, family_name, status)."""
    return model.generated_mailing_name([
        Person(0, r["name"], r.get("given_name"), r.get("status") or "active", family_name=r.get("family_name"))
        for r in rows
    ])


# ---------------------------------------------------------------- lookups


@dataclass(frozen=True)
class Match:
    kind: str  # "contact" or "household"
    id: int
    label: str

    @property
    def ref(self) -> str:
        return cid(self.id) if self.kind == "contact" else hid(self.id)


def contact_label(row: dict[str, Any]) -> str:
    return f"{cid(row['id'])} {row['name']}"


def find(db: Database, who: str, *, households: bool = True) -> list[Match]:
    """Every contact (and household) that `who` names: an id, an exact name, else a folded match."""
    who = who.strip()
    if not who:
        raise InvalidInput("an empty name names nobody")
    parsed = parse_id(who)
    if parsed:
        kind, number = parsed
        table = "contacts" if kind == "contact" else "households"
        if kind == "household" and not households:
            raise InvalidInput(f"{who} is a household; name a person here")
        rows = list(db.query(f"select id from {table} where id = ?", [number]))
        if rows:
            return [Match(kind, number, who)]
        raise NotFound(f"no {kind} with id {who}")
    key = fold(who)
    people = list(db.query("select id, name, nickname, salutation, search_key from contacts order by id"))
    exact = [p for p in people if key in (fold(p["name"]), fold(p["nickname"]), fold(p["salutation"]))]
    if not exact and bare(who):  # "oneill" for O'Neill, "maryjane" for Mary-Jane
        exact = [p for p in people if bare(who) in (bare(p["name"]), bare(p["nickname"]))]
    matches = [Match("contact", p["id"], contact_label(p)) for p in exact]
    if households:
        for row in db.query("select id, mailing_name from households where mailing_name is not null"):
            if fold(row["mailing_name"]) == key:
                matches.append(Match("household", row["id"], f"{hid(row['id'])} {row['mailing_name']}"))
        if not matches:  # the name `show` and `plan` print for a household that has none set by hand
            matches = _generated_name_matches(db, key)
    if matches:
        return matches
    # Nobody by that exact name: accept a unique word-prefix match ("Rosa" for "Rosa Díaz").
    words = key.split()
    partial = [
        p
        for p in people
        if all(any(token.startswith(w) for token in p["search_key"].split()) for w in words)
    ]
    return [Match("contact", p["id"], contact_label(p)) for p in partial]


def _generated_name_matches(db: Database, key: str) -> list[Match]:
    people: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
        """select c.household_id, c.name, c.given_name, c.family_name, c.status from contacts c
           join households h on h.id = c.household_id where h.mailing_name is null order by c.id"""
    ):
        people.setdefault(row.pop("household_id"), []).append(row)
    named = {household_id: generated_mailing_name(members) for household_id, members in people.items()}
    return [Match("household", h, f"{hid(h)} {name}") for h, name in named.items() if fold(name) == key]


def close_matches(db: Database, who: str, limit: int = 3) -> list[str]:
    """People whose name, nickname or one word of their name is close to `who` (difflib over
    folded names), as "Margaret Chen (c4)"."""
    key = fold(who).strip()
    labels: dict[str, list[str]] = {}
    for row in db.query("select id, name, nickname from contacts order by id"):
        label = f"{row['name']} ({cid(row['id'])})"
        for text in {fold(row["name"]), fold(row["nickname"]), *fold(row["name"]).split()} - {""}:
            labels.setdefault(text, []).append(label)
    found: list[str] = []
    for text in difflib.get_close_matches(key, labels, n=limit * 2, cutoff=0.75):
        found += [label for label in labels[text] if label not in found]
    return found[:limit]


def _one(matches: list[Match], who: str, db: Database | None = None) -> Match:
    if not matches:
        close = close_matches(db, who) if db is not None else []
        if close:
            raise NotFound(f"no contact named {who!r}; did you mean {' or '.join(close)}?")
        raise NotFound(f"no contact named {who!r} (try `cardkeep search {shlex.quote(who)}`)")
    if len(matches) > 1:
        listed = "; ".join(m.label for m in matches[:10])
        raise Ambiguous(f"{who!r} matches {len(matches)} records: {listed}. Use an id")
    return matches[0]


def resolve_contact(db: Database, who: str) -> int:
    """The id of the one contact `who` names; NotFound or Ambiguous (listing candidates) otherwise."""
    match = _one(find(db, who, households=False), who, db)
    return match.id


def resolve_household(db: Database, who: str) -> int:
    """The household `who` names: `h12`, a mailing name, or any member of it."""
    matches = find(db, who)
    households = {m.id if m.kind == "household" else contact_household(db, m.id) for m in matches}
    if len(households) == 1 and matches:
        return households.pop()
    return _household_of(_one(matches, who, db), db)


def _household_of(match: Match, db: Database) -> int:
    return match.id if match.kind == "household" else contact_household(db, match.id)


def resolve_target(db: Database, who: str) -> Match:
    """A contact or a household (for commands such as `tag` and `status` that take either)."""
    return _one(find(db, who), who, db)


def contact_household(db: Database, contact_id: int) -> int:
    return db.execute("select household_id from contacts where id = ?", [contact_id]).fetchone()[0]


def get_contact(db: Database, contact_id: int) -> dict[str, Any]:
    rows = list(db.query("select * from contacts where id = ?", [contact_id]))
    if not rows:
        raise NotFound(f"no contact with id {cid(contact_id)}")
    return rows[0]




# ---------------------------------------------------------------- shell completion


def completion_words(path, kind: str) -> list[tuple[str, str]]:
    """(word, help) pairs for shell completion: "people" (names and nicknames, with their ids) or
    "tags". Read straight from the file, read-only: completing never creates, migrates or locks a
    book, and a missing or unreadable one completes nothing."""
    import sqlite3
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        try:
            if kind == "people":
                rows = conn.execute("select id, name, nickname from contacts order by name").fetchall()
                words = [(name, cid(i)) for i, name, _ in rows]
                words += [(nick, f"{cid(i)} {name}") for i, name, nick in rows if nick]
                return words
            rows = conn.execute("select tag from household_tags union select tag from contact_tags order by 1")
            return [(tag, "tag") for (tag,) in rows.fetchall()]
        finally:
            conn.close()
    except sqlite3.Error:
        return []
