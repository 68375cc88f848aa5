"""Atomic, private file writes: a reader never sees half a file, and a crash leaves the old one.

Every file a command writes (`--output`, `lint --fix`, a copied template) goes through
`write_atomic`, which first refuses a path that must never be replaced: a directory, a device or
pipe, and (once the CLI has named it with `guard_book`) the book, its `-wal`, `-shm` and
`-journal` files and anything in its backups directory. `write_output` adds `-` for standard output.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from cardkeep.errors import CardkeepError, InvalidInput, UsageError

STDOUT = "-"
_BOOK_FILES = ("", "-wal", "-shm", "-journal")
# Replacing a name here (as root, /dev/stdout or /dev/full) would replace the device itself.
_SYSTEM_DIRS = (Path("/dev"), Path("/proc"), Path("/sys"))
_guarded: tuple[Path, Path] | None = None  # (the book, its backups directory)


def guard_book(book: str | os.PathLike[str] | None, backups: str | os.PathLike[str] | None = None) -> None:
    """Name the book (and its backups directory) that no output may ever replace; None forgets it."""
    global _guarded
    if book is None:
        _guarded = None
        return
    book = Path(book).expanduser()
    _guarded = (book, Path(backups).expanduser() if backups is not None else book.parent / "backups")


def _same(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_output(path: str | os.PathLike[str]) -> Path:
    """`path` as a Path if a command may write a file there, else UsageError (exit 2) saying why."""
    text = os.fspath(path)
    if not text:
        raise UsageError("the output path is empty")
    target = Path(text).expanduser()
    if text.endswith(("/", os.sep)):
        raise UsageError(f"cannot write {text}: it names a directory; give a file name")
    where = (Path(os.path.abspath(target)), target.resolve())
    if any(p.is_relative_to(system) for p in where for system in _SYSTEM_DIRS):
        raise UsageError(f"cannot write {target}: it is a device or system file; use - for standard output")
    try:
        info = os.stat(target)
    except OSError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise UsageError(f"cannot write {target}: it is a directory; give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise UsageError(f"cannot write {target}: it is not a regular file (a device or pipe); use - for standard output")
    if _guarded is not None:
        book, backups = _guarded
        for suffix in _BOOK_FILES:
            if _same(target, Path(f"{book}{suffix}")):
                what = "the book" if not suffix else f"the book's {suffix[1:]} file"
                raise UsageError(f"cannot write {target}: it is {what}; choose another path")
        if backups.is_dir() and _same(target.parent, backups):
            raise UsageError(f"cannot write {target}: it is in the book's backups directory; choose another path")
    return target


# Contact files, letters and templates are small; a bigger input (`import /dev/zero`) is refused
# after reading this much, so memory stays bounded.
MAX_INPUT_BYTES = 32 * 1024 * 1024


def read_input(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    name: str | None = None,
    limit: int = MAX_INPUT_BYTES,
    error: type[CardkeepError] = InvalidInput,
) -> bytes:
    """The bytes of a file, or of a binary stream (stdin), refused with one line (`error`) past `limit`."""
    label = name or (os.fspath(source) if isinstance(source, (str, os.PathLike)) else "standard input")
    try:
        if isinstance(source, (str, os.PathLike)):
            if Path(source).is_dir():
                raise error(f"cannot read {label}: it is a directory")
            with open(source, "rb") as handle:
                data = handle.read(limit + 1)
        else:
            data = source.read(limit + 1)
    except FileNotFoundError:
        raise error(f"cannot read {label}: no such file") from None
    except OSError as exc:
        raise error(f"cannot read {label}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(f"{label} is larger than {limit // (1024 * 1024)} MB, too big to be a file cardkeep reads")
    return data


def write_output(path: str | os.PathLike[str], data: bytes | str, *, private: bool = False) -> Path | None:
    """Write `data` to `path` (through `write_atomic`), or to standard output when `path` is `-`.

    Returns the file written, or None for standard output."""
    if os.fspath(path) == STDOUT:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return None
    return write_atomic(path, data, private=private)


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, private: bool = False) -> Path:
    """Write `data` to `path` through a temporary file in the same directory, then rename.

    `private` makes the file readable by the owner only (0600), for anything holding addresses.
    The path is checked first (`check_output`): the book, a backup, a directory or a device is refused.
    """
    path = check_output(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = path.parent if str(path.parent) else Path(".")
    import tempfile  # here, not at the top: every command loads this module (guard_book); few write files

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
