"""`cardkeep sent/received/history/plan/mark/progress` end to end, on the sample book."""

import json

import pytest

from tests.conftest import EXAMPLES

T = ("--today", "2026-11-23")


@pytest.fixture
def sample(cli, isolated):
    (isolated / "config.toml").write_text('[sender]\ncountry = "US"\n')
    result = cli("import", EXAMPLES / "book.json")
    assert result.exit_code == 0, result.stderr
    return cli


def plan_json(cli, *args):
    result = cli("plan", *T, "--json", *args)
    assert result.exit_code == 0, result.stderr
    return {d["mailing_name"]: d for d in json.loads(result.stdout)}


def test_plan_json_shape_and_the_sample_households(sample):
    plan = plan_json(sample)
    assert len(plan) == 42
    for d in plan.values():
        assert {"household", "mailing_name", "decision", "reasons", "mail_by", "country"} <= set(d)
        assert d["decision"] in ("send", "consider", "skip") and d["reasons"]
        assert d["household"].startswith("h")
    okafor = plan["The Okafor Family"]
    assert (okafor["decision"], okafor["mail_by"], okafor["country"]) == ("send", "2026-12-15", "US")
    assert okafor["reasons"][:3] == ["sent every year since 2016", "they sent us one in 2025: reciprocate",
                                     "25th wedding anniversary this year"]
    # The mailing name drops Bob; the first season after his death is flagged.
    carol = plan["Carol Whitaker"]
    assert carol["decision"] == "send"
    assert any(r.startswith("Bob died in") and "address to Carol alone; consider a thinking-of-you note" in r
               for r in carol["reasons"])
    assert plan["Marcus Fenwick"]["decision"] == "skip"
    assert plan["Marcus Fenwick"]["reasons"] == ["household is do-not-send"]
    grace = plan["Grace Holloway"]
    assert (grace["decision"], "card came back in 2025: address needs fixing" in grace["reasons"]) == ("consider", True)
    # They moved in August 2025 and last year's card went to Denver: by now the move is not news.
    assert not any(r.startswith("moved") for r in plan["Hannah & Lars Jensen"]["reasons"])
    assert plan["Diego Ramírez"]["reasons"] == ["new this year"]
    assert "address unverified since 2019: check it" in plan["Walter Gruber"]["reasons"]
    assert any(r.startswith("first holiday since the new baby") for r in plan["Sam Lee & Priya Nair"]["reasons"])
    assert any(r.startswith("already sent 5 cards in the last 12 months") for r in plan["Nora Quinn"]["reasons"])
    # Twenty years of friendship do not drop for three quiet ones.
    irene = plan["Irene & Tom Kowalski"]
    assert irene["decision"] == "send"
    assert any("a long friendship, keep sending" in r for r in irene["reasons"])
    # International first (mailing order), and the Japanese household's name as stored.
    order = list(plan.values())
    assert all(d["international"] for d in order[:8]) and not any(d["international"] for d in order[8:])
    assert plan["山田 太郎・花子 様"]["country"] == "JP"


