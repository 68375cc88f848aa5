"""CSV: contacts from Google, Outlook (also localised), Thunderbird or any spreadsheet, and CSV out.

Import recognises a file by its header: every known column name (English, German, French,
Spanish, Italian and Dutch Outlook; Google's numbered `E-mail 1 - Value` / `Address 1 - Street`
columns; Thunderbird's `Primary Email`, `Birth Year`...) maps to one field. Any other spreadsheet
is read with `--map COLUMN=FIELD` (FIELD is one of `MAP_FIELDS`); an unrecognised file is an error
that lists its columns. Rows with the same value in a `household` column share a household. Dates may be `YYYY-MM-DD`, `DD.MM.YYYY`, `--MM-DD` or with slashes: a file
whose slash dates have a day above 12 in first place is read day first, above 12 in second place
month first, and an undecided file day first (Outlook's English header: month first).

Every CSV cardkeep writes (`cardkeep.formats.csvwrite`: its own household and contact rows, the
Google, Outlook and mail-merge profiles) reads back: a `members` column (the household rows, the
mail merge) gives a person per name, in one household; Google's `Event 1 - Value` columns are dates
and its custom field `cardkeep UID` the UID. The `'` the writer puts before a cell a spreadsheet
would run is stripped again.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cardkeep import model
from cardkeep.dates import PartialDate
from cardkeep.errors import InvalidInput, UsageError
from cardkeep.formats.csvwrite import FORMULA_START, neutralise  # noqa: F401  (neutralise: the writer's, re-exported)
from cardkeep.formats.records import Address, Person, Problem, ReadResult, clean_tag, make_date, reader, utf8_bytes
from cardkeep.model import is_cjk
from cardkeep.paths import DATA_DIR
from cardkeep.store import book

MAP_FIELDS = (
    "name",
    "given_name",
    "middle_name",
    "family_name",
    "nickname",
    "email",
    "phone",
    "street",
    "extended",
    "city",
    "region",
    "postal_code",
    "country",
    "birthday",
    "anniversary",
    "notes",
    "tags",
    "uid",
    "ignore",
)
ADDRESS_PARTS = model.ADDRESS_FIELDS


def _key(header: str) -> str:
    """A header as compared: folded, punctuation to spaces ("E-mail Address" -> "e mail address")."""
    return re.sub(r"[\W_]+", " ", book.fold(header)).strip()


@cache
def header_fields() -> dict[str, str]:
    """Every known column name (as `_key` compares it) -> its field, or "home.street", "work.city"...

    The names are data, `cardkeep/data/csv_headers.json`; the first field to claim a name wins."""
    data = json.loads((DATA_DIR / "csv_headers.json").read_text(encoding="utf-8"))
    fields: dict[str, str] = {}
    for field_name, names in data["fields"].items():
        for name in names:
            fields.setdefault(name, field_name)
    for kind, parts in data["addresses"].items():
        for part, names in parts.items():
            for name in names:
                fields.setdefault(name, f"{kind}.{part}")
    return fields


# Google's numbered columns: "E-mail 1 - Value", "Address 2 - Street", "Address 1 - Label",
# "Event 1 - Value", "Custom Field 1 - Label".
_GOOGLE = re.compile(r"^(e mail|phone|address|event|custom field) (\d+) (.+)$")
_GOOGLE_ADDRESS = {
    "street": "street",
    "extended address": "extended",
    "city": "city",
    "region": "region",
    "postal code": "postal_code",
    "country": "country",
    "po box": "pobox",
    "label": "label",
    "type": "label",
    "formatted": "formatted",
}


@dataclass
class Columns:
    """Which column holds what, for one file."""

    fields: dict[int, str] = field(default_factory=dict)  # column index -> field or "home.street" ...
    month_first: bool | None = None
    english_outlook: bool = False  # US Outlook writes dates month first

    def recognised(self) -> bool:
        names = {"name", "given_name", "family_name", "email", "members"}
        return any(f in names or f.startswith("g.e mail") for f in self.fields.values())


def map_columns(headers: list[str], mapping: dict[str, str]) -> Columns:
    keys = [_key(h) for h in headers]
    known = header_fields()
    columns = Columns()
    for index, key in enumerate(keys):
        if key in known:
            columns.fields[index] = known[key]
            continue
        match = _GOOGLE.match(key)
        if match:
            kind, number, part = match.groups()
            if kind == "address" and part in _GOOGLE_ADDRESS:
                columns.fields[index] = f"g.address.{number}.{_GOOGLE_ADDRESS[part]}"
            elif kind in ("event", "custom field") and part in ("label", "value"):
                columns.fields[index] = f"g.{kind}.{number}.{part}"
            elif part == "value":
                columns.fields[index] = f"g.{kind}"
    claimed = [f for f in columns.fields.values()]
    for index, key in enumerate(keys):
        # "address" next to "street" (cardkeep's household rows): the formatted block, not the street
        if key == "address" and columns.fields.get(index) == "home.street" and claimed.count("home.street") > 1:
            columns.fields[index] = "home.formatted"
    lowered = {h.strip().lower(): i for i, h in enumerate(headers)}
    for column, target in mapping.items():
        index = lowered.get(column.strip().lower())
        if index is None:
            raise UsageError(
                f"--map {column}={target}: the file has no column {column!r} (it has: {', '.join(headers)})"
            )
        if target == "ignore":
            columns.fields.pop(index, None)
        elif target in ADDRESS_PARTS:
            columns.fields[index] = f"home.{target}"
        else:
            columns.fields[index] = target
    columns.english_outlook = bool({"e mail address", "home street", "business street"} & set(keys))
    return columns


def parse_map(items: list[str] | None) -> dict[str, str]:
    mapping = {}
    for item in items or []:
        column, sep, target = item.partition("=")
        target = target.strip().lower().replace("-", "_")
        if not sep or not column.strip():
            raise UsageError(f"--map {item!r}: use COLUMN=FIELD, for example --map 'Surname=family_name'")
        if target not in MAP_FIELDS:
            raise UsageError(f"--map {item!r}: FIELD must be one of {', '.join(MAP_FIELDS)}")
        mapping[column.strip()] = target
    return mapping


# ---------------------------------------------------------------- reading


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), UTF-16 or UTF-32, else cp1252 (what Excel writes on Windows)."""
    data = utf8_bytes(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$")
_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_NO_YEAR = re.compile(r"^--(\d{1,2})-?(\d{2})$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= 30 else 1900
    return year


def parse_date(text: str, *, month_first: bool = False) -> PartialDate | None | str:
    """A PartialDate, None for an empty date (Outlook's `0/0/00`), or "bad"."""
    text = text.strip()
    if not text or re.fullmatch(r"[0/.\-]+", text):
        return None
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NO_YEAR.match(text):
        return make_date(None, int(match.group(1)), int(match.group(2))) or "bad"
    elif match := _DOTS.match(text):
        day, month, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
    elif match := _SLASH.match(text):
        first, second, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        month, day = (first, second) if month_first else (second, first)
    else:
        return "bad"
    return make_date(year, month, day) or "bad"


def _slash_order(rows: list[list[str]], columns: Columns) -> bool:
    """True when the file's slash dates are month first."""
    date_columns = [i for i, f in columns.fields.items() if f in ("birthday", "anniversary")]
    day_first = month_first = False
    for row in rows:
        for i in date_columns:
            match = _SLASH.match(row[i].strip()) if i < len(row) else None
            if match:
                first, second = int(match.group(1)), int(match.group(2))
                day_first |= first > 12
                month_first |= second > 12
    if day_first != month_first:
        return month_first
    return columns.english_outlook


def _cell(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        value = value[1:]  # our own export's formula guard
    return value.strip()


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"\s*(?::::|;|,)\s*", value) if v.strip()]


def sniff(data: bytes) -> bool:
    """A first line of comma-, semicolon- or tab-separated column names (and not a vCard or JSON)."""
    try:
        head = decode(data[:4000])
    except UnicodeDecodeError:
        return False
    first = head.lstrip().split("\n", 1)[0]
    return bool(first) and first[0] not in "{[" and "BEGIN:VCARD" not in head.upper() and _delimiter(first) in first


@reader("csv", extensions=(".csv", ".tsv"), sniff=sniff)
def read_csv(data: bytes, source: str, *, mapping: dict[str, str] | None = None, **_options: Any) -> ReadResult:
    """People from a CSV export; rows without any name or e-mail are problems (file and line)."""
    text = decode(data)
    if not text.strip():
        raise InvalidInput(f"{source}: the file is empty")
    first_line = text.split("\n", 1)[0]
    # strict: an unclosed quote is an error with its line, not the rest of the file read as one cell
    rows_reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True)
    try:
        headers = next(rows_reader)
        numbered: list[tuple[int, list[str]]] = []
        start = rows_reader.line_num + 1
        for row in rows_reader:
            numbered.append((start, row))
            start = rows_reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"{source}, line {rows_reader.line_num}: not valid CSV ({exc})") from None
    columns = map_columns(headers, mapping or {})
    if not columns.recognised():
        shown = ", ".join(repr(h) for h in headers if h.strip())
        raise InvalidInput(
            f"{source}: cardkeep does not recognise these columns: {shown}. Say which column holds what with "
            f"--map, for example --map 'Full name=name' --map 'Town=city' (fields: {', '.join(MAP_FIELDS)})"
        )
    columns.month_first = _slash_order([r for _, r in numbered], columns)
    result = ReadResult()
    for line, row in numbered:
        if not any(cell.strip() for cell in row):
            continue
        person = _row_person(row, columns, f"{source}, line {line}", result.warnings)
        if person is None:
            result.problems.append(Problem(source, line, "the row has no name and no e-mail address"))
        else:
            result.people += _with_members(person, row, columns)
    return result


