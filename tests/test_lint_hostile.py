"""Hostile input: every pattern is linear, so no line (however long or odd) can hang the linter."""

import time

from hypothesis import given, settings, strategies as st

from cardkeep import lint
from cardkeep.lint import salutations, signatures

HOSTILE = [
    " " * 100_000,
    "." * 100_000,
    ". " * 50_000,
    "!?" * 50_000,
    ",;:" * 33_000,
    "{{" * 50_000,
    "${" * 50_000,
    "[[" * 50_000,
    "<<" * 50_000,
    "#" * 100_000,
    "-" * 100_000,
    "A. " * 33_000,
    "Dear Ada," + " " * 4_000,
    "Dear Ada," + " " * 4_000 + "x",
    "Hello" + " " * 40_000,
    "Hello" + " " * 40_000 + "!",
    "Love" + " " * 40_000 + "x",
    "The Smith family" + " " * 40_000 + "x",
    "cardkeep: ignore" + " " * 40_000 + "!",
    "Ada" + " and Ada" * 10_000 + " x",
    "$1," * 30_000,
    "I " * 50_000,
]


ISSUE_LINES = [" " * 100_000, "." * 100_000, ". " * 50_000, ",;:" * 33_000, "-" * 100_000,
               "Dear Ada," + " " * 4_000, "Hello" + " " * 40_000]


def test_the_issue_lines_lint_in_under_a_second():
    lint.lint_text("Warm up: we flew first class to the Maldives.")  # vocabularies and model load on first use
    start = time.perf_counter()
    for line in ISSUE_LINES:
        lint.lint_text(line)
        lint.lint_text("Merry Christmas!\n\nLove,\n" + line + "\n")
    assert time.perf_counter() - start < 1.0


def test_hostile_lines_lint_in_well_under_a_second_each():
    lint.lint_text("Warm up: we flew first class to the Maldives.")
    start = time.perf_counter()
    for line in HOSTILE:
        text = "Merry Christmas!\n\nLove,\n" + line + "\n"
        findings = lint.lint_text(text)
        lint.remove_lines(text, findings)
        lint.is_closing(line)
    assert time.perf_counter() - start < 0.25 * len(HOSTILE)


def test_each_hostile_line_alone_is_fast():
    for line in HOSTILE:
        start = time.perf_counter()
        lint.lint_text(line)
        signatures._is_name_line(line)
        salutations.generic_addressee(line)
        assert time.perf_counter() - start < 0.5, line[:20]


def test_no_private_regex_api():
    from pathlib import Path

    package = Path(lint.__file__).parent
    for path in package.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "re._parser" not in source and "sre_parse" not in source and "_constants" not in source, path


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=" .,;:!?-#$[]{}()<>'\"&/\\*|%aA1\t", min_size=2_000, max_size=20_000))
def test_long_punctuation_lines_stay_linear(text):
    start = time.perf_counter()
    lint.lint_text(text)
    assert time.perf_counter() - start < 0.5
