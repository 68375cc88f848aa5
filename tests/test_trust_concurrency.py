"""Issue 17: two imports of the same file, run at once as real processes, add each person once:
matching happens inside the write transaction, not before it."""

import copy
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES

COPIES = 40  # ~1,700 households: long enough that the two runs overlap


def start(db_path, *args):
    env = {**os.environ, "CARDKEEP_DB": str(db_path)}
    return subprocess.Popen([sys.executable, "-m", "cardkeep", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def people(db_path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("select count(*) from contacts").fetchone()[0]
    finally:
        conn.close()


def run_twice_at_once(db_path, path):
    runs = [start(db_path, "import", path) for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=180)
        assert run.returncode == 0, err
        assert "Traceback" not in err


@pytest.fixture
def json_file(tmp_path):
    sample = json.loads((EXAMPLES / "book.json").read_text())
    houses = []
    for number in range(COPIES):
        for house in sample["households"]:
            house = copy.deepcopy(house)
            house.pop("id")
            for member in house["members"]:
                member.pop("id")
                member["name"] = f"{member['name']} {number}"
            for card in house["cards"]:
                card["contact"] = None
            houses.append(house)
    path = tmp_path / "mid.json"
    path.write_text(json.dumps({"cardkeep": 1, "households": houses}))
    return path, sum(len(h["members"]) for h in houses)


def test_two_json_imports_at_once_add_each_person_once(db_path, json_file):
    path, expected = json_file
    run_twice_at_once(db_path, path)
    assert people(db_path) == expected


def test_two_vcard_imports_at_once_add_each_person_once(db_path, tmp_path):
    count = 1500
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:00000000-0000-4000-8000-{n:012d}\r\nFN:Person {n}\r\n"
        f"N:{n};Person;;;\r\nADR:;;{n} Main St;Austin;TX;78701;US\r\nEND:VCARD\r\n"
        for n in range(count)
    )
    path = tmp_path / "people.vcf"
    path.write_text(cards)
    run_twice_at_once(db_path, path)
    assert people(db_path) == count
