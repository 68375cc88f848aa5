"""The card linter: humble-brags, "Dear valued customer", typeset signatures, glitter.

Pure text in, findings out: no database, no typer, no clock. Regular expressions are compiled once
(at import; the big brag vocabulary on first use, ~70 ms), and a 10,000-line letter lints in about
0.6 s (`benchmarks/bench_lint.py`).

Brags are judged per sentence: boasting vocabulary is weighed (an achievement, a rank, money,
luxury, status, a famous name), praise of the reader, wishes, self-mockery and community news are
excluded, and a complaint or humility frame around a boast makes it a humble-brag (see "brags"
below). `remove_lines` (what `--fix` uses) removes a line only when every sentence on it is flagged
and none runs on from or into a neighbouring line (a hard-wrapped paragraph is left for the user).

Rules live in `RULES` (a list filled by the `@rule` decorator). A rule id is a dotted family name:

    brag.*          direct boasting: achievements, wealth, luxury, status, name-dropping, rankings
    brag.humble.*   a complaint or humility frame around a boast ("so exhausting", "#blessed")
    salutation.*    generic greetings and unrendered merge fields            (severity "error")
    signature.*     a typeset sign-off where a handwritten one belongs        (severity "error")
    glitter.*       a card that promises glitter                              (severity "warning")
    tone.*          all "we" and no "you"; longer than a card can hold        (severity "warning")

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

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache

__all__ = [
    "Finding",
    "Rule",
    "RULES",
    "rule",
    "lint_text",
    "remove_lines",
    "split_lines",
    "is_closing",
    "family_matches",
    "severity_of",
    "DEFAULT_MAX_WORDS",
]

DEFAULT_MAX_WORDS = 250

ERROR_FAMILIES = ("salutation", "signature")


@dataclass(frozen=True)
class Finding:
    """One problem at one place; lines and columns are 1-based, `end_column` is exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: str
    message: str
    suggestion: str | None = None

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


@dataclass(frozen=True)
class Options:
    """Settings a whole-text rule may read."""

    max_words: int = DEFAULT_MAX_WORDS
    # Work shared by the rules of one lint_text call (the brag verdicts of every line, computed once).
    memo: dict = field(default_factory=dict, compare=False, repr=False)


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
    a whole-text check (`per_line=False`) takes the list of lines and yields `Hit`s."""

    def decorate(fn):
        if per_line:

            def check(lines: Sequence[str], options: Options, fn=fn) -> Iterable[Hit]:
                for number, text in enumerate(lines):
                    if text.strip():
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


# ---------------------------------------------------------------- the engine

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """The lines of `text` as editors number them: broken at \\n, \\r\\n and \\r only. (str.splitlines
    also breaks at form feeds, vertical tabs and U+2028, which a letter pasted from a word processor
    holds inside its lines; counting them would put every later finding on the wrong line.)"""
    lines = _LINE.findall(text)
    return lines if keepends else [line.rstrip("\r\n") for line in lines]


# `# cardkeep: ignore brag, tone` / `cardkeep: disable brag` / `cardkeep: enable`; the comment mark is optional.
_DIRECTIVE = re.compile(
    r"(?:(?:#|//|<!--|\[//\]:\s*#)\s*)?\(?\bcardkeep:\s*(ignore|disable|enable)\b([\w.,* \t-]*)\)?\s*(?:-->)?\s*$",
    re.IGNORECASE,
)
_ALL = "*"


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
        match = _DIRECTIVE.search(text) if "cardkeep:" in text.lower() else None
        if match and unknown_patterns(_directive_names(match.group(2)) - {_ALL}):
            match = None  # "cardkeep: ignore it. We flew..." is prose, not a directive
        if match:
            verb, names = match.group(1).lower(), _directive_names(match.group(2))
            text = text[: match.start()]
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
) -> list[Finding]:
    """Every finding in `text`, sorted by position. `select`/`ignore` take rule ids or families;
    `allow` maps a rule id or family to phrases whose lines are fine for it (see the module doc)."""
    raw = split_lines(text)
    lines, suppressed = _apply_directives(raw)
    selected, ignored = split_patterns(select), split_patterns(ignore)
    allowed = _normalise_allow(allow)
    options = Options(max_words=max_words)
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
                        r.id, r.severity, hit.message, hit.suggestion)
            )
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings


def remove_lines(
    text: str, findings: Iterable[Finding], families: Sequence[str] = ("brag",)
) -> tuple[str, list[Finding]]:
    """`text` without the lines whose every sentence is flagged by a rule in `families`.

    Returns the fixed text and the findings on the removed lines. A line where only some sentences
    are flagged is left alone: cutting part of it is not an unambiguous edit. Nor is a line of a
    hard-wrapped paragraph whose sentence began on the line before or runs on to the next one.
    Line endings are kept.
    """
    by_line: dict[int, list[Finding]] = {}
    for f in findings:
        if family_matches(f.rule, families):
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
_GREETING_LINE = re.compile(r"^\s*(?:dear(?:est)?|hi|hello|hey|hiya|greetings)\b[^.!?]{0,60}[,:!]\s*$", re.IGNORECASE)


def _whole_sentences(bodies: Sequence[str], index: int) -> bool:
    """True when line `index` neither continues a sentence from the line before nor runs on into the
    next: the line starts its block (or follows a finished sentence) and ends one (or its block)."""
    line = bodies[index]
    before = bodies[index - 1] if index > 0 else ""
    after = bodies[index + 1] if index + 1 < len(bodies) else ""
    starts = (not before.strip() or bool(_SENTENCE_CLOSED.search(before)) or bool(_BLOCK_START.match(line))
              or bool(_HEADING.match(before)) or bool(_GREETING_LINE.match(before)))
    ends = not after.strip() or bool(_SENTENCE_CLOSED.search(line)) or bool(_BLOCK_START.match(after))
    return starts and ends


def _covered(line: str, flagged: Sequence[Finding]) -> bool:
    """True when every sentence of `line` lies inside some flagged span."""
    spans = [(f.column - 1, f.end_column - 1) for f in flagged]
    for start, end in sentences(line):
        if not any(a <= start and end <= b for a, b in spans):
            return False
    return True


# ---------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset(
    "st mr mrs ms dr jr sr prof rev mt ft vs etc e.g i.e no approx dept univ co inc ltd".split()
)
# A sentence ends at . ! ? (and closing quotes/brackets) followed by space and a capital, digit or quote.
_SENTENCE_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(]?[A-Z0-9])""")
_MARKUP_START = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)?")


