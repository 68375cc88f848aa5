"""The shared letter and the checks on each draft: what the linter removes, and what it reports.

A sure brag and the letter's typeset sign-off come out of every draft; a likely brag is a
"consider cutting" warning for the writer. Each rendered draft is checked for generic salutations,
unrendered fields and a typeset signature, telling the template's own words from contact data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cardkeep.store.find import fold

DRAFT_RULES = ("salutation", "signature")  # lint families that are errors in a rendered draft


@dataclass
class Letter:
    text: str  # after linting: brag lines, its own greeting and its closing removed, ready for the context
    removed: list[dict[str, Any]] = field(default_factory=list)  # {line, text, rule, message}
    warnings: list[str] = field(default_factory=list)
    closing: str | None = None  # the writer's own closing words ("With love,"): the card ends with them


# "Dear friends and family," / "Hi everyone!" / "To all our friends:" on a line of its own.
_GREETING = re.compile(
    r"(?:dear(?:est)?|hi|hello|hey|hiya|greetings|to|season'?s greetings|merry christmas|happy holidays)\b"
    r"[^.!?\n]{0,80}[,:!]?",
    re.IGNORECASE,
)
_GREETING_MESSAGE = "the letter's own greeting gives way to the card's personal one"


def prepare_letter(
    text: str,
    *,
    path: str = "letter.md",
    ignore: Sequence[str] = (),
    allow: dict[str, Any] | None = None,
    max_words: int | None = None,
    names: Iterable[str] = (),
) -> Letter:
    """Lint the shared letter: brag lines come out of every draft (reported), and so does a typeset
    sign-off ("Love,\\nJamie & Alex", "Sent from my iPhone": the card has its own closing and is
    signed by hand, whatever `ignore` says); the rest are warnings. `ignore`, `allow` and
    `max_words` are the `[lint]` settings, as `cardkeep lint` uses them. Only a sure brag (a cut) is
    removed; a likely one is a "consider cutting" warning for the writer. `names` (the book's
    people and pets) are read as names, never as brands or prizes."""
    from cardkeep import lint

    findings = lint.lint_text(
        text, path=path, ignore=list(ignore), allow=allow, max_words=max_words or lint.DEFAULT_MAX_WORDS,
        names=names,
    )
    _, removed = lint.remove_lines(text, findings, families=("brag",))
    lines = lint.split_lines(text)
    cut: dict[int, Any] = {f.line: f for f in sorted(removed, key=lambda f: (f.line, f.column), reverse=True)}
    for number, f in _sign_off(lines, lint.lint_text(text, path=path, select="signature")).items():
        cut.setdefault(number, f)
    opening = _opening(lines)
    if opening is not None:
        cut[opening] = None
    closing_line = _closing(lines, cut)
    closing = lines[closing_line - 1].strip() if closing_line else None
    removed_out = [
        {"line": number, "text": lines[number - 1].strip(), "rule": f.rule if f else "greeting",
         "message": f.message if f else _GREETING_MESSAGE}
        for number, f in sorted(cut.items())
    ]
    if closing_line:
        cut[closing_line] = None  # not removed: it moves to the end of the card
    warnings = [
        f"{path}:{f.line}:{f.column}: {f.rule}: "
        + (f"consider cutting: {f.message}" if f.rule.startswith("brag") and not lint.is_cut(f) else f.message)
        for f in findings if f.line not in cut
    ]
    kept = "".join(line for number, line in enumerate(lint.split_lines(text, keepends=True), 1) if number not in cut)
    return Letter(letter_for_card(kept), removed_out, warnings, closing)


def _opening(lines: Sequence[str]) -> int | None:
    """The line number of the letter's own greeting: its first line, when that is a greeting alone."""
    first = next((n for n, line in enumerate(lines, 1) if line.strip()), None)
    if first is None:
        return None
    line = re.sub(r"^#{1,6}\s+", "", lines[first - 1].strip())
    return first if len(line) <= 90 and _GREETING.fullmatch(line) else None


def _closing(lines: Sequence[str], cut: dict[int, Any]) -> int | None:
    """The line number of the writer's closing words ("With love,"), the last line left standing
    when it is a closing: they stay, at the end of the card, above the handwritten signature."""
    from cardkeep import lint

    last = next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip() and n not in cut), None)
    return last if last and lint.is_closing(lines[last - 1]) else None


def _sign_off(lines: Sequence[str], findings: Iterable[Any]) -> dict[int, Any]:
    """The letter's typeset sign-off, line number -> finding: an automatic or business signature
    line, and a typed name down to the end of the letter (a closing above it is not a signature:
    it stays)."""

    out: dict[int, Any] = {}
    for f in findings:
        if not f.rule.startswith("signature."):
            continue
        if f.rule not in ("signature.printed-name", "signature.family-name"):
            out.setdefault(f.line, f)
            continue
        for number in range(f.line, len(lines) + 1):
            if lines[number - 1].strip():
                out.setdefault(number, f)
    return out


def letter_for_card(markdown: str) -> str:
    """Markdown as a card holds it: paragraphs reflowed to one line each, heading marks dropped."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", markdown.strip()):
        lines = [re.sub(r"^#{1,6}\s+", "", line.strip()) for line in block.splitlines() if line.strip()]
        if lines:
            paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


def _offsets(text: str) -> list[int]:
    """Where each line starts, splitting exactly as the linter does (`lint.split_lines`)."""
    from cardkeep.lint import split_lines

    starts, position = [], 0
    for line in split_lines(text, keepends=True) or [""]:
        starts.append(position)
        position += len(line)
    return starts


def check_draft(
    body: str, spans: Sequence[tuple[int, int]], *, signer_names: Iterable[str] = ()
) -> list[str]:
    """Errors in a rendered draft: generic salutations and unrendered fields from the template (text
    that came from contact data is data, not a merge field), and any typeset signature."""
    from cardkeep import lint

    problems = []
    starts = _offsets(body)

    def offset(line: int, column: int) -> int:
        line = min(max(line, 1), len(starts))
        return starts[line - 1] + max(column, 1) - 1

    for f in lint.lint_text(body, path="draft", select=DRAFT_RULES):
        begin, end = offset(f.line, f.column), offset(f.end_line or f.line, f.end_column or f.column)
        if any(a <= begin and end <= b for a, b in spans):
            continue
        problems.append(f"line {f.line}: {f.rule}: {f.message}")
    last = next((line for line in reversed(body.splitlines()) if line.strip()), "")
    words = set(re.findall(r"\w+", fold(last)))
    for name in signer_names:
        # "The Riveras" signs as "riveras": "Love from the four of us," names nobody
        tokens = [t for t in re.findall(r"\w+", fold(name)) if t not in _NOT_NAMES]
        if tokens and (set(tokens) <= words or tokens[0] in words):
            problems.append(
                f"the draft ends with a typeset signature ({last.strip()!r}): end with the closing words, "
                "and sign by hand"
            )
            break
    return problems


_NOT_NAMES = frozenset({"the", "and", "family", "from", "love", "of", "us", "all"})


def check_own_greeting(text: str) -> list[str]:
    """Errors in a household's own greeting (`household greeting`). In the draft it is the user's
    text, so data ("{{ 7*7 }}" is printed as written, never taken for a merge field); but a generic
    greeting is an error whoever typed it, so its words are checked here like the template's."""
    from cardkeep import lint

    return [
        f"the household's greeting: {f.rule}: {f.message}"
        for f in lint.lint_text(text, path="greeting", select=("salutation",))
        if f.rule != "salutation.merge-field"
    ]