def _with_members(person: Person, row: list[str], columns: Columns) -> list[Person]:
    """A household row (a `members` column: "Ada Okafor; Ben Okafor") is a person per name, in one
    household at the row's address; any other row is the one person."""
    index = next((i for i, f in columns.fields.items() if f == "members"), None)
    names = [n.strip() for n in _cell(row[index]).split(";") if n.strip()] if index is not None and index < len(row) else []
    if not names:
        return [person]
    person.household = person.household or f"{person.source}#members"
    out = []
    for name in names:
        out.append(Person(name=name, source=person.source, addresses=list(person.addresses), tags=list(person.tags),
                          household=person.household, mailing_name=person.mailing_name,
                          status=person.status if person.status in model.CONTACT_STATUSES else None))
    return out


def _row_person(row: list[str], columns: Columns, where: str, warnings: list[str]) -> Person | None:
    values: dict[str, list[str]] = {}
    for index, name in columns.fields.items():
        if index < len(row) and _cell(row[index]):
            values.setdefault(name, []).append(_cell(row[index]))

    def one(name: str) -> str:
        return " ".join(" ".join(values.get(name, [])).split())

    emails = [e for v in values.get("email", []) + values.get("g.e mail", []) for e in _split_list(v) if "@" in e]
    emails += [v for v in values.get("email", []) if "@" not in v and v not in emails]
    given, middle, family = one("given_name"), one("middle_name"), one("family_name")
    name = one("name") or (one("members").split(";")[0].strip() if one("members") else "")
    if not name:
        parts = [given, middle, family]
        name = (f"{family} {given}" if is_cjk(family + given) else " ".join(p for p in parts if p)).strip()
    name = name or (emails[0] if emails else "")
    if not name:
        return None
    person = Person(
        name=name,
        source=where,
        given_name=given or None,
        family_name=family or None,
        nickname=one("nickname") or None,
        emails=list(dict.fromkeys(emails)),
    )
    for value in values.get("phone", []) + values.get("g.phone", []):
        for phone in re.split(r"\s*(?::::|;)\s*", value):
            if phone and phone not in person.phones:
                person.phones.append(phone)
    person.addresses = _addresses(values)
    for kind in ("birthday", "anniversary"):
        for value in values.get(kind, [])[:1]:
            _add_date(person, kind, value, columns, warnings)
    if values.get("birth_month") and values.get("birth_day"):
        year = values.get("birth_year", [""])[0]
        try:
            date = make_date(int(year) if year else None, int(values["birth_month"][0]), int(values["birth_day"][0]))
        except ValueError:
            date = None
        if date:
            person.dates.append(("birthday", date, None))
        else:
            warnings.append(
                f"{where}: birthday {year}-{values['birth_month'][0]}-{values['birth_day'][0]} is not a date"
            )
    for note in values.get("notes", []):
        person.notes.append(note.replace("\r\n", "\n"))
    for value in values.get("tags", []):
        for part in _split_list(value):
            part = part.lstrip("* ").strip()
            tag = clean_tag(part)
            if tag and tag not in ("mycontacts", "starred") and tag not in person.tags:
                person.tags.append(tag)
    person.uid = one("uid") or _google_custom(values, "cardkeep uid") or None
    _google_events(person, values, columns, warnings)
    if one("household"):
        person.household = f"{where.rsplit(', line', 1)[0]}#{one('household')}"
    if one("household") or one("members"):
        person.mailing_name = one("mailing_name") or None
    if one("status") in model.CONTACT_STATUSES:
        person.status = one("status")
    return person