def sentences(line: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences on one line, without list or heading marks.

    Fragments shorter than three words ("Again.") join the sentence before them."""
    start = _MARKUP_START.match(line).end()
    spans: list[tuple[int, int]] = []
    for match in _SENTENCE_END.finditer(line, start):
        word = line[:match.start()].rsplit(None, 1)[-1].lower().lstrip("(\"'") if line[:match.start()].strip() else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue  # "St. Barts", "Samuel J. Whitaker"
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(line.rstrip())))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        while a < b and line[a].isspace():
            a += 1
        if a >= b:
            continue
        if merged and len(line[a:b].split()) < 3:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    if len(merged) > 1 and len(line[merged[0][0]:merged[0][1]].split()) < 3:
        merged[0:2] = [(merged[0][0], merged[1][1])]
    return merged


# ---------------------------------------------------------------- brags: the vocabulary
#
# A brag is a sentence that puts something to show off in front of the reader: an achievement, a
# rank, money, luxury, status, a famous name. Each term has a weight: 2 shows off on its own
# ("a private jet"), 1 only with company ("Aspen", "got into", "captain"). A sentence brags when its
# terms add up to 2; a frame (a complaint or a show of humility) around any boast makes it a
# humble-brag. Praise of the reader, wishes and self-mockery are never brags.


_TERM_ALTERNATIVES: dict[str, tuple[str, ...]] = {}


def _terms(*alternatives: str) -> str:
    """Whole-word alternatives as one pattern (remembered, so the scanner can index them)."""
    pattern = r"\b(?:" + "|".join(alternatives) + r")\b"
    _TERM_ALTERNATIVES[pattern] = alternatives
    return pattern


_NUM = r"(?:two|three|four|five|six|seven|eight|nine|ten|a dozen|\d+)"
_BIG_NUM = r"(?:five|six|seven|eight|nine|ten|twelve|twenty|\d{2,})"

# (kind, weight, pattern)
_BOAST_TERMS: list[tuple[str, int, str]] = [
    ("wealth", 2, _terms(
        r"private (?:jet|plane|island|chef|villa|beach|pool|driver|yacht|tutor|members'? club)",
        r"(?:super)?yachts?", r"gulfstream", r"learjet", r"helicopter",
        r"(?:full-time|live-in|personal|private) (?:chef|cook|trainer|stylist|assistant|driver|shopper|chauffeur)",
        r"chauffeurs?", r"housekeepers?", r"butlers?", r"nann(?:y|ies)", r"au pairs?", r"maids",
        r"(?:house|household|domestic) staff", r"villas?", r"chalets?", r"mansions?", r"penthouse",
        r"ch[aâ]teau", r"vineyard", r"(?:second|third|vacation|holiday|beach|ski|summer|winter|weekend) (?:homes?|houses?)",
        r"(?:five|six|seven|eight|nine|ten|1\d|[5-9])-bedroom", r"guest (?:wing|house|cottage)",
        r"wine (?:cellar|collection|room|cave|fridge)", r"rare vintages?", r"home (?:theat(?:er|re)|cinema|spa)",
        r"screening room", r"infinity pool", r"indoor pool", r"pool house", r"(?:tennis|squash) court",
        r"heated (?:driveway|pool|floors)", r"ski-in", r"chef'?s kitchen", r"(?:two|twin|double) (?:islands|dishwashers|ovens)",
        r"second (?:dishwasher|kitchen|fridge|wine)", r"walk-in (?:wine|closet|pantry)",
        r"(?:six|seven|eight|nine)[- ]figures?", r"billion(?:-dollar)?", r"million-dollar", r"valuation",
        r"(?:our|my|his|her) (?:stock )?portfolio", r"beat the market", r"net worth", r"speaking fees",
        r"diamonds?", r"rubies", r"emeralds", r"rolex(?:es)?", r"cartier", r"tiffany", r"herm[eè]s", r"birkin",
        r"louis vuitton", r"chanel", r"couture", r"caviar", r"range[- ]rovers?", r"porsches?", r"ferraris?",
        r"lamborghinis?", r"bentleys?", r"maseratis?", r"rolls[- ]royce", r"aston martin",
        r"(?:own|owns|bought|buy|run|runs) " + _NUM + r" (?:restaurants|houses|homes|properties|businesses|companies|horses|boats|cars|buildings)",
        r"millions", r"(?:a|one|two|three|\d+(?:\.\d+)?) million (?:dollars|pounds|euros)",
    )),
    ("wealth", 1, _terms(
        r"(?:a|one|two|three|\d+(?:\.\d+)?) million", r"boats?", r"our pool",
        r"lake house", r"beach house", r"renovation", r"cleaners", r"gardeners", r"comes with a driver",
        r"a driver", r"fund", r"investments?", r"investors?", r"charity gala", r"gala", r"foundation",
        r"wings?", r"marble", r"mercedes", r"bmw", r"tesla", r"audi", r"jaguar",
        r"only " + _NUM + r" hours a week", r"retired at \d+", r"early retirement",
        _BIG_NUM + r" (?:christmas )?trees", _BIG_NUM + r" bathrooms", r"\d{1,3},\d{3}(?:,\d{3})*", r"thousands",
    )),
    ("luxury", 2, _terms(
        r"first[- ]class", r"business[- ]class", r"ritz", r"four seasons", r"aman", r"mandarin oriental",
        r"claridge'?s", r"the savoy", r"the plaza", r"waldorf", r"bellagio", r"michelin(?:-starred)?",
        r"st\.? barts?", r"st\.? bart'?s", r"maldives", r"monaco", r"bora bora", r"mustique", r"necker",
        r"courchevel", r"gstaad", r"st\.? moritz", r"saint[- ]tropez", r"st\.? tropez", r"seychelles",
        r"courtside", r"box seats", r"front[- ]row seats", r"backstage passes?", r"vip",
        r"(?:first|second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) (?:trip|visit|time) (?:to|in|at) (?:the )?[a-z]+",
    )),
    ("luxury", 1, _terms(
        r"hamptons", r"aspen", r"vail", r"palm beach", r"martha'?s vineyard", r"nantucket", r"positano",
        r"amalfi", r"lake como", r"capri", r"tuscan", r"tuscany", r"provence", r"mykonos", r"santorini",
        r"cannes", r"riviera", r"dubai", r"fiji", r"bali", r"turks and caicos", r"park avenue", r"fifth avenue",
        r"beverly hills", r"bel air", r"malibu", r"upper east side", r"mayfair", r"knightsbridge",
        r"cruise", r"safari", r"concierge", r"lounge", r"chartering", r"charter(?:ed)?", r"resort", r"spa",
        r"season tickets", r"suite", r"designer", r"champagne", r"(?:trip|weekend|week|holiday|vacation) (?:in|to) (?:paris|rome|venice|tokyo|london)",
        r"(?:months?|a year|a semester|the summer|the winter|another winter|another summer) (?:living |abroad )?in [a-z]+",
    )),
    ("name-drop", 2, _terms(
        r"well-known (?:friends|people|names|guests)", r"famous (?:friends|people|neighbou?rs?|guests)",
        r"celebrit(?:y|ies)", r"a-list(?:ers)?", r"clooneys?", r"kennedys?", r"obamas?", r"oprah",
        r"beyonc[eé]", r"taylor swift", r"springsteen", r"tom hanks", r"bezos", r"buffett",
        r"kardashians?", r"royal family", r"the royals", r"the queen", r"the king", r"prince (?:william|harry|charles)",
        r"princess \w+", r"the duke of", r"the duchess", r"the governor", r"governor \w+", r"senator \w+",
        r"the senator", r"the ambassador", r"the president", r"prime minister", r"white house", r"downing street",
        r"state dinner", r"head table", r"premiere", r"red carpet", r"photographer who", r"who does the",
    )),
    ("name-drop", 1, _terms(r"well-known", r"famous", r"governor", r"senator", r"mayor", r"ambassador", r"oscar winners?")),
    ("status", 2, _terms(
        r"country club", r"yacht club", r"golf clubs", r"members? (?:at|of) " + _NUM + r" \w+ clubs",
        r"invitation[- ]only", r"made an exception", r"first-name basis", r"parade of homes",
        r"(?:cover|front page) of", r"on the cover", r"forbes", r"vogue", r"national (?:television|tv|news|radio)",
        r"tv appearances?", r"television appearances?", r"book tour", r"keynote", r"nonprofit boards",
        r"board (?:meetings|seats)", r"boards", r"speaking (?:engagements|circuit|tour)",
        r"(?:[3-9]\d|1\d\d)(?:st|nd|rd|th) floor", r"corner office",
    )),
    ("status", 1, _terms(
        r"exclusive", r"waiting list", r"waitlist", r"magazine", r"profile", r"interviewed (?:on|by)",
        r"on (?:tv|television|the radio)", r"documentary", r"podcast", r"(?:to )?chair (?:the|of)",
        r"conferences", r"gala", r"board", r"by invitation", r"invited to (?:the|a|speak|join|perform|present)",
        r"(?:two|three|four|five) languages", r"trilingual", r"fluent in " + _NUM, r"new title",
    )),
    ("achievement", 2, _terms(
        r"made partner", r"partner at \d+", r"youngest (?:partner|ever|person|member|director|professor|\w+ in)",
        r"(?:senior |executive )?vice[- ]president", r"s?vp", r"ceo", r"cfo", r"coo", r"cto", r"managing director",
        r"chief \w+ officer", r"top[- ](?:ranked|salesperson|seller|producer|performer|student|scorer)",
        r"top of (?:his|her|their|the) class", r"record[- ](?:breaking|setting)", r"biggest deal",
        r"in (?:the |his |her |its |our |their |the company's |the school's |the firm's |his firm's |her firm's |his school's |her school's )?history",
        r"doubled (?:its|our|his|her|their|the) (?:revenue|sales|profits?|business)", r"full professor",
        r"tenure", r"harvard", r"yale", r"stanford", r"mit", r"princeton", r"oxford", r"juilliard", r"curtis",
        r"royal academy", r"ivy league", r"sorbonne", r"wharton", r"caltech", r"rhodes scholar(?:ship)?",
        r"fulbright", r"valedictorian", r"salutatorian", r"homecoming (?:queen|king)", r"prom (?:queen|king)",
        r"dean'?s list", r"skipped (?:a |two |three )?grades?", r"national (?:\w+ ){0,2}(?:team|squad|championships?|finals|olympiad)",
        r"olympiad", r"olympi(?:cs|ans?|c)", r"world (?:championship|champions?|record|cup)",
        r"(?:state|national|world|international|regional) (?:champions?|championship|title|finals)",
        r"first place", r"placed first", r"took first", r"blue ribbon", r"gold medal", r"best in show", r"mvp",
        r"first chair", r"full (?:ride|scholarship)", r"emmys?", r"oscars?", r"grammys?", r"pulitzer", r"nobel",
        r"bestsell(?:er|ing)(?: list)?", r"best-sell(?:er|ing)(?: list)?", r"film rights", r"downloads", r"followers",
        r"acquired for", r"gallery (?:show|opening)", r"sold on opening night", r"astronaut", r"(?<!part )(?<!time )(?:player|volunteer|teacher|employee|salesperson|coach|rookie|athlete|student|artist|scientist|nurse|person|woman|man|author|chef|\w+er) of the year",
        r"qualif(?:ied|ying) (?:for|time)", r"boston marathon", r"accepted (?:to|into|at) (?:\w+ ){0,2}(?:harvard|yale|stanford|mit|juilliard|oxford|cambridge)",
        r"(?:perfect|top) (?:score|\d{3,4}|sat|act|gpa|marks)", r"straight a'?s", r"4\.0",
        r"first woman", r"first (?:person|student|kid|one) (?:in|from|to|ever)", r"out of [\d,]+ applicants",
        r"one in (?:\w+|\d+) applicants", r"gifted (?:program|school|class|and talented)", r"magnet school",
        r"(?:\w+-grade|college|high[- ]school|grade) level", r"election win", r"won the election", r"carnegie hall",
        r"broadway", r"ted talk", r"book deal", r"record deal", r"publishing deal", r"recruiting letters",
        r"being recruited", r"recruited by", r"scouts", r"lead role", r"starring role", r"concerto",
    )),
    ("achievement", 1, _terms(
        r"promot(?:ed|ion)", r"partner", r"youngest", r"director", r"executive", r"professor", r"teaching at",
        r"cambridge", r"columbia", r"ivy", r"gifted", r"crowned", r"(?:team|club|squad) captain", r"captain of", r"championship", r"champions?",
        r"tournament", r"competitions", r"scholarships?", r"recruit(?:ed|ing|ers)", r"awards?", r"awarded",
        r"prize", r"trophy", r"medals?", r"elected", r"election", r"re-elected", r"revenue", r"profits",
        r"startup", r"start-up", r"acquired", r"valuation", r"exhibition", r"published", r"patents?",
        r"applicants", r"admits", r"admitted (?:to|into)", r"accepted (?:to|into|at)", r"got into",
        r"(?:hand-?picked|chosen|selected|picked) (?:for|to|out of|as)", r"invited to train",
        r"named (?:to|as|the)?\s?(?:vp|ceo|head|director|chair|partner|captain|president)",
        r"straight year", r"sat", r"a record", r"the record", r"record", r"raised", r"solo", r"hospital wing",
        r"program interview", r"olympic", r"marathons",
    )),
    ("ranking", 2, _terms(
        r"(?:best|most \w+|fastest|smartest|brightest|strongest|highest|youngest|biggest|largest|only)\b[^.;!?]{0,60}?"
        r"\b(?:ever|(?:he|she|they|we|i)(?:'s|'d|'ve| has| had| have)? (?:ever )?seen|in (?:\w+ )?(?:years|decades)(?: of \w+)?|"
        r"in the (?:country|state|world|nation|region|school|class|county|city|district|league|entire \w+))",
        r"than any (?:other|\w+ (?:else|in))", r"(?:and|but|yet|when) (?:she|he|they)(?:'s| is| are|'re| was) (?:only|just) "
        r"(?:in (?:\w+ grade|kindergarten|preschool|year \w+)|" + _NUM + r"|a (?:freshman|sophomore|toddler))",
        r"already (?:reads|reading|plays|speaks|writes|solves|doing|at)", r"the only (?:\w+ ){0,3}(?:student|kid|child|girl|boy|applicant|player)s? (?:from|in|at|to|chosen|selected|admitted|who)",
    )),
    ("ranking", 1, _terms(
        r"half (?:my|his|her|their) age", r"as a (?:freshman|sophomore|first-year|rookie)", r"more \w+ than (?:any|anyone|everyone)", r"the (?:envy|talk) of",
        r"everyone (?:agreed|said|says|agrees)", r"the only (?:\w+ )?(?:one|parent|family|team|person|beach|way)\b(?! entry)",
        r"top \d+ ?(?:%|percent)", r"one in (?:\w+|\d+)", r"(?:he|she)'s only (?:in|\d)", r"most runners",
    )),
]

# Structures rather than words: who runs what, who asked whom, what went national.
_BOAST_TERMS += [
    ("achievement", 2, _terms(
        r"(?:run|runs|running|lead|leads|leading|head|heads|heading|manage|manages|managing|oversee|oversees) "
        r"(?:the |a |an |our |his |her )?(?:whole |entire )?(?:[\w-]+ ){0,2}(?:division|department|company|firm|region|practice|team of \w+)",
        r"fortune \d+", r"job offers", r"offers from (?:\w+ ){0,2}(?:top|every|several|three|four|five)",
        r"(?:a|his|her|their|my) (?:first )?(?:professional|pro|record|book|publishing|multi-year|\w+-figure) (?:contract|deal)",
        r"commencement (?:address|speech|speaker)", r"(?:most|highly) (?:requested|sought-after|in-demand|decorated|celebrated|cited)",
        r"voted (?:the )?(?:best|top|most)", r"national (?:\w+ ){0,2}(?:orchestra|choir|ballet|academy|program|symphony)",
        r"went (?:national|viral|global)", r"throw(?:ing)? out the first pitch", r"ring the (?:opening|closing) bell",
        r"(?:asked|chose|picked|invited|wanted) (?:me|us|him|her|them) to (?:give|speak|lead|host|chair|judge|headline|perform|present|throw|open|advise|run)",
    )),
    ("achievement", 1, _terms(
        r"(?:whole|entire) (?:[\w-]+ ){0,2}(?:division|department|company|region|office|hospital|district)",
        r"a team of (?:\w+ )?(?:hundred|thousand|\d{2,})", r"my (?:\w+ )?show", r"doctorate", r"ph\.?d",
        r"audition", r"fans", r"selfies", r"autographs?", r"recogni[sz]ed (?:on|in|at) the street", r"(?:\w+ )?panels",
        r"international", r"davos", r"(?:top|leading) (?:labs|firms|schools|universities|companies)",
    )),
    ("wealth", 1, _terms(
        r"sauna", r"hot tub", r"jacuzzi", r"steam room", r"climbing wall", r"putting green", r"bowling alley",
        r"home gym", r"game room", r"(?:heated|overwater|private) \w+", r"cost(?:s)? more than", r"cost a fortune",
        r"worth every penny", r"price tag", r"splurged?", r"bonus", r"remodel",
    )),
    ("status", 2, _terms(r"featured (?:in|on)", r"society pages?", r"(?:the )?new york times", r"wall street journal")),
    ("status", 1, _terms(r"the times", r"the journal", r"newspaper", r"in the paper", r"on the news")),
]

# What was won, and on what scale: "won" is news, "won the national final" is a boast.
_BOAST_TERMS += [
    ("achievement", 1, _terms(
        r"won", r"wins", r"earned", r"landed", r"charted", r"debut(?:ed)?",
        r"finished (?:first|second|third|fourth|fifth|in the top)",
        r"(?:was|were|got|been|being|is|are) (?:hand-?picked|picked|selected|chosen|named|accepted|admitted|invited|crowned|"
        r"awarded|elected|promoted|hono(?:u)?red|recogni[sz]ed|nominated|shortlisted|offered)",
        r"nominated", r"shortlisted", r"finalists?", r"age group", r"marathon", r"ipo",
        r"(?:in|across) (?:the|\w+) (?:country|countries|world|nation|state)", r"nationals", r"statewide", r"worldwide",
        r"(?:national|international|state|regional|world|county)(?:wide)? (?:\w+ ){0,2}(?:bee|title|final|finals|tournament|"
        r"competition|championships?|record|team|squad|award|prize|contest|olympiad|orchestra|choir|hono(?:u)?rs?|merit|scholars?)",
        r"top (?:ten|five|three|twenty|\d+)", r"number one", r"no\. 1",
        r"ahead of (?:everyone|everybody|the rest|all)", r"than (?:everyone|anyone|all the)",
        r"one of (?:only )?(?:\w+ ){0,2}(?:kids|students|people|applicants|finalists|children|teens|women|men|girls|boys)",
        r"(?:sits|sit|sitting|serves|serve|serving|appointed) on (?:the |a |\w+ )?boards?", r"billboard", r"times square",
        r"my face on", r"(?:a|the|our) (?:house|place|home|kitchen|garden|yard|boat|pool) (?:this|that) (?:size|big|large)",
    )),
    ("wealth", 2, _terms(r"trust funds?", r"presidential suite", r"penthouse suite", r"royal box", r"won the lottery",
                         r"winning the lottery")),
    ("achievement", 2, _terms(r"9\d(?:st|nd|rd|th) percentile", r"top (?:one|1|two|2|five|5) percent",
                              r"royal (?:ballet|college|opera|society|shakespeare)", r"(?:student body|class|club|league) president",
                              r"named (?:\w+ )?captain", r"already (?:knows all|can read|can recite|speaks|reads)")),
    ("status", 1, _terms(r"every major \w+", r"wimbledon", r"super bowl", r"world series", r"the masters",
                         r"pebble beach", r"augusta", r"hole in one", r"upgraded to", r"lottery")),
    ("wealth", 2, _terms(r"cost(?:s)? more than (?:my|our|a|their|his|her) (?:first |old |whole )?(?:house|home|car|college|wedding)")),
    ("status", 2, _terms(r"fluent in (?:three|four|five|six|seven|\d) languages")),
    ("achievement", 2, _terms(r"made (?:him|her|me|us|them) (?:a |an |the )?(?:partner|vp|director|head|chief|ceo)")),
    ("achievement", 2, _terms(r"translated into (?:\w+ )?(?:languages|\w+ languages)", r"broke the (?:\w+ ){0,2}record", r"an? ipo", r"the ipo", r"company ipo")),
    ("name-drop", 2, _terms(
        r"(?:famous|well-known|celebrity|award-winning) (?:\w+ )?(?:we know|friends?|neighbou?rs?|chef|author|actor|actress|singer|"
        r"athlete|designer|architect|director|musician|artist)",
        r"former (?:president|governor|senator|prime minister|ambassador)s?", r"(?:two|three|several) (?:governors|senators|ambassadors)",
    )),
    ("name-drop", 1, _terms(r"governors", r"senators")),
    ("wealth", 1, _terms(
        r"our own (?:chef|driver|island|beach|dock|vineyard|jet|plane|label|pilot|cook|\w+ court)", r"own dock", r"boathouse",
        r"sleeps (?:eight|ten|twelve|fourteen|sixteen|twenty|\d{2})", r"(?:lake|country|mountain) estate", r"estate",
        r"private (?:schools|school|tours?|lessons|coach|coaching)", r"paid cash", r"land rover",
        r"nothing less", r"nothing but the best", r"only the best", r"ruined us for",
        r"(?:rented|bought|booked|chartered|reserved|took over) (?:out )?(?:an? |the )?(?:entire |whole |private )?"
        r"(?:island|resort|castle|villa|restaurant|floor|hotel)",
    )),
]

# Money and "#1" start with a symbol, so they cannot follow a word boundary: no \b in front.
_BOAST_TERMS += [
    ("wealth", 2, r"(?:\$|£|€)\s?\d[\d,.]*\s*(?:million|billion|m|bn|k)\b|(?:\$|£|€)\s?\d{1,3}(?:,\d{3}){2,}"),
    ("wealth", 1, r"(?:\$|£|€)\s?\d{1,3},\d{3}"),
    ("achievement", 1, r"#1\b"),
]
# Weights, in units: a strong term (listed with weight 2) counts 4 and brags on its own; a telling
# one (weight 1) counts 2: two of them brag, and one is enough inside a complaint or humility frame
# ("our pool is so big it takes forever to heat"). The words below are common in plain family news
# ("my partner", "won the raffle", "the remodel") and count 1: never enough on their own, even framed.
_WEAK = frozenset({
    r"(?:a|one|two|three|\d+(?:\.\d+)?) million", "renovation", "cleaners", "gardeners", "fund", "investments?",
    "investors?", "gala", "foundation", "wings?", "marble", r"\d{1,3},\d{3}(?:,\d{3})*", "thousands", "bonus", "remodel",
    "estate", "cost(?:s)? more than", "price tag", "lounge", "resort", "spa", "suite", "designer", "champagne",
    "charter(?:ed)?", "well-known", "famous", "mayor", "exclusive", "magazine", "profile", "documentary", "podcast",
    "(?:to )?chair (?:the|of)", "conferences", "board", "invited to (?:the|a|speak|join|perform|present)", "new title",
    "promot(?:ed|ion)", "partner", "youngest", "director", "executive", "professor", "teaching at", "cambridge",
    "columbia", "ivy", "gifted", "crowned", "captain of", "championship", "champions?", "tournament", "competitions",
    "scholarships?", "recruit(?:ed|ing|ers)", "awards?", "awarded", "prize", "trophy", "medals?", "elected", "election",
    "re-elected", "revenue", "profits", "startup", "start-up", "acquired", "exhibition", "published", "patents?",
    "applicants", "admits", "admitted (?:to|into)", "accepted (?:to|into|at)", "got into",
    "(?:hand-?picked|chosen|selected|picked) (?:for|to|out of|as)", "straight year", "sat", "a record", "the record",
    "record", "raised", "solo", "hospital wing", "olympic", "marathons", "doctorate", r"ph\.?d", "audition", "fans",
    "selfies", r"(?:\w+ )?panels", "international", "won", "wins", "earned", "landed", "charted", "debut(?:ed)?",
    "(?:was|were|got|been|being|is|are) (?:hand-?picked|picked|selected|chosen|named|accepted|admitted|invited|crowned|"
    "awarded|elected|promoted|hono(?:u)?red|recogni[sz]ed|nominated|shortlisted|offered)",
    "nominated", "shortlisted", "finalists?", "age group", "marathon",
    r"(?:in|across) (?:the|\w+) (?:country|countries|world|nation|state)", "statewide", "worldwide",
    r"top (?:ten|five|three|twenty|\d+)", "number one", r"no\. 1", "ahead of (?:everyone|everybody|the rest|all)",
    "than (?:everyone|anyone|all the)", "billboard", "times square", "everyone (?:agreed|said|says|agrees)",
    r"the only (?:\w+ )?(?:one|parent|family|team|person|beach|way)\b(?! entry)", r"one in (?:\w+|\d+)", "most runners",
    "as a (?:freshman|sophomore|first-year|rookie)", "newspaper", "in the paper", "on the news", r"#1\b",
})


def _reweigh(terms: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    out = []
    for kind, weight, pattern in terms:
        alternatives = _TERM_ALTERNATIVES.get(pattern, (pattern,))
        weak = tuple(a for a in alternatives if a in _WEAK)
        rest = tuple(a for a in alternatives if a not in _WEAK)
        units = 4 if weight == 2 else 2
        if rest:
            out.append((kind, units, _terms(*rest) if pattern in _TERM_ALTERNATIVES else pattern))
        if weak:
            out.append((kind, 1, _terms(*weak) if pattern in _TERM_ALTERNATIVES else pattern))
    return out


_BOAST_TERMS = _reweigh(_BOAST_TERMS)
_BOAST_TERMS.sort(key=lambda term: -term[1])  # at any one place the heaviest phrase wins

# One pass over the word starts for all the vocabulary. Trying 500 alternatives at every word start
# is slow, so the alternatives are indexed by the characters they can start with: at a word start
# only the few that can match there are tried. Within a matcher the groups keep their order,
# heaviest first, so the heaviest phrase at each place wins.


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with; None when that is unknown or anything."""
    try:
        from re import _constants as c  # the stdlib's own regex parser
        from re import _parser as parser

        def first(items: list, index: int = 0) -> set[str] | None:
            if index >= len(items):
                return None  # could match empty: anything may follow
            op, arg = items[index]
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                return first(items, index + 1)
            if op is c.LITERAL:
                return {chr(arg)}
            if op is c.IN:
                chars: set[str] = set()
                for kind, value in arg:
                    if kind is c.LITERAL:
                        chars.add(chr(value))
                    elif kind is c.RANGE:
                        chars.update(chr(x) for x in range(value[0], value[1] + 1))
                    elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                        chars.update("0123456789")
                    else:
                        return None
                return chars
            if op is c.SUBPATTERN:
                head = first(list(arg[-1]))
                return head  # no group in the vocabulary can match empty
            if op is c.BRANCH:
                out: set[str] = set()
                for branch in arg[1]:
                    head = first(list(branch))
                    if head is None:
                        return None
                    out |= head
                return out
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                low, _, body = arg
                head = first(list(body))
                if head is None:
                    return None
                if low == 0:
                    rest = first(items, index + 1)
                    return None if rest is None else head | rest
                return head
            return None

        result = first(list(parser.parse(pattern)))
        return frozenset(result) if result is not None else None
    except Exception:  # an unfamiliar regex internals: no index, just slower
        return None


def _build_scan() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str] | None, dict[str, tuple[str, int]]]:
    """A matcher per first character (and one for the rest), each holding only the alternatives that
    can start with it, grouped heaviest first; the group names map back to (kind, weight)."""
    pieces: list[tuple[int, str, bool, frozenset[str] | None]] = []  # (group, alternative, wrap in \b, first)
    for index, (_, _, pattern) in enumerate(_BOAST_TERMS):
        alternatives = _TERM_ALTERNATIVES.get(pattern)
        if alternatives is None:
            pieces.append((index, pattern, False, _first_chars(pattern)))
        else:
            pieces.extend((index, alt, True, _first_chars(alt)) for alt in alternatives)
    names: dict[str, tuple[str, int]] = {}

    def matcher(ch: str | None) -> re.Pattern[str] | None:
        groups = []
        for index in range(len(_BOAST_TERMS)):
            chosen = [(alt, wrap) for i, alt, wrap, chars in pieces
                      if i == index and (chars is None or (ch is not None and ch in chars))]
            if chosen:
                name = f"g{index}_{len(names)}"
                names[name] = _BOAST_TERMS[index][:2]
                wrapped = [rf"\b(?:{alt})\b" if wrap else f"(?:{alt})" for alt, wrap in chosen]
                groups.append(f"(?P<{name}>{'|'.join(wrapped)})")
        return re.compile("|".join(groups)) if groups else None

    by_char: dict[str, re.Pattern[str]] = {}
    shared: dict[tuple, re.Pattern[str] | None] = {}  # the ten digits hold the same alternatives: one matcher
    for ch in sorted({ch for *_, chars in pieces if chars for ch in chars}):
        key = tuple(k for k, (*_, chars) in enumerate(pieces) if chars is None or ch in chars)
        if key not in shared:
            shared[key] = matcher(ch)
        if shared[key] is not None:
            by_char[ch] = shared[key]
    return by_char, matcher(None), names


