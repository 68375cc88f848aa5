"""The precise brag rules: a vocabulary of boasting phrases (data/boast_terms.json) weighed per
sentence, with the frames (complaint, modesty, gratitude) that make a boast a humble-brag.

Their verdict is one input of the brag model (`cardkeep.lint.brags`); on its own it is precise and
narrow: it knows "Harvard" and "the Maldives", not "reading at a fourth-grade level".

Every pattern is linear on any input; the vocabulary is compiled on first use (about 0.1 s).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from cardkeep.lint.lazy import Lazy as _Lazy, data_text


def _terms(*alternatives: str) -> str:
    """Whole-word alternatives as one pattern."""
    return r"\b(?:" + "|".join(alternatives) + r")\b"


# Repetition makes a boast heavier, but is nothing on its own ("we're hosting again").
_INTENSIFIER = re.compile(
    _terms(r"again", r"once again", r"yet again", r"yet another", r"another", r"(?:second|third|fourth|fifth) straight",
           r"\w+ years? (?:running|in a row)", r"for the (?:second|third|fourth|fifth|\w+th) (?:time|year)",
           r"every (?:anniversary|year|season|home game)", r"entire", r"all three", r"both"),
)

# The frames: (rule id, pattern). Order matters: the first that matches names the finding.
_FRAMES: list[tuple[str, _Lazy]] = [
    ("brag.humble.blessed", _Lazy(
        r"#\w*blessed\b|\b(?:so|truly|feeling|feel|are|am|were|'re|'m|been|god has (?:truly )?|so very) ?blessed\b|"
        r"\bblessed (?:to|that|with)\b|"
        r"\b(?:so |truly |forever |eternally |very |just )?(?:grateful|thankful)\b(?! for (?:you|your|the|all|good|friends|our (?:health|family)))|"
        r"\blucky enough\b|\b(?:so|very|incredibly|truly) (?:lucky|fortunate)\b|\bfortunate enough\b|"
        r"\b(?:feel|feeling|felt) (?:so |very |incredibly |really )?(?:lucky|fortunate)\b",)),
    ("brag.humble.complaint", _Lazy.terms(
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
    )),
    ("brag.humble.modesty", _Lazy.terms(
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
    )),
]

# Every match of these patterns contains one of these substrings (the tests check it on every labelled
# line): a substring test in C lets most sentences skip a regex of many alternatives tried at each position.
_FRAME_NEEDS: dict[str, tuple[str, ...] | None] = {
    "brag.humble.blessed": ("bless", "grateful", "thankful", "lucky", "fortunate"),
}
_INTENSIFIER_NEEDS = ("again", "another", "straight", "running", "in a row", "for the", "every", "entire", "all three", "both")

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


# A capitalised word that is also a given name ("Tiffany", "Oscar", "Aspen") is a brand, a prize or a
# place only after a word that introduces a thing ("a Tiffany bracelet", "won an Oscar", "at Tiffany's").
NAME_LIKE = frozenset(
    "tiffany oscar oscars emmy emmys tony chanel mercedes bentley porsche tesla audi jaguar aspen vail capri "
    "curtis stanford kennedy kennedys aman paris florence sydney savannah austin madison chelsea jordan dakota "
    "duke princeton columbia cambridge bali fiji harper hermes ritz monaco cartier beverly georgia india".split()
)
PET_NOUNS = frozenset(
    "cat cats kitten kittens dog dogs puppy puppies pup tortoise tortoises turtle hamster hamsters horse horses pony "
    "ponies rabbit rabbits bunny parrot budgie goldfish lizard snake chicken chickens hen hens goat goats "
    "spaniel labrador terrier collie poodle retriever beagle dachshund greyhound whippet mare gelding".split()
)


@cache
def _pet_after() -> re.Pattern[str]:
    """", the old spaniel" / " the tortoise" after a word: an appositive that makes it a pet's name."""
    return re.compile(
        r",?[ \t]{1,3}(?:the|our|my|his|her|their)[ \t]{1,3}(?:[a-z][\w'-]{0,20}[ \t]{1,3}){0,2}(?:"
        + "|".join(sorted(PET_NOUNS, key=len, reverse=True)) + r")\b"
    )


THING_CUES = frozenset(
    "a an the my our his her their your its at from won win wins winning new two three several some this that "
    "real genuine vintage brand-new designer first second third fourth fifth another".split()
)


