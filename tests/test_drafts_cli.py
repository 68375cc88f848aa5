"""`cardkeep drafts` end to end: selection, formats, the PDF read back, failures, templates."""

import hashlib
import json

import pdfplumber
import pytest

from cardkeep.store.db import open_db
from tests.conftest import EXAMPLES

TODAY = "2026-11-23"


def drafts(cli, *args):
    return cli("drafts", *args, "--today", TODAY)


def page_text(path):
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages], [(p.width, p.height) for p in pdf.pages]


def test_json_gives_each_draft_the_promised_fields(cli, sample):
    result = drafts(cli, "Ada Okafor", "Rosa", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["occasion"], data["year"], data["template"]) == ("holiday", 2026, "holiday.j2")
    assert [d["household"] for d in data["drafts"]] == ["h1", "h12"]
    for draft in data["drafts"]:
        assert draft["needs_handwritten_signature"] is True
        assert draft["removed_lines"] == [] and draft["warnings"] == []
        assert draft["body"].startswith(f"Dear {draft['salutation']},")
        assert draft["body"].endswith("Warmly,")
    assert data["drafts"][1]["salutation"] == "Aunt Rosa"


def test_pdf_has_a_cover_in_mailing_order_and_a_page_per_card(cli, sample, tmp_path):
    out = tmp_path / "cards.pdf"
    result = drafts(cli, "Rosa", "Ada Okafor", "Diego", "--output", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 3 drafts (4 pages, a6) to {out}\n"
    texts, sizes = page_text(out)
    assert len(texts) == 4
    cover = texts[0]
    for word in ("written", "signed", "addressed", "stamped", "mailed"):
        assert word in cover
    positions = [cover.index(name) for name in ("Rosa Pemberton", "The Okafor Family", "Diego Ramírez")]
    assert positions == sorted(positions)  # the order asked for is the mailing order
    assert "loves the robin cards" in cover  # the ideas stay on the private cover...
    assert "loves the robin cards" not in texts[1]  # ...not on the card itself
    assert texts[1].startswith("Dear Aunt Rosa,")
    for text in texts[1:]:
        assert "sign by hand" in text
    assert "personal line" in texts[1]  # notes suggest one
    assert "personal line" not in texts[3]  # Diego: nothing known yet, no box
    assert sizes[1] == pytest.approx((105 / 25.4 * 72, 148 / 25.4 * 72), abs=0.01)


@pytest.mark.needs_cjk_font
def test_a_japanese_household_is_on_the_cover_and_its_card_in_japanese(cli, sample, tmp_path):
    out = tmp_path / "cards.pdf"
    result = drafts(cli, "Rosa", "山田 太郎", "Diego", "--output", out)
    assert result.exit_code == 0 and result.stderr == ""
    texts, _ = page_text(out)
    cover = texts[0]
    positions = [cover.index(name) for name in ("Rosa Pemberton", "山田 太郎・花子 様", "Diego Ramírez")]
    assert positions == sorted(positions)
    assert texts[2].startswith("太郎さん、花子さん\n")  # the Japanese form: no "Dear" (customs.json)


@pytest.mark.parametrize(
    ("size", "inches"),
    [("a6", (105 / 25.4, 148 / 25.4)), ("a7", (74 / 25.4, 105 / 25.4)), ("5x7", (5, 7)), ("a2", (4.25, 5.5)),
     ("a4-letter", (210 / 25.4, 11))],
)
def test_every_card_size(cli, sample, tmp_path, size, inches):
    out = tmp_path / "cards.pdf"
    result = drafts(cli, "Ada Okafor", "--size", size, "-o", out)
    assert result.exit_code == 0, result.stderr
    texts, sizes = page_text(out)
    assert sizes[1] == pytest.approx((inches[0] * 72, inches[1] * 72), abs=0.01)
    assert sizes[0] == pytest.approx((210 / 25.4 * 72, 11 * 72), abs=0.01)  # the cover prints on A4 or Letter
    assert "25th wedding anniversary" in texts[1].replace("\n", " ")


def test_the_letter_is_linted_and_brag_lines_are_reported(cli, sample, tmp_path):
    letter = EXAMPLES / "letter.md"
    result = drafts(cli, "Ada Okafor", "Rosa", "--letter", letter, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    removed = data["removed_lines"]
    assert removed and all(r["rule"].startswith("brag.") for r in removed)
    for r in removed:
        assert f"removed from every draft: line {r['line']} ({r['rule']}" in result.stderr
        for draft in data["drafts"]:
            assert r["text"] not in draft["body"]
            assert draft["removed_lines"] == removed
    assert "tomatoes than the squirrels" in data["drafts"][0]["body"]


def test_the_letter_is_linted_with_the_lint_config(cli, sample, tmp_path):
    letter = tmp_path / "letter.md"
    letter.write_text("We flew first class to the Maldives again.\n\nLove,\nJamie\n", encoding="utf-8")
    (tmp_path / "config.toml").write_text('[lint]\nignore = ["signature"]\n[lint.allow]\nbrag = ["maldives"]\n',
                                          encoding="utf-8")
    result = drafts(cli, "Rosa", "--letter", letter, "--format", "json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)["drafts"][0]["body"]
    assert "Maldives" in body  # allowed, as `cardkeep lint` allows it
    assert "Jamie" not in body  # but a typed signature never reaches a card


def test_a_letter_too_long_for_the_card_fails_before_writing(cli, sample, tmp_path):
    out = tmp_path / "cards.pdf"
    result = drafts(cli, "Ada Okafor", "--letter", EXAMPLES / "letter.md", "--size", "a7", "-o", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == ("Error: draft for h1 The Okafor Family does not fit the a7 card at 8 pt (the smallest "
                             "text to copy by hand): choose a larger --size, or shorten the letter or template; "
                             "nothing written")
    assert not out.exists()
    assert drafts(cli, "Ada Okafor", "--letter", EXAMPLES / "letter.md", "--size", "a4-letter", "-o", out
                  ).exit_code == 0


def test_one_bad_recipient_fails_the_command_or_is_listed_with_keep_going(cli, sample, tmp_path):
    template = tmp_path / "news.j2"
    template.write_text("Dear {{ salutation }},\n\nHow is {{ news }}?\n\nLove,\n", encoding="utf-8")
    out = tmp_path / "cards.pdf"
    args = ("Ada Okafor", "Rosa", "--template", template, "-o", out)
    result = drafts(cli, *args)
    assert result.exit_code == 1
    assert f"template {template}, line 3: field 'news' is not defined" in result.stderr
    assert "for h12 Rosa Pemberton" in result.stderr
    assert not out.exists()
    result = drafts(cli, *args, "--keep-going")
    assert result.exit_code == 1
    assert "1 draft failed (listed above); wrote the other 1" in result.stderr
    assert page_text(out)[0][1].startswith("Dear Ada & Emeka,\nHow is Chidi is learning to drive")


def test_the_sandbox_escape_is_a_clear_error(cli, sample, tmp_path):
    template = tmp_path / "evil.j2"
    template.write_text("Dear {{ salutation }},\n{{ ''.__class__.__mro__ }}\n", encoding="utf-8")
    result = drafts(cli, "Ada Okafor", "--template", template, "--format", "md")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: template {template}, line 2: blocked by the sandbox: ")
    assert "__class__" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_markdown_to_stdout_with_the_guide_notes(cli, sample):
    result = drafts(cli, "Łukasz", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("## 1. Łukasz Nowak (h9)\n\nDear Łukasz,\n")
    assert "> Personal line, in your own hand. Ideas: ask about his trip to Gdańsk" in result.stdout
    assert "> Sign by hand." in result.stdout


def test_occasion_picks_its_template(cli, sample):
    result = drafts(cli, "Carol Whitaker", "--occasion", "sympathy", "--format", "json")
    body = json.loads(result.stdout)["drafts"][0]["body"]
    assert body.startswith("Dear Carol,\n\nWe were so sorry to hear about Bob")
    assert body.endswith("With deepest sympathy,")


def test_tag_selection_and_skips_are_reported(cli, sample):
    result = drafts(cli, "Marcus Fenwick", "Rosa", "--format", "json")
    assert result.exit_code == 0
    assert "warning: skipped Marcus Fenwick: household is do-not-send" in result.stderr
    assert json.loads(result.stdout)["skipped"] == [{"name": "Marcus Fenwick", "reason": "household is do-not-send"}]
    tagged = json.loads(drafts(cli, "--tag", "always", "--format", "json").stdout)
    assert [d["household"] for d in tagged["drafts"]] == ["h1", "h12"]
    result = drafts(cli, "--tag", "nosuchtag", "--format", "json")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: no one to write to: no household is tagged 'nosuchtag'\n"


def test_no_selection_and_no_saved_plan_is_a_usage_error(cli, sample):
    result = drafts(cli, "--format", "json")
    assert result.exit_code == 2
    assert "no saved holiday plan for 2026: name the recipients, or use --tag T or --plan YEAR" in result.stderr


def test_bad_options_are_usage_errors(cli, sample):
    assert drafts(cli, "Ada Okafor", "--size", "b5").exit_code == 2
    assert drafts(cli, "Ada Okafor", "--format", "docx").exit_code == 2
    result = drafts(cli, "Ada Okafor", "--template", "nope")
    assert result.exit_code == 2 and "shipped: holiday, birthday" in result.stderr
    assert drafts(cli, "--plan", "Ada").exit_code == 2


def test_drafts_never_touch_the_book(cli, sample, tmp_path):
    """Drafts only read: the plan's cards stay "not signed" until the user marks them."""
    def digest():
        db = open_db(sample)
        dump = "\n".join(db.conn.iterdump())
        db.conn.close()
        return hashlib.sha256(dump.encode()).hexdigest()

    before = digest()
    assert drafts(cli, "--tag", "friends", "-o", tmp_path / "x.pdf").exit_code == 0
    assert digest() == before


def test_templates_list_and_copy(cli, sample, tmp_path, monkeypatch):
    listed = cli("drafts", "templates", "--json")
    assert [t["name"] for t in json.loads(listed.stdout)] == ["holiday", "birthday", "anniversary", "sympathy",
                                                              "thank-you"]
    monkeypatch.chdir(tmp_path)
    copied = cli("drafts", "templates", "--copy", "holiday")
    assert copied.exit_code == 0
    assert (tmp_path / "holiday.j2").read_text(encoding="utf-8").startswith("{#- Holiday")
    assert cli("drafts", "templates", "--copy", "holiday").exit_code == 1  # never overwrites
    (tmp_path / "holiday.j2").write_text("Dear {{ salutation }},\n\nMine.\n\nLove,\n", encoding="utf-8")
    result = drafts(cli, "Rosa", "--template", "./holiday.j2", "--format", "json")
    assert json.loads(result.stdout)["drafts"][0]["body"] == "Dear Aunt Rosa,\n\nMine.\n\nLove,"
    assert cli("drafts", "templates", "--copy", "valentine").exit_code == 2


def test_a_birthday_card_is_for_the_person_named(cli, sample):
    ngozi = json.loads(drafts(cli, "Ngozi", "--occasion", "birthday", "--format", "json").stdout)["drafts"][0]
    assert ngozi["salutation"] == "Ngozi" and ngozi["body"].startswith("Dear Ngozi,\n\nHappy 15th birthday!")
    result = cli("drafts", "Emeka", "--occasion", "birthday", "--format", "json", "--today", "2026-08-20")
    emeka = json.loads(result.stdout)["drafts"][0]
    assert emeka["body"].startswith("Dear Emeka,\n\nHappy 50th birthday! What a wonderful milestone.")


def test_plan_selection_in_mailing_order_and_as_the_default(cli, sample):
    import datetime as dt

    from cardkeep.plan import batch
    from cardkeep.services.plan import make_plan, save_plan
    from cardkeep.settings import load_settings

    db = open_db(sample)
    plan = make_plan(db, year=2026, today=dt.date(2026, 11, 23), settings=load_settings({"sender": {"country": "US"}}))
    save_plan(db, plan, today=dt.date(2026, 11, 23))
    order = [f"h{i}" for i in batch.saved_household_ids(db, 2026)]
    db.conn.close()
    assert order
    for args in (("--plan",), ("--plan", "2026"), ()):
        result = drafts(cli, *args, "--format", "json", "--keep-going")
        assert result.exit_code == 0, result.stderr
        assert [d["household"] for d in json.loads(result.stdout)["drafts"]] == order
    result = drafts(cli, "--plan", "2027", "--format", "json")
    assert result.exit_code == 1 and "no saved holiday plan for 2027" in result.stderr


@pytest.mark.parametrize(("name", "fmt"), [("cards.md", "md"), ("cards.json", "json"), ("cards.pdf", "pdf")])
def test_the_format_follows_the_output_file_which_is_private(cli, sample, tmp_path, name, fmt):
    import stat

    out = tmp_path / name
    result = drafts(cli, "Rosa", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Wrote 1 draft ") and str(out) in result.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # names, notes and news: the owner's only
    head = out.read_bytes()[:20]
    assert {"md": head.startswith(b"## 1. Rosa"), "json": head.startswith(b"{"), "pdf": head.startswith(b"%PDF")}[fmt]


def test_a_letter_the_template_does_not_use_is_a_warning(cli, sample):
    result = drafts(cli, "Rosa", "--occasion", "birthday", "--letter", EXAMPLES / "letter.md", "--format", "json")
    assert result.exit_code == 0
    assert "warning: template birthday.j2 does not use the letter ({{ letter }}); it is left out" in result.stderr
    assert "tomatoes" not in result.stdout


def test_the_cli_imports_no_template_or_pdf_code_until_drafts_run():
    import subprocess
    import sys

    code = ("import sys, cardkeep.cli; print([m for m in ('jinja2', 'reportlab', 'cardkeep.drafts.render', "
            "'cardkeep.drafts.pdf', 'cardkeep.lint') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_on_card_prints_the_text_alone_and_guides_mark_the_spaces(cli, sample, tmp_path):
    guides, on_card = tmp_path / "guides.pdf", tmp_path / "on-card.pdf"
    assert drafts(cli, "Ada Okafor", "Diego", "-o", guides).exit_code == 0
    result = drafts(cli, "Ada Okafor", "Diego", "--on-card", "-o", on_card)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 2 drafts (3 pages, a6) to {on_card}\n"
    with pdfplumber.open(guides) as g, pdfplumber.open(on_card) as c:
        for guide_page, card_page in zip(g.pages[1:], c.pages[1:], strict=True):
            assert "sign by hand" in guide_page.extract_text() and guide_page.curves
            text = card_page.extract_text()
            assert "sign by hand" not in text and "personal line" not in text and "h1" not in text
            assert not (card_page.curves or card_page.rects or card_page.lines)
            # The same text in the same places: a guide print shows where the writing goes.
            assert [(ch["text"], round(ch["x0"], 2), round(ch["top"], 2)) for ch in card_page.chars] == \
                [(ch["text"], round(ch["x0"], 2), round(ch["top"], 2)) for ch in guide_page.chars
                 if ch["size"] >= 8]
        assert "The Okafor Family" in c.pages[0].extract_text()  # the checklist is still the cover


def test_on_card_is_for_the_pdf_only(cli, sample):
    result = drafts(cli, "Ada Okafor", "--on-card", "--format", "md")
    assert result.exit_code == 2
    assert result.stderr == "Error: --on-card lays out the PDF; it does not go with --format md\n"
