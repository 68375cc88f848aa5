"""CSV out: cardkeep's own rows (per household or per person) and the profiles other programs read.

- `cardkeep` (the default): a row per household (mailing name, the address formatted for its
  country and in parts, members) or per person (with the UID a re-import matches first, and the
  notes in one quoted cell).
- `google`: Google Contacts' CSV header (2020+: `First Name`, `E-mail 1 - Value`,
  `Address 1 - Formatted`...), a row per person; the UID in a custom field so a re-import matches.
- `outlook`: Outlook's CSV header (Microsoft's import/export column names, dates month first).
- `mailmerge`: a row per household for a word processor's mail merge: salutation ("Ada & Ben"),
  mailing name and the address as the envelope's lines (each a column), then the parts. Households
  marked do-not-send and people who died or are not to be written to are left out unless `everyone`.

Every one of them imports back into cardkeep (`cardkeep.formats.csvfile` reads these headers).

Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula, so such a cell is written with a `'` in front (import strips it again), except a phone
number or a date ("+1 555 0100", "--04-15"), which holds nothing a spreadsheet could run: no stray
apostrophes in them. A postal code with a leading zero (a US ZIP "02134") is text in the envelope
lines, which is what a mail merge prints; a spreadsheet that opens the file turns the separate
`Postal Code` column into a number unless that column is imported as text.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from cardkeep.dates import PartialDate
from cardkeep.errors import UsageError
from cardkeep.formats.csvprofiles import address_lines, format_address, google_rows, outlook_rows
from cardkeep.model import ADDRESS_FIELDS
from cardkeep.store import book

PROFILES = ("cardkeep", "google", "outlook", "mailmerge")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone number ("+49 30 1234") or a year-less date ("--04-15"): nothing a spreadsheet could run.
_HARMLESS = re.compile(r"\+\d[\d\s().\-/]*|--\d{2}-?\d{2}")


def neutralise(value: Any) -> str:
    """A cell a spreadsheet will show, never run: `=1+1` becomes `'=1+1`; "+1 555 0100" stays."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_START and not _HARMLESS.fullmatch(text):
        return "'" + text
    return text


def _date_text(dates: list[dict[str, Any]], kind: str) -> str:
    for d in dates:
        if d["kind"] == kind and not d.get("label") and d.get("month"):
            return str(PartialDate(d["month"], d["day"], d["year"]))
    return ""


def _writer() -> tuple[io.StringIO, Any]:
    out = io.StringIO()
    return out, csv.writer(out, lineterminator="\r\n")


def export_csv(
    households: list[dict[str, Any]],
    *,
    per: str = "household",
    profile: str = "cardkeep",
    home: str | None = None,
    language: str = "en",
    everyone: bool = False,
) -> str:
    """CSV text for `profile` (see the module docstring). `per` (household or contact) is for the
    cardkeep profile; `home` is the sender's country (addresses there get no country line);
    `everyone` keeps do-not-send households and the deceased in a mail merge."""
    if profile not in PROFILES:
        raise UsageError(f"--profile {profile!r}: choose {', '.join(PROFILES)}")
    if per not in ("household", "contact"):
        raise UsageError(f"--per {per!r}: choose household or contact")
    if profile == "google":
        return _rows(google_rows(households))
    if profile == "outlook":
        return _rows(outlook_rows(households))
    if profile == "mailmerge":
        return _rows(mailmerge_rows(households, home=home, language=language, everyone=everyone))
    if per == "household":
        return _rows(household_rows(households, home=home, language=language))
    return _rows(contact_rows(households))


def _rows(rows: Any) -> str:
    out, writer = _writer()
    for row in rows:
        writer.writerow(neutralise(v) for v in row)
    return out.getvalue()


HOUSEHOLD_COLUMNS = (
    "id", "mailing_name", "address", "street", "extended", "city", "region", "postal_code", "country", "members",
    "tags", "status",
)


