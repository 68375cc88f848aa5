"""The lint engine: findings, the rule registry, suppression directives, `lint_text` and `remove_lines`.

Rules live in `RULES` (a list filled by the `@rule` decorator); the rule families register
themselves when `cardkeep.lint` is imported. Nothing here knows what a brag is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from cardkeep.lint.sentences import HEADING, sentences

DEFAULT_MAX_WORDS = 250

ERROR_FAMILIES = ("salutation", "signature")


@dataclass(frozen=True)
class Finding:
    """One problem at one place; lines and columns are 1-based, `end_column` is exclusive.

    `confidence` (brag findings only) is the model's probability that the sentence boasts; `tier`
    says what follows: "cut" (`remove_lines` removes it) or "consider" (a warning, never removed)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: str
    message: str
    suggestion: str | None = None
    confidence: float | None = None
    tier: str | None = None  # brag findings: "cut" or "consider"

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        """`path:line:col: severity: rule: message (suggestion)`, the shape editors parse."""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.rule}: {self.message}"
        return f"{text} ({self.suggestion})" if self.suggestion else text


@dataclass(frozen=True)
class Hit:
    """What a rule returns: a span on a line (0-based, end exclusive) and what to say about it."""

    line: int  # 0-based index into the text's lines
    start: int
    end: int
    message: str
    suggestion: str | None = None
    confidence: float | None = None
    tier: str | None = None  # brag findings: "cut" or "consider"


@dataclass(frozen=True)
class Options:
    """Settings a whole-text rule may read."""

    max_words: int = DEFAULT_MAX_WORDS
    names: frozenset[str] = frozenset()  # lower-cased given names (people, pets): never boast words
    # Work shared by the rules of one lint_text call (the brag verdicts of every line, computed once).
    memo: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    check: Callable[[Sequence[str], Options], Iterable[Hit]]
    fires: tuple[str, ...] = ()
    passes: tuple[str, ...] = ()
    notes: str = ""

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def severity(self) -> str:
        return severity_of(self.id)


RULES: list[Rule] = []


def severity_of(rule_id: str) -> str:
    return "error" if rule_id.split(".", 1)[0] in ERROR_FAMILIES else "warning"


def rule(
    id: str,
    summary: str,
    *,
    fires: Sequence[str],
    passes: Sequence[str],
    notes: str = "",
    per_line: bool = True,
):
    """Register a rule. A per-line check takes one line and yields (start, end, message, suggestion);
    a whole-text check (`per_line=False`) takes the list of lines and the options and yields `Hit`s."""

    def decorate(fn):
        if per_line:

            def check(lines: Sequence[str], options: Options, fn=fn) -> Iterable[Hit]:
                nonblank = options.memo.get("nonblank")
                if nonblank is None:  # found once per lint, shared by every per-line rule
                    nonblank = options.memo["nonblank"] = [(n, t) for n, t in enumerate(lines) if t.strip()]
                for number, text in nonblank:
                    for start, end, message, suggestion in fn(text):
                        yield Hit(number, start, end, message, suggestion)

        else:
            check = fn
        if any(r.id == id for r in RULES):
            raise ValueError(f"lint rule {id} registered twice")
        RULES.append(Rule(id, summary, check, tuple(fires), tuple(passes), notes))
        return fn

    return decorate


def family_matches(rule_id: str, patterns: Iterable[str]) -> bool:
    """True when `rule_id` is one of `patterns` or sits under one (`brag` covers `brag.humble.x`)."""
    return any(rule_id == p or rule_id.startswith(p + ".") for p in patterns)


