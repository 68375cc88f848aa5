"""Atomic, private file writes: a reader never sees half a file, and a crash leaves the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cardkeep.errors import CardkeepError


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, private: bool = False) -> Path:
    """Write `data` to `path` through a temporary file in the same directory, then rename.

    `private` makes the file readable by the owner only (0600), for anything holding addresses.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CardkeepError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if not private:
            # mkstemp creates 0600; ordinary output files get the usual umask-based mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CardkeepError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
