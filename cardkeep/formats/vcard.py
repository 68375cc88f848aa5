"""vCard 2.1, 3.0 and 4.0: a small tolerant reader and a writer.

Why our own reader and not python-vobject: vobject reads 3.0 well but fails or loses data on what
phones and mail programs really write (2.1 quoted-printable, iOS's CR CR LF line ends, Outlook's
base64 blocks, raw Shift_JIS or cp1252 bytes, escaped commas in names). What cardkeep needs from a
card is small (names, addresses, dates, notes, tags, groups), so the reader works on bytes and is
tested against the real exports in `../shared/samples/vcards/`:

- lines are unfolded as bytes and each value decoded by its own `CHARSET` (`vcard_syntax.py`); a
  file with a UTF-16 byte order mark or NUL bytes is read as UTF-16;
- a structural error (no `BEGIN:VCARD`, no `END:VCARD`, a card without any name or e-mail) is a
  `Problem` with the file, line and the name when known; a card nested in another is read as its own.

Dates: `BDAY`, `ANNIVERSARY`, `X-ANNIVERSARY`, `X-MS-ANNIVERSARY`, `X-EVOLUTION-ANNIVERSARY`,
`X-KADDRESSBOOK-X-Anniversary` and Apple/Google `X-ABDATE` with its `X-ABLabel`. Year-less forms
`--0415`, `--04-15`, Apple's `1604-04-15` (`X-APPLE-OMIT-YEAR`) and CardBook's `16040415` become dates
without a year. A date given as text (`circa 1800`) is kept as a note.

The writer produces 4.0 (`--MMDD` for a year-less date) or 3.0 (Apple's `1604-MM-DD` with
`X-APPLE-OMIT-YEAR=1604`, what phones read), folded at 75 octets without splitting characters,
and a group card per household (`KIND:group` + `MEMBER`, or Apple's `X-ADDRESSBOOKSERVER-*` in 3.0).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from cardkeep import model
from cardkeep.dates import PartialDate
from cardkeep.errors import UsageError
from cardkeep.formats.country_names import country_code
from cardkeep.formats.records import Address, Person, Problem, ReadResult, clean_tag, make_date, reader, utf8_bytes
from cardkeep.formats.vcard_syntax import Prop, logical_lines, parse_line, split_escaped, unescape
from cardkeep.model import is_cjk

# ---------------------------------------------------------------- dates

_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})(?:T.*)?$")
NO_YEAR_MARKERS = {1604, 0}  # Apple and CardBook write 1604 (and some Androids 0000) for "no year"


def parse_date(value: str, params: dict[str, list[str]] | None = None) -> PartialDate | None:
    """A vCard date in any dialect, or None when it is not one (text, a month alone)."""
    text = value.strip()
    params = params or {}
    match = _NO_YEAR.match(text)
    if match:
        return make_date(None, int(match.group(1)), int(match.group(2)))
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    omit = (params.get("X-APPLE-OMIT-YEAR") or [None])[0]
    if year in NO_YEAR_MARKERS or (omit and omit.isdigit() and int(omit) == year):
        year = None
    return make_date(year, month, day)


ANNIVERSARY_PROPS = {
    "ANNIVERSARY",
    "X-ANNIVERSARY",
    "X-MS-ANNIVERSARY",
    "X-EVOLUTION-ANNIVERSARY",
    "X-KADDRESSBOOK-X-ANNIVERSARY",
}


def _label(text: str | None) -> str | None:
    """Apple's `_$!<Anniversary>!$_` -> "Anniversary"; a custom label as it is."""
    if not text:
        return None
    match = re.fullmatch(r"_\$!<(.*)>!\$_", text.strip())
    return (match.group(1) if match else text).strip() or None


# ---------------------------------------------------------------- cards


@dataclass
class _Card:
    line: int
    props: list[Prop] = field(default_factory=list)


_BOUNDARIES = frozenset(("BEGIN", "END", "AGENT"))
# Read through the labels and Apple's country codes kept above, or not at all: skip them early.
_NOT_READ = frozenset(("PHOTO", "LOGO", "SOUND", "KEY", "VERSION", "X-ABLABEL", "X-ABADR", "REV", "URL", "TITLE"))


