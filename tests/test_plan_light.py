"""`cardkeep plan` stays light: as the `cardkeep` script runs it, it loads its own command module,
the loader and the rules, and nothing it does not use (the saved batch only with --save)."""

import datetime as dt
import json
import os
import subprocess
import sys

from cardkeep.store import book
from cardkeep.store.db import open_db
from tests.conftest import ROOT

NOT_FOR_A_PLAN = ("cardkeep.plan.batch", "cardkeep.plan.history", "cardkeep.cli.book", "cardkeep.formats",
                  "cardkeep.printing", "cardkeep.drafts", "cardkeep.lint", "reportlab", "jinja2", "sqlite_utils",
                  "rich")


def loaded(*args: str) -> tuple[set[str], str]:
    code = (
        "import json, sys\n"
        "from cardkeep.cli import main\n"
        f"sys.argv = ['cardkeep', 'plan', '--today', '2026-11-23', *{list(args)!r}]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    sys.stdout.flush()\n"
        "    print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1])), done.stdout


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.startswith(NOT_FOR_A_PLAN))


def _book(*names: str) -> None:
    db = open_db(os.environ["CARDKEEP_DB"])  # the test's own (conftest.isolated)
    for name in names:
        book.add_contact(db, name, today=dt.date(2026, 1, 1))
    db.close()


def test_a_plan_loads_only_what_it_uses():
    _book("Ada Okafor")
    modules, stdout = loaded("--json")
    assert [d["mailing_name"] for d in json.loads(stdout)] == ["Ada Okafor"]
    assert "cardkeep.store.load" in modules and "cardkeep.plan.rules" in modules
    assert _heavy(modules) == []


def test_a_saved_plan_loads_the_batch():
    _book()
    modules, _ = loaded("--save")
    assert "cardkeep.plan.batch" in modules
