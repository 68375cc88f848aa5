"""The contact-book commands end to end, as a user types them."""

import json
import os
import subprocess
import sys

from cardkeep import __version__
from tests.conftest import EXAMPLES

ADDRESS = ["--street", "12 Elm St", "--city", "Springfield", "--region", "IL", "--postal-code", "62701",
           "--country", "US"]


def test_version_and_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "cardkeep", "--version"], capture_output=True, text=True,
                            env={**os.environ, "CARDKEEP_DB": str(tmp_path / "x.db")})
    assert result.returncode == 0
    assert result.stdout == f"cardkeep {__version__}\n"
    assert not (tmp_path / "x.db").exists()  # --version opens nothing


def test_path_honours_db_option_then_env(cli, tmp_path):
    assert cli("path").stdout.strip() == str(tmp_path / "book.db")
    assert cli("--db", tmp_path / "other.db", "path").stdout.strip() == str(tmp_path / "other.db")


def test_path_defaults_to_the_user_data_dir(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("CARDKEEP_DB")
    shown = cli("path").stdout.strip()
    assert shown.startswith(str(tmp_path)) and shown.endswith("cardkeep.db")


def test_add_show_and_json(cli):
    result = cli("add", "Ada Okafor", "--salutation", "Ada", "--birthday", "1978-03-14", "--tag", "friends",
                 "--email", "ada@example.org", "--today", "2026-11-23", *ADDRESS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Added c1 Ada Okafor to h1\n"
    shown = cli("show", "ada").stdout
    assert "h1  Ada Okafor  (active)" in shown
    assert "address: 12 Elm St, Springfield, IL, 62701, US  (current, unverified)" in shown
    assert '  c1 Ada Okafor  greet as "Ada"' in shown
    assert "      birthday: 1978-03-14" in shown
    record = json.loads(cli("show", "c1", "--json").stdout)
    assert record["members"][0]["emails"] == ["ada@example.org"]
    assert record["members"][0]["tags"] == ["friends"]
    assert record["created"] == "2026-11-23"


def test_add_into_a_household_and_the_mailing_name(cli):
    cli("add", "Ada Okafor")
    cli("add", "Emeka Okafor", "--household", "Ada Okafor")
    assert json.loads(cli("show", "h1", "--json").stdout)["display_name"] == "Ada & Emeka Okafor"
    result = cli("status", "Emeka Okafor", "deceased", "--on", "2025-05-10")
    assert result.exit_code == 0
    assert "The mailing name of h1 is now: Ada Okafor" in result.stdout


def test_duplicate_name_warns_but_adds(cli):
    cli("add", "Sam Lee")
    result = cli("add", "Sam Lee")
    assert result.exit_code == 0
    assert "same name as c1 Sam Lee" in result.stderr
    ambiguous = cli("show", "Sam Lee")
    assert ambiguous.exit_code == 2
    assert "c1 Sam Lee; c2 Sam Lee" in ambiguous.stderr


def test_list_in_a_pipe_is_tab_separated(cli):
    cli("add", "Zoë Brandt", "--tag", "friends", *ADDRESS)
    cli("add", "Ben Ode")
    lines = cli("list").stdout.splitlines()
    assert lines[0] == "id\tname\thousehold\tstatus\ttags\tcity\tcountry"
    assert lines[1] == "c1\tZoë Brandt\th1\tactive\tfriends\tSpringfield\tUS"
    assert [r["name"] for r in json.loads(cli("list", "--tag", "friends", "--json").stdout)] == ["Zoë Brandt"]


def test_search_exit_codes(cli):
    cli("add", "Zoë Brandt")
    cli("note", "Zoë Brandt", "new puppy Max", "--on", "2025-12-01")
    assert "c1\tZoë Brandt\tname" in cli("search", "zoe").stdout
    assert "note: new puppy Max" in cli("search", "PUPPY").stdout
    assert cli("search", "nobody").exit_code == 1


def test_edit_tag_untag_and_verify(cli):
    cli("add", "Rosa Pemberton", *ADDRESS)
    assert cli("edit", "rosa", "--salutation", "Aunt Rosa", "--city", "Chicago").exit_code == 0
    cli("tag", "rosa", "Family", "elder")
    cli("untag", "rosa", "elder")
    cli("verify", "rosa", "--on", "2026-11-01")
    record = json.loads(cli("show", "rosa", "--json").stdout)
    assert record["members"][0]["salutation"] == "Aunt Rosa"
    assert record["members"][0]["tags"] == ["family"]
    assert record["addresses"][0]["city"] == "Chicago"
    assert record["addresses"][0]["verified_on"] == "2026-11-01"


def test_move_and_returned(cli):
    cli("add", "Hannah Jensen", *ADDRESS)
    result = cli("move", "hannah", "--street", "1550 Larimer St", "--city", "Denver", "--country", "US",
                 "--since", "2025-08-01")
    assert result.exit_code == 0
    cli("returned", "hannah", "--on", "2026-01-09")
    addresses = json.loads(cli("show", "hannah", "--json").stdout)["addresses"]
    assert [(a["city"], a["valid_to"], a["returned_on"]) for a in addresses] == [
        ("Springfield", "2025-08-01", None), ("Denver", None, "2026-01-09")]


def test_household_commands(cli):
    cli("add", "Sam Lee")
    cli("add", "Priya Nair")
    assert cli("household", "new", "Sam Lee", "Priya Nair").stdout == "Created h3 Sam Lee & Priya Nair\n"
    assert cli("household", "rename", "h3", "Sam & Priya").exit_code == 0
    assert json.loads(cli("show", "h3", "--json").stdout)["mailing_name"] == "Sam & Priya"
    assert cli("household", "rename", "h3", "--auto").stdout == "h3 is now: Sam Lee & Priya Nair\n"
    assert cli("household", "leave", "Priya Nair").exit_code == 0
    assert json.loads(cli("show", "Sam Lee", "--json").stdout)["display_name"] == "Sam Lee"
    assert cli("household", "join", "Priya Nair", "h3").exit_code == 0
    assert len(json.loads(cli("show", "h3", "--json").stdout)["members"]) == 2


def test_household_status(cli):
    cli("add", "Marcus Fenwick")
    assert cli("status", "h1", "do-not-send").exit_code == 0
    assert [r["name"] for r in json.loads(cli("list", "--status", "do-not-send", "--json").stdout)] == [
        "Marcus Fenwick"]
    assert cli("status", "h1", "deceased").exit_code == 1  # households are not deceased; people are


def test_rm_asks_first(cli):
    cli("add", "Ben Ode")
    assert cli("rm", "Ben Ode", input="n\n").exit_code == 1
    assert cli("show", "Ben Ode").exit_code == 0
    assert cli("rm", "Ben Ode", input="y\n").exit_code == 0
    assert cli("show", "Ben Ode").exit_code == 1
    cli("add", "Ada")  # h2: ids are never reused (h1 was Ben's)
    assert cli("rm", "h2", "--yes").stdout == "Deleted household h2 Ada and all its members\n"


def test_sample_book_imports_and_shows(cli):
    result = cli("import", EXAMPLES / "book.json")
    assert result.exit_code == 0
    assert result.stdout == "Imported 42 households, 65 people\n"
    assert "山田 太郎・花子 様" in cli("show", "山田 太郎").stdout
    assert json.loads(cli("show", "Carol Whitaker", "--json").stdout)["display_name"] == "Carol Whitaker"


def test_edit_gives_an_addressless_household_an_address_in_the_sender_country(cli, isolated):
    (isolated / "config.toml").write_text('[sender]\ncountry = "DE"\n')
    cli("add", "Jürgen Müller")
    result = cli("edit", "Jürgen", "--street", "Schönhauser Allee 45", "--city", "Berlin")
    assert result.exit_code == 0, result.stderr
    assert json.loads(cli("show", "Jürgen", "--json").stdout)["addresses"][0]["country"] == "DE"


def test_show_on_a_terminal_never_reads_tags_as_markup(cli, monkeypatch):
    from cardkeep.cli import output

    monkeypatch.setattr(output, "is_terminal", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    output.console.cache_clear()
    cli("add", "Eve", "--tag", "[red]x")
    cli("tag", "h1", "[bold]y")
    result = cli("show", "Eve")
    output.console.cache_clear()
    assert "tags: [red]x" in result.stdout
    assert "tags: [bold]y" in result.stdout


def test_rm_with_no_answer_is_one_error_line(cli):
    cli("add", "Ben Ode")
    result = cli("rm", "Ben Ode", input="")
    assert (result.exit_code, result.stderr) == (1, "Error: no answer (use --yes in scripts); nothing deleted\n")
    assert cli("show", "Ben Ode").exit_code == 0


def test_names_are_not_rich_markup_on_a_terminal(cli, monkeypatch, capsys):
    from cardkeep.cli import output

    cli("add", "[red]Eve[/red] Markup")
    monkeypatch.setattr(output, "is_terminal", lambda: True)
    output.console.cache_clear()
    output.print_table([["c1", "[red]Eve[/red] Markup"]], ["id", "name"])
    assert "[red]Eve[/red] Markup" in capsys.readouterr().out


def test_a_death_date_defaults_to_today_and_is_never_in_the_future(cli):
    cli("add", "Bob Whitaker", "--country", "US", "--city", "Duluth", "--street", "1 Main St")
    future = cli("status", "bob", "deceased", "--on", "9999-12-31", "--today", "2026-12-01")
    assert future.exit_code == 1
    assert future.stderr == "Error: --on 9999-12-31: a date of death cannot be after today (2026-12-01)\n"
    done = cli("status", "bob", "deceased", "--today", "2026-12-01")
    assert done.exit_code == 0, done.stderr
    assert "[deceased 2026-12-01]" in cli("show", "bob").stdout


def test_show_lists_notes_by_date(cli):
    cli("add", "Ada Okafor")
    cli("note", "ada", "second", "--on", "2026-05-01")
    cli("note", "ada", "first", "--on", "2024-01-01")
    shown = cli("show", "ada").stdout
    assert shown.index("first") < shown.index("second")
