"""Fixing the record: cards, notes and dates can be corrected and removed, and put back (issue 15)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES

T = ("--today", "2026-12-01")


@pytest.fixture
def sample(cli, isolated):
    (isolated / "config.toml").write_text('[sender]\ncountry = "US"\n')
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    return cli


def cards(cli, who):
    return json.loads(cli("card", "list", who, "--json").stdout)


def test_a_card_is_corrected_and_put_back_with_the_printed_command(sample):
    first = cards(sample, "Ada Okafor")[0]
    result = sample("card", "edit", first["id"], "--design", "Robin", "--date", "2016-12-04")
    assert result.exit_code == 0, result.stderr
    changed = cards(sample, "Ada Okafor")[0]
    assert (changed["design"], changed["date"]) == ("Robin", "2016-12-04")
    assert sample(*printed(result.stdout, "to put it back: ")).exit_code == 0
    assert cards(sample, "Ada Okafor")[0] == first


def printed(stdout: str, after: str) -> list[str]:
    """The arguments of the command a message prints (after `cardkeep`), as a shell would split them."""
    import shlex

    words = shlex.split(stdout.split(after)[1].strip())
    assert words[0] == "cardkeep"
    return words[1:]


def test_a_card_cannot_be_moved_onto_another_of_the_same_season(sample):
    listed = cards(sample, "Ada Okafor")
    sent = [c for c in listed if c["direction"] == "sent" and c["occasion"] == "holiday"]
    result = sample("card", "edit", sent[0]["id"], "--year", str(sent[1]["year"]))
    assert result.exit_code == 1
    assert f"card {sent[1]['id']} is already recorded" in result.stderr
    assert cards(sample, "Ada Okafor") == listed


def test_removing_a_card_asks_and_can_be_recorded_again(sample):
    before = cards(sample, "Ada Okafor")
    last = before[-1]
    refused = sample("card", "rm", last["id"], input="n\n")
    assert refused.exit_code == 1 and "Nothing changed." in refused.stderr
    done = sample("card", "rm", last["id"], "--yes")
    assert done.exit_code == 0 and len(cards(sample, "Ada Okafor")) == len(before) - 1
    assert sample(*printed(done.stdout, "to record it again: "), *T).exit_code == 0
    restored = cards(sample, "Ada Okafor")[-1]
    assert {k: restored[k] for k in ("year", "occasion", "direction", "date")} == \
        {k: last[k] for k in ("year", "occasion", "direction", "date")}


def test_notes_are_listed_corrected_and_removed(sample):
    sample("note", "ada", "new puppy Max", "--on", "2026-05-01")
    listed = json.loads(sample("notes", "list", "ada", "--json").stdout)
    note = next(n for n in listed if n["text"] == "new puppy Max")
    fixed = sample("notes", "edit", note["id"], "new puppy Max (a beagle)")
    assert fixed.exit_code == 0 and "cardkeep notes edit" in fixed.stdout
    assert "new puppy Max (a beagle)" in sample("show", "ada").stdout
    assert sample("notes", "rm", note["id"], "--yes").exit_code == 0
    assert "puppy" not in sample("show", "ada").stdout
    assert sample("notes", "rm", note["id"], "--yes").exit_code == 1  # gone: one clear error


def test_a_date_is_corrected(sample):
    birthday = next(d for d in json.loads(sample("date", "list", "Ada Okafor", "--json", *T).stdout)
                    if d["kind"] == "birthday")
    fixed = sample("date", "edit", birthday["id"], "--on", "1978-03-15")
    assert fixed.exit_code == 0, fixed.stderr
    again = next(d for d in json.loads(sample("date", "list", "Ada Okafor", "--json", *T).stdout)
                 if d["id"] == birthday["id"])
    assert again["date"] == "1978-03-15"
    assert fixed.stdout.rstrip().endswith(f"cardkeep date edit {birthday['id']} --on {birthday['date']}")


def test_a_mailed_card_steps_back_only_with_unmail_and_confirmation(sample):
    assert sample("plan", "--save", *T).exit_code == 0
    assert sample("mark", "Ada Okafor", "mailed", "--typeset", *T).exit_code == 0
    mailed = [c for c in cards(sample, "Ada Okafor") if c["year"] == 2026 and c["direction"] == "sent"]
    assert len(mailed) == 1
    plain = sample("mark", "Ada Okafor", "stamped", *T)
    assert plain.exit_code == 1 and "add --unmail" in plain.stderr
    assert sample("mark", "Ada Okafor", "stamped", "--unmail", *T, input="n\n").exit_code == 1
    stepped = sample("mark", "Ada Okafor", "stamped", "--unmail", "--yes", *T)
    assert stepped.exit_code == 0 and "mailed -> stamped" in stepped.stdout
    assert not [c for c in cards(sample, "Ada Okafor") if c["year"] == 2026 and c["direction"] == "sent"]
    progress = json.loads(sample("progress", "--json", *T).stdout)
    assert progress["counts"]["stamped"] >= 1
