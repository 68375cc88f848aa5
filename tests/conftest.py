import json
import os
from dataclasses import dataclass
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
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("CARDKEEP_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CARDKEEP_TODAY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "book.db"


@pytest.fixture
def sample(db_path):
    """The book at `db_path` holding the sample book (examples/book.json); returns the path."""
    from cardkeep.formats import jsonbook as interchange
    from cardkeep.store.db import open_db

    db = open_db(db_path)
    data = json.loads((EXAMPLES / "book.json").read_text(encoding="utf-8"))
    interchange.import_book(db, data, source="book.json", today="2026-01-01")
    db.conn.close()
    return db_path


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


# ---------------------------------------------------------------- CJK fonts
# cardkeep ships DejaVu Sans (no CJK); Japanese prints only with a fallback font found on the system
# or set in [fonts] fallback. Tests that print Japanese carry `@pytest.mark.needs_cjk_font` and
# skip, saying why, on a machine without one (the README's test command must pass there).

CJK_SAMPLE = "山田太郎花子様〒東京都渋谷区神宮前メゾン・"


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_cjk_font: prints CJK text; skipped when no CJK TrueType font is found")


def cjk_font_missing() -> str | None:
    """Why CJK text cannot print here (None: it can), with the font settings a test sees."""
    from cardkeep.printing import fonts

    found = fonts.register_fonts()
    missing = found.missing(CJK_SAMPLE)
    if not missing:
        return None
    why = f"no CJK TrueType font on this system (no font has {fonts.describe_chars(missing)[:40]}...)"
    if found.unusable:
        why += "; unusable: " + "; ".join(f"{path}: {reason}" for path, reason in found.unusable.items())
    return why + "; apt-get install fonts-wqy-microhei, or set [fonts] fallback, to run it"


@pytest.fixture(autouse=True)
def _needs_cjk_font(request, isolated):
    """Skip a test marked `needs_cjk_font` when CJK text cannot print (after `isolated`, so the
    font settings are the test's, not the user's)."""
    if request.node.get_closest_marker("needs_cjk_font"):
        why = cjk_font_missing()
        if why:
            pytest.skip(why)


@pytest.fixture
def cjk_fonts(isolated):
    """The regular FontSet, which has a CJK fallback (the test skips when there is none)."""
    from cardkeep.printing import fonts

    why = cjk_font_missing()
    if why:
        pytest.skip(why)
    return fonts.register_fonts()


# ---------------------------------------------------------------- counts, computed from the input


@dataclass(frozen=True)
class BookCounts:
    households: int
    people: int
    cards: int


def counts_of(data: dict) -> BookCounts:
    """What a cardkeep JSON book holds, counted from the data (never copied into a test by hand)."""
    houses = data["households"]
    return BookCounts(len(houses), sum(len(h["members"]) for h in houses), sum(len(h["cards"]) for h in houses))


@pytest.fixture(scope="session")
def sample_counts() -> BookCounts:
    """The counts of examples/book.json."""
    return counts_of(json.loads((EXAMPLES / "book.json").read_text(encoding="utf-8")))