def split_cards(file: str, lines: list[tuple[int, bytes]]) -> tuple[list[_Card], list[Problem]]:
    """Cards (a card nested in another is read as its own; a 2.1 AGENT card inside one is dropped)
    and the problems: content outside any card, a card that never ends."""
    cards: list[_Card] = []
    problems: list[Problem] = []
    stack: list[_Card] = []
    agents: set[int] = set()  # ids of cards embedded as an AGENT value: someone's assistant, not a contact
    stray: list[Prop] = []

    def report_stray() -> None:
        if any(p.raw.strip() for p in stray):  # real content, not a stray word
            problems.append(Problem(file, stray[0].line, "no BEGIN:VCARD before this line", _name_hint(stray)))
        stray.clear()

    for number, raw in lines:
        prop = parse_line(number, raw)
        if prop is None:
            continue
        value = prop.raw.strip().upper() if prop.name in _BOUNDARIES else b""
        if prop.name == "BEGIN" and value == b"VCARD":
            report_stray()
            stack.append(_Card(number))
        elif prop.name == "AGENT" and value == b"BEGIN:VCARD" and stack:
            stack.append(_Card(number))
            agents.add(id(stack[-1]))
        elif prop.name == "END" and value == b"VCARD" and stack:
            card = stack.pop()
            if id(card) not in agents:
                cards.append(card)
        elif stack:
            stack[-1].props.append(prop)
        else:
            stray.append(prop)
    report_stray()
    for card in stack:
        problems.append(Problem(file, card.line, "the card has no END:VCARD", _name_hint(card.props)))
    cards.sort(key=lambda c: c.line)
    return cards, problems


def _name_hint(props: list[Prop]) -> str | None:
    for prop in props:
        if prop.name == "FN" and prop.raw.strip():
            return unescape(prop.text()).strip()
    return None


def card_to_person(card: _Card, file: str, warnings: list[str]) -> Person:
    """One card as a Person; InvalidCard when it has nothing to call the person by."""
    labels = {p.group: _label(unescape(p.text())) for p in card.props if p.group and p.name == "X-ABLABEL"}
    abadr = {p.group: p.text().strip() for p in card.props if p.group and p.name == "X-ABADR"}
    source = f"{file}, line {card.line}"
    fn = ""
    n: list[str] = []
    org = ""
    person = Person(name="", source=source)
    label_addresses: list[Address] = []  # LABEL: an address as formatted text (split on import)
    for prop in card.props:
        name = prop.name
        if name in _NOT_READ or name.startswith("X-MS-OL-"):
            continue
        if name == "FN":
            fn = fn or " ".join(unescape(prop.text()).split())
        elif name == "N":
            n = n or [" ".join(x.split()) for x in split_escaped(prop.text(), ";")]
        elif name == "ORG":
            org = org or " ".join(split_escaped(prop.text(), ";")[0].split())
        elif name == "NICKNAME":
            nick = next((x.strip() for x in split_escaped(prop.text(), ",") if x.strip()), None)
            person.nickname = person.nickname or nick
        elif name == "EMAIL":
            value = unescape(prop.text()).strip()
            if value and value not in person.emails:
                person.emails.append(value)
        elif name == "TEL":
            value = unescape(prop.text()).strip()
            if value.lower().startswith("tel:"):
                value = value[4:]
            if value and value not in person.phones:
                person.phones.append(value)
        elif name == "ADR":
            person.addresses.append(_address(prop, labels.get(prop.group), abadr.get(prop.group)))
        elif name == "LABEL" and unescape(prop.text()).strip():
            label_addresses.append(Address(street=unescape(prop.text()).strip(), types=tuple(prop.types())))
        elif name == "NOTE":
            value = unescape(prop.text()).strip()
            if value:
                person.notes.append(value)
        elif name == "CATEGORIES":
            # Tags are single words, so a comma never belongs inside one (some exporters escape them).
            for part in unescape(prop.text()).split(","):
                tag = clean_tag(part)
                if tag and tag not in person.tags:
                    person.tags.append(tag)
        elif name == "UID":
            person.uid = unescape(prop.text()).strip() or None
        elif name == "KIND" or name == "X-ADDRESSBOOKSERVER-KIND":
            if prop.text().strip().lower() == "group":
                person.kind = "group"
        elif name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
            person.members.append(prop.text().strip())
        elif name == "X-CARDKEEP-MAILING-NAME":
            person.mailing_name = unescape(prop.text()).strip()
        elif name == "PRODID" and "//cardkeep//" in prop.text() and person.mailing_name is None:
            person.mailing_name = ""  # our own group card: no X-CARDKEEP-MAILING-NAME means "generated"
        elif name == "X-CARDKEEP-SALUTATION":
            person.salutation = " ".join(unescape(prop.text()).split()) or None
        elif name == "X-CARDKEEP-STATUS":
            person.status = prop.text().strip().lower()
        elif name in ("DEATHDATE", "X-CARDKEEP-DECEASED-ON"):
            date = parse_date(unescape(prop.text()))
            person.status = person.status or "deceased"
            if date and date.year:
                person.deceased_on = str(date)
        elif name == "BDAY" or name in ANNIVERSARY_PROPS or name == "X-ABDATE":
            _date(person, prop, labels.get(prop.group), warnings)
    if not person.addresses:  # a card with only the formatted text (kcontacts, Evolution)
        person.addresses = label_addresses
    family, given = (n + [""] * 5)[:2] if n else ("", "")
    person.given_name = given or None
    person.family_name = family or None
    if fn:
        person.name = fn
    elif family or given:
        person.name = f"{family} {given}".strip() if is_cjk(family + given) else f"{given} {family}".strip()
    elif org:
        person.name = org
    elif person.emails:
        person.name = person.emails[0]
    elif person.kind == "group":
        person.name = "group"
    return person