@cache
def _scanner() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str] | None, dict[str, tuple[str, int]]]:
    """Built on first use (about 0.1 s of regex compiling), so importing the module stays cheap."""
    return _build_scan()

_WORD_START = re.compile(r"(?<!\w)[\w$£€#]")

# Repetition makes a boast heavier, but is nothing on its own ("we're hosting again").
_INTENSIFIER = re.compile(
    _terms(r"again", r"once again", r"yet again", r"yet another", r"another", r"(?:second|third|fourth|fifth) straight",
           r"\w+ years? (?:running|in a row)", r"for the (?:second|third|fourth|fifth|\w+th) (?:time|year)",
           r"every (?:anniversary|year|season|home game)", r"entire", r"all three", r"both"),
)

# The frames: (rule id, pattern). Order matters: the first that matches names the finding.
_FRAMES: list[tuple[str, re.Pattern[str]]] = [
    ("brag.humble.blessed", re.compile(
        r"#\w*blessed\b|\b(?:so|truly|feeling|feel|are|am|were|'re|'m|been|god has (?:truly )?|so very) ?blessed\b|"
        r"\bblessed (?:to|that|with)\b|"
        r"\b(?:so |truly |forever |eternally |very |just )?(?:grateful|thankful)\b(?! for (?:you|your|the|all|good|friends|our (?:health|family)))|"
        r"\blucky enough\b|\b(?:so|very|incredibly|truly) (?:lucky|fortunate)\b|\bfortunate enough\b|"
        r"\b(?:feel|feeling|felt) (?:so |very |incredibly |really )?(?:lucky|fortunate)\b",)),
    ("brag.humble.complaint", re.compile(_terms(
        r"exhausting", r"exhausted", r"wore (?:me|us) out", r"wears? (?:me|us) out", r"wearing (?:me|us) down",
        r"did (?:me|us) in", r"brutal", r"a nightmare", r"such a pain", r"a pain", r"hard to (?:find|keep up|get)",
        r"moment'?s peace", r"hardly any time", r"barely (?:had|have|get) (?:time|a minute)", r"no time (?:for|to)",
        r"never saw my calendar", r"my calendar", r"takes? forever", r"too (?:big|large|many|much)",
        r"so (?:big|large|many|much|huge|long)(?: \w+){0,2} (?:that )?(?:it|we|i|you)", r"tired of", r"stuck (?:with|chartering|in|at)", r"poor \w+",
        r"(?:is|are|was) sore", r"sore from", r"aching", r"killing (?:me|us)", r"had to (?:accept|settle|fly|take|turn down)",
        r"still getting used to", r"not ideal", r"forgive the (?:brevity|form|group|typed)", r"sorry for the (?:form|group|typed|short|brevity)",
        r"ugh", r"the downside", r"(?:only|biggest|one|real) (?:problem|downside|catch|drawback|trouble) (?:with|of|about)",
    r"nobody warns you", r"(?:so |really )?hard to (?:pick|choose|decide)", r"awkward",
    r"the (?:hardest|toughest|worst) part", r"(?:hasn't|has not|won't|haven't) stopped (?:buzzing|ringing)", r"no one (?:warns|tells) you", r"logistical nightmare", r"the problem with", r"the trouble with", r"first[- ]world problems?",
        r"a (?:part|full)-time job", r"so little sleep", r"nerve-?wracking", r"learn to say no", r"can't complain",
        r"practically forgotten", r"spotty", r"missed half", r"jet[- ]?lag(?:ged)?", r"tiring", r"annoying",
        r"frustrating", r"hassle", r"ordeal", r"chore", r"whoever said", r"never-ending", r"endless", r"no rest",
        r"(?:still |so )?terrible", r"awful", r"stressful", r"wiped out", r"can't keep up", r"juggling",
        r"means even more", r"leaves me", r"(?:so|too) tired", r"the worst part", r"i don't photograph well",
        r"so busy", r"crazy busy", r"hectic", r"complain",
    ))),
    ("brag.humble.modesty", re.compile(_terms(
        r"humbled", r"humbling", r"humble ?brag", r"not sure how", r"somehow", r"i guess", r"i suppose",
        r"who am i", r"imp[oa]st[eo]r", r"(?:don't|do not) know what (?:i|we) did to deserve", r"what did (?:i|we) do to deserve",
        r"just (?:an? )?(?:ordinary|simple|regular|normal|average|humble)", r"ordinary folks", r"regular (?:mom|dad|guy|gal|person|family)",
        r"no idea (?:why|how)", r"not sure (?:how|why)", r"(?:don't|do not) know why", r"i'm told", r"apparently", r"keeps? calling", r"(?:in|still in) shock", r"speechless", r"floored",
        r"who would(?:'ve| have) thought", r"who'd have thought", r"small-town \w+", r"a (?:girl|guy|kid|boy) like me",
        r"(?:nobody|no one|not anyone) special", r"(?:strange|weird|bizarre|odd) (?:being|to see|seeing)", r"not much of an? \w+", r"i don't know how", r"(?:no one|nobody) (?:was )?more surprised", r"least \w+ person",
        r"(?:can't|cannot|still can't|can not) believe", r"pinching (?:myself|ourselves)", r"pinch me",
        r"never (?:expected|thought|imagined|dreamed)", r"embarrass(?:ing|ed)", r"not that (?:interesting|special|talented|smart)",
        r"surreal", r"who knew", r"little old (?:me|us)", r"no big deal", r"they insisted",
        r"(?:couldn't|could not) find anyone else", r"(?:a|pure|total) fluke", r"nobody else wanted", r"don't take it for granted", r"honestly",
        r"(?:our|my) (?:little|humble|modest|tiny|small) (?!house|home|cottage|flat|apartment|garden|kitchen)\w+",
        r"happened to be", r"ended up", r"somebody has to", r"someone has to", r"don't know how",
    ))),
]

