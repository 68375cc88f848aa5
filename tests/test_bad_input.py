"""Bad input to every book and import/export command: one clear line, the documented exit code, no
traceback, and the book exactly as it was."""

import datetime as dt
import json
import os
import shutil
import sqlite3

import pytest

from cardkeep.formats.jsonbook import import_book
from cardkeep.store import book, db as dbmodule
from cardkeep.store.db import SCHEMA_VERSION, open_db
from tests.conftest import EXAMPLES

ADDRESS = ["--street", "1 Main St", "--city", "Boise", "--country", "US"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The sample book plus a second Ada Okafor (c66, in h43), so that her name is ambiguous."""
    path = tmp_path_factory.mktemp("template") / "book.db"
    db = open_db(path)
    import_book(db, json.loads((EXAMPLES / "book.json").read_text()), source="book.json", today="2026-11-01")
    assert book.add_contact(db, "Ada Okafor", today=dt.date(2026, 11, 1)) == 66
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def sample(template, db_path):
    shutil.copy(template, db_path)
    return db_path


def dump(path):
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def assert_refused(result, exit_code, *needles):
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]


def check(cli, path, args, exit_code, *needles):
    before = dump(path)
    result = cli(*args)
    assert_refused(result, exit_code, *needles)
    assert dump(path) == before


UNKNOWN = "Nobody Atall"
NAMING_COMMANDS = [
    ["show", "{who}"],
    ["edit", "{who}", "--name", "New Name"],
    ["note", "{who}", "a note"],
    ["tag", "{who}", "friends"],
    ["untag", "{who}", "friends"],
    ["move", "{who}", *ADDRESS],
    ["verify", "{who}"],
    ["returned", "{who}"],
    ["status", "{who}", "active"],
    ["rm", "{who}", "--yes"],
    ["household", "new", "{who}"],
    ["household", "rename", "{who}", "The New Name"],
    ["household", "join", "{who}", "h2"],
    ["household", "leave", "{who}"],
]


def _fill(args, who):
    return [who if a == "{who}" else a for a in args]


@pytest.mark.parametrize("args", NAMING_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_an_unknown_name_is_exit_1_and_names_it(cli, sample, args):
    check(cli, sample, _fill(args, UNKNOWN), 1, repr(UNKNOWN))


@pytest.mark.parametrize("args", NAMING_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_an_unknown_id_is_exit_1(cli, sample, args):
    who = "h999" if args[0] in ("show", "move", "verify", "returned", "rm") else "c999"
    check(cli, sample, _fill(args, who), 1, "no ", who)


@pytest.mark.parametrize("args", NAMING_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_an_ambiguous_name_is_exit_2_and_lists_the_candidates(cli, sample, args):
    check(cli, sample, _fill(args, "Ada Okafor"), 2, "matches 2 records", "c1 Ada Okafor", "c66 Ada Okafor",
          "Use an id")


def test_joining_an_unknown_household(cli, sample):
    check(cli, sample, ["household", "join", "c2", "Nobody Atall"], 1, "'Nobody Atall'")


BAD_DAY = "2025-02-30"


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["add", "Eve Adams", "--birthday", BAD_DAY], "--birthday"),
        (["add", "Eve Adams", "--anniversary", BAD_DAY], "--anniversary"),
        (["edit", "c2", "--birthday", BAD_DAY], "--birthday"),
        (["edit", "c2", "--anniversary", BAD_DAY], "--anniversary"),
        (["note", "c2", "hello", "--on", BAD_DAY], "--on"),
        (["verify", "c2", "--on", BAD_DAY], "--on"),
        (["returned", "c2", "--on", BAD_DAY], "--on"),
        (["status", "c2", "deceased", "--on", BAD_DAY], "--on"),
        (["move", "c2", *ADDRESS, "--since", BAD_DAY], "--since"),
        (["add", "Eve Adams", "--birthday", "--02-30"], "--birthday"),
        (["add", "Eve Adams", "--birthday", "14 March"], "--birthday"),
    ],
    ids=lambda v: " ".join(v[:1]) if isinstance(v, list) else v,
)
def test_an_impossible_date_is_usage_naming_the_option(cli, sample, args, what):
    check(cli, sample, args, 2, what)  # a bad option value is usage (issue 16)


@pytest.mark.parametrize(
    "args",
    [
        ["add", "Eve Adams", "--today", BAD_DAY],
        ["note", "c2", "hello", "--today", BAD_DAY],
        ["household", "leave", "c2", "--today", BAD_DAY],
        ["import", str(EXAMPLES / "book.json"), "--today", BAD_DAY],
    ],
    ids=lambda a: a[0],
)
def test_an_impossible_today_is_a_usage_error(cli, sample, args):
    check(cli, sample, args, 2, "--today")


@pytest.mark.parametrize(
    ("args", "exit_code", "needle"),
    [
        (["add", ""], 1, "name must not be empty"),
        (["add", "   "], 1, "name must not be empty"),
        (["edit", "c2", "--name", "  "], 1, "name must not be empty"),
        (["household", "rename", "h1", "   "], 1, "mailing name must not be empty"),
        (["household", "rename", "h1"], 2, "give either a new name or --auto"),
        (["note", "c2", "   "], 1, "a note must not be empty"),
        (["search", "  "], 1, "search text must not be empty"),
        (["show", ""], 1, "an empty name names nobody"),
        (["tag", "c2", "two words"], 1, "tags are single words"),
    ],
    ids=lambda v: " ".join(v[:2]) if isinstance(v, list) else str(v),
)
def test_empty_names_and_text(cli, sample, args, exit_code, needle):
    check(cli, sample, args, exit_code, needle)


@pytest.mark.parametrize(
    "args",
    [
        ["add", "Eve Adams", "--street", "1 Main St", "--city", "Boise", "--country", "XX"],
        ["move", "c2", "--street", "1 Main St", "--city", "Boise", "--country", "ZZ"],
        ["edit", "c2", "--country", "QQ"],
    ],
    ids=lambda a: a[0],
)
def test_an_unknown_country_code(cli, sample, args):
    check(cli, sample, args, 2, "is not a known ISO country code")


@pytest.mark.parametrize(
    ("args", "exit_code", "needle"),
    [
        (["status", "c2", "sleeping"], 2, "'sleeping': choose"),
        (["list", "--status", "bogus"], 2, "'bogus': choose"),
        (["move", "c2"], 2, "give the new address"),
        (["add", "Eve Adams", "--street", "1 Main St"], 2, "--country is required"),
        (["add", "Eve Adams", "--street", "1 Main St", "--country", "US"], 1, "a city is required"),
        (["export", "--format", "xml"], 2, "--format 'xml'"),
        (["import", "--format", "xml", str(EXAMPLES / "book.json")], 2, "--format 'xml'"),
        (["household", "leave", "c11"], 1, "c11 is the only member of h5"),
        (["list", "--tag", ""], 1, "tags are single words"),
        (["export", "--format", "csv", "--tag", " "], 1, "tags are single words"),
        (["household", "new", "c2", "--name", "  "], 1, "mailing name must not be empty"),
        (["move", "h4", *ADDRESS, "--since", "2024-01-01"], 1, "since 2025-08-01"),
    ],
    ids=lambda v: " ".join(v[:2]) if isinstance(v, list) else str(v),
)
def test_bad_option_values(cli, sample, args, exit_code, needle):
    check(cli, sample, args, exit_code, needle)


# ---------------------------------------------------------------- import files


def _bad_file(tmp_path, kind):
    path = tmp_path / f"{kind}.json"
    good = json.loads((EXAMPLES / "book.json").read_text())
    if kind == "missing":
        return path
    if kind == "not-json":
        path.write_text('{"cardkeep": 1, "households": [')
    elif kind == "wrong-version":
        path.write_text(json.dumps({"cardkeep": 7, "households": []}))
    elif kind == "bad-date":
        good["households"][41]["members"][0]["dates"] = [{"kind": "birthday", "year": 2025, "month": 2, "day": 30}]
        path.write_text(json.dumps(good))
    elif kind == "no-members":
        good["households"][3]["members"] = []
        path.write_text(json.dumps(good))
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage\x00")
    return path


@pytest.mark.parametrize(
    ("kind", "needle"),
    [
        ("missing", "no such file"),
        ("not-json", "not valid JSON"),
        ("wrong-version", "format version 7 is not supported"),
        ("bad-date", "households[41].members[0].dates[0]"),
        ("no-members", "households[3]: a household needs at least one member"),
        ("binary", "not UTF-8 text"),
    ],
)
def test_a_bad_import_file_imports_nothing(cli, sample, tmp_path, kind, needle):
    path = _bad_file(tmp_path, kind)
    check(cli, sample, ["import", "--format", "json", path], 1, needle)


def test_one_bad_file_among_good_ones_imports_nothing(cli, sample, tmp_path):
    check(cli, sample, ["import", EXAMPLES / "book.json", _bad_file(tmp_path, "bad-date")], 1, "2025-02-30")


# ---------------------------------------------------------------- the database itself

BOOK_COMMANDS = [
    ["list"],
    ["show", "c1"],
    ["add", "Eve Adams"],
    ["search", "ada"],
    ["export"],
    ["import", str(EXAMPLES / "book.json")],
    ["doctor"],
    ["backup"],
]


def _bad_database(tmp_path, kind):
    path = tmp_path / "bad.db"
    if kind == "directory":
        path.mkdir()
    elif kind == "not-sqlite":
        path.write_text("Ada Okafor, 12 Elm St, Springfield\n" * 50)
    elif kind == "other-sqlite":
        conn = sqlite3.connect(path)
        conn.execute("create table photos (id integer primary key, file text)")
        conn.execute("insert into photos (file) values ('beach.jpg')")
        conn.commit()
        conn.close()
    elif kind == "newer-schema":
        db = open_db(path)
        db.execute("insert into households (mailing_name, created) values ('kept', '2026-01-01')")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        db.close()
    elif kind == "truncated":  # half a book, as a crashed copy or a full USB stick leaves it
        good = open_db(tmp_path / "good.db")
        import_book(good, json.loads((EXAMPLES / "book.json").read_text()), source="book.json", today="2026-11-01")
        good.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        good.close()
        data = (tmp_path / "good.db").read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "unreachable":
        (tmp_path / "a-file").write_text("x")
        path = tmp_path / "a-file" / "book.db"
    return path


def _snapshot(path):
    if not path.exists() or path.is_dir():
        return sorted(p.name for p in path.iterdir()) if path.is_dir() else None
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


@pytest.mark.parametrize(
    ("kind", "needle"),
    [
        ("directory", "is a directory"),
        ("not-sqlite", "is not a SQLite database"),
        ("other-sqlite", "is not a cardkeep database"),
        ("newer-schema", "written by a newer cardkeep"),
        ("truncated", "is damaged"),
        ("unreachable", "cannot open database"),
    ],
)
@pytest.mark.parametrize("args", BOOK_COMMANDS, ids=lambda a: a[0])
def test_a_database_that_cannot_be_used_is_one_clear_line(cli, tmp_path, kind, needle, args):
    path = _bad_database(tmp_path, kind)
    before = _snapshot(path)
    result = cli("--db", path, *args)
    assert_refused(result, 1, needle, str(path))
    assert _snapshot(path) == before
    assert not (tmp_path / "backups").exists()


def test_a_read_only_database_reads_but_refuses_writes(cli, sample, monkeypatch):
    """Opened read-only (as on a read-only mount): reading works, a write says so in one line."""
    real = sqlite3.connect

    def read_only(path, *args, **kwargs):
        return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(dbmodule.sqlite3, "connect", read_only)
    assert cli("list").exit_code == 0
    before = dump(sample)
    for args in (["add", "Eve Adams"], ["note", "c2", "hello"], ["rm", "c2", "--yes"]):
        assert_refused(cli(*args), 1, "is read-only; nothing was changed")
    monkeypatch.setattr(dbmodule.sqlite3, "connect", real)
    assert dump(sample) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_file(cli, sample):
    sample.chmod(0o400)
    try:
        before = sample.read_bytes()
        result = cli("add", "Eve Adams")
        assert_refused(result, 1, "read-only")
        assert sample.read_bytes() == before
    finally:
        sample.chmod(0o600)


def test_a_full_disk_is_one_line_and_a_whole_rollback(cli, sample, monkeypatch):
    """SQLITE_FULL, as a full disk gives it: here by capping the file at its current size."""
    real_open = dbmodule.open_db

    def capped(path, **kwargs):
        db = real_open(path, **kwargs)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(dbmodule, "open_db", capped)
    before = dump(sample)
    result = cli("import", "--on-conflict", "new", EXAMPLES / "book.json")
    assert_refused(result, 1, "is full; nothing was changed")
    monkeypatch.setattr(dbmodule, "open_db", real_open)
    assert dump(sample) == before