def split_patterns(values: Iterable[str] | str | None) -> list[str]:
    """`["brag,tone", "glitter"]` -> `["brag", "tone", "glitter"]`, lower-cased, blanks dropped."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        out.extend(part.strip().lower().rstrip(".*").rstrip(".") for part in value.split(","))
    return [p for p in out if p]


def unknown_patterns(patterns: Iterable[str]) -> list[str]:
    """The patterns that name no rule and no family: a typo the CLI should report."""
    ids = [r.id for r in RULES]
    return [p for p in patterns if not any(family_matches(i, [p]) for i in ids)]


# ---------------------------------------------------------------- lines and directives

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """The lines of `text` as editors number them: broken at \\n, \\r\\n and \\r only. (str.splitlines
    also breaks at form feeds, vertical tabs and U+2028, which a letter pasted from a word processor
    holds inside its lines; counting them would put every later finding on the wrong line.)"""
    lines = _LINE.findall(text)
    return lines if keepends else [line.rstrip("\r\n") for line in lines]


# `# cardkeep: ignore brag, tone` / `cardkeep: disable brag` / `cardkeep: enable`; the comment mark is optional.
# Parsed in steps rather than by one pattern, so that no line (however long) makes a regex backtrack.
_DIRECTIVE_AT = re.compile(r"\bcardkeep:", re.IGNORECASE)
_DIRECTIVE_VERB = re.compile(r"\s*(ignore|disable|enable)\b", re.IGNORECASE)
_DIRECTIVE_NAMES = re.compile(r"[\w.,* \t-]*")
_COMMENT_MARKS = ("[//]: #", "<!--", "//", "#")
_ALL = "*"


def _directive(text: str) -> tuple[int, str, str] | None:
    """(where the directive starts, its verb, its rule list) for a directive at the end of `text`."""
    found = None
    for m in _DIRECTIVE_AT.finditer(text):
        found = m
    if found is None:
        return None
    verb = _DIRECTIVE_VERB.match(text, found.end())
    if not verb:
        return None
    rest = text[verb.end():].rstrip()
    if rest.endswith("-->"):
        rest = rest[:-3].rstrip()
    if rest.endswith(")"):
        rest = rest[:-1]
    if not _DIRECTIVE_NAMES.fullmatch(rest):
        return None
    start = found.start()
    head = text[:start].rstrip(" \t(")
    for mark in _COMMENT_MARKS:
        if head.endswith(mark):
            start = len(head) - len(mark)
            break
    else:
        if text[:start].endswith("("):
            start -= 1
    return start, verb.group(1).lower(), rest


def _directive_names(text: str) -> frozenset[str]:
    names = split_patterns(re.split(r"[\s,]+", text.strip())) if text.strip() else []
    return frozenset(names) if names else frozenset({_ALL})


def _apply_directives(raw: Sequence[str]) -> tuple[list[str], list[frozenset[str]]]:
    """The lines with directive comments cut off, and the rule patterns suppressed on each line."""
    lines: list[str] = []
    suppressed: list[frozenset[str]] = []
    disabled: frozenset[str] = frozenset()
    for text in raw:
        here = disabled
        found = _directive(text) if "cardkeep:" in text.lower() else None
        if found and unknown_patterns(_directive_names(found[2]) - {_ALL}):
            found = None  # "cardkeep: ignore it. We flew..." is prose, not a directive
        if found:
            start, verb, rest = found
            names = _directive_names(rest)
            text = text[:start]
            if verb == "ignore":
                here = disabled | names
            elif verb == "disable":
                disabled = disabled | names
                here = disabled
            else:  # enable: after this line
                disabled = frozenset() if _ALL in names else disabled - names
        lines.append(text)
        suppressed.append(here)
    return lines, suppressed


def _suppressed(rule_id: str, patterns: frozenset[str]) -> bool:
    return bool(patterns) and (_ALL in patterns or family_matches(rule_id, patterns))


def _normalise_allow(allow: Mapping[str, Iterable[str] | str] | None) -> list[tuple[str, list[str]]]:
    out = []
    for key, phrases in (allow or {}).items():
        if isinstance(phrases, str):
            phrases = [phrases]
        cleaned = [str(p).lower() for p in phrases if str(p).strip()]
        if cleaned:
            out.append((str(key).strip().lower(), cleaned))
    return out


def lint_text(
    text: str,
    *,
    path: str = "-",
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    allow: Mapping[str, Iterable[str] | str] | None = None,
    max_words: int = DEFAULT_MAX_WORDS,
    names: Iterable[str] | None = None,
) -> list[Finding]:
    """Every finding in `text`, sorted by position. `select`/`ignore` take rule ids or families;
    `allow` maps a rule id or family to phrases whose lines are fine for it (see the package doc);
    `names` are the given names of the people and pets the text is about: never boast words."""
    raw = split_lines(text)
    lines, suppressed = _apply_directives(raw)
    selected, ignored = split_patterns(select), split_patterns(ignore)
    allowed = _normalise_allow(allow)
    known = frozenset(n.strip().lower() for n in (names or ()) if n and n.strip())
    options = Options(max_words=max_words, names=known)
    findings: list[Finding] = []
    for r in RULES:
        if selected and not family_matches(r.id, selected):
            continue
        if ignored and family_matches(r.id, ignored):
            continue
        phrases = [p for key, ps in allowed if family_matches(r.id, [key]) for p in ps]
        for hit in r.check(lines, options):
            if _suppressed(r.id, suppressed[hit.line]):
                continue
            if phrases and any(p in raw[hit.line].lower() for p in phrases):
                continue
            findings.append(
                Finding(path, hit.line + 1, hit.start + 1, hit.line + 1, hit.end + 1,
                        r.id, r.severity, hit.message, hit.suggestion, hit.confidence, hit.tier)
            )
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings


def remove_lines(
    text: str, findings: Iterable[Finding], families: Sequence[str] = ("brag",), *, cut_only: bool = True
) -> tuple[str, list[Finding]]:
    """`text` without the lines whose every sentence is flagged by a rule in `families`.

    Returns the fixed text and the findings on the removed lines. Only cuts count: a finding whose
    tier is "consider" is never removed unless `cut_only=False`.
    A line where only some sentences are flagged is left alone: cutting part of it is not an
    unambiguous edit. Nor is a line of a hard-wrapped paragraph whose sentence began on the line
    before or runs on to the next one. Line endings are kept.
    """
    from cardkeep.lint.model import is_cut

    by_line: dict[int, list[Finding]] = {}
    for f in findings:
        if family_matches(f.rule, families) and (not cut_only or is_cut(f)):
            by_line.setdefault(f.line, []).append(f)
    raw = split_lines(text, keepends=True)
    bodies = _apply_directives([line.rstrip("\r\n") for line in raw])[0]
    kept: list[str] = []
    removed: list[Finding] = []
    for number, line in enumerate(raw, start=1):
        flagged = by_line.get(number)
        if flagged and _covered(bodies[number - 1], flagged) and _whole_sentences(bodies, number - 1):
            removed.extend(flagged)
            continue
        kept.append(line)
    return "".join(kept), removed


_SENTENCE_CLOSED = re.compile(r"""[.!?…]["'”’)\]]*(?:\s*[\u2600-\u27bf\ufe0f\u200d\U0001f000-\U0001faff]+)*\s*$""")
_BLOCK_START = re.compile(r"\s*(?:#{1,6}\s|>|[-*+]\s|\d+[.)]\s)")
_GREETING_LINE = re.compile(r"^\s*+(?:dear(?:est)?|hi|hello|hey|hiya|greetings)\b[^.!?]{0,60}[,:!]\s*$", re.IGNORECASE)