# Praise of the reader, congratulations and wishes: whatever follows is about them, not us.
_PRAISE = re.compile(_terms(
    r"congrat\w*", r"well done", r"well-deserved", r"well deserved", r"bravo", r"kudos", r"hats off",
    r"what an (?:accomplishment|achievement)", r"proud of you", r"in awe of you", r"you must be",
    r"you deserve\w*", r"you earned", r"lucky to have you", r"(?:more|than) you\b", r"tell us (?:all )?about",
    r"send (?:us )?(?:the |some )?(?:photos|pictures|pics)", r"can't wait to (?:hear|see|visit)",
    r"(?:i|we) (?:hope|wish)", r"hope (?:you|your)", r"wishing (?:you|your)", r"thinking of you",
    r"(?:so |a bit |a little )?(?:jealous|envious)",
))
_YOUR = re.compile(r"\byour?(?:s|'s|'ll|'ve)?\b(?!'re)")
_CLAUSE_BREAK = re.compile(r"[;:!?]|,\s+(?:and|but|so|which|while)\b|\.\s")
# Self-mockery and plain hard work are not brags.
_MODEST = re.compile(_terms(
    r"worst(?! part| thing| of)", r"only entry", r"only entrant", r"mostly because", r"lost every", r"last place", r"dead last",
    r"honou?rable mention", r"runner-up to", r"(?:only|just) (?:\w+ )?(?:people|others|teams|kids|entries) (?:entered|competed|showed up)",
    r"finished last", r"came last", r"participation", r"barely passed",
))
# News of the town, the church or the local team is shared pride, not a family boast.
_COMMUNITY = re.compile(
    r"^\W*(?:our|the|my) (?:little )?(?:town|city|church|community|neighbou?rhood|village|parish|street|local \w+)(?:'s)?\b"
)
_FINALLY = re.compile(r"\bfinally\b|\bafter (?:\w+ ){0,2}(?:years|months) of\b")

