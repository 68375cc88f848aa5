"""The lint rules and engine as plain functions: no database, no CLI."""

import json
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st

from cardkeep import lint
from cardkeep.lint import Finding, lint_text, remove_lines, sentences, split_lines
from tests.conftest import EXAMPLES, ROOT

EXAMPLE_CASES = [
    pytest.param(r.id, text, should_fire, id=f"{r.id}-{'fires' if should_fire else 'passes'}-{i}")
    for r in lint.RULES
    for should_fire, examples in ((True, r.fires), (False, r.passes))
    for i, text in enumerate(examples)
]


@pytest.mark.parametrize("rule_id, text, should_fire", EXAMPLE_CASES)
def test_every_rule_example(rule_id, text, should_fire):
    fired = [f for f in lint_text(text) if f.rule == rule_id]
    assert bool(fired) == should_fire, (rule_id, text, fired)


def test_every_rule_ships_examples_both_ways_and_ids_are_dotted_families():
    families = {"brag", "salutation", "signature", "glitter", "tone"}
    assert len({r.id for r in lint.RULES}) == len(lint.RULES)
    for r in lint.RULES:
        assert r.fires and r.passes, r.id
        assert r.family in families and "." in r.id
        assert r.severity == ("error" if r.family in ("salutation", "signature") else "warning")


def test_registering_a_rule_twice_is_refused():
    with pytest.raises(ValueError):
        lint.rule("brag.wealth", "again", fires=[], passes=[])(lambda line: [])


def test_finding_shape_positions_and_text_format():
    text = "It rained.\nWe flew business class to Tokyo and stayed at the Aman.\n"
    [f] = lint_text(text, path="letter.md")
    assert (f.path, f.line, f.column, f.end_line, f.rule, f.severity) == (
        "letter.md", 2, 1, 2, "brag.luxury", "warning")
    line = text.splitlines()[1]
    assert f.end_column == len(line) + 1  # exclusive, 1-based: the whole sentence
    assert f.format() == f"letter.md:2:1: warning: brag.luxury: {f.message} ({f.suggestion})"
    assert set(f.to_dict()) == {
        "path", "line", "column", "end_line", "end_column", "rule", "severity", "message", "suggestion",
        "confidence", "tier"}
    with pytest.raises(AttributeError):
        f.line = 3  # frozen


def test_columns_point_at_the_sentence_not_the_line():
    text = "It rained all week. We flew business class to Tokyo and stayed at the Aman."
    [f] = lint_text(text)
    assert text[f.column - 1:f.end_column - 1] == "We flew business class to Tokyo and stayed at the Aman."


def test_praise_of_the_reader_family_news_and_plain_complaints_are_not_brags():
    for text in [
        "Congratulations on your promotion!",
        "We're so proud of you.",
        "We're thrilled that your son got into Yale; what wonderful news!",
        "Dad finally retired and loves his garden.",
        "I'm so tired from the new baby, but she's perfect.",
        "The award for worst cook of the year goes to me, for the third year running.",
        "We finally bought a house after ten years of renting, and it needs a lot of work.",
    ]:
        assert not [f for f in lint_text(text) if f.rule.startswith("brag")], text


def test_a_humblebrag_needs_a_frame_and_a_boast():
    assert [f.rule for f in lint_text("It was so exhausting this year.")] == []
    assert [f.rule for f in lint_text("We flew first class to the Maldives.")] == ["brag.luxury"]
    assert [f.rule for f in lint_text("Flying first class to the Maldives was so exhausting.")] == [
        "brag.humble.complaint"]
    assert [f.rule for f in lint_text("#blessed to be spending another winter in Palm Beach")] == [
        "brag.humble.blessed"]


def test_select_and_ignore_by_family_prefix():
    text = "Dear Valued Customer,\nWe flew first class to the Maldives.\nSo humbled to be named VP again.\n"
    rules = lambda **kw: [f.rule for f in lint_text(text, **kw)]  # noqa: E731
    assert rules() == ["salutation.generic", "brag.luxury", "brag.humble.modesty"]
    assert rules(select=["brag"]) == ["brag.luxury", "brag.humble.modesty"]
    assert rules(select="brag.humble") == ["brag.humble.modesty"]
    assert rules(ignore=["brag.humble,salutation"]) == ["brag.luxury"]
    assert rules(select=["brag.lux"]) == []  # a prefix is a whole dotted part, not any substring


def test_inline_ignore_and_disable_enable_blocks():
    text = "\n".join([
        "We flew first class to the Maldives.  # cardkeep: ignore brag",
        "We flew first class to the Maldives.  <!-- cardkeep: ignore salutation -->",
        "cardkeep: disable brag.luxury, glitter",
        "We flew first class to the Maldives, with glitter.",
        "cardkeep: enable brag.luxury",
        "We flew first class to the Maldives, with glitter.",
        "cardkeep: enable",
        "Glitter! # cardkeep: ignore",
        "More glitter.",
    ])
    found = [(f.line, f.rule) for f in lint_text(text)]
    assert found == [(2, "brag.luxury"), (6, "brag.luxury"), (9, "glitter.promise")]


