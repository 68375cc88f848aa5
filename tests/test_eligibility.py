"""Who gets no card, and why: one function, and every command that asks agrees with it."""

import ast
import datetime as dt
import json
from pathlib import Path

import pytest

from cardkeep.formats.jsonbook import import_book
from cardkeep.model import Address, Household, Person
from cardkeep.plan import eligibility, reminders, rules, selection
from cardkeep.settings import load_settings
from cardkeep.store.db import open_db
from cardkeep.store.load import load_households
from tests.conftest import EXAMPLES

ADA = Person(1, "Ada Okafor", "Ada")
BEN = Person(2, "Ben Okafor", "Ben")
GONE = Person(3, "Cy Okafor", "Cy", "deceased", dt.date(2020, 1, 1))
DNS = Person(4, "Di Okafor", "Di", "do-not-send")


def house(status="active", members=(ADA, BEN)):
    return Household(1, "The Okafors", status, members=members, address=Address("US"))


@pytest.mark.parametrize(
    ("h", "reasons"),
    [
        (house(), []),
        (house(members=(ADA, GONE, DNS)), []),
        (house(members=()), []),  # an empty household is not "everyone deceased"
        (house("do-not-send"), ["household is do-not-send"]),
        (house(members=(DNS, GONE)), ["do-not-send"]),
        (house(members=(GONE,)), ["everyone deceased"]),
        (house("lost-touch"), ["lost touch"]),
        (house("do-not-send", members=(GONE,)), ["household is do-not-send", "everyone deceased"]),
    ],
)
def test_why_not(h, reasons):
    assert eligibility.reasons_not(h) == reasons
    assert eligibility.why_not(h) == (reasons[0] if reasons else None)


@pytest.mark.parametrize(
    ("status", "household_status", "kind", "excluded"),
    [
        ("active", "active", "birthday", False),
        ("active", "lost-touch", "birthday", False),
        ("do-not-send", "active", "memorial", True),
        ("active", "do-not-send", "custom", True),
        ("deceased", "active", "birthday", True),
        ("deceased", "active", "anniversary", True),
        ("deceased", "active", "memorial", False),  # remembered gently, never celebrated
        ("deceased", "active", None, True),  # no card of their own
    ],
)
def test_person_excluded(status, household_status, kind, excluded):
    assert bool(eligibility.person_excluded(status, household_status, kind)) is excluded


@pytest.fixture
def sample(db_path):
    db = open_db(db_path)
    import_book(db, json.loads((EXAMPLES / "book.json").read_text(encoding="utf-8")),
                source="book.json", today="2026-01-01")
    return db


def test_plan_labels_and_reminders_agree_on_the_sample_book(sample):
    houses = load_households(sample)
    plan = rules.plan(houses, year=2026, today=dt.date(2026, 11, 23), settings=load_settings({}))
    planned = {d.household_id: d.reasons[0] for d in plan.by_decision("skip")
               if d.reasons[0] in (eligibility.HOUSEHOLD_DO_NOT_SEND, eligibility.DO_NOT_SEND,
                                   eligibility.EVERYONE_DECEASED, eligibility.LOST_TOUCH)}
    assert planned == {h.id: eligibility.why_not(h) for h in houses if eligibility.why_not(h)}
    assert planned  # the sample book has some

    chosen = selection.resolve(sample, [h.id for h in houses])
    names = {h.mailing_name: h.id for h in houses}
    printed = {names[name]: why for name, why in chosen.skipped if why != selection.NO_ADDRESS}
    assert printed == planned

    reminded = {r["contact_id"] for r in reminders.eligible_dates(sample)}
    for h in houses:
        for person in h.members:
            for d in h.dates:
                if d.contact_id == person.id:
                    wanted = not eligibility.person_excluded(person.status, h.status, d.kind)
                    assert (person.id in reminded) >= wanted


def test_the_calendar_leaves_out_whom_eligibility_does():
    """`formats.ical.build` takes any date rows: its filter is `person_excluded`, not one of its own."""
    from cardkeep.formats import ical

    def row(date_id, kind, status="active", household_status="active"):
        return {"id": date_id, "contact_id": date_id, "name": f"Person {date_id}", "kind": kind, "label": None,
                "year": 1980, "month": 5, "day": 10, "rule": None, "lead_days": None, "country": "US",
                "status": status, "household_status": household_status}

    rows = [row(1, "birthday"), row(2, "birthday", household_status="do-not-send"),
            row(3, "birthday", status="do-not-send"), row(4, "anniversary", status="deceased"),
            row(5, "memorial", status="deceased")]
    text = ical.build(rows, today=dt.date(2026, 11, 23), home="US").decode()
    kept = {r["id"] for r in rows if f"UID:{ical.uid(r['id'], r['contact_id'])}" in text}
    assert kept == {r["id"] for r in rows
                    if not eligibility.person_excluded(r["status"], r["household_status"], r["kind"])} == {1, 5}


# ---------------------------------------------------------------- no import circle


def _imports(path: Path) -> set[str]:
    """Every cardkeep module `path` imports, at any level (an import inside a function counts)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if name.startswith("cardkeep")}


def test_the_plan_modules_import_one_way():
    root = Path(__file__).resolve().parent.parent / "cardkeep"
    paths = [*sorted((root / "plan").glob("*.py")), root / "settings.py", root / "services" / "plan.py"]
    names = {".".join(p.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__"): p for p in paths}
    graph = {name: _imports(path) & set(names) - {name} for name, path in names.items()}

    def reaches(start, goal, seen=()):
        return any(n == goal or (n not in seen and reaches(n, goal, (*seen, n))) for n in graph[start])

    circles = sorted(name for name in graph if reaches(name, name))
    assert circles == []
