"""A vdir (one vCard per file, as khard and vdirsyncer keep them), as `cardkeep sync` reads and writes it.

- `scan` lists a folder's cards with their size and time, so that an unchanged file is never read;
  `read_card` reads one file as one person (a file that is not one readable card is an error naming it).
- `card_state` and `folder_changes` keep what a file said at the last sync (the fields cardkeep reads, as
  JSON) and give, on the next one, only what the folder changed since: a field the phone left alone
  is never taken for an edit, so it cannot undo what the book changed meanwhile.
- `patch_card` writes what the book changed into a card without rewriting it: every line cardkeep does
  not own (a photo, X- fields, a second address's label, parameters such as `TYPE=CELL`) stays byte for
  byte; a line the book removed goes, a line the book added is appended. Lines are compared by what
  they mean (an e-mail without case, a phone by its digits, an address by street, city and postcode, a
  date by its day), so a phone's own spelling of a value the book did not change is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from cardkeep.errors import InvalidInput
from cardkeep.formats.changes import note_key
from cardkeep.formats.records import Address, Person, clean_tag
from cardkeep.formats.vcard import ANNIVERSARY_PROPS, parse_date, read_vcards
from cardkeep.formats.vcard_syntax import Prop, logical_lines, parse_line, split_escaped, unescape

SUFFIXES = (".vcf", ".vcard")


# ---------------------------------------------------------------- the folder


@dataclass
class FolderFile:
    """A card file in the folder; `data` is read only when its size or time changed."""

    name: str
    mtime_ns: int
    size: int
    data: bytes | None = None
    hash: str | None = None
    person: Person | None = None  # set when the file changed since the last sync (or is new)
    uid: str | None = None
    kind: str = "person"  # or "household": a group card


def scan(folder: Path) -> list[FolderFile]:
    """The card files in `folder` (not hidden, `.vcf` or `.vcard`), by name, with their size and time."""
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        raise InvalidInput(f"cannot read {folder}: {exc.strerror or exc}") from None
    found = []
    for entry in entries:
        name = entry.name
        if name.startswith(".") or not name.lower().endswith(SUFFIXES):
            continue
        try:
            if not entry.is_file():
                continue
            info = entry.stat()
        except OSError as exc:
            raise InvalidInput(f"cannot read {folder / name}: {exc.strerror or exc}") from None
        found.append(FolderFile(name, info.st_mtime_ns, info.st_size))
    found.sort(key=lambda f: f.name)
    return found


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_card(path: Path, data: bytes) -> Person:
    """The one card in a vdir file, or InvalidInput naming the file (and line) when it is not one."""
    got = read_vcards(data, str(path))
    if got.problems:
        raise InvalidInput(f"{got.problems[0]}; nothing synced (fix or move the file, then sync again)")
    if len(got.people) != 1:
        raise InvalidInput(
            f"{path}: holds {len(got.people)} cards; a synced folder has one card per file (nothing synced)"
        )
    return got.people[0]


# ---------------------------------------------------------------- what the folder changed


def _address_tuple(a: Address) -> list[str]:
    return [a.street, a.extended, a.city, a.region, a.postal_code, a.country]


def card_state(person: Person) -> str:
    """What cardkeep read from a card (the fields it keeps), as JSON: the base of the next sync."""
    return json.dumps(
        {
            "name": person.name,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "nickname": person.nickname,
            "salutation": person.salutation,
            "emails": person.emails,
            "phones": person.phones,
            "addresses": [_address_tuple(a) for a in person.addresses],
            "dates": [[kind, str(date), label] for kind, date, label in person.dates],
            "notes": person.notes,
            "tags": person.tags,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def folder_changes(person: Person, base: str | None, book_name: str) -> tuple[Person, list[str]]:
    """The card as the book should take it: only what changed since `base` (`card_state` at the last
    sync; None: everything, as an import), and those changes in words. A field the folder did not
    change is left out, so the book's own edit of it stands."""
    if base is None:
        return person, []
    old = json.loads(base)
    changed: list[str] = []
    delta = replace(person, emails=[], phones=[], addresses=[], dates=[], notes=[], tags=[])
    for attr in ("name", "given_name", "family_name", "nickname", "salutation"):
        if getattr(person, attr) == old.get(attr):
            setattr(delta, attr, None)
        else:
            changed.append(attr.replace("_", " "))
    delta.name = person.name if "name" in changed else book_name
    for attr in ("emails", "phones"):
        if getattr(person, attr) != old.get(attr):
            setattr(delta, attr, list(getattr(person, attr)))
            changed.append(attr)
    if [_address_tuple(a) for a in person.addresses] != old.get("addresses"):
        delta.addresses = list(person.addresses)
        changed.append("address")
    old_dates = {tuple(d) for d in old.get("dates", [])}
    delta.dates = [d for d in person.dates if (d[0], str(d[1]), d[2]) not in old_dates]
    changed += [label or kind for kind, _, label in delta.dates]
    delta.notes = [n for n in person.notes if n not in old.get("notes", [])]
    changed += ["note"] * bool(delta.notes)
    delta.tags = [t for t in person.tags if t not in old.get("tags", [])]
    changed += [f"tag {t}" for t in delta.tags]
    return delta, changed