@dataclass(frozen=True)
class Verdict:
    """What the precise rules say about one sentence (`rule` is None when they see no brag)."""

    rule: str | None
    boast: str  # the strongest boasting phrase ("" when none)
    kind: str | None
    frame: str | None = None
    frame_rule: str | None = None
    score: int = 0  # boasting units: 4 brags on its own
    excluded: str | None = None  # "praise", "modest" or "community": why a boast does not count


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with; None when unknown or anything.

    A small reader of the subset of regex syntax the vocabulary uses: literals, escapes, classes,
    groups with alternatives, optional parts and look-behinds. Anything else gives up (None), and
    that alternative is simply tried at every word start."""
    chars = _first(pattern, 0)
    return frozenset(chars) if chars else None


def _close(pattern: str, i: int) -> int:
    """Index of the ')' closing the group opened at `i`."""
    depth, j = 0, i
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = pattern.index("]", j + 2 if pattern[j + 1:j + 2] == "]" else j + 1) + 1
            continue
        depth += c == "("
        depth -= c == ")"
        if depth == 0:
            return j
        j += 1
    raise ValueError(pattern)


def _branches(body: str) -> list[str]:
    out, depth, start, j = [], 0, 0, 0
    while j < len(body):
        c = body[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = body.index("]", j + 1) + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(body[start:j])
            start = j + 1
        j += 1
    out.append(body[start:])
    return out


def _optional(pattern: str, j: int) -> bool:
    return pattern[j:j + 1] in ("?", "*") or pattern.startswith("{0", j)


def _first(pattern: str, i: int) -> set[str] | None:  # noqa: PLR0911, PLR0912
    if i >= len(pattern):
        return None  # may match empty: anything may follow
    c = pattern[i]
    if pattern.startswith(r"\b", i):
        return _first(pattern, i + 2)
    if pattern.startswith(("(?<!", "(?<=", "(?!", "(?="), i):
        return _first(pattern, _close(pattern, i) + 1)
    if c == "(":
        end = _close(pattern, i)
        body = pattern[i + 3:end] if pattern.startswith("(?:", i) else pattern[i + 1:end]
        out: set[str] = set()
        for branch in _branches(body):
            head = _first(branch, 0)
            if head is None:
                return None
            out |= head
        if _optional(pattern, end + 1):
            rest = _first(pattern, end + 2)
            return None if rest is None else out | rest
        return out
    if c == "[":
        end = pattern.index("]", i + 1)
        inner = pattern[i + 1:end]
        if inner.startswith("^") or "\\" in inner:
            return None
        out = set()
        k = 0
        while k < len(inner):
            if k + 2 < len(inner) and inner[k + 1] == "-":
                out.update(chr(x) for x in range(ord(inner[k]), ord(inner[k + 2]) + 1))
                k += 3
            else:
                out.add(inner[k])
                k += 1
        nxt = end + 1
    elif c == "\\":
        e = pattern[i + 1]
        if e == "d":
            out = set("0123456789")
        elif e.isalnum():
            return None  # \w, \s and friends
        else:
            out = {e}
        nxt = i + 2
    elif c in ".^$|)*+?{":
        return None
    else:
        out, nxt = {c}, i + 1
    if _optional(pattern, nxt):
        rest = _first(pattern, nxt + 1)
        return None if rest is None else out | rest
    return out


@cache
def _terms_data() -> list[tuple[str, int, str, tuple[str, ...] | None]]:
    text = data_text("data/boast_terms.json")
    return [(t["kind"], t["units"], t.get("pattern", ""), tuple(t["words"]) if "words" in t else None)
            for t in json.loads(text)["terms"]]


_MAX_FIRST_WORDS = 2000


def _first_words(alternative: str) -> frozenset[str] | None:
    """Every letter-and-digit run a match of `alternative` (wrapped in \\b) can begin with, or None when
    they cannot be listed ("\\w+ years", "1\\d"). Zero-width assertions are skipped, which can only
    widen the set: the regex still decides; this only says where it is worth asking."""
    try:
        from re import _parser as parser  # the stdlib's own reader of regex syntax
        items = list(parser.parse(alternative))
    except Exception:  # noqa: BLE001 - an unusual pattern is simply tried at every word start of its characters
        return None
    out: set[str] = set()
    if not _expand(items, "", out, parser):
        return None
    return frozenset(out) if out and "" not in out else None


def _expand(items: list, prefix: str, out: set[str], parser) -> bool:  # noqa: PLR0911, PLR0912
    """Add to `out` the runs that `items` can start with after `prefix`; False when unknowable."""
    c = parser  # constants live beside the parser
    for k, (op, av) in enumerate(items):
        name = str(op)
        if name == "LITERAL":
            ch = chr(av)
            if ch.isalnum():
                prefix += ch
                continue
            out.add(prefix)
            return True
        if name == "AT":
            if str(av) == "AT_BOUNDARY":
                if prefix:
                    out.add(prefix)
                    return True
                continue
            return False
        if name in ("ASSERT", "ASSERT_NOT"):
            continue
        if name == "IN":
            chars = []
            for sub_op, sub_av in av:
                sub = str(sub_op)
                if sub == "LITERAL":
                    chars.append(chr(sub_av))
                elif sub == "RANGE" and sub_av[1] - sub_av[0] < 40:
                    chars.extend(chr(x) for x in range(sub_av[0], sub_av[1] + 1))
                elif sub == "CATEGORY" and str(sub_av) == "CATEGORY_SPACE":
                    chars.append(" ")
                else:
                    return False
            alnum = [ch for ch in chars if ch.isalnum()]
            if len(alnum) != len(chars):
                if alnum:
                    return False
                out.add(prefix)
                return True
            rest = items[k + 1:]
            return all(_expand(rest, prefix + ch, out, c) for ch in alnum) and len(out) <= _MAX_FIRST_WORDS
        rest = items[k + 1:]
        if name == "SUBPATTERN":
            return _expand(list(av[-1]) + rest, prefix, out, c)
        if name == "BRANCH":
            return all(_expand(list(branch) + rest, prefix, out, c) for branch in av[1]) and len(out) <= _MAX_FIRST_WORDS
        if name in ("MAX_REPEAT", "MIN_REPEAT") and av[1] <= 1:
            if av[0] == 0 and not _expand(rest, prefix, out, c):
                return False
            return _expand(list(av[2]) + rest, prefix, out, c) and len(out) <= _MAX_FIRST_WORDS
        return False
    out.add(prefix)
    return True


class _Scanner:
    """The vocabulary as matchers made for the word they are tried at: an alternative whose possible
    first words are known is tried only where one of them starts (most words start none, and cost a
    dictionary lookup); the others only where their first character is. Group names map back to
    (kind, units). Trying 500 alternatives at every word start is slow; trying the few that can
    start there is not."""

    def __init__(self) -> None:
        self.terms = terms = _terms_data()
        pieces: list[tuple[int, str, bool]] = []  # (term, alternative, wrap in \b)
        for index, (_, _, pattern, words) in enumerate(terms):
            if words is None:
                pieces.append((index, pattern, False))
            else:
                pieces.extend((index, alt, True) for alt in words)
        self.pieces = pieces
        self.by_word: dict[str, list[int]] = {}  # first word -> pieces
        self.loose: list[tuple[int, frozenset[str]]] = []  # (piece, the characters it can start with)
        self.anywhere: list[tuple[int, str]] = []  # (piece, a literal every match contains): "\\w+er of the year"
        for k, (_, alt, wrap) in enumerate(pieces):
            words = _first_words(alt) if wrap else None
            if words is not None:
                for w in words:
                    self.by_word.setdefault(w, []).append(k)
                continue
            chars = _first_chars(alt)
            if chars is not None:
                self.loose.append((k, chars))
            else:
                self.anywhere.append((k, _needs(alt)))
        self.names: dict[str, tuple[str, int]] = {}
        self._compiled: dict[tuple[int, ...], re.Pattern[str] | None] = {}
        self._for_char: dict[str, re.Pattern[str] | None] = {}
        self.for_word: dict[str, re.Pattern[str] | None] = {}

    def _matcher(self, chosen: tuple[int, ...]) -> re.Pattern[str] | None:
        if chosen in self._compiled:
            return self._compiled[chosen]
        groups, current, alts = [], None, []
        for k in [*sorted(chosen), None]:
            index = self.pieces[k][0] if k is not None else None
            if index != current and alts:
                name = f"g{current}_{len(self.names)}"
                self.names[name] = self.terms[current][:2]
                groups.append(f"(?P<{name}>{'|'.join(alts)})")
                alts = []
            if k is None:
                break
            current = index
            _, alt, wrap = self.pieces[k]
            alts.append(rf"\b(?:{alt})\b" if wrap else f"(?:{alt})")
        out = re.compile("|".join(groups)) if groups else None
        self._compiled[chosen] = out
        return out

    def _loose(self, ch: str) -> tuple[int, ...]:
        return tuple(k for k, chars in self.loose if ch in chars)

    def active(self, low: str) -> tuple[int, ...]:
        """The pieces that may match anywhere and whose literal is in this sentence (usually none)."""
        return tuple(k for k, need in self.anywhere if need in low)

    def with_extra(self, start: re.Match[str], low: str, extra: tuple[int, ...]) -> re.Pattern[str] | None:
        word = start.group(1)
        base = set(self.by_word.get(word, ())) | set(self._loose(word[0] if word else low[start.start()]))
        return self._matcher(tuple(sorted(base | set(extra))))

    def char(self, ch: str) -> re.Pattern[str] | None:
        """The matcher where a word starting with `ch` (not a listed first word) starts."""
        if ch not in self._for_char:
            self._for_char[ch] = self._matcher(self._loose(ch))
        return self._for_char[ch]

    def word(self, word: str) -> re.Pattern[str] | None:
        """The matcher where `word` (a letter-and-digit run) starts; remembered."""
        listed = self.by_word.get(word)
        out = self._matcher(tuple(sorted({*listed, *self._loose(word[0])}))) if listed else self.char(word[0])
        if len(self.for_word) < 100_000:
            self.for_word[word] = out
        return out


def _needs(alternative: str) -> str:
    """The longest literal that every match of `alternative` contains ("" when none is sure)."""
    try:
        from re import _parser as parser
        items = list(parser.parse(alternative))
    except Exception:  # noqa: BLE001
        return ""
    best, run = "", ""
    for op, av in items:
        if str(op) == "LITERAL":
            run += chr(av)
            best = max(best, run, key=len)
        else:
            run = ""
    return best


@cache
def _scanner() -> _Scanner:
    return _Scanner()


_WORD_START = re.compile(r"(?<!\w)(?:([^\W_]+)|[\w$£€#])")
_ALPHA = re.compile(r"[^\W\d_]+")


def is_name_here(original: str, start: int, end: int, names: frozenset[str]) -> bool:
    """True when the word at `start` of the original-case sentence is someone's name, not a thing."""
    if not original[start:start + 1].isupper():
        return False
    head = _ALPHA.match(original, start)
    word = head.group(0).lower() if head else ""
    if word in names or (word.endswith("s") and word[:-1] in names):
        return True
    if head and _pet_after().match(original, head.end()):
        return True  # "Rolex the tortoise", "Porsche, our old spaniel"
    before = original[max(0, start - 30):start]
    stripped = before.rstrip(" ,")
    previous = stripped.rsplit(None, 1)[-1].lower() if stripped.strip() else ""
    if previous.rstrip(",") in PET_NOUNS:
        return True  # "our dog Rolex"
    if word not in NAME_LIKE and not (word.endswith("s") and word[:-1] in NAME_LIKE):
        return False
    end = len(before)
    while end and not (before[end - 1].isalnum() or before[end - 1] in "_'-"):
        end -= 1
    begin = end
    while begin and (before[begin - 1].isalnum() or before[begin - 1] in "_'-"):
        begin -= 1
    return not (end and before[begin:end].lower() in THING_CUES)