def _address(prop: Prop, label: str | None, abadr: str | None) -> Address:
    parts = (split_escaped(prop.text(), ";") + [""] * 7)[:7]
    pobox, extended, street, city, region, postal, country = (p.strip() for p in parts)
    if not any((pobox, extended, street, city, region, postal, country)) and prop.param("LABEL"):
        street = unescape(_param_text(prop.param("LABEL") or "") or "")  # 4.0: only the formatted text
    if pobox and not street:
        street, pobox = pobox, ""
    extended = ", ".join(x for x in (extended, pobox) if x)
    types = tuple(t for t in prop.types() if t)
    if label and label.lower() in ("home", "work", "other"):
        types += (label.lower(),)
    if abadr and len(abadr) == 2 and abadr.isalpha() and not country_code(country):
        country = abadr
    return Address(street, extended, city, region, postal, country, types)


def _date(person: Person, prop: Prop, label: str | None, warnings: list[str]) -> None:
    value = unescape(prop.text()).strip()
    if not value:
        return
    if prop.name == "BDAY":
        kind, label_out = "birthday", None
    elif prop.name in ANNIVERSARY_PROPS:
        kind, label_out = "anniversary", None
    else:  # X-ABDATE: the label says what it is
        lowered = (label or "").lower()
        kind, label_out = ("anniversary", None) if lowered == "anniversary" else ("custom", label)
        if lowered == "memorial":
            kind, label_out = "memorial", None
    if prop.param(LABEL_PARAM):
        label = label_out = _param_text(prop.param(LABEL_PARAM) or "")
    given_kind = (prop.param("X-CARDKEEP-KIND") or "").lower()
    if given_kind in model.DATE_KINDS:  # our own export: the kind, and the label unless it only names the kind
        kind, label_out = given_kind, (None if (label or "").lower() == given_kind else label)
    date = None if (prop.param("VALUE") or "").lower() == "text" else parse_date(value, prop.params)
    what = label_out or kind
    if date is None:
        person.notes.append(f"{what}: {value}")
        warnings.append(f"{person.source}: {what} {value!r} is not a date; kept as a note")
        return
    entry = (kind, date, label_out)
    if entry not in person.dates and not any(k == kind and lab == label_out for k, _, lab in person.dates):
        person.dates.append(entry)


def _param_text(value: str) -> str | None:
    """A parameter value as written (UTF-8; read as latin-1 with the line), RFC 6868 undone."""
    try:
        value = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    value = re.sub(r"\^(.)", lambda m: {"n": "\n", "'": '"', "^": "^"}.get(m.group(1), m.group(0)), value)
    return value.strip() or None


def sniff(data: bytes) -> bool:
    head = utf8_bytes(data[:2000]).lstrip().upper()
    return b"BEGIN:VCARD" in head


@reader("vcard", extensions=(".vcf", ".vcard"), sniff=sniff)
def read_vcards(data: bytes, source: str, **_options: Any) -> ReadResult:
    """Every card in `data` (one file): people, groups, and the problems found."""
    from cardkeep.store.load import no_cycle_collection

    result = ReadResult()
    with no_cycle_collection():  # many small acyclic objects: the collector's scans cost a third
        cards, result.problems = split_cards(source, logical_lines(utf8_bytes(data)))
        if not cards and not result.problems:
            result.problems.append(Problem(source, None, "no vCards in this file (no BEGIN:VCARD)"))
        for card in cards:
            person = card_to_person(card, source, result.warnings)
            if not person.name:
                result.problems.append(Problem(source, card.line, "the card has no name (no FN, N, ORG or EMAIL)"))
                continue
            result.people.append(person)
    return result