# ---------------------------------------------------------------- writing the book's changes into a card

# Property classes cardkeep owns; a class holds one value (replaced whole) or many (line by line).
_CLASS = {"DEATHDATE": "DEATH", "X-CARDKEEP-DECEASED-ON": "DEATH", "X-ADDRESSBOOKSERVER-KIND": "KIND",
          "X-ADDRESSBOOKSERVER-MEMBER": "MEMBER", "X-ABDATE": "DATE", **dict.fromkeys(ANNIVERSARY_PROPS, "DATE")}
_SINGLE = {"UID", "FN", "N", "NICKNAME", "BDAY", "CATEGORIES", "KIND", "DEATH", "X-CARDKEEP-SALUTATION",
           "X-CARDKEEP-STATUS", "X-CARDKEEP-MAILING-NAME"}
_MANY = {"EMAIL", "TEL", "ADR", "NOTE", "DATE", "MEMBER"}
_START = re.compile(rb"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]")
_NOT_DIGIT = re.compile(r"[^0-9+]")
_PUNCTUATION = re.compile(r"[\W_]+")


def _norm(text: str) -> str:
    return _PUNCTUATION.sub(" ", text.casefold()).strip()


def _key(prop: Prop) -> tuple[str, str] | None:
    """(class, value as compared) for a property cardkeep owns; None for any other."""
    kind = _CLASS.get(prop.name, prop.name)
    if kind not in _SINGLE and kind not in _MANY:
        return None
    text = prop.text()
    if kind == "EMAIL":
        value = unescape(text).strip().lower()
    elif kind == "TEL":
        value = _NOT_DIGIT.sub("", unescape(text).strip().removeprefix("tel:"))
    elif kind == "ADR":
        parts = (split_escaped(text, ";") + [""] * 7)[:7]
        street = parts[2] or parts[0]
        value = "|".join(_norm(p) for p in (street, parts[3], parts[5]))
    elif kind in ("BDAY", "DATE", "DEATH"):
        raw = unescape(text).strip()
        value = str(parse_date(raw, prop.params) or raw)
    elif kind == "N":
        value = "|".join(" ".join(p.split()) for p in (split_escaped(text, ";") + ["", ""])[:2])
    elif kind == "CATEGORIES":
        value = ",".join(sorted({t for t in (clean_tag(p) for p in unescape(text).split(",")) if t}))
    elif kind == "MEMBER":
        value = text.strip().lower().removeprefix("urn:uuid:")
    elif kind == "NOTE":
        value = note_key(unescape(text))
    else:
        value = " ".join(unescape(text).split()).lower() if kind == "KIND" else " ".join(unescape(text).split())
    return kind, value


@dataclass
class _Line:
    raw: bytes  # the physical lines as in the file, line ends included
    prop: Prop | None
    key: tuple[str, str] | None


