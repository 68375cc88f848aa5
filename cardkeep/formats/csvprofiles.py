"""The Google Contacts and Outlook CSV profiles of `cardkeep export --format csv --profile ...`.

The headers are those programs' own, so that their import maps every column without asking:

- Google Contacts (the 2020+ export: `First Name`, `Labels`, `E-mail 1 - Label`,
  `E-mail 1 - Value`, `Address 1 - Formatted`, `Event 1 - Value`...): dates as `YYYY-MM-DD`, a
  year-less one as `--MM-DD` (what Google writes), tags as labels (`* myContacts ::: family`), and
  the UID as a custom field, which `cardkeep import` matches first.
- Outlook (the column names of Microsoft's "Create or edit .csv files to import into Outlook",
  in its order): dates month first (`3/14/1978`), as Outlook writes them; a date without a year
  has no Outlook form and goes in the notes; tags as categories.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cardkeep.countries import UNKNOWN
from cardkeep.dates import PartialDate

GOOGLE_NAMES = (
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name", "Phonetic Last Name",
    "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name", "Organization Title",
    "Organization Department", "Birthday", "Notes", "Photo", "Labels",
)
GOOGLE_ADDRESS = ("Label", "Formatted", "Street", "City", "PO Box", "Region", "Postal Code", "Country",
                  "Extended Address")
UID_LABEL = "cardkeep UID"


def format_address(address: dict[str, Any], name: str | None, *, home: str | None, language: str = "en") -> str:
    """The address as it goes on the envelope: the destination's line order, the country line only
    for mail abroad (`cardkeep.printing.addressing`)."""
    return "\n".join(address_lines(address, name, home=home, language=language))


def address_lines(address: dict[str, Any], name: str | None, *, home: str | None, language: str = "en") -> list[str]:
    from cardkeep.printing.addressing import format_address as lines

    if address.get("country") == UNKNOWN:  # no country known: the lines without a country line
        home = UNKNOWN
    return lines(name, address, home=home, language=language)


def _country_name(code: str | None) -> str:
    if not code or code == UNKNOWN:
        return ""
    from cardkeep.printing.addressing import country_name

    return country_name(code, "en").title()


def _iso(date: dict[str, Any]) -> str:
    return str(PartialDate(date["month"], date["day"], date["year"]))


def _fixed_dates(person: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in person["dates"] if d.get("month") and not d.get("rule")]


def _people(households: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for house in households:
        for person in house["members"]:
            yield house, person


def event_label(date: dict[str, Any]) -> str:
    """Google's event label: "Anniversary", "Anniversary (wedding)", or a custom date's own label."""
    if date["kind"] == "custom":
        return date.get("label") or "Other"
    return f"{date['kind'].title()} ({date['label']})" if date.get("label") else date["kind"].title()


def google_rows(households: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    """Google Contacts CSV: the header, then a row per person."""
    people = list(_people(households))
    emails = max([len(p["emails"]) for _, p in people] + [1])
    phones = max([len(p["phones"]) for _, p in people] + [1])
    events = max([sum(1 for d in _fixed_dates(p) if d["kind"] != "birthday" or d.get("label")) for _, p in people]
                 + [1])
    header = [*GOOGLE_NAMES]
    header += [f"E-mail {i} - {part}" for i in range(1, emails + 1) for part in ("Label", "Value")]
    header += [f"Phone {i} - {part}" for i in range(1, phones + 1) for part in ("Label", "Value")]
    header += [f"Address 1 - {part}" for part in GOOGLE_ADDRESS]
    header += [f"Event {i} - {part}" for i in range(1, events + 1) for part in ("Label", "Value")]
    header += ["Custom Field 1 - Label", "Custom Field 1 - Value"]
    yield tuple(header)
    for house, person in people:
        address = house.get("address") or {}
        dates = _fixed_dates(person)
        birthday = next((d for d in dates if d["kind"] == "birthday" and not d.get("label")), None)
        others = [d for d in dates if d is not birthday]
        tags = sorted(set(person["tags"]) | set(house["tags"]))
        row: list[Any] = [
            person["given_name"], "", person["family_name"], "", "", "", "", "", person["nickname"],
            person["name"],  # File As: how Google files (and cardkeep names) the person
            "", "", "", _iso(birthday) if birthday else "",
            "\n\n".join(n["text"] for n in person["notes"]), "", " ::: ".join(["* myContacts", *tags]),
        ]
        for i in range(emails):
            row += ["", person["emails"][i]] if i < len(person["emails"]) else ["", ""]
        for i in range(phones):
            row += ["", person["phones"][i]] if i < len(person["phones"]) else ["", ""]
        if address:
            row += ["Home", format_address(address, None, home=None), address["street"], address["city"], "",
                    address.get("region"), address.get("postal_code"), _country_name(address["country"]),
                    address.get("extended")]
        else:
            row += [""] * len(GOOGLE_ADDRESS)
        for i in range(events):
            if i < len(others):
                date = others[i]
                row += [event_label(date), _iso(date)]
            else:
                row += ["", ""]
        row += [UID_LABEL, person["uid"]]
        yield tuple(row)


OUTLOOK_HEADER = (
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
    "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State",
    "Business Postal Code", "Business Country/Region", "Home Street", "Home Street 2", "Home Street 3", "Home City",
    "Home State", "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2", "Other Street 3",
    "Other City", "Other State", "Other Postal Code", "Other Country/Region", "Assistant's Phone", "Business Fax",
    "Business Phone", "Business Phone 2", "Callback", "Car Phone", "Company Main Phone", "Home Fax", "Home Phone",
    "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax", "Other Phone", "Pager", "Primary Phone", "Radio Phone",
    "TTY/TDD Phone", "Telex", "Account", "Anniversary", "Assistant's Name", "Billing Information", "Birthday",
    "Business Address PO Box", "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type",
    "E-mail Display Name", "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address",
    "E-mail 3 Type", "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Home Address PO Box",
    "Initials", "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage", "Notes",
    "Office Location", "Organizational ID Number", "Other Address PO Box", "Priority", "Private", "Profession",
    "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4", "Web Page",
)
_OUTLOOK_PHONES = ("Home Phone", "Mobile Phone", "Home Phone 2", "Other Phone")


def _outlook_date(date: dict[str, Any] | None) -> str:
    if not date or not date.get("year"):
        return ""
    return f"{date['month']}/{date['day']}/{date['year']}"


def outlook_rows(households: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    """Outlook CSV: Microsoft's header, then a row per person."""
    yield OUTLOOK_HEADER
    for house, person in _people(households):
        row = dict.fromkeys(OUTLOOK_HEADER, "")
        address = house.get("address") or {}
        row.update({"First Name": person["given_name"] or "", "Last Name": person["family_name"] or ""})
        if not person["given_name"] and not person["family_name"]:
            row["First Name"] = person["name"]
        if address:
            row.update({
                "Home Street": address["street"], "Home Street 2": address.get("extended") or "",
                "Home City": address["city"], "Home State": address.get("region") or "",
                "Home Postal Code": address.get("postal_code") or "",
                "Home Country/Region": _country_name(address["country"]),
            })
        for column, phone in zip(_OUTLOOK_PHONES, person["phones"], strict=False):
            row[column] = phone
        for i, email in enumerate(person["emails"][:3]):
            prefix = "E-mail" if i == 0 else f"E-mail {i + 1}"
            row.update({f"{prefix} Address": email, f"{prefix} Type": "SMTP",
                        f"{prefix} Display Name": f"{person['name']} ({email})"})
        dates = _fixed_dates(person)
        plain = {d["kind"]: d for d in reversed(dates) if not d.get("label")}
        row["Birthday"] = _outlook_date(plain.get("birthday"))
        row["Anniversary"] = _outlook_date(plain.get("anniversary"))
        notes = [n["text"] for n in person["notes"]]
        # What Outlook has no column for is kept in the notes, so nothing is lost on the way.
        for date in dates:
            if (date["kind"] in ("birthday", "anniversary") and not date.get("label") and date.get("year")
                    and plain.get(date["kind"]) is date):
                continue
            notes.append(f"{date.get('label') or date['kind']}: {_iso(date)}")
        if person["nickname"]:
            notes.append(f"nickname: {person['nickname']}")
        row["Notes"] = "\n\n".join(notes)
        row["Categories"] = ";".join(sorted(set(person["tags"]) | set(house["tags"])))
        yield tuple(row.values())