def boasts(low: str, original: str, names: frozenset[str] = frozenset()) -> list[tuple[str, int, int, int]]:
    """(kind, units, start, end) of each boasting phrase in the lower-cased sentence `low`, not said of
    the reader ("your promotion") and not a name. Overlapping phrases count once, at their heaviest."""
    scanner = _scanner()
    for_word, groups = scanner.for_word, scanner.names
    candidates = []
    missing = for_word  # a sentinel: no matcher is a dict
    extra = scanner.active(low) if scanner.anywhere else ()
    for start in _WORD_START.finditer(low):
        word = start.group(1)
        if extra:
            matcher = scanner.with_extra(start, low, extra)
        elif word:
            matcher = for_word.get(word, missing)
            if matcher is missing:
                matcher = scanner.word(word)
        else:
            matcher = scanner.char(low[start.start()])
        m = matcher.match(low, start.start()) if matcher is not None else None
        if m:
            group = m.lastgroup
            kind, units = groups[group]
            candidates.append((kind, units, m.start(group), m.end(group)))
    candidates.sort(key=lambda c: (-c[1], c[2] - c[3]))
    found: list[tuple[str, int, int, int]] = []
    for kind, units, a, b in candidates:
        if any(a < y and x < b for _, _, x, y in found):
            continue
        if is_name_here(original, a, b, names):
            continue
        breaks = [c.end() for c in _CLAUSE_BREAK.finditer(low, max(0, a - 200), a)]
        if _YOUR.search(low, breaks[-1] if breaks else max(0, a - 200), a):
            continue
        if kind == "wealth" and _AS_A.search(low, max(0, a - 8), a) and _STAFF.search(low, a, b):
            continue  # "a job as a housekeeper": the writer's work, not staff of their own
        found.append((kind, units, a, b))
    return found