# ---------------------------------------------------------------- writing

VERSIONS = ("3.0", "4.0")
_UID_NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-4d6e-9c1f-2b7a5e3d4c10")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def escape(text: str) -> str:
    """A text value on one content line: a line break of any kind (CR LF, CR, LF) is `\\n`, so a CR in
    a note can never start a property of its own; a NUL (which no vCard can hold) is dropped."""
    text = text.replace("\x00", "").replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return _LINE_BREAK.sub("\\\\n", text)


def _raw(text: str) -> str:
    """A value that is not text (a phone number, an address, a UID): written as it is, on one line."""
    return " ".join(text.replace("\x00", "").split())


def fold(line: str) -> str:
    """Fold at 75 octets (RFC 6350 3.2), never inside a UTF-8 character."""
    if len(line) <= 75 and (line.isascii() or len(line.encode("utf-8")) <= 75):
        return line
    pieces, current, size, limit = [], [], 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


LABEL_PARAM = "X-CARDKEEP-LABEL"  # a 4.0 ANNIVERSARY's label ("Wedding"), read back by cardkeep


def param_value(text: str) -> str:
    """Text for a quoted parameter value, RFC 6868: ^ is ^^, a line break ^n, a double quote ^'."""
    text = text.replace("\x00", "").replace("^", "^^").replace('"', "^'")
    return _LINE_BREAK.sub("^n", text)


def contact_uid(contact: dict[str, Any]) -> str:
    """The contact's stored UID (every person has one since schema 4), else a stable one made from
    its id and creation date (what `cardkeep.store.schema.m004_stable_uids` stores)."""
    if contact.get("uid"):
        return contact["uid"]
    return str(uuid.uuid5(_UID_NAMESPACE, f"{contact['id']}:{contact.get('created')}"))


def _date_value(date: dict[str, Any], version: str) -> tuple[str, str]:
    """(parameters, value) for a date in this version; year-less dates as each version expects."""
    month, day, year = date["month"], date["day"], date["year"]
    if version == "4.0":
        return "", (f"{year:04d}{month:02d}{day:02d}" if year else f"--{month:02d}{day:02d}")
    if year:
        return "", f"{year:04d}-{month:02d}-{day:02d}"
    return ";X-APPLE-OMIT-YEAR=1604", f"1604-{month:02d}-{day:02d}"


def _adr_country(code: str) -> str:
    """The country as an ADR names it for phones and people: English, title case ("United States")."""
    from cardkeep.countries import UNKNOWN
    from cardkeep.printing.addressing import country_name

    return "" if code == UNKNOWN else country_name(code, "en").title()  # unknown: say nothing


def write_card(contact: dict[str, Any], household: dict[str, Any], version: str = "4.0") -> str:
    """One person as a vCard, with the household's current address and tags."""
    lines = ["BEGIN:VCARD", f"VERSION:{version}", PRODID]
    lines.append(f"UID:{_raw(contact_uid(contact))}")
    lines.append(f"FN:{escape(contact['name'])}")
    lines.append(f"N:{escape(contact.get('family_name') or '')};{escape(contact.get('given_name') or '')};;;")
    if contact.get("nickname"):
        lines.append(f"NICKNAME:{escape(contact['nickname'])}")
    for email in contact.get("emails", []):
        lines.append(f"EMAIL:{_raw(email)}")
    for phone in contact.get("phones", []):
        lines.append(f"TEL:{_raw(phone)}")
    address = household.get("address")
    if address:
        parts = [
            "",
            address.get("extended") or "",
            address["street"],
            address["city"],
            address.get("region") or "",
            address.get("postal_code") or "",
            _adr_country(address["country"]),
        ]
        kind = "TYPE=home" if version == "4.0" else "TYPE=HOME"
        lines.append(f"ADR;{kind}:" + ";".join(escape(p) for p in parts))
    item = 0
    anniversary = False  # 4.0 allows one ANNIVERSARY; more go in Apple's form
    for date in contact.get("dates", []):
        if date.get("rule") or not date.get("month"):
            continue
        params, value = _date_value(date, version)
        if date["kind"] == "birthday" and not date.get("label"):
            lines.append(f"BDAY{params}:{value}")
        elif date["kind"] == "anniversary" and version == "4.0" and not anniversary:
            anniversary = True
            if date.get("label"):
                params += f';{LABEL_PARAM}="{param_value(date["label"])}"'
            lines.append(f"ANNIVERSARY{params}:{value}")
        else:
            item += 1
            label = date.get("label") or date["kind"]
            if date["kind"] == "anniversary" and not date.get("label"):
                label = "_$!<Anniversary>!$_"
            lines.append(f"item{item}.X-ABDATE;X-CARDKEEP-KIND={date['kind']}{params}:{value}")
            lines.append(f"item{item}.X-ABLabel:{escape(label)}")
    for note in contact.get("notes", []):
        lines.append(f"NOTE:{escape(note['text'])}")
    if contact.get("salutation"):
        lines.append(f"X-CARDKEEP-SALUTATION:{escape(contact['salutation'])}")
    if contact.get("status") and contact["status"] != "active":
        lines.append(f"X-CARDKEEP-STATUS:{contact['status']}")
    if contact.get("deceased_on"):
        day = contact["deceased_on"]
        lines.append(f"DEATHDATE:{day.replace('-', '')}" if version == "4.0" else f"X-CARDKEEP-DECEASED-ON:{day}")
    tags = sorted(set(contact.get("tags", [])) | set(household.get("tags", [])))
    if tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in tags))
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def household_uid(household: dict[str, Any]) -> str:
    """The household's stored UID, else the stable one `m004_stable_uids` gives it."""
    if household.get("uid"):
        return household["uid"]
    return str(uuid.uuid5(_UID_NAMESPACE, f"{household['id']}:{household.get('created')}:household"))