_KIND_RULE = {
    "wealth": "brag.wealth",
    "luxury": "brag.luxury",
    "status": "brag.status",
    "name-drop": "brag.name-drop",
    "achievement": "brag.achievement",
    "ranking": "brag.ranking",
}
_KIND_WORDS = {
    "wealth": "money and possessions",
    "luxury": "luxury travel and spending",
    "status": "status and standing",
    "name-drop": "famous names and places",
    "achievement": "achievements",
    "ranking": "rankings and comparisons",
}


@dataclass(frozen=True)
class Verdict:
    """What the brag model says about one sentence."""

    rule: str
    boast: str  # the strongest boasting phrase
    frame: str | None = None
    score: int = 0


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _lower(text: str) -> str:
    """Lower case with every character kept in place (so spans stay valid).

    The brag patterns are lower case and compiled without IGNORECASE: the regex engine skips a
    branch that starts with a plain literal in one comparison, which makes matching ~4x faster."""
    low = text.lower()
    if len(low) != len(text):  # "İ" lowers to two characters
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def _boasts(sentence: str) -> list[tuple[str, int, int, int]]:
    """(kind, weight, start, end) of each boasting phrase not said of the reader ("your promotion").

    Overlapping phrases count once, at their heaviest ("the most gifted pianist in twenty years")."""
    by_char, other, groups = _scanner()
    candidates = []
    for start in _WORD_START.finditer(sentence):
        pos = start.start()
        matcher = by_char.get(sentence[pos], other)
        m = matcher.match(sentence, pos) if matcher is not None else None
        if m:
            group = m.lastgroup
            kind, weight = groups[group]
            candidates.append((kind, weight, m.start(group), m.end(group)))
    candidates.sort(key=lambda c: (-c[1], c[2] - c[3]))
    found: list[tuple[str, int, int, int]] = []
    for kind, weight, a, b in candidates:
        if any(a < y and x < b for _, _, x, y in found):
            continue
        breaks = [c.end() for c in _CLAUSE_BREAK.finditer(sentence, 0, a)]
        if _YOUR.search(sentence, breaks[-1] if breaks else 0, a):
            continue
        found.append((kind, weight, a, b))
    return found