_AS_A = re.compile(r"\bas an? $")
_STAFF = re.compile(r"chef|cook|trainer|stylist|assistant|driver|shopper|chauffeur|housekeeper|butler|nann|au pair|maid|"
                    r"tutor|staff")
_RUNS = re.compile(r"[^\W_]+")
# A hashtag that labels the line a boast: the writer says so ("#humblebrag", "#proudmom", "#blessed",
# the tag Sezer, Gino & Norton found on humble-brags). Not "#grateful" or "#thankful": plain thanks wear them.
_SELF_TAG = re.compile(
    r"#(?:(?:humble)?brag(?:ging)?|notbragging|notabrag|nobrag|sorrynotsorry|winning|flex(?:ing)?|humbled|"
    r"proud(?:mom|mum|mama|mommy|dad|daddy|papa|parents?|parenting|moment|grandma|grandpa|grandparents?|nana|wife|husband)|"
    r"(?:so|truly|feeling)?blessed(?:life)?|(?:firstworld|richpeople|wealth|totes)problems)\b"
)


@cache
def _frame_first_words() -> dict[str, frozenset[str] | None]:
    """Each frame's possible first words (None: unknown, always searched): a sentence with none of
    them cannot match, and skips a search through a hundred alternatives."""
    return {rule_id: _first_words(pattern.pattern) for rule_id, pattern in _FRAMES}