def test_a_directive_names_rules_or_it_is_prose():
    text = "We told them about cardkeep: ignore it. We flew first class to the Maldives again."
    assert [f.rule for f in lint_text(text)] == ["brag.luxury"]
    assert lint_text("We flew first class to the Maldives again.  # cardkeep: ignore brag, tone") == []


def test_the_directive_comment_is_not_linted_itself():
    assert lint_text("Hi Ada!  # cardkeep: ignore glitter") == []


def test_allow_list_drops_findings_on_lines_with_an_allowed_phrase():
    text = "Can't complain, except that the new boat is too big for our old dock!\nWe chartered a yacht in Monaco.\n"
    assert len(lint_text(text)) == 2
    assert [f.line for f in lint_text(text, allow={"brag.humble.complaint": ["THE NEW BOAT"]})] == [2]
    assert [f.line for f in lint_text(text, allow={"brag": ["boat", "yacht"]})] == []
    assert len(lint_text(text, allow={"glitter": ["boat"]})) == 2  # other rules' allow lists don't apply


def test_remove_lines_removes_whole_brag_lines_only():
    text = "Dear Ada,\r\nWe flew first class to the Maldives.\r\nThe garden did well.\r\nLove,\r\n"
    findings = lint_text(text)
    fixed, removed = remove_lines(text, findings)
    assert fixed == "Dear Ada,\r\nThe garden did well.\r\nLove,\r\n"
    assert [f.line for f in removed] == [2] and all(isinstance(f, Finding) for f in removed)


def test_remove_lines_leaves_a_line_with_an_innocent_sentence_and_other_families():
    text = "The garden did well. We flew first class to the Maldives.\nDear Valued Customer,\n"
    findings = lint_text(text)
    assert {f.rule for f in findings} == {"brag.luxury", "salutation.generic"}
    fixed, removed = remove_lines(text, findings)
    assert fixed == text and removed == []
    fixed, removed = remove_lines(text, findings, families=("salutation",))
    assert fixed == "The garden did well. We flew first class to the Maldives.\n" and len(removed) == 1


def test_the_sample_letter_loses_exactly_its_three_brag_lines():
    text = (EXAMPLES / "letter.md").read_text(encoding="utf-8")
    findings = lint_text(text, path="letter.md")
    assert [(f.line, f.rule.split(".")[0], f.tier) for f in findings] == [
        (7, "brag", "consider"), (8, "brag", "cut"), (13, "brag", "cut"), (16, "brag", "cut")]
    # line 7 ("has made two lovely friends") is warm news the model is unsure of: a "consider", never cut
    fixed, removed = remove_lines(text, findings)
    assert "olympiad" not in fixed and "business class" not in fixed and "keynote" not in fixed
    assert "tomatoes than the squirrels" in fixed and "little cottage by the sea" in fixed and "lovely friends" in fixed
    assert len(fixed.splitlines()) == len(text.splitlines()) - 3


@pytest.mark.parametrize("text, expected", [
    ("We stayed in St. Barts with Dr. Lee. It was lovely.", ["We stayed in St. Barts with Dr. Lee.", "It was lovely."]),
    ("Duke took Best in Show at the fair. Again.", ["Duke took Best in Show at the fair. Again."]),
    ("- A list item. Another sentence here!", ["A list item.", "Another sentence here!"]),
    ("", []),
])
def test_sentences(text, expected):
    assert [text[a:b] for a, b in sentences(text)] == expected


def test_salutations_generic_and_personal():
    generic = ["Dear Occupant,", "Hello all,", "Dear Friends and Family,", "Dear Sir or Madam,", "Dear {first_name},",
               "Hi [FIRST NAME],", "Dear ,", "Dear Samuel J. Whitaker,", "Greetings to all our loyal patrons!"]
    personal = ["Dear Aunt Carol,", "Hi Benny!", "Dearest Mom and Dad,", "Dear Dr. Lee,", "Hello, Marcus!",
                "Dear Mrs. Alvarez, the kids adored your class.", "To my favorite neighbors, Ann and Luis:"]
    for text in generic:
        assert [f for f in lint_text(text) if f.severity == "error"], text
    for text in personal:
        assert lint_text(text) == [], text