@lru_cache(maxsize=1 << 15)  # room for a long letter's sentences: `--fix` judges them twice
def judge(sentence: str) -> Verdict | None:
    """The brag verdict on one sentence, or None when it is not a brag."""
    text = _lower(sentence.translate(_APOSTROPHES))
    boasts = _boasts(text)
    if not boasts or _PRAISE.search(text) or _MODEST.search(text) or _COMMUNITY.match(text):
        return None
    score = sum(weight for _, weight, _, _ in boasts)
    if _INTENSIFIER.search(text):
        score += 2 if score >= 2 else 1  # "again" makes a boast heavier, a weak word only a little
    frame_rule, frame = None, None
    for rule_id, pattern in _FRAMES:
        m = pattern.search(text)
        if m and not any(a <= m.start() < b for _, _, a, b in boasts):
            frame_rule, frame = rule_id, m.group(0)
            break
    if frame_rule is None and _FINALLY.search(text):
        score -= 2  # "we finally bought a house after ten years of renting" is news, not a boast
    kind, _, a, b = max(boasts, key=lambda x: (x[1], -x[2]))
    if frame_rule and score >= 2:
        return Verdict(frame_rule, sentence[a:b], frame, score)
    if score >= 4:
        return Verdict(_KIND_RULE[kind], sentence[a:b], None, score)
    return None


def _judge_line(line: str) -> tuple[tuple[int, int, Verdict], ...]:
    out = []
    for a, b in sentences(line):
        verdict = judge(line[a:b])
        if verdict:
            out.append((a, b, verdict))
    return tuple(out)


def is_brag(text: str) -> str | None:
    """The brag rule id a line (or sentence) would get, or None: the evaluation's entry point."""
    verdicts = _judge_line(text)
    return verdicts[0][2].rule if verdicts else None


# ---------------------------------------------------------------- brag rules

_FRAME_WORDS = {
    "brag.humble.complaint": "a complaint",
    "brag.humble.modesty": "a show of modesty",
    "brag.humble.blessed": "gratitude",
}


def _brag_verdicts(lines: Sequence[str], options: Options) -> dict[int, tuple[tuple[int, int, Verdict], ...]]:
    """Every line's brag verdicts, judged once per lint and shared by all the brag rules."""
    verdicts = options.memo.get("brag")
    if verdicts is None:
        verdicts = {}
        for number, text in enumerate(lines):
            if text.strip():
                found = _judge_line(text)
                if found:
                    verdicts[number] = found
        options.memo["brag"] = verdicts
    return verdicts


def _brag_check(rule_id: str):
    def check(lines: Sequence[str], options: Options):
        for number, found in _brag_verdicts(lines, options).items():
            for a, b, verdict in found:
                if verdict.rule != rule_id:
                    continue
                if verdict.frame:
                    message = f'{_FRAME_WORDS[rule_id]} wrapped around a boast ("{verdict.frame}" + "{verdict.boast}")'
                    suggestion = "cut it: a humble-brag reads worse than a plain one"
                else:
                    kind = next(k for k, r in _KIND_RULE.items() if r == rule_id)
                    message = f'boasts of {_KIND_WORDS[kind]} ("{verdict.boast}")'
                    suggestion = "cut it, or tell it over coffee if they ask"
                yield Hit(number, a, b, message, suggestion)

    return check


def _register_brag(rule_id: str, summary: str, fires: Sequence[str], passes: Sequence[str]) -> None:
    rule(rule_id, summary, fires=fires, passes=passes, per_line=False)(_brag_check(rule_id))


_register_brag(
    "brag.achievement", "prizes, promotions, admissions and titles, told as news",
    fires=[
        "Greg closed the biggest deal in his firm's history and was made partner at 38.",
        "Nora was accepted to Juilliard, Curtis, and the Royal Academy.",
        "Felix won the state spelling bee and will compete at the nationals.",
    ],
    passes=[
        "Congratulations on your promotion!",
        "Dad finally retired and loves his garden.",
        "Jake got into his first-choice college, and we'll miss him terribly.",
        "Tom won the office chili cook-off, mostly because he was the only entry.",
    ],
)
_register_brag(
    "brag.ranking", "children (and adults) ranked against everyone else",
    fires=[
        "Little Grace already reads at a fourth-grade level, and she's only in kindergarten.",
        "The coach says Anna has the best swing he's seen in thirty years.",
    ],
    passes=[
        "The kids sang in the holiday concert and we clapped the loudest.",
        "Our kids are our greatest blessing, messy rooms and all.",
    ],
)
_register_brag(
    "brag.wealth", "money, staff, houses and things",
    fires=[
        "We hired a full-time chef this year, and the kids have become little foodies.",
        "The lake house renovation added a wine cellar and a home theater.",
    ],
    passes=[
        "We got a new-to-us minivan, and the kids have already spilled juice in it.",
        "Our church bake sale raised enough for the new roof.",
    ],
)
_register_brag(
    "brag.luxury", "first class, five stars and the right islands",
    fires=[
        "We flew business class to Tokyo and stayed at the Aman.",
        "After our third trip to the Maldives, it's the only beach worth flying to.",
    ],
    passes=[
        "We took a road trip to the Grand Canyon and the kids argued the whole way.",
        "We spent a week at the lake cabin with the cousins, like every summer.",
    ],
)
_register_brag(
    "brag.status", "clubs, covers, keynotes and corner offices",
    fires=[
        "We finally joined the country club; the waiting list is seven years.",
        "I was on the cover of our industry's leading trade magazine this fall.",
    ],
    passes=[
        "We saw your article in the paper and clipped it for the fridge.",
        "I'm taking a watercolor class at the senior center.",
    ],
)
_register_brag(
    "brag.name-drop", "famous friends and important tables",
    fires=[
        "Dinner with the Clooneys on Lake Como was a highlight of our summer.",
        "We were seated at the head table with the governor at the state dinner.",
    ],
    passes=[
        "We had dinner with the Johnsons and their new puppy.",
        "Thank you for the flowers you sent when Mom was sick.",
    ],
)
_register_brag(
    "brag.humble.complaint", "a complaint that is really a boast",
    fires=[
        "Our pool is so big it takes forever to heat up in the spring.",
        "Honestly, flying business class to our ski chalet three times a year gets so exhausting.",
    ],
    passes=[
        "I'm exhausted after the move, but happy to be closer to Mom.",
        "It must be exhausting juggling everything you do, so please rest.",
        "The furnace and the car both broke in the same week.",
    ],
)
_register_brag(
    "brag.humble.modesty", "false modesty around a boast",
    fires=[
        "So humbled to be named VP again this year.",
        "Somehow I ended up giving the keynote again; I guess they couldn't find anyone else!",
    ],
    passes=[
        "I'm humbled by how many of you showed up for us after the fire.",
        "Nobody was more surprised than me when the cake actually rose.",
        "We can't believe how fast the grandkids are growing.",
    ],
)
_register_brag(
    "brag.humble.blessed", "#blessed: gratitude for something to show off",
    fires=[
        "#blessed to be spending another winter at our place in Palm Beach.",
        "Truly blessed to have a daughter who was crowned homecoming queen AND valedictorian.",
    ],
    passes=[
        "We're blessed to have a healthy baby girl after a long wait.",
        "We're grateful our neighbor helped us fix the fence.",
    ],
)