def household_rows(households: list[dict[str, Any]], *, home: str | None, language: str) -> Any:
    yield HOUSEHOLD_COLUMNS
    for house in households:
        address = house.get("address") or {}
        yield (
            book.hid(house["id"]),
            house["display_name"],
            format_address(address, house["display_name"], home=home, language=language) if address else "",
            *(address.get(k) for k in ADDRESS_FIELDS),
            "; ".join(m["name"] for m in house["members"]),
            " ".join(house["tags"]),
            house["status"],
        )


CONTACT_COLUMNS = (
    "id", "name", "given_name", "family_name", "nickname", "household", "mailing_name", "email", "phone",
    "birthday", "anniversary", "street", "extended", "city", "region", "postal_code", "country", "tags", "status",
    "notes", "uid",
)
# Headers the importer reads back (a per-contact export imports into a new book).
HEADERS = {
    "name": "Name", "given_name": "First Name", "family_name": "Last Name", "nickname": "Nickname",
    "email": "E-mail", "phone": "Phone", "birthday": "Birthday", "anniversary": "Anniversary", "street": "Street",
    "extended": "Extended", "city": "City", "region": "Region", "postal_code": "Postal Code", "country": "Country",
    "tags": "Tags", "notes": "Notes", "uid": "UID",
}


def contact_rows(households: list[dict[str, Any]]) -> Any:
    yield tuple(HEADERS.get(c, c) for c in CONTACT_COLUMNS)
    for house in households:
        address = house.get("address") or {}
        for m in house["members"]:
            tags = sorted(set(m["tags"]) | set(house["tags"]))
            row = {
                "id": book.cid(m["id"]),
                "name": m["name"],
                "given_name": m["given_name"],
                "family_name": m["family_name"],
                "nickname": m["nickname"],
                "household": book.hid(house["id"]),
                "mailing_name": house["display_name"],
                "email": "; ".join(m["emails"]),
                "phone": "; ".join(m["phones"]),
                "birthday": _date_text(m["dates"], "birthday"),
                "anniversary": _date_text(m["dates"], "anniversary"),
                "tags": "; ".join(tags),
                "status": m["status"],
                # one cell (quoted: a line break in it never starts a row); a blank line between notes
                "notes": "\n\n".join(n["text"] for n in m["notes"]),
                "uid": m["uid"],
                **{k: address.get(k) for k in ADDRESS_FIELDS},
            }
            yield tuple(row[c] for c in CONTACT_COLUMNS)


MAILMERGE_LINES = 6  # envelope lines after the name: enough for any country's format


def mailmerge_rows(households: list[dict[str, Any]], *, home: str | None, language: str, everyone: bool) -> Any:
    """Household id, salutation, mailing name, the envelope's address lines, the address in parts,
    the members (so that the file imports back) and the status."""
    from cardkeep.drafts.render import salutation_name

    yield (
        "Household", "Salutation", "Mailing Name", *(f"Address Line {i}" for i in range(1, MAILMERGE_LINES + 1)),
        "Street", "Extended", "City", "Region", "Postal Code", "Country", "Members", "Status",
    )
    for house in households:
        members = house["members"]
        if not everyone:
            if house["status"] == "do-not-send":
                continue
            members = [m for m in members if m["status"] == "active"]
            if not members:
                continue
        mailing = house["mailing_name"] or book.generated_mailing_name(members)
        address = house.get("address") or {}
        lines = address_lines(address, None, home=home, language=language) if address else []
        if len(lines) > MAILMERGE_LINES:
            lines = [*lines[: MAILMERGE_LINES - 1], ", ".join(lines[MAILMERGE_LINES - 1 :])]
        yield (
            book.hid(house["id"]),
            salutation_name(members, mailing),
            mailing,
            *lines,
            *[""] * (MAILMERGE_LINES - len(lines)),
            *(address.get(k) for k in ADDRESS_FIELDS),
            "; ".join(m["name"] for m in members),
            house["status"],
        )