def test_tone_we_not_you_and_too_long():
    we = "We moved. We painted. Our dog aged. I sang. My car broke. We sang. Our cat. We ran. Us too. I did."
    assert [f.rule for f in lint_text(we)] == ["tone.we-not-you"]
    assert lint_text(we + " How are you?") == []
    long = "\n".join(["Ten words are on every line of this long letter."] * 30)
    [f] = lint_text(long)
    assert f.rule == "tone.too-long" and f.line == 26 and "300 words" in f.message  # 25 lines fit in 250
    assert lint_text(long, max_words=400) == []
    assert [f.line for f in lint_text(long, max_words=100)] == [11]


@given(st.text(max_size=400))
def test_random_text_never_raises_and_findings_are_in_range(text):
    lines = split_lines(text)
    for f in lint_text(text, path="x"):
        assert 1 <= f.line <= len(lines)
        assert 1 <= f.column <= f.end_column <= len(lines[f.line - 1]) + 1
    fixed, removed = remove_lines(text, lint_text(text))
    assert len(fixed) <= len(text)


@given(st.lists(st.sampled_from([
    "Dear Valued Customer,", "We flew first class to the Maldives.", "So humbled to be named VP again.",
    "The garden did well.", "Love,", "The Smith Family", "glitter!", "# cardkeep: disable brag", "cardkeep: enable",
    "Congratulations on your promotion!", "", "  ",
]), max_size=20))
def test_removing_brag_lines_leaves_no_brag_findings_and_nothing_else_changes(lines):
    for separator in ("\n", "\n\n"):
        text = separator.join(lines)
        fixed, removed = remove_lines(text, lint_text(text))
        if separator == "\n\n":  # every line a paragraph of its own: every brag line goes
            assert not [f for f in lint_text(fixed) if f.rule.startswith("brag.")]
        original = split_lines(text)
        assert all(line in original for line in split_lines(fixed))
        assert len(split_lines(fixed)) == len(original) - len({f.line for f in removed})
        assert all(f.rule.startswith("brag.") for f in removed)


def test_lines_are_numbered_as_editors_number_them():
    # a vertical tab (a word processor's soft break), a form feed and U+2028 sit inside a line
    text = "Dear Ada,\vhello\x0cthere\u2028friend!\r\nWe flew first class to the Maldives.\rLove,\n"
    assert split_lines(text) == ["Dear Ada,\vhello\x0cthere\u2028friend!", "We flew first class to the Maldives.", "Love,"]
    assert "".join(split_lines(text, keepends=True)) == text and split_lines("") == []
    assert [f.line for f in lint_text(text) if f.rule.startswith("brag")] == [2]
    fixed, removed = remove_lines(text, lint_text(text))
    assert fixed == "Dear Ada,\vhello\x0cthere\u2028friend!\r\nLove,\n"


def test_remove_lines_never_cuts_a_hard_wrapped_sentence_in_half():
    text = (
        "Maya made two lovely friends this year.  Our son\n"
        "was the only student in his year chosen for the national\n"
        "maths olympiad team, and he placed first in the country.\n"
        "Ben learned to ride his bike.\n"
        "\n"
        "Work has been busy.  I'm so humbled\n"
        "that they asked me to give the keynote at the conference\n"
        "again; I suppose nobody else wanted to do it!\n"
    )
    findings = lint_text(text)
    assert {f.line for f in findings if f.rule.startswith("brag")} >= {2, 7}
    assert remove_lines(text, findings) == (text, [])
    # a brag line between finished sentences, after a greeting or a heading still goes
    text = "Dear Ada,\nWe flew first class to the Maldives.\n# News\nWe flew first class to the Maldives.\nAll well.\n"
    fixed, removed = remove_lines(text, lint_text(text))
    assert fixed == "Dear Ada,\n# News\nAll well.\n" and {f.line for f in removed} == {2, 4}
    text = "We flew first class to the Maldives again! 🌴☀️\nThe garden did well.\n"
    assert remove_lines(text, lint_text(text))[0] == "The garden did well.\n"