def test_plan_text_groups_by_decision_with_a_stamp_summary(sample):
    result = sample("plan", *T)
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Send (") < out.index("Consider (") < out.index("Skip (1)")
    assert "mail by\tid\thousehold\tcountry\twhy" in out
    assert "\th6\tMarcus Fenwick\tUS\thousehold is do-not-send" in out
    assert out.rstrip().splitlines()[-1].startswith("2026 holiday cards to arrive by 2026-12-20: ")
    assert "domestic and 8 international stamps" in out
    assert result.stderr == ""


def test_plan_warns_when_home_country_is_guessed(cli, isolated):
    cli("import", EXAMPLES / "book.json")
    result = cli("plan", *T, "--json")
    assert result.exit_code == 0
    assert "taking US (most addresses) as home" in result.stderr
    json.loads(result.stdout)  # the warning never lands in the JSON


def test_plan_is_reproducible_with_today(sample):
    assert sample("plan", *T, "--json").stdout == sample("plan", *T, "--json").stdout


def test_plan_with_a_design_flags_who_had_it(sample):
    plan = plan_json(sample, "--design", "snowy owl")
    flagged = [name for name, d in plan.items() if any("already had the Snowy owl design" in r for r in d["reasons"])]
    assert flagged and "Marcus Fenwick" not in flagged


def test_plan_bad_config_is_one_clear_error(sample, isolated):
    (isolated / "config.toml").write_text('[plan]\nquiet_years = "lots"\n')
    result = sample("plan", *T)
    assert result.exit_code == 1
    assert result.stderr == "Error: config [plan] quiet_years: 'lots' is not a whole number >= 1\n"


def test_plan_save_then_mark_and_progress(sample):
    result = sample("plan", *T, "--save")
    assert result.exit_code == 0
    assert result.stdout.rstrip().splitlines()[-1] == (
        "Saved the 2026 holiday batch: 32 cards; 9 to consider are not in it "
        "(add one with `cardkeep mark WHO planned`)")
    result = sample("mark", "Okafor", "Carol Whitaker", "signed", *T)
    assert (result.exit_code, result.stdout) == (0, "h1 The Okafor Family: planned -> signed\n"
                                                    "h3 Carol Whitaker: planned -> signed\n")
    result = sample("mark", "h2", "mailed", *T)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot mark mailed: h2 Sam Lee & Priya Nair is not signed by hand yet")
    result = sample("mark", "h1", "mailed", "--on", "2026-11-21", *T)
    assert result.exit_code == 0
    history = json.loads(sample("history", "h1", "--json").stdout)
    assert history["years"][-1]["year"] == 2026
    assert history["years"][-1]["sent"][0]["signed_by_hand"] is True
    assert history["years"][-1]["sent"][0]["date"] == "2026-11-21"
    result = sample("progress", *T)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "2026 holiday batch: 1 of 32 mailed, arrive by 2026-12-20"
    assert lines[1] == "  planned 30 · written 0 · signed 1 · addressed 0 · stamped 0 · mailed 1"
    assert lines[2] == "Not yet signed by hand (30):"
    assert "Carol Whitaker" not in "\n".join(lines[3:33])
    assert lines[3] == "  h10 Amélie & Théo Dubois (planned, mail by 2026-12-06)"
    late = sample("progress", "--today", "2026-12-08").stdout.splitlines()
    assert late[3] == "  h10 Amélie & Théo Dubois (planned, mail by 2026-12-06, overdue)"
    report = json.loads(sample("progress", *T, "--json").stdout)
    assert report["left"][0]["international"] and len(report["left"]) == 31
    # Plan again: the one already mailed is now a skip, and re-saving keeps the progress.
    assert plan_json(sample)["The Okafor Family"]["decision"] == "skip"
    result = sample("plan", *T, "--save", "--json")
    assert result.exit_code == 0
    json.loads(result.stdout)
    assert "progress kept" in result.stderr


def test_mark_all_and_usage_errors(sample):
    assert sample("mark", "--all", "signed", *T).stderr.startswith("Error: no saved plan for 2026")
    sample("plan", *T, "--save")
    result = sample("mark", "--all", "written", *T, "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 32
    result = sample("mark", "--all", "written", *T)
    assert result.stdout == "Nothing to do: every card in the batch is already written or further.\n"
    for args, message in [
        ((), "say who and the state"),
        (("signed",), "whose card is signed? Name them, or say --all"),
        (("Okafor", "sealed"), "'sealed' is not one of planned"),
        (("--all", "Okafor", "signed"), "give names or --all, not both"),
        (("Nobody Atall", "signed"), "no contact named 'Nobody Atall'"),
    ]:
        result = sample("mark", *args, *T)
        assert result.exit_code in (1, 2) and message in result.stderr, (args, result.stderr)
    assert sample("mark", "Okafor", "sealed", *T).exit_code == 2


def test_mark_planned_adds_one_to_consider(sample):
    sample("plan", *T, "--save")
    result = sample("mark", "Grace Holloway", "planned", *T)
    assert result.stdout == "h15 Grace Holloway: added to the batch\n"
    result = sample("mark", "Marcus", "planned", *T)
    assert result.exit_code == 1
    assert "Marcus Fenwick is not sent a card (household is do-not-send)" in result.stderr


def test_sent_received_and_history(sample):
    result = sample("sent", "Diego", "--design", "Snowy owl", "--message", "Welcome to the street!",
                    "--signed-by-hand", *T)
    assert result.stdout == "Recorded the 2026 holiday card sent to h17 Diego Ramírez\n"
    result = sample("received", "Diego", "--news", "Started a new job at the observatory", *T)
    assert result.stdout == "Recorded the 2026 holiday card from h17 Diego Ramírez; their news is kept as a note\n"
    assert "note 2026-11-23: Started a new job at the observatory" in sample("show", "Diego").stdout
    result = sample("history", "Diego")
    assert result.stdout.splitlines() == [
        "h17  Diego Ramírez",
        "  2026–2026: we sent cards in 1 year; they sent one back in 1 year",
        "  ↔  (" + "↔ cards both ways · → we sent · ← they sent · × came back · · none" + ")",
        '  2026  sent holiday 2026-11-23 "Snowy owl" signed by hand; received holiday 2026-11-23 news: '
        "Started a new job at the observatory",
    ]
    again = sample("sent", "Diego", *T)
    assert again.exit_code == 1
    assert again.stderr == "Error: a 2026 holiday card to h17 Diego Ramírez is already recorded on 2026-11-23\n"


def test_sent_for_an_old_year_keeps_no_day(sample):
    sample("sent", "Diego", "--year", "2019", *T)
    record = json.loads(sample("history", "Diego", "--json").stdout)
    assert record["years"] == [{"year": 2019, "received": [], "sent": [
        {"occasion": "holiday", "date": None, "design": None, "message": None, "signed_by_hand": None,
         "returned": False}]}]


def test_last_years_card_recorded_late_in_the_year_is_not_dated_today(sample):
    sample("sent", "Diego", "--year", "2025", *T)
    sample("received", "Diego", "--year", "2025", "--news", "A new baby girl", *T)
    year = json.loads(sample("history", "Diego", "--json").stdout)["years"][0]
    assert (year["sent"][0]["date"], year["received"][0]["date"]) == (None, None)
    assert "note 2025-12-31: A new baby girl" in sample("show", "Diego").stdout
    # In January, last season's late cards are still coming in: today is their day.
    assert sample("received", "Elena Baker", "--year", "2025", "--today", "2026-01-08").exit_code == 0
    years = json.loads(sample("history", "Elena Baker", "--json").stdout)["years"]
    assert years[-1]["received"][-1]["date"] == "2026-01-08"


def test_sent_with_bad_input_is_a_usage_error(sample):
    assert sample("sent", "Diego", "--date", "2026-13-01", *T).exit_code == 2
    result = sample("sent", "Diego", "--date", "2027-01-01", *T)
    assert (result.exit_code, result.stderr) == (2, "Error: --date 2027-01-01 is in the future\n")
    result = sample("received", "Diego", "--year", "2027", *T)
    assert (result.exit_code, result.stderr) == (2, "Error: --year 2027 is in the future\n")
    result = sample("sent", "Diego", "--year", "2019", "--date", "2026-11-01", *T)
    assert (result.exit_code, result.stderr) == (2, "Error: --date 2026-11-01 does not belong to a card of 2019\n")
    assert sample("received", "Diego", "--year", "2025", "--date", "2026-01-04", *T).exit_code == 0
    result = sample("sent", "Diego", "--occasion", "xmas", *T)
    assert result.exit_code == 2 and "--occasion 'xmas'" in result.stderr
    assert [y["year"] for y in json.loads(sample("history", "Diego", "--json").stdout)["years"]] == [2025]


@pytest.mark.parametrize("year", ["0", "-5", "99999", "1800"])
def test_a_year_out_of_range_is_a_usage_error(sample, year):
    for command in (("plan",), ("progress",), ("mark", "Diego", "planned")):
        result = sample(*command, "--year", year, *T)
        assert (result.exit_code, result.stderr) == (2, f"Error: --year: {year} is not a year (1900 to 9998)\n")


def test_mark_on_a_future_day_is_refused(sample):
    sample("plan", *T, "--save")
    result = sample("mark", "Diego", "mailed", "--typeset", "--on", "2027-05-01", *T)
    assert (result.exit_code, result.stderr) == (2, "Error: --on 2027-05-01 is in the future\n")
    result = sample("mark", "Diego", "mailed", "--typeset", "--on", "2020-12-01", *T)
    assert (result.exit_code, result.stderr) == (2, "Error: --on 2020-12-01 does not belong to the 2026 batch\n")
    assert json.loads(sample("history", "Diego", "--json").stdout)["years"] == []


def test_ambiguous_names_list_candidates(sample):
    result = sample("sent", "Elena", *T)
    assert result.exit_code == 2
    assert "matches" in result.stderr and "Use an id" in result.stderr


def test_sent_marks_the_batch_card_mailed(sample):
    sample("plan", *T, "--save")
    sample("sent", "Okafor", *T)
    report = json.loads(sample("progress", *T, "--json").stdout)
    assert report["mailed"] == 1


def test_history_overview_draws_a_row_per_household(sample):
    result = sample("history")
    lines = result.stdout.splitlines()
    assert lines[0] == "id\thousehold\t2016–2025\tsent\tback"
    okafor = next(line for line in lines if "The Okafor Family" in line)
    assert okafor == "h1\tThe Okafor Family\t↔↔↔↔↔↔↔↔↔↔\t10\t10"
    irene = next(line for line in lines if "Irene & Tom Kowalski" in line)
    assert irene.split("\t")[2] == "↔↔↔↔↔↔↔→→→"
    grace = next(line for line in lines if "Grace Holloway" in line)
    assert grace.split("\t")[2].endswith("×")
    rows = json.loads(sample("history", "--json").stdout)
    assert {"household", "mailing_name", "first_year", "last_year", "years_sent", "years_received"} <= set(rows[0])


def test_plan_rich_table_on_a_terminal(sample, monkeypatch):
    """On a TTY: rich tables with titles; contact text is escaped, never markup."""
    from cardkeep.cli import output

    monkeypatch.setattr(output, "is_terminal", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    output.console.cache_clear()
    try:
        sample("household", "rename", "Diego", "[bold]Diego[/bold]")
        result = sample("plan", *T)
    finally:
        output.console.cache_clear()
    assert result.exit_code == 0
    assert "Send (" in result.stdout and "[bold]Diego[/bold]" in result.stdout


def test_a_holiday_card_in_early_january_is_last_seasons(sample, isolated):
    early = sample("received", "Sam Lee", "--today", "2027-01-04")
    assert early.exit_code == 0, early.stderr
    assert early.stdout.startswith("Recorded the 2026 holiday card from")
    birthday = sample("received", "Sam Lee", "--occasion", "birthday", "--today", "2027-01-04")
    assert birthday.stdout.startswith("Recorded the 2027 birthday card from")  # only holiday cards have seasons
    plan_2027 = json.loads(sample("plan", "--json", "--today", "2027-11-20").stdout)
    sam = next(d for d in plan_2027 if d["mailing_name"].startswith("Sam Lee"))
    assert not any("this year" in reason for reason in sam["reasons"])
    (isolated / "config.toml").write_text('[sender]\ncountry = "US"\n[plan]\nseason_ends = "01-03"\n')
    assert sample("received", "Ada Okafor", "--today", "2027-01-04").stdout.startswith("Recorded the 2027 holiday")


def test_sent_with_a_design_they_had_warns(sample):
    assert sample("sent", "Diego", "--year", "2025", "--design", "Snowy owl", *T).exit_code == 0
    again = sample("sent", "Diego", "--design", "snowy  OWL", *T)
    assert again.exit_code == 0, again.stderr
    assert "warning: Diego Ramírez already had the Snowy owl design in 2025" in again.stderr
    assert "Recorded the 2026 holiday card" in again.stdout