def _numbered(values: dict[str, list[str]], kind: str) -> list[tuple[str, str]]:
    """(label, value) of Google's numbered columns of one kind ("event", "custom field"), in order."""
    found: dict[int, dict[str, str]] = {}
    for name, items in values.items():
        if name.startswith(f"g.{kind}."):
            number, part = name[len(kind) + 3 :].split(".", 1)
            found.setdefault(int(number), {})[part] = items[0]
    return [(found[n].get("label", ""), found[n].get("value", "")) for n in sorted(found)]


def _google_custom(values: dict[str, list[str]], label: str) -> str:
    return next((v for lab, v in _numbered(values, "custom field") if _key(lab) == label and v), "")


def _google_events(person: Person, values: dict[str, list[str]], columns: Columns, warnings: list[str]) -> None:
    """Google's `Event N - Label` / `Event N - Value`: an anniversary, or a date with its label."""
    for label, value in _numbered(values, "event"):
        if not value:
            continue
        kind, own = _key(label), None
        if match := re.fullmatch(r"(\w+) \((.+)\)", label.strip()):  # "Anniversary (wedding)"
            kind, own = _key(match.group(1)), match.group(2)
        if kind not in model.DATE_KINDS or kind == "custom":
            kind, own = "custom", (label.strip() if _key(label) not in ("other", "custom", "") else None)
        date = parse_date(value, month_first=bool(columns.month_first))
        if isinstance(date, PartialDate):
            person.dates.append((kind, date, own))
        elif date == "bad":
            person.notes.append(f"{label or 'date'}: {value}")
            warnings.append(f"{person.source}: {label or 'date'} {value!r} is not a date; kept as a note")


