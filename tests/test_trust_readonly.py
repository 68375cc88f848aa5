"""A book we may read but not write: read commands work, a write is one clear line (issue 17).

As root, file modes do not stop writes, so the book's folder is mounted read-only in a private mount
namespace (`unshare -m`); as another user, the modes do it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _cardkeep(folder: Path, args: str) -> str:
    return f"{shlex.quote(sys.executable)} -m cardkeep --db {shlex.quote(str(folder / 'book.db'))} {args}"


def _run_read_only(folder: Path, commands: list[str]) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "CARDKEEP_CONFIG": str(folder / "none.toml"), "CARDKEEP_TODAY": "2026-12-01"}
    if os.geteuid() == 0:
        if not shutil.which("unshare"):
            pytest.skip("running as root without unshare: cannot make a folder read-only for root")
        probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
        if probe.returncode != 0:
            pytest.skip(f"running as root and unshare -m is not permitted here: {probe.stderr.decode().strip()}")
        mount = f"mount --bind {shlex.quote(str(folder))} {shlex.quote(str(folder))} && " \
                f"mount -o remount,ro,bind {shlex.quote(str(folder))}"
        return [
            subprocess.run(["unshare", "-m", "sh", "-c", f"{mount} && {_cardkeep(folder, c)}"],
                           capture_output=True, text=True, env=env, timeout=120)
            for c in commands
        ]
    (folder / "book.db").chmod(0o400)
    folder.chmod(0o500)
    try:
        return [subprocess.run(["sh", "-c", _cardkeep(folder, c)], capture_output=True, text=True, env=env,
                               timeout=120) for c in commands]
    finally:
        folder.chmod(0o700)


@pytest.fixture
def folder(tmp_path):
    made = subprocess.run(
        [sys.executable, "-m", "cardkeep", "--db", str(tmp_path / "book.db"), "import", str(EXAMPLES / "book.json")],
        capture_output=True, text=True, env={**os.environ, "CARDKEEP_CONFIG": str(tmp_path / "none.toml")},
    )
    assert made.returncode == 0, made.stderr
    return tmp_path


def test_read_commands_work_and_a_write_is_one_line(folder):
    before = (folder / "book.db").read_bytes()
    listed, shown, planned, exported, added = _run_read_only(
        folder, ["list", "show ada", "plan --json", "export --format json", "add 'Zed New'"]
    )
    for result in (listed, shown, planned, exported):
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert "Ada Okafor" in listed.stdout and "Ada Okafor" in shown.stdout
    assert '"decision"' in planned.stdout and '"households"' in exported.stdout
    assert added.returncode == 1
    assert added.stderr.strip().splitlines() == [f"Error: database {folder / 'book.db'} is read-only; nothing was changed"]
    assert (folder / "book.db").read_bytes() == before