def _closed(line: str) -> bool:
    """True when `line` ends a sentence (a mark, closing quotes, then perhaps emoji and spaces)."""
    tail = line.rstrip()[-80:]  # the end is all that matters; a bounded tail keeps the search linear
    return bool(_SENTENCE_CLOSED.search(tail))


def _whole_sentences(bodies: Sequence[str], index: int) -> bool:
    """True when line `index` neither continues a sentence from the line before nor runs on into the
    next: the line starts its block (or follows a finished sentence) and ends one (or its block)."""
    line = bodies[index]
    before = bodies[index - 1] if index > 0 else ""
    after = bodies[index + 1] if index + 1 < len(bodies) else ""
    starts = (not before.strip() or _closed(before) or bool(_BLOCK_START.match(line))
              or bool(HEADING.match(before)) or bool(_GREETING_LINE.match(before[:200])))
    ends = not after.strip() or _closed(line) or bool(_BLOCK_START.match(after))
    return starts and ends


def _covered(line: str, flagged: Sequence[Finding]) -> bool:
    """True when every sentence of `line` lies inside some flagged span."""
    spans = [(f.column - 1, f.end_column - 1) for f in flagged]
    for start, end in sentences(line):
        if not any(a <= start and end <= b for a, b in spans):
            return False
    return True