def _add_date(person: Person, kind: str, value: str, columns: Columns, warnings: list[str]) -> None:
    date = parse_date(value, month_first=bool(columns.month_first))
    if date == "bad":
        person.notes.append(f"{kind}: {value}")
        warnings.append(f"{person.source}: {kind} {value!r} is not a date; kept as a note")
    elif isinstance(date, PartialDate):
        person.dates.append((kind, date, None))


def _addresses(values: dict[str, list[str]]) -> list[Address]:
    found: dict[str, dict[str, str]] = {}
    for name, items in values.items():
        text = "\n".join(items)
        if name.startswith(("home.", "work.", "other.")):
            kind, part = name.split(".", 1)
            found.setdefault(kind, {})[part] = text
        elif name.startswith("g.address."):
            _, _, number, part = name.split(".", 3)
            found.setdefault(f"g{number}", {})[part] = text
    addresses = []
    for kind, parts in found.items():
        label = parts.get("label", "").lstrip("* ").strip().lower()
        types = (kind,) if kind in ("home", "work", "other") else ((label,) if label else ())
        street = parts.get("street", "")
        if not street and parts.get("pobox"):
            street = parts["pobox"]
        if not street and parts.get("formatted") and not parts.get("city"):
            street = parts["formatted"]  # only a formatted block: keep it (stored as a note)
        address = Address(
            street=street,
            extended=parts.get("extended", ""),
            city=parts.get("city", ""),
            region=parts.get("region", ""),
            postal_code=parts.get("postal_code", ""),
            country=parts.get("country", ""),
            types=types,
        )
        if address.text():
            addresses.append(address)
    return addresses
