"""The card linter (see `cardkeep.lint.engine` for the rules and the engine)."""

from cardkeep.lint.engine import *  # noqa: F403
from cardkeep.lint.engine import (  # noqa: F401
    DEFAULT_MAX_WORDS,
    RULES,
    Finding,
    Rule,
    family_matches,
    is_brag,
    is_closing,
    judge,
    lint_text,
    remove_lines,
    rule,
    sentences,
    severity_of,
    split_lines,
    split_patterns,
    unknown_patterns,
)