def test_importing_lint_is_light():
    code = "import sys, cardkeep.lint; print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in " \
           "('rich', 'typer', 'sqlite3', 'sqlite_utils', 'jinja2', 'reportlab'))))"
    out = subprocess.run([sys.executable, "-c", "import json;" + code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert json.loads(out.stdout) == []


BENIGN_LETTER = """\
# Our year

Hello from a very muddy Yorkshire!

The big news first: Tom changed jobs in March and now works at the county library, which suits him down to the ground.
Isla turned seven and lost three teeth in one week; the tooth fairy has asked for a raise.
Jack made the under-11 football team after a year of trying, and his coach says he never stops running.
We finally painted the front room, a shade of green that Tom calls "hospital" and I call "sage".
It rained for nine days out of ten, the van leaked, and we had the best holiday of our lives.
Work has been busy for me, with two colleagues off sick, but my team was wonderful.
I'm grateful for good neighbours who took in parcels and fed the cat.
Dad had his hip done in October and is already walking to the pub, slowly.
We drove to the state fair and Ben won a stuffed banana at ring toss.
Grandma's church honored her for forty years of teaching Sunday school.

We hope you are all well and that the new house is treating you kindly.

Love,
"""


def test_a_warm_family_letter_has_nothing_to_report():
    """Nothing to cut. The one price of the model's recall on real letters: the church honouring
    Grandma reads to it like a family boast, and is at most a "consider" (a warning, never removed)."""
    findings = lint_text(BENIGN_LETTER)
    assert not [f for f in findings if f.tier != "consider"]
    assert [f.line for f in findings] in ([], [14])


def _evaluate(path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("lint_eval", ROOT / "benchmarks" / "lint_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.evaluate(module.load(path))


def _assert_targets(result):
    precision, recall, _, _ = result["brag+humble"]
    assert precision >= 0.90 and recall >= 0.80, result["errors"]
    flagged, hard = result["hard_ok"]
    assert flagged <= hard / 10, result["errors"]
    right, total, _ = result["salutation"]
    assert total == 0 or right >= 0.95 * total, result["errors"]


def test_held_out_lines_meet_the_issue_targets():
    """Our own labelled lines (tests/lint_regression.jsonl): a regression set, not a held-out one."""
    path = ROOT / "tests" / "lint_regression.jsonl"
    labels = [json.loads(line)["label"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert labels.count("brag") + labels.count("humblebrag") >= 100 and labels.count("ok") >= 60
    result = _evaluate(path)
    assert result["hard_ok"][1] >= 50 and result["salutation"][1] >= 50
    _assert_targets(result)


def test_development_sets_meet_the_issue_targets(shared):
    for name in ("humblebrag_dev.jsonl", "salutation_dev.jsonl"):
        _assert_targets(_evaluate(shared / "corpus" / name))


def test_the_written_salutation_corpus_is_judged_as_labelled():
    """benchmarks/lint_corpus/salutations.jsonl was written by another hand than the rules (target: 0.90;
    0.76 before the addressee was read by role, qualifier and sign-off)."""
    result = _evaluate(ROOT / "benchmarks" / "lint_corpus" / "salutations.jsonl")
    right, total, (precision, _, _) = result["salutation"]
    assert total >= 200 and right >= 0.95 * total, result["errors"]
    assert precision >= 0.98, result["errors"]


@pytest.mark.parametrize("line, generic", [
    ("Dear Friend of the Hillside Choir,", True),
    ("To the family at 3 Mill Road,", True),
    ("Dear MR ALAN J PRICE,", True),
    ("DEAR PRUDENCE:", False),
    ("Joyeux Noël à tous !", True),
    ("Warmest wishes, The Okafor Family", True),
    ("Kind regards, Customer Care Team", True),
    ("To my dear family, being with you is the greatest gift of all.", False),
    ("To our suppliers and partners: thank you for a steady year.", True),
    ("Hi Mum and Dad,", False),
    ("Dear Church Family,", True),
    ("Love to all of you, Gran", False),
])
def test_salutations_read_the_addressee_not_a_list_of_lines(line, generic):
    rules = [f.rule for f in lint_text(line)]
    assert any(r.startswith(("salutation.", "signature.")) for r in rules) == generic, rules


def test_the_substring_prefilters_never_skip_a_match():
    """A pattern is searched only when one of its listed substrings is in the sentence: on every labelled
    line, a match implies a substring (so the shortcut never changes a verdict)."""
    from cardkeep.lint import boasts
    from cardkeep.lint.sentences import lower

    texts = []
    for path in [ROOT / "tests" / "lint_regression.jsonl", *sorted((ROOT / "benchmarks" / "lint_corpus").glob("*.jsonl"))]:
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 1000
    from cardkeep.lint import salutations

    checks = [(salutations._CORPORATE, salutations.CORPORATE_NEEDS)]
    checks += [(p, boasts._FRAME_NEEDS.get(r)) for r, p in boasts._FRAMES] + [(boasts._INTENSIFIER, boasts._INTENSIFIER_NEEDS)]
    for text in texts:
        low = lower(text)
        for pattern, needed in checks:
            if needed is not None and pattern.search(low):
                assert any(word in low for word in needed), (pattern.pattern[:40], text)


@pytest.mark.parametrize("line", [
    "Rolex the tortoise is still alive at sixty.",
    "Our dog Porsche chewed through the garden hose again.",
    "Tesla, our old spaniel, slept through Christmas.",
    "Tiffany learned to ride her bike this summer.",
    "Oscar started preschool and loves his teacher.",
])
def test_a_pet_or_a_child_named_like_a_brand_is_a_name(line):
    assert not [f for f in lint_text(line) if f.rule.startswith("brag.")]


def test_the_brand_itself_is_still_a_brand():
    assert [f for f in lint_text("He bought a Rolex the size of a saucer, and a Porsche.") if f.rule.startswith("brag.")]
