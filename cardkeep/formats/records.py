"""What every contact reader produces, and the registry of readers.

Readers (`vcard.py`, `csvfile.py`) turn the bytes of one file into `Person` records and `Problem`s
(a malformed record: file, line, name). They import this module; this module never imports them
at load time. `readers()` imports the modules named in `READER_MODULES` on first use, and each
registers its reader with `@reader`. What happens to the people read (matching, households, the
one transaction) is `cardkeep.formats.matching` and `cardkeep.formats.apply`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cardkeep.dates import PartialDate
from cardkeep.errors import InvalidInput, UsageError

# ---------------------------------------------------------------- what readers produce


@dataclass
class Address:
    """A postal address as a file wrote it; `country` is free text (a name or a code)."""

    street: str = ""
    extended: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    types: tuple[str, ...] = ()  # lower-case: home, work, pref, ...

    def has_text(self) -> bool:
        return any(p and not p.isspace() for p in (self.street, self.extended, self.city, self.region,
                                                     self.postal_code, self.country))

    def text(self) -> str:
        parts = [self.street, self.extended, self.city, self.region, self.postal_code, self.country]
        return ", ".join(" ".join(p.split()) for p in parts if p and p.strip())


@dataclass
class Person:
    """One contact (or, with kind "group", one household) read from a file."""

    name: str
    source: str  # "file.vcf, line 12": where to point the user
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    salutation: str | None = None  # cardkeep's own X-CARDKEEP-SALUTATION ("Aunt Rosa")
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    dates: list[tuple[str, PartialDate, str | None]] = field(default_factory=list)  # (kind, date, label)
    notes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    uid: str | None = None
    kind: str = "individual"  # or "group"
    members: list[str] = field(default_factory=list)  # member UIDs, for groups
    mailing_name: str | None = None  # an explicit household name (groups); "" for "generate it"
    status: str | None = None  # contact status (household status, for groups)
    household: str | None = None  # people with the same key (within one import) share a household
    deceased_on: str | None = None  # YYYY-MM-DD
    # Set by matching: (the free text, the address read from it), for the dry run to show.
    split_address: tuple[str, dict[str, Any]] | None = None


@dataclass
class Problem:
    """A record that cannot be imported: where it is and why."""

    file: str
    line: int | None
    message: str
    name: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        who = f" ({self.name})" if self.name else ""
        return f"{where}: {self.message}{who}"


@dataclass
class ReadResult:
    people: list[Person] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- reader registry

ReaderFn = Callable[..., ReadResult]


@dataclass(frozen=True)
class Reader:
    name: str
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    read: ReaderFn


# The modules whose readers register themselves, in the order they are tried when sniffing.
READER_MODULES = ("cardkeep.formats.csvfile", "cardkeep.formats.vcard")

_REGISTERED: list[Reader] = []


def reader(name: str, *, extensions: tuple[str, ...], sniff: Callable[[bytes], bool]):
    """Register a file reader: `read(data: bytes, source: str, **options) -> ReadResult`."""

    def register(fn: ReaderFn) -> ReaderFn:
        _REGISTERED.append(Reader(name, extensions, sniff, fn))
        return fn

    return register


@cache
def readers() -> tuple[Reader, ...]:
    """Every registered reader (importing the reader modules the first time)."""
    for module in READER_MODULES:
        importlib.import_module(module)
    return tuple(sorted(_REGISTERED, key=lambda r: READER_MODULES.index(r.read.__module__)))


def reader_for(path: Path, data: bytes, fmt: str = "auto") -> Reader:
    known = readers()
    if fmt != "auto":
        for candidate in known:
            if candidate.name == fmt:
                return candidate
        raise UsageError(f"--format {fmt!r}: choose auto, {', '.join(r.name for r in known)} or json")
    suffix = path.suffix.lower()
    for candidate in known:
        if suffix in candidate.extensions:
            return candidate
    for candidate in known:
        if candidate.sniff(data):
            return candidate
    raise InvalidInput(f"{path}: cannot tell what format this is; use --format vcard, csv or json")


FOLDER_SUFFIXES = (".vcf", ".vcard", ".csv", ".json")


def expand_paths(paths: Iterable[str]) -> list[Path]:
    """Files as given, and the contact files inside a folder (a vdir), in a stable order."""
    files: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in FOLDER_SUFFIXES
            )
            if not inside:
                raise InvalidInput(f"{path}: the folder has no .vcf, .csv or .json files to import")
            files.extend(inside)
        elif path.exists():
            files.append(path)
        else:
            raise InvalidInput(f"{path}: no such file or folder")
    return files


# ---------------------------------------------------------------- shared helpers for readers


def clean_tag(text: str) -> str | None:
    """A category as a tag: one lower-case word ("Close Friends" -> close-friends)."""
    tag = re.sub(r"\s+", "-", text.strip().lower()).strip("-")
    return tag or None


def utf8_bytes(data: bytes) -> bytes:
    """UTF-16 and UTF-32 files (BOM or NUL bytes) become UTF-8; a UTF-8 BOM is dropped.

    A truncated file (an odd byte at the end) is read as far as it goes, never a crash."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE starts both
        return data.decode("utf-32", errors="replace").encode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace").encode("utf-8")
    if b"\x00" in data[:400]:
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(encoding, errors="replace").encode("utf-8")
    return data[3:] if data.startswith(codecs.BOM_UTF8) else data


def make_date(year: int | None, month: int, day: int) -> PartialDate | None:
    """A PartialDate when the day exists (29 February without a year does), else None."""
    try:
        dt.date(year if year is not None else 2000, month, day)
    except (ValueError, TypeError):
        return None
    return PartialDate(month, day, year)