# ---------------------------------------------------------------- salutations

_GREETING = r"(?:dear(?:est)?|hi|hello|hey|hiya|greetings|season'?s greetings|happy holidays|merry christmas|good (?:morning|day)|to)"
# Whoever could be anyone: a role, a crowd, a hedge ("Sir/Madam", "Mr./Mrs.").
_GENERIC_NOUN = (
    r"(?:(?:dear|dearest|valued|loyal|wonderful|lovely|special|amazing|cherished|treasured|esteemed|good)\s+)*"
    r"(?:customers?|clients?|patrons?|members?|supporters?|donors?|subscribers?|guests?|shoppers?|partners?|"
    r"policyholders?|account\s?holders?|users?|residents?|occupants?|homeowners?|neighbou?rs?|colleagues?|team|staff|"
    r"friends?(?:\s+of\s+the\s+family)?|family|families|loved\s+ones|sirs?|madam|everyone|everybody|all|y'?all|folks|"
    r"you\s+all|all\s+of\s+you|there|whom\s+it\s+may\s+concern|valued\s+\w+|"
    r"(?:mr|mrs|ms|miss)\.?\s*(?:/|or|and|&)\s*(?:mr|mrs|ms|miss)\.?(?:\s+[A-Z][\w'-]+)?|"
    r"the\s+[A-Z][\w'-]+\s+(?:household|residence))"
)
_GENERIC_ADDRESSEE = re.compile(
    r"^\s*" + _GREETING + r"\s*,?\s+(?:to\s+)?(?:(?:all\s+)?(?:of\s+)?(?:our|my)\s+)?(?P<who>"
    + _GENERIC_NOUN + r"(?:\s*(?:,|and|&|or|/)\s*" + _GENERIC_NOUN + r")*"
    r")\s*(?:[,:;!.]|$)",
    re.IGNORECASE,
)
_TO_WHOM = re.compile(r"\bto\s+whom\s+it\s+may\s+concern\b|\bdear\s+sir\s*(?:/|or)\s*madam\b", re.IGNORECASE)
_FULL_NAME = re.compile(r"^\s*(?:dear|hi|hello|to)\s+(?:(?:mr|mrs|ms|dr)\.?\s+)?[A-Z][a-z]+\s+[A-Z]\.\s+[A-Z][a-z'-]+\s*[,:!]", re.IGNORECASE)
# "Dear ," / "Hi , how are you" / "Dear Ada and ," / "Dear  and Tom,": a name that rendered empty.
_EMPTY_FIELD = re.compile(
    r"^\s*" + _GREETING + r"(?:\s*[,:]\s*$|\s+[,:])|^\s*" + _GREETING + r"\b[^,:\n]*\s(?:and|&)\s*[,:]|"
    r"^\s*" + _GREETING + r"\s+(?:and|&)\s",
    re.IGNORECASE,
)
_MERGE_FIELD = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{[A-Za-z_][\w.]*\}|%%[^%\n]+%%|%[A-Z][A-Z_]+%|<<[^<>\n]+>>|«[^«»\n]+»|\$\{[^}\n]+\}|"
    r"\*\|[A-Z0-9_]+\|\*|\[\[[^\]\n]+\]\]|"
    r"\[(?:(?:your|first|last|full|sender|recipient|contact|company|insert|customer|child|spouse)[ _]?)?"
    r"(?:name|first[ _]?name|last[ _]?name|fname|lname|recipient|sender|salutation|title|company|address|city|nickname|"
    r"spouse|child|kids?)(?:[ _]name)?\](?!\()|(?-i:\[[A-Z][A-Z _]{2,}\])(?!\()",
    re.IGNORECASE,
)
# Matched against the lower-cased line (fast); the two that need capitals have their own patterns.
_CORPORATE = re.compile(
    r"\bfrom\s+(?:all\s+of\s+us|everyone|the\s+team|all)\s+at\b|\byour\s+friends\s+at\b|\bthe\s+(?:\w+\s+)?team\s+at\b|"
    r"\ball\s+(?:of\s+)?our\s+(?:loyal\s+|valued\s+)?(?:clients|customers|patrons|members|partners|supporters|donors|subscribers|guests)\b|"
    r"\bto\s+unsubscribe\b|\breply\s+stop\b|\bopt[- ]out\b|\bvalued\s+(?:customer|client|member|patron|supporter)s?\b"
)
_CORPORATE_NAMED = re.compile(r"(?:^|,\s*)[Tt]he\s+(?:[A-Z][\w&'-]*\s+){1,3}(?:[Tt]eam|[Ss]taff)\b|\b[A-Z][a-z]+\s+&\s+Co\b")


@rule(
    "salutation.generic",
    "a greeting that could go to anyone",
    fires=["Dear Valued Customer,", "Season's Greetings to all our clients,", "To Whom It May Concern:", "Dear Friend,", "Dear Sir/Madam,", "Hi everyone!",
           "To the Garcia Household,"],
    passes=["Dear Aunt Carol,", "Dear Mr. Patel,", "Hello to the whole Kowalski crew!", "Dear Friend Maria,"],
)
def _generic_salutation(line: str):
    m = _GENERIC_ADDRESSEE.match(line) or _TO_WHOM.search(line)
    if m:
        who = m.groupdict().get("who") or m.group(0)
        yield m.start(), m.end(), f'generic greeting ("{who.strip()}")', "greet them by the name you call them"


@rule(
    "salutation.full-name",
    "a full legal name with a middle initial: the mark of a database merge",
    fires=["Dear Samuel J. Whitaker,", "Dear Jonathan R. Meyers,"],
    passes=["Dear Sam,", "Dear Mr. Whitaker,", "Dear Grandpa Joe,"],
)
def _full_name(line: str):
    m = _FULL_NAME.match(line)
    if m:
        yield m.start(), m.end(), "greets by full legal name, like a mail merge", "use the name you call them"


@rule(
    "salutation.merge-field",
    "an unrendered merge field or template placeholder",
    fires=["Dear {{ first_name }},", "Hello %%FirstName%%,", "Dear [Name],", "Hi *|FNAME|*,", "Love, {{sender_name}}",
           "Dear <<Name>>,", "Hi ${recipient.name},"],
    passes=["Dear Ada,", "See [the photos](https://example.com) from June.", "We [really] missed you."],
)
def _merge_field(line: str):
    for m in _MERGE_FIELD.finditer(line):
        yield m.start(), m.end(), f"unrendered merge field {m.group(0)}", "fill it in by hand"


@rule(
    "salutation.empty-field",
    "a greeting whose name came out empty",
    fires=["Dear ,", "Hi ,", "Dear Ada and ,", "Dear  and Tom,"],
    passes=["Dear Ada,", "Hi!", "Hello, Marcus!", "We had salt and, of course, pepper."],
)
def _empty_field(line: str):
    m = _EMPTY_FIELD.search(line)
    if m:
        yield m.start(), m.end(), "the greeting has an empty name", "write their name in"


@rule(
    "salutation.corporate",
    "the register of a company, not a friend",
    fires=["Happy Holidays from all of us at Smith & Co.!", "With gratitude, Your Friends at First National Bank",
           "Thank you for being a valued customer.", "Kind regards, The Whitfield Insurance Team", "To unsubscribe from future holiday letters, reply STOP."],
    passes=["Love from all of us at number 12!", "We're all at Mum's for Christmas."],
)
def _corporate(line: str):
    m = _CORPORATE.search(line.lower()) or _CORPORATE_NAMED.search(line)
    if m and _GENERIC_ADDRESSEE.match(line) and m.start() < _GENERIC_ADDRESSEE.match(line).end():
        return  # "Dear Valued Customer," is salutation.generic already
    if m and not re.search(r"\bat\s+(?:number|no\.?)\s+\d", line, re.IGNORECASE):
        yield m.start(), m.end(), f'reads like a company card ("{m.group(0)}")', "write as yourself, to them"


# ---------------------------------------------------------------- signatures

