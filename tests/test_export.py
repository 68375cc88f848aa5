"""vCard export: versions, vdir folders, and round trips that keep names, addresses, dates, notes,
tags and households."""

import json

import pytest

from tests.conftest import EXAMPLES

ADDRESS_KEYS = ("street", "extended", "city", "region", "postal_code", "country")


def summary(export):
    """What a vCard round trip promises to keep, per household, independent of ids and order."""
    out = []
    for house in export["households"]:
        current = [a for a in house["addresses"] if a["valid_to"] is None]
        people = []
        for m in house["members"]:
            people.append(
                (
                    m["name"],
                    m["given_name"],
                    m["family_name"],
                    m["nickname"],
                    m["salutation"],  # "Aunt Rosa" is worth keeping: X-CARDKEEP-SALUTATION
                    tuple(m["emails"]),
                    tuple(m["phones"]),
                    tuple(
                        sorted(
                            (d["kind"], d["label"], d["year"], d["month"], d["day"])
                            for d in m["dates"]
                            if not d["rule"]
                        )
                    ),
                    tuple(n["text"] for n in m["notes"]),
                    tuple(sorted(set(m["tags"]) | set(house["tags"]))),
                )
            )
        people = [(m["status"], m["deceased_on"], *p) for m, p in zip(house["members"], people, strict=True)]
        out.append(
            (
                house["mailing_name"],
                house["status"],
                tuple({k: a[k] for k in ADDRESS_KEYS}.items() for a in current),
                tuple(people),
            )
        )
    return sorted(out, key=repr)


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_round_trip_keeps_the_book(cli, tmp_path, version):
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    original = json.loads(cli("export").stdout)
    target = tmp_path / "book.vcf"
    assert cli("export", "--format", "vcard", "--version", version, "--output", target).exit_code == 0
    text = target.read_bytes().decode("utf-8")
    assert text.count("BEGIN:VCARD") == 65 + sum(
        1 for h in original["households"] if len(h["members"]) > 1 or h["mailing_name"] or h["status"] != "active"
    )
    assert f"VERSION:{version}\r\n" in text
    second = tmp_path / "second.db"
    result = cli("--db", second, "import", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Imported 42 households, 65 people\n"
    assert summary(json.loads(cli("--db", second, "export").stdout)) == summary(original)
    again = cli("--db", second, "import", target, "--json")
    assert json.loads(again.stdout)["unchanged"] == 65  # UIDs were kept: a second import changes nothing


def test_year_less_dates_in_each_version(cli):
    cli("add", "Ann Lee", "--birthday", "--02-29")
    v4 = cli("export", "--format", "vcard").stdout_bytes.decode()
    v3 = cli("export", "--format", "vcard", "--version", "3.0").stdout_bytes.decode()
    assert "\r\nBDAY:--0229\r\n" in v4
    assert "\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29\r\n" in v3
    bad = cli("export", "--format", "vcard", "--version", "2.1")
    assert bad.exit_code == 2 and "--version '2.1': choose 3.0 or 4.0" in bad.stderr


def test_vdir_folder_with_stable_file_names(cli, tmp_path):
    cli("import", EXAMPLES / "book.json")
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    assert cli("export", "--format", "vcard", "--output", first).exit_code == 0
    assert cli("export", "--format", "vcard", "--output", f"{second}/").exit_code == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert all(name.endswith(".vcf") for name in names)
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)
    assert all((first / n).stat().st_mode & 0o077 == 0 for n in names)
    result = cli("--db", tmp_path / "vdir.db", "import", first)
    assert result.stdout == "Imported 42 households, 65 people\n"


def test_export_by_tag(cli):
    cli("add", "Ann Lee", "--tag", "family")
    cli("add", "Bo Lund")
    text = cli("export", "--format", "vcard", "--tag", "family").stdout
    assert "FN:Ann Lee" in text and "Bo Lund" not in text
    data = json.loads(cli("export", "--tag", "family").stdout)
    assert [h["members"][0]["name"] for h in data["households"]] == ["Ann Lee"]


def test_export_unknown_format(cli):
    result = cli("export", "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr == "Error: --format 'xml': choose json, vcard, csv\n"


def test_vdir_file_names_are_safe():
    from cardkeep.formats.vcard import vdir_filename

    assert vdir_filename("../../etc/passwd") == "_2e__2e__2f__2e__2e__2f_etc_2f_passwd.vcf"
    assert vdir_filename(".hidden") == "_2e_hidden.vcf"
    assert vdir_filename("urn:uuid:1B4B") == "1b4b.vcf"  # the UID as import compares it
    assert vdir_filename("6f1d3c2e-8a4b-4d6e-9c1f-2b7a5e3d4c10") == "6f1d3c2e-8a4b-4d6e-9c1f-2b7a5e3d4c10.vcf"


def test_phone_numbers_and_emails_are_written_as_they_are(cli):
    cli("add", "Ann Lee", "--phone", "+1-418-656-9254;ext=102", "--email", "ann,lee@example.org")
    text = cli("export", "--format", "vcard").stdout
    assert "\nTEL:+1-418-656-9254;ext=102\n" in text
    assert "\nEMAIL:ann,lee@example.org\n" in text


@pytest.mark.parametrize("fmt", ["json", "vcard", "csv"])
def test_export_reads_the_book_in_a_few_queries_whatever_its_size(db_path, fmt):
    """Never a query per household: a book twice the size takes the same number of queries."""
    from cardkeep.formats.jsonbook import import_book
    from cardkeep.services.io import export_book
    from cardkeep.store.db import open_db

    data = json.loads((EXAMPLES / "book.json").read_text(encoding="utf-8"))
    db = open_db(db_path)
    counts = []
    for _ in range(2):
        import_book(db, json.loads(json.dumps(data)), source="book.json", today="2026-01-01", on_conflict="new")
        statements = []
        db.conn.set_trace_callback(statements.append)
        exported = export_book(db, fmt)
        db.conn.set_trace_callback(None)
        assert exported.text
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 14


def test_the_library_export_is_what_the_cli_writes(cli, db_path):
    from cardkeep.services.io import export_book
    from cardkeep.store.db import open_db

    cli("import", EXAMPLES / "book.json")
    for args, fmt in ((("export",), "json"), (("export", "-f", "vcard", "--version", "3.0"), "vcard")):
        kwargs = {"version": "3.0"} if fmt == "vcard" else {}
        text = export_book(open_db(db_path), fmt, **kwargs).text
        assert cli(*args).stdout == text.replace("\r\n", "\n")  # the runner reads CR LF as LF
