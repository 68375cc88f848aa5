"""The user's settings: a small TOML file, every key optional.

Sections belong to the modules that read them (`[dates]`, `[plan]`, `[labels]`, `[lint]`,
`[sender]`...); each module documents and defaults its own keys, so a missing file is a full set
of defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from cardkeep.errors import CardkeepError
from cardkeep.paths import config_path


class ConfigError(CardkeepError):
    pass


# Every key cardkeep reads, by section (README "Configuration"; each module documents its own).
# A table under one of these keys (`[mail.countries]`, `[labels.calibration.*]`, `[plan.targets]`,
# `[lint.allow]`) holds names the user chooses, so only its own key is checked.
KNOWN_KEYS: dict[str, frozenset[str]] = {
    "sender": frozenset({"name", "street", "extended", "city", "region", "postal_code", "country", "language"}),
    "plan": frozenset({"arrive_by", "quiet_years", "long_friendship", "exempt_tags", "unverified_years",
                       "moved_years", "mourning_years", "over_contact", "baby_words", "targets", "season_ends"}),
    "mail": frozenset({"domestic", "international", "countries"}),
    "dates": frozenset({"leap_day"}),
    "labels": frozenset({"template", "calibration"}),
    "envelopes": frozenset({"size"}),
    "drafts": frozenset({"size", "language"}),
    "fonts": frozenset({"fallback", "system_fallback"}),
    "lint": frozenset({"ignore", "allow", "max_words"}),
    "backup": frozenset({"keep"}),
    "doctor": frozenset({"unverified_years"}),
}

# Called with one line for each unknown key, once per file read; the CLI sets it to print a
# warning (the core never prints). A typo (`[plan] quiet_yaers`) would otherwise be silently ignored.
warn: Callable[[str], None] | None = None


def unknown_keys(data: dict[str, Any]) -> list[str]:
    """The keys in a config that cardkeep does not read, as the file spells them."""
    found = []
    for name, value in data.items():
        if name not in KNOWN_KEYS:
            found.append(f"[{name}]")
        elif isinstance(value, dict):
            found += [f"[{name}] {key}" for key in value if key not in KNOWN_KEYS[name]]
    return found


@cache
def _load(path: Path, mtime: float) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    if warn is not None:
        for key in unknown_keys(data):
            warn(f"config file {path}: unknown key {key} is ignored")
    return data


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The whole config as a dict ({} when there is no file)."""
    path = path or config_path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return {}
    return _load(path, mtime)


def section(name: str, path: Path | None = None) -> dict[str, Any]:
    value = load_config(path).get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"config file {path or config_path()}: [{name}] must be a table")
    return value


def update_config(name: str, values: dict[str, Any], path: Path | None = None) -> Path:
    """Merge `values` into section `name` (dotted names nest) and write the file atomically."""
    import tomli_w

    from cardkeep.fileio import write_atomic

    path = path or config_path()
    data = dict(load_config(path))
    table = data
    for part in name.split("."):
        table = table.setdefault(part, {})
    table.update(values)
    return write_atomic(path, tomli_w.dumps(data), private=True)