_CLOSING = re.compile(
    r"^\s*(?:(?:with\s+)?(?:all\s+(?:my|our)\s+)?love(?:\s+(?:always|and\s+hugs|from\s+us(?:\s+all)?|to\s+all))?|lots\s+of\s+love|"
    r"much\s+love|warm(?:est)?\s+(?:wishes|regards)|warmly|(?:best|kind|warm)\s+(?:wishes|regards)|cheers|hugs|xo+|xx+|"
    r"yours(?:\s+(?:truly|ever|always|sincerely))?|(?:ever\s+)?yours|sincerely(?:\s+yours)?|affectionately|fondly|"
    r"with\s+(?:gratitude|thanks|affection|warm\s+wishes|best\s+wishes)|thank\s+you|thanks|blessings|peace|"
    r"merry\s+christmas|happy\s+holidays|see\s+you\s+soon|until\s+next\s+time)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_NAME_LINE = re.compile(
    r"^\s*(?:-\s*|—\s*)?(?:the\s+)?[A-Z][\w'.-]*(?:\s+(?:[A-Z][\w'.-]*|and|&|the|[a-z]+(?=\s+[A-Z])))*"
    r"(?:\s*,\s*[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)*\s*(?:\s(?:and|&)\s+(?:the\s+)?\w+)?\s*[.!]?\s*$"
)
_FAMILY_SIGNATURE = re.compile(
    r"^\s*(?:(?:love|with\s+love|all\s+our\s+love|love\s+from|warmly|cheers|best\s+wishes|from|xo)\s*,?\s*)?"
    r"the\s+(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)\s+(?:family|household|clan|crew|gang|bunch)\s*[.!]?\s*$|"
    r"^\s*(?:(?:love|love\s+from|from|warmly|cheers)\s*,?\s*)?the\s+(?-i:[A-Z][a-z'-]+s)\s*[.!]?\s*$",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"\b(?:happy|merry|new\s+year|christmas|holidays?|love|wishes|greetings|thanks|thank|cheers|soon|peace)\b", re.IGNORECASE
)
_AUTO_SIGNATURE = re.compile(
    r"^\s*(?:sent\s+from\s+my\s+\w+(?:\s+\w+)?|sent\s+(?:via|with)\s+\w+|get\s+outlook\s+for\s+\w+|sent\s+from\s+(?:mail|yahoo|gmail|outlook)\b.*)",
    re.IGNORECASE,
)
_FAITHFULLY = re.compile(r"^\s*(?:yours\s+faithfully|faithfully\s+yours|respectfully\s+(?:yours|submitted))\s*[,.]?\s*$", re.IGNORECASE)


def is_closing(line: str) -> bool:
    """True for a closing on its own line: "Love,", "Warmly,", "With best wishes"."""
    return bool(_CLOSING.match(line))


def _last_lines(lines: Sequence[str], count: int) -> list[int]:
    """Indexes of the last `count` non-blank lines, in order."""
    out = [i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()][:count]
    return out[::-1]


def _span(line: str) -> tuple[int, int]:
    stripped = line.strip()
    start = line.index(stripped[0]) if stripped else 0
    return start, start + len(stripped)


@rule(
    "signature.printed-name",
    "a name typed under the closing, where a hand should sign",
    fires=["Merry Christmas!\n\nLove,\nAda and Tom", "See you soon.\n\nWarmly,\nAda and Tom Okafor"],
    passes=["Merry Christmas!\n\nLove,", "Love always, Grandma Jo", "Love,\n\n(sign here)", "Merry Christmas!\nHappy New Year!",
            "Love,\nThe Smith Family"],
    notes='A closing on its own line, then one or two short name lines that end the text. "Love, Gran" on one '
    "line is how people write; it is left to the card's maker.",
    per_line=False,
)
def _printed_name(lines: Sequence[str], options: Options):
    tail = _last_lines(lines, 3)
    for pos, index in enumerate(tail[:-1]):
        if _CLOSING.match(lines[index]):
            names = tail[pos + 1:]
            if names and len(names) <= 2 and all(
                _NAME_LINE.match(lines[i]) and len(lines[i].split()) <= 6
                and not _NOT_A_NAME.search(lines[i]) and not _FAMILY_SIGNATURE.match(lines[i])
                for i in names
            ):
                first, last = names[0], names[-1]
                a, _ = _span(lines[first])
                _, b = _span(lines[last])
                yield Hit(first, a, b if first == last else a + len(lines[first].strip()),
                          f'typed signature under "{lines[index].strip()}"', "leave the space blank and sign by hand")
                return


@rule(
    "signature.family-name",
    '"The Smith Family" typed where people should sign',
    fires=["The Johnson Family", "Love,\nThe Smith Family", "Merry Christmas!\nLove from the Garcias"],
    passes=["Hello to the whole Kowalski crew!", "We visited the Johnson family in May.\nLove,",
            "Merry Christmas!\nLove from the whole family", "Love,\nthe kids"],
    per_line=False,
)
def _family_name(lines: Sequence[str], options: Options):
    tail = _last_lines(lines, 2)
    if tail and _FAMILY_SIGNATURE.match(lines[tail[-1]]):
        index = tail[-1]
        a, b = _span(lines[index])
        yield Hit(index, a, b, "a typeset family signature", "each of you signs by hand instead")


@rule(
    "signature.auto",
    "an email client's signature in a card",
    fires=["Sent from my iPhone", "Sent from my Galaxy", "Get Outlook for Android"],
    passes=["We sent a parcel from my mum's.", "Sent with love from all of us"],
)
def _auto_signature(line: str):
    m = _AUTO_SIGNATURE.match(line)
    if m and not re.match(r"\s*sent\s+with\s+love", line, re.IGNORECASE):
        yield m.start(), m.end(), f'automatic signature ("{m.group(0).strip()}")', "delete it"


@rule(
    "signature.faithfully",
    '"Yours faithfully": the close for a letter to someone unnamed',
    fires=["Yours faithfully,", "Respectfully submitted,"],
    passes=["Yours, Ada", "Faithful as ever, your friend Jo"],
)
def _faithfully(line: str):
    m = _FAITHFULLY.match(line)
    if m:
        yield m.start(), m.end(), "a business close on a card", 'close as you would to a friend ("Love," "Warmly,")'


# ---------------------------------------------------------------- glitter

_GLITTER = re.compile(r"\b(?:glitter\w*|confetti|sequins?)\b", re.IGNORECASE)
_NO_GLITTER = re.compile(r"\b(?:no|without|zero|not\s+a\s+(?:speck|grain)\s+of|free\s+of)\s+(?:\w+\s+)?(?:glitter|confetti|sequins?)|glitter[- ]free", re.IGNORECASE)


@rule(
    "glitter.promise",
    "a card that promises glitter (or confetti): the one thing every recipient begs to be spared",
    fires=["We're sending this with love and a little glitter.", "Apologies in advance for the glitter!",
           "Open carefully: confetti inside!"],
    passes=["No glitter this year, we promise.", "The lights glittered on the snow.\n"],
    notes="Only the nouns: 'the lights glittered' describes, it doesn't promise.",
)
def _glitter(line: str):
    low = line.lower()
    if ("glitter" not in low and "confetti" not in low and "sequin" not in low) or _NO_GLITTER.search(line):
        return
    for m in _GLITTER.finditer(line):
        if m.group(0).lower().startswith("glitter") and m.group(0).lower() in ("glittered", "glittering", "glitters"):
            continue
        yield m.start(), m.end(), f'promises {m.group(0).lower()}', "leave it out: it ends up in their carpet for a year"


# ---------------------------------------------------------------- tone

_FIRST_PERSON = re.compile(r"\b(?:i|me|my|mine|myself|we|us|our|ours|ourselves)\b")  # on lower case
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|yourselves|y'all|ya)\b")
_WORD = re.compile(r"[^\W_][\w'’-]*")
_HEADING = re.compile(r"^\s*#{1,6}\s")


@rule(
    "tone.we-not-you",
    'a letter that is all "we" and no "you"',
    fires=["We had a year.\nWe moved house and we painted it.\nOur kids grew; our dog aged.\n"
           "I changed jobs and my car broke.\nWe are well, and we send our love."],
    passes=["We moved house and we painted it. Our kids grew. How are you?", "Merry Christmas to you all!"],
    notes="Fires when a text says I/we/our ten times or more and never addresses the reader.",
    per_line=False,
)
def _we_not_you(lines: Sequence[str], options: Options):
    first = second = 0
    for text in lines:
        low = text.lower()
        first += len(_FIRST_PERSON.findall(low))
        second += len(_SECOND_PERSON.findall(low))
    if first >= 10 and second == 0:
        index = next(i for i, text in enumerate(lines) if text.strip())
        a, b = _span(lines[index])
        yield Hit(index, a, b, f'all "we" and no "you" ({first} times I/we, never the reader)',
                  "ask after them, or remember something you share")


@rule(
    "tone.too-long",
    "longer than a card can hold",
    fires=["word " * 260],
    passes=["A short note: Merry Christmas, and see you in spring."],
    notes=f"The limit is [lint] max_words (default {DEFAULT_MAX_WORDS}); the finding marks where the card runs out.",
    per_line=False,
)
def _too_long(lines: Sequence[str], options: Options):
    total = 0
    for index, text in enumerate(lines):
        if _HEADING.match(text):
            continue
        words = _WORD.findall(text)
        if total + len(words) > options.max_words:
            over = sum(len(_WORD.findall(t)) for t in lines if not _HEADING.match(t))
            a, b = _span(text)
            yield Hit(index, a, b, f"{over} words: a card holds about {options.max_words}; it runs out here",
                      "keep one story and a line about them")
            return
        total += len(words)

