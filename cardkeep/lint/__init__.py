"""The card linter: humble-brags, "Dear valued customer", typeset signatures, glitter.

Pure text in, findings out: no database, no typer, no clock. Importing is cheap; the vocabularies and
the brag model are read on first use.

Rule families (a rule id is a dotted family name):

    brag.*          boasting: achievements, rankings, wealth, luxury, status, name-dropping, looks,
                    being in demand                                            (severity "warning")
    brag.humble.*   a complaint, modesty or gratitude frame around a boast     (severity "warning")
    salutation.*    generic greetings and unrendered merge fields            (severity "error")
    signature.*     a typeset sign-off where a handwritten one belongs        (severity "error")
    glitter.*       a card that promises glitter                              (severity "warning")
    tone.*          all "we" and no "you"; longer than a card can hold        (severity "warning")

Brags are judged per sentence by a small learned model (`brags`, `features`, `model`;
data/brag_model.json, trained by benchmarks/lint_train.py) over features that say what kind of
claim a sentence makes, with the precise vocabulary rules (`boasts`) as some of its inputs. Each
brag finding carries a `confidence` and a `tier`: a cut (at or above the model's cut threshold, or
flagged by the precise rules and at or above "consider"), which `remove_lines` (what `--fix` uses)
removes; else a "consider" warning, never removed on its own.
`lint_text(..., names=...)` takes the given names of the people and pets a letter is about: a name
is never a boast ("Tiffany learned to ride her bike").

Each rule carries `fires` and `passes`: example lines that must and must not produce it. The tests
run them all, and `cardkeep lint --rules` prints them.

Selecting rules: `select`/`ignore` take rule ids or family prefixes; `brag` matches `brag.wealth`
and `brag.humble.complaint`, `brag.humble` only the humble ones.

Suppressing findings in the text itself (plain text, so it works in any file):

    We did the Maldives again.  # cardkeep: ignore brag
    cardkeep: disable brag.humble, tone
    ... lines here are not checked for those rules ...
    cardkeep: enable brag.humble, tone

`ignore` with no rule list silences the whole line; `disable` with no list disables everything
until `enable` (with no list, or with the same names). The comment marker before `cardkeep:`
(`#`, `//`, `<!--`) is optional.

Config, `[lint]` in the config file (all keys optional):

    [lint]
    ignore = ["tone"]                        # rule ids or families never reported
    max_words = 250                          # tone.too-long: words a card can hold
    [lint.allow]                             # per rule (or family): phrases that are fine
    "brag.wealth" = ["our new boat"]         # a finding on a line containing one is dropped
    "brag" = ["Duke"]

The allow match is case-insensitive and on the whole line, so allowing "our new boat" keeps every
line that mentions it.
"""

from cardkeep.lint import brag_rules, salutations, signatures, tone  # noqa: F401  (the rules register)
from cardkeep.lint.brags import is_brag, is_cut
from cardkeep.lint.engine import (
    DEFAULT_MAX_WORDS,
    RULES,
    Finding,
    Hit,
    Options,
    Rule,
    family_matches,
    lint_text,
    remove_lines,
    rule,
    severity_of,
    split_lines,
    split_patterns,
    unknown_patterns,
)
from cardkeep.lint.sentences import sentences
from cardkeep.lint.signatures import is_closing

__all__ = [
    "DEFAULT_MAX_WORDS",
    "RULES",
    "Finding",
    "Hit",
    "Options",
    "Rule",
    "family_matches",
    "is_brag",
    "is_closing",
    "is_cut",
    "lint_text",
    "remove_lines",
    "rule",
    "sentences",
    "severity_of",
    "split_lines",
    "split_patterns",
    "unknown_patterns",
]
