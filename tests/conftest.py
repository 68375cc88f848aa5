import os
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from cardkeep.cli import app

# Bounded so that CI stays well under its time limit on two cores.
settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Tests never touch the real home: database, config and data dir all live in tmp_path."""
    monkeypatch.setenv("CARDKEEP_DB", str(tmp_path / "book.db"))
    monkeypatch.setenv("CARDKEEP_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CARDKEEP_TODAY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "book.db"


@pytest.fixture
def cli():
    """Run the CLI in-process: cli("add", "Ada") -> Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def shared():
    if not SHARED.is_dir():
        pytest.skip("../shared/ (reference data beside the project) is not present")
    return SHARED
