"""Where the database and the config file live.

`--db PATH` wins, then `CARDKEEP_DB`, then the platform's user data directory. The config file is
`CARDKEEP_CONFIG`, else `config.toml` in the platform's user config directory.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "cardkeep"


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("CARDKEEP_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "cardkeep.db"


def config_path() -> Path:
    env = os.environ.get("CARDKEEP_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


# Files that ship inside the package: fonts, label sheets, vocabularies, country tables.
DATA_DIR = Path(__file__).parent / "data"
