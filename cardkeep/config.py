"""The user's settings: a small TOML file, every key optional.

Sections belong to the modules that read them (`[dates]`, `[plan]`, `[labels]`, `[lint]`,
`[sender]`...); each module documents and defaults its own keys, so a missing file is a full set
of defaults.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from cardkeep.errors import CardkeepError
from cardkeep.paths import config_path


class ConfigError(CardkeepError):
    pass


@cache
def _load(path: Path, mtime: float) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None


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
