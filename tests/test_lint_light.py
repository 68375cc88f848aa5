"""`cardkeep lint` is a light command: the `cardkeep` script loads its module alone (no book, no
printing), and its help is the same as when every command is loaded."""

import json
import os
import subprocess
import sys

from cardkeep.cli import LIGHT_COMMANDS
from tests.conftest import ROOT

NOT_FOR_A_LINT = ("cardkeep.cli.book", "cardkeep.store", "cardkeep.formats", "cardkeep.printing", "cardkeep.drafts",
                  "cardkeep.plan", "reportlab", "jinja2", "sqlite_utils")


def run(code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100", "TERM": "dumb"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)


LIGHT = (
    "import json, sys\n"
    "from cardkeep.cli import main\n"
    "sys.argv = ['cardkeep', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    sys.stdout.flush()\n"
    "    print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
)
FULL = "import sys\nfrom cardkeep.cli import load\nload()(sys.argv[1:], prog_name='cardkeep')\n"


def test_lint_is_light():
    assert LIGHT_COMMANDS["lint"] == "lint"


def test_lint_help_is_the_full_help():
    light, full = run(LIGHT, "lint", "--help"), run(FULL, "lint", "--help")
    assert light.returncode == full.returncode == 0
    assert "--fix" in light.stdout and "--rules" in light.stdout and "--select" in light.stdout
    assert light.stdout == full.stdout


def test_lint_loads_only_what_it_uses(tmp_path):
    letter = tmp_path / "letter.md"
    letter.write_text("Dear Valued Customer,\nWe flew business class to the Maldives again. So exhausting!\n",
                      encoding="utf-8")
    done = run(LIGHT, "lint", str(letter))
    assert done.returncode == 1, done.stderr
    assert "salutation.generic" in done.stdout and "brag." in done.stdout
    modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "cardkeep.lint" in modules
    assert sorted(m for m in modules if m.startswith(NOT_FOR_A_LINT)) == []