def judge(original: str, low: str, names: frozenset[str] = frozenset()) -> Verdict:
    """The precise rules' verdict on one sentence (`low` is its normalised lower case)."""
    found = boasts(low, original, names)
    frame_rule, frame = None, None
    first_words = _frame_first_words()
    runs = None
    for rule_id, pattern in _FRAMES:
        needs = _FRAME_NEEDS.get(rule_id)
        if needs and not any(word in low for word in needs):
            continue
        starts = first_words[rule_id]
        if starts is not None:
            if runs is None:
                runs = set(_RUNS.findall(low))
            if starts.isdisjoint(runs):
                continue
        m = pattern.search_words(low, runs, _first_words) if runs is not None else pattern.search(low)
        if m and not any(a <= m.start() < b for _, _, a, b in found):
            frame_rule, frame = rule_id, m.group(0)
            break
    # labelled a boast by its writer: a humble-brag whatever else is (or is not) found
    tag = _SELF_TAG.search(low) if "#" in low else None
    tag_rule = tag and ("brag.humble.blessed" if "blessed" in tag.group(0) else "brag.humble.modesty")
    if not found:
        if tag and not _PRAISE.search(low):  # "Congratulations on your promotion #proudmom": theirs
            return Verdict(tag_rule, tag.group(0), None, frame or tag.group(0), frame_rule or tag_rule)
        return Verdict(None, "", None, frame, frame_rule)
    kind, _, a, b = max(found, key=lambda x: (x[1], -x[2]))
    excluded = ("praise" if _PRAISE.search(low) else "modest" if _MODEST.search(low)
                else "community" if _COMMUNITY.match(low) else None)
    score = sum(units for _, units, _, _ in found)
    if any(word in low for word in _INTENSIFIER_NEEDS) and _INTENSIFIER.search(low):
        score += 2 if score >= 2 else 1  # "again" makes a boast heavier, a weak word only a little
    if frame_rule is None and _FINALLY.search(low):
        score -= 2  # "we finally bought a house after ten years of renting" is news, not a boast
    rule = None
    if excluded is None:
        if frame_rule and score >= 2:
            rule = frame_rule
        elif score >= 4:
            rule = _KIND_RULE[kind]
        elif tag_rule:
            rule = frame_rule or tag_rule
    return Verdict(rule, original[a:b], kind, frame, frame_rule, score, excluded)