def write_group(household: dict[str, Any], version: str = "4.0") -> str:
    """A household as a group card naming its members (vCard 4 KIND:group, or Apple's in 3.0)."""
    lines = ["BEGIN:VCARD", f"VERSION:{version}", PRODID]
    lines.append(f"UID:{household_uid(household)}")
    if version == "4.0":
        lines.append("KIND:group")
    else:
        lines.append("X-ADDRESSBOOKSERVER-KIND:group")
    lines.append(f"FN:{escape(household['display_name'])}")
    if version == "3.0":
        lines.append(f"N:{escape(household['display_name'])};;;;")
    if household.get("mailing_name"):
        lines.append(f"X-CARDKEEP-MAILING-NAME:{escape(household['mailing_name'])}")
    if household.get("status", "active") != "active":
        lines.append(f"X-CARDKEEP-STATUS:{household['status']}")
    member = "MEMBER" if version == "4.0" else "X-ADDRESSBOOKSERVER-MEMBER"
    for contact in household["members"]:
        uid = contact_uid(contact)
        lines.append(f"{member}:{'urn:uuid:' if _looks_like_uuid(uid) else ''}{uid}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def _looks_like_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def export_cards(households: list[dict[str, Any]], version: str = "4.0") -> list[tuple[str, str]]:
    """(uid, card text) for every person, then a group card for each household that needs one
    (more than one member, a mailing name set by hand, or a status other than active)."""
    if version not in VERSIONS:
        raise UsageError(f"--version {version!r}: choose 3.0 or 4.0")
    cards = []
    for house in households:
        for contact in house["members"]:
            cards.append((contact_uid(contact), write_card(contact, house, version)))
    for house in households:
        if len(house["members"]) > 1 or house.get("mailing_name") or house.get("status", "active") != "active":
            cards.append((household_uid(house), write_group(house, version)))
    return cards


PRODID = "PRODID:-//cardkeep//cardkeep//EN"
_SAFE = re.compile(r"[a-z0-9-]")


def vdir_filename(uid: str) -> str:
    """The file name of a card in a vdir folder: the same for the same UID in every export, different
    for different UIDs (`x/1` and `x_1` never meet), safe everywhere (no path, never hidden).

    UIDs are compared without case and without `urn:uuid:`, as import matches them, so the name is
    made from that form: letters, digits and `-` stay, anything else is `_` and its code point in hex
    and `_` again (`x/1` is `x_2f_1`, `x_1` is `x_5f_1`). A very long UID is cut and ends in a hash."""
    text = uid.strip().lower()
    for prefix in ("urn:uuid:", "urn:uid:"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    name = "".join(ch if _SAFE.fullmatch(ch) else f"_{ord(ch):x}_" for ch in text) or "_"
    if len(name) > 100:
        import hashlib

        # "_h" never comes out of the encoding above (an escape holds hex digits only)
        name = name[:60] + "_h" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    return name + ".vcf"


def written_by_cardkeep(head: bytes) -> bool:
    """Whether a card file (its first bytes) is one cardkeep wrote: its PRODID says so."""
    return PRODID.encode("ascii") in head