def _lines(data: bytes) -> list[_Line]:
    """A card's content lines, each with its folded continuation lines, as they are in the file."""
    blocks: list[bytes] = []
    for physical in data.splitlines(keepends=True):
        content = physical.rstrip(b"\r\n")
        if blocks and (content[:1] in (b" ", b"\t") or (content and not _START.match(content))):
            blocks[-1] += physical  # a folded line, a quoted-printable or base64 continuation
        else:
            blocks.append(physical)
    out = []
    for block in blocks:
        logical = logical_lines(block)
        prop = parse_line(*logical[0]) if logical else None
        out.append(_Line(block, prop, _key(prop) if prop else None))
    return out


def _eol(data: bytes) -> bytes:
    return b"\r\n" if b"\r\n" in data[:200] or b"\n" not in data[:200] else b"\n"


def patch_card(original: bytes, old: str | None, new: str) -> bytes:
    """`original` (a card file) with what the book changed from `old` (the card cardkeep wrote at the
    last sync; None when there was none) to `new` (the card now) written into it.

    A value the book removed is removed from the card when it is still there; a value the book added is
    appended unless the card has it already; a one-value property the book changed (the name, the
    birthday, the tags) replaces the card's. Everything else is kept as it is, byte for byte."""
    lines = _lines(original)
    new_lines = [line for line in _lines(new.encode("utf-8")) if line.key or _is_label(line)]
    old_keys = {line.key for line in _lines(old.encode("utf-8")) if line.key} if old is not None else set()
    new_keys = {line.key for line in new_lines if line.key}
    have = {line.key for line in lines if line.key}
    replaced = set()
    for kind in _SINGLE:
        was = {k for k in old_keys if k[0] == kind}
        now = {k for k in new_keys if k[0] == kind}
        if (was != now if old is not None else now and not now <= have) and kind != "UID":
            replaced.add(kind)
    gone = {k for k in old_keys - new_keys if k[0] in _MANY}
    dropped_groups = set()
    kept: list[_Line] = []
    for line in lines:
        if line.key and (line.key[0] in replaced or line.key in gone):
            if line.prop and line.prop.group:
                dropped_groups.add(line.prop.group)
            continue
        kept.append(line)
    kept = [line for line in kept if not (line.prop and line.prop.group in dropped_groups and _is_label(line))]
    have = {line.key for line in kept if line.key}
    eol = _eol(original)
    used = {line.prop.group for line in kept if line.prop and line.prop.group}
    added: list[bytes] = []
    renamed: dict[str, str] = {}
    for line in new_lines:
        group = line.prop.group if line.prop else ""
        if line.key:
            wanted = line.key[0] in replaced or (line.key not in old_keys)
            if not wanted or line.key in have:
                if group:
                    renamed[group] = ""  # its label goes with it
                continue
            have.add(line.key)
        elif renamed.get(group) == "":
            continue
        raw = line.raw.rstrip(b"\r\n").replace(b"\r\n", eol)
        if group:
            if group not in renamed:
                renamed[group] = _free_group(used)
            raw = renamed[group].encode("ascii") + raw[len(group) :]
        added.append(raw + eol)
    if not added and len(kept) == len(lines):
        return original
    end = next((i for i in range(len(kept) - 1, -1, -1) if kept[i].prop and kept[i].prop.name == "END"), len(kept))
    if end < len(kept) and end > 0 and not kept[end - 1].raw.endswith(b"\n"):
        kept[end - 1] = _Line(kept[end - 1].raw + eol, kept[end - 1].prop, kept[end - 1].key)
    return b"".join(line.raw for line in kept[:end]) + b"".join(added) + b"".join(line.raw for line in kept[end:])


def _is_label(line: _Line) -> bool:
    return bool(line.prop and line.prop.group and line.prop.name in ("X-ABLABEL", "X-ABADR"))


def _free_group(used: set[str]) -> str:
    number = 1
    while f"item{number}" in used:
        number += 1
    used.add(f"item{number}")
    return f"item{number}"


def card_version(data: bytes | None) -> str:
    """The vCard version to write into an existing card: 4.0 when it is one, else 3.0."""
    return "4.0" if data and re.search(rb"(?im)^VERSION:\s*4\.0", data) else "3.0"

