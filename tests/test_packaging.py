"""Packaging: the data files the wheel must carry, and the sdist's and metadata's promises.

Fast and offline: `.ci/run` builds the real wheel and sdist and installs the wheel in a fresh
virtual environment; these tests catch the usual slips (a data file outside every package-data
pattern, a licence left out) before that.
"""

import tomllib
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCE = ROOT / "cardkeep"


@pytest.mark.parametrize(("package", "files"), [
    ("cardkeep.drafts", ["templates/holiday.j2", "templates/birthday.j2", "templates/anniversary.j2",
                         "templates/sympathy.j2", "templates/thank-you.j2"]),
    ("cardkeep", ["data/label_templates.json", "data/fonts/DejaVuSans.ttf", "data/fonts/DejaVuSans-Bold.ttf",
                  "data/fonts/LICENSE"]),
])
def test_data_files_are_in_the_installed_package(package, files):
    root = resources.files(package)
    for name in files:
        assert root.joinpath(name).is_file(), f"{package}: {name}"


def test_lint_data_is_in_the_installed_package():
    data = resources.files("cardkeep.lint").joinpath("data")
    assert sorted(p.name for p in data.iterdir() if p.name.endswith(".json"))


def _package_dir(path: Path) -> Path:
    """The package folder a file under cardkeep/ belongs to: the nearest one with __init__.py."""
    folder = path.parent
    while not (folder / "__init__.py").is_file():
        folder = folder.parent
    return folder


def test_every_data_file_in_the_source_matches_a_package_data_pattern():
    """What the wheel gets: each non-Python file of the package is matched (as setuptools globs
    the patterns, relative to the package's folder) by its package's package-data."""
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]
    data_files = [p for p in SOURCE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
                  and "__pycache__" not in p.parts]
    assert data_files
    for path in data_files:
        folder = _package_dir(path)
        package = ".".join(folder.relative_to(ROOT).parts)
        matched = {m for pattern in patterns.get(package, []) for m in folder.glob(pattern)}
        assert path in matched, f"{path.relative_to(ROOT)} is in no package-data pattern of {package}"


def test_both_licences_are_declared_and_exist():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert PYPROJECT["build-system"]["requires"] == ["setuptools>=77"]  # SPDX `license` needs 77+
    for pattern in project["license-files"]:
        assert list(ROOT.glob(pattern)), pattern
    assert "Bitstream Vera" in (ROOT / "cardkeep/data/fonts/LICENSE").read_text(encoding="utf-8")


def test_the_sdist_carries_what_its_tests_need():
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").split()
    for folder in ("tests", "examples", "benchmarks"):
        assert folder in manifest[manifest.index("graft") :], folder  # graft tests, graft examples...
    assert (ROOT / "tests" / "conftest.py").is_file() and (ROOT / "examples" / "book.json").is_file()


def test_reportlab_has_an_upper_bound():
    (spec,) = [d for d in PYPROJECT["project"]["dependencies"] if d.startswith("reportlab")]
    assert "<" in spec
