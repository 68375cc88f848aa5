"""What a sentence says, as features the brag model weighs: not which words, but what kind of claim.

- who it is about: I, we, our children, versus you and other people;
- how it evaluates: superlatives, intensifiers, "only", "first", "already", magnitudes ($5,000, a
  1,000 square foot addition, 4 of my 5 bathrooms), comparison with others, a child's age;
- what it is about: achievement, money and possessions, status and affiliation, looks and body,
  travel and leisure, being busy and in demand, a child's performance;
- the frame around it: a complaint, modesty, disbelief, gratitude (#blessed), a self-label (#humblebrag);
- what it is not: sad news, wishes, praise of the reader, self-mockery;
- what the precise rules (`cardkeep.lint.boasts`) found, and (only when a model is trained with
  them: `benchmarks/lint_train.py --lexicons`; the shipped one is not) the Empath categories,
  VADER valence and wordfreq rarity of its words, extracted into data/lexicon_ext.json;
- word uni- and bigrams, with numbers, money and proper names reduced to their shape;
- and, outside this dictionary, the words themselves: the model reads them through static word
  vectors (`cardkeep.lint.vectors`), which know that a yacht is a boat and Yale is like Harvard.

`extract` is pure and cached; one pass of one token regex, then set lookups: linear in the sentence.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache

from cardkeep.lint import boasts
from cardkeep.lint.lazy import data_path, data_text
from cardkeep.lint.sentences import APOSTROPHES, lower

_TOKEN = re.compile(r"[$£€]?\d[\d,.]*+%?|#?[^\W\d_][\w'-]*+")
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred".split()
)
_MAGNITUDE_WORDS = frozenset("thousand thousands million millions billion billions hundreds dozens".split())
_SIZE_UNITS = frozenset("square acre acres bedroom bedrooms bathrooms carat carats karat sq ft feet foot".split())
_NOT_SUPERLATIVE = frozenset(
    "interest forest honest modest rest test guest west harvest contest protest request suggest digest "
    "invest arrest chest nest pest quest vest zest manifest attest detest unrest priest conquest behest "
    "lest suggest latest".split()
)
_POSSESSIVE = frozenset("my our his her their".split())
_OTHERS = frozenset(("others", "everyone"))
_OTHER_PEOPLE = frozenset("kids children parents people families students players moms dads".split())
_AGE_BEFORE = frozenset(("only", "just", "age", "aged", "at"))
_AGE_AFTER = frozenset(("years", "year-old", "months", "month-old"))
# "just" / "only" before a word of place measure a distance, not a feat: "just round the corner"
_PLACE_AFTER = frozenset(
    "round around down up across over outside inside behind beyond past along off near next by opposite beside "
    "north south east west".split())
_MEASURING = frozenset(("just", "only"))


@cache
def lexicon() -> dict[str, dict[str, frozenset[str]]]:
    """The hand-written word lists (data/lexicon.json), by group and name."""
    text = data_text("data/lexicon.json")
    data = json.loads(text)
    return {group: {name: frozenset(words) for name, words in lists.items()}
            for group, lists in data.items() if isinstance(lists, dict)}


@cache
def phrases() -> dict[str, tuple[str, ...]]:
    """phrase -> the feature names it raises ("dom:money", "frame:complaint", ...)."""
    out: dict[str, list[str]] = {}
    prefixes = {"domain": "dom", "subject": "subj", "evaluation": "eval", "frame": "frame", "other": "not"}
    for group, lists in lexicon().items():
        for name, words in lists.items():
            for word in words:
                out.setdefault(word, []).append(f"{prefixes[group]}:{name}")
    return {k: tuple(v) for k, v in out.items()}


@cache
def _domain_keys() -> tuple[str, ...]:
    return tuple(f"dom:{name}" for name in lexicon().get("domain", {}) if name != "child")


@cache
def _frame_keys() -> tuple[str, ...]:
    return tuple(f"frame:{name}" for name in lexicon().get("frame", {}))


@cache
def _phrase_starts() -> frozenset[str]:
    """The first words of the phrases of two or three words: only there is a join worth making."""
    return frozenset(k.split(" ", 1)[0] for k in phrases() if " " in k)


@cache
def external() -> dict:
    """Empath categories, VADER valences and wordfreq Zipf frequencies extracted by
    benchmarks/lint_train.py ({} when absent: the shipped model uses none of them)."""
    if data_path("data/lexicon_ext.json") is None:
        return {}
    data = json.loads(data_text("data/lexicon_ext.json"))
    cats = data.get("empath_categories", [])
    return {
        "empath": {w: tuple(f"empath:{cats[i]}" for i in idx) for w, idx in data.get("empath", {}).items()},
        "vader": data.get("vader", {}),
        "wordfreq": data.get("wordfreq", {}),
    }


def _number(token: str) -> float | None:
    digits = token.lstrip("$£€").rstrip("%").replace(",", "")
    try:
        return float(digits.rstrip("."))
    except ValueError:
        return None


def tokens(original: str, names: frozenset[str]) -> tuple[list[str], list[str]]:
    """(words, shapes): lower-case words with names as "<name>", and the same with numbers, money and
    other proper nouns reduced to their shape (for n-grams)."""
    words: list[str] = []
    shapes: list[str] = []
    for i, m in enumerate(_TOKEN.finditer(original)):
        raw = m.group(0)
        if raw.islower():  # most words: nothing to reduce
            words.append(raw)
            shapes.append("<num>" if raw in _NUMBER_WORDS else raw)
            continue
        low = raw.lower()
        if raw[0] in "$£€":
            words.append(low)
            shapes.append("<money>")
            continue
        if raw[0].isdigit():
            value = _number(raw)
            words.append(low)
            if raw.endswith("%"):
                shapes.append("<percent>")
            elif value is not None and 1900 <= value <= 2100 and len(raw) == 4:
                shapes.append("<year>")
            elif value is not None and value >= 1000:
                shapes.append("<bignum>")
            else:
                shapes.append("<num>")
            continue
        if raw[0].isupper() and low not in ("i", "i'm", "i've", "i'd", "i'll"):
            if boasts.is_name_here(original, m.start(), m.end(), names):
                words.append("<name>")
                shapes.append("<name>")
                continue
            words.append(low)
            shapes.append(low if i == 0 or low in phrases() else "<cap>")
            continue
        words.append(low)
        shapes.append("<num>" if low in _NUMBER_WORDS else low)
    return words, shapes


_AGE_UNITS = frozenset("month-old months-old year-old years-old month year months years weeks week-old".split())
_COUNTED = frozenset("countries cities continents states trips cruises flights races marathons awards medals trophies "
                     "offers invitations clients employees followers subscribers users books acres bedrooms".split())


def _shape_features(words: list[str], shapes: list[str], f: dict[str, float]) -> None:
    """Evaluation told by the shape of the words: a child's age next to a feat, "16 out of 17", a
    list of places, a count of things that only some people collect."""
    n = len(words)
    caps = numbers = 0
    for i, shape in enumerate(shapes):
        numeric = shape in ("<num>", "<bignum>")
        numbers += numeric
        if numeric and i + 1 < n and words[i + 1] in _AGE_UNITS:
            f["eval:childage"] = 1.0
        elif numeric and ((i + 2 < n and words[i + 1] == "of" and shapes[i + 2] in ("<num>", "<bignum>")) or (
                i + 3 < n and words[i + 1] == "out" and words[i + 2] == "of" and shapes[i + 3] in ("<num>", "<bignum>"))):
            f["eval:ratio"] = 1.0  # "16 out of 17"
        elif numeric and i + 1 < n and words[i + 1] in _COUNTED:
            f["eval:count"] = 1.0
        if shape == "<percent>":
            f["eval:percent"] = 1.0
        if shape == "<cap>" and i > 0:
            caps += 1
    if caps >= 3:
        f["shape:many-caps"] = 1.0
    if numbers >= 2:
        f["eval:numbers"] = 1.0


_NUMERIC = frozenset(("<num>", "<bignum>"))
_EVAL_KEYS = ("eval:superlative", "eval:compare", "eval:magnitude", "eval:first", "eval:age")
_SELF_KEYS = ("subj:i", "subj:we", "subj:kid", "subj:name")
_facts: dict[str, tuple[str, ...]] = {}
_facts_of: list = [None]  # the external() the remembered facts were made with


def _word_facts(w: str) -> tuple[str, ...]:
    """The features one word raises on its own, whatever its neighbours: its lexicon entries, a
    superlative, a magnitude, "others", a hashtag, its Empath categories. Remembered per word."""
    out = list(phrases().get(w, ()))
    if w.endswith("est") and len(w) > 4 and w not in _NOT_SUPERLATIVE and w.isalpha():
        out.append("eval:superlative")
    elif w in _MAGNITUDE_WORDS:
        out.append("eval:magnitude")
    elif w in _OTHERS:
        out.append("subj:others")
    elif w[:1] == "#" and len(w) > 1:
        out.append("shape:hashtag")
    ext = external()
    if ext:
        out.extend(ext["empath"].get(w, ()))
    facts = tuple(out)
    if len(_facts) < 100_000:
        _facts[w] = facts
    return facts


@lru_cache(maxsize=1 << 15)
def extract(sentence: str, names: frozenset[str] = frozenset()) -> tuple[dict[str, float], boasts.Verdict, tuple[str, ...]]:
    """The features of one sentence (name -> value), the precise rules' verdict on it, and its
    lower-case words (names as "<name>"), which the model reads through the word vectors."""
    original = sentence.translate(APOSTROPHES)
    low = lower(original)
    verdict = boasts.judge(original, low, names)
    words, shapes = tokens(original, names)
    ext = external()
    if _facts_of[0] is not ext:  # the lexicons changed (training): forget what words raised
        _facts.clear()
        _facts_of[0] = ext
    f: dict[str, float] = {}
    phrase_of = phrases()
    starts = _phrase_starts()
    facts = _facts
    n = len(words)
    for i, w in enumerate(words):
        raised = facts.get(w)
        if raised is None:
            raised = _word_facts(w)
        if w in _MEASURING and i + 1 < n and words[i + 1] in _PLACE_AFTER:
            continue  # "two friends who live just round the corner": a distance, not "only five"
        for name in raised:
            f[name] = 1.0
        if w in starts:
            for size in (2, 3):
                if i + size > n:
                    break
                for name in phrase_of.get(" ".join(words[i:i + size]), ()):
                    f[name] = 1.0
        if w == "most":
            if i + 1 < n and words[i + 1].isalpha():
                f["eval:superlative"] = 1.0
        elif w == "other":
            if i + 1 < n and words[i + 1] in _OTHER_PEOPLE:
                f["subj:others"] = 1.0
        shape = shapes[i]
        if shape == "<money>":
            f["eval:magnitude"] = 1.0
        elif shape in _NUMERIC:
            f["eval:number"] = 1.0
            nxt = words[i + 1] if i + 1 < n else ""
            if shape == "<bignum>" and (nxt in _SIZE_UNITS or nxt.startswith("sq")):
                f["eval:magnitude"] = 1.0
            if nxt == "of" and i + 3 < n and words[i + 2] in _POSSESSIVE:
                f["eval:magnitude"] = 1.0  # "4 of my 5 bathrooms"
            if (i > 0 and words[i - 1] in _AGE_BEFORE) or nxt in _AGE_AFTER:
                f["eval:age"] = 1.0
    if words and words[0] == "<name>":
        f["subj:name"] = 1.0
    _shape_features(words, shapes, f)
    if "!" in original:
        f["shape:exclaim"] = 1.0
    if "?" in original:
        f["shape:question"] = 1.0
    if n <= 6:
        f["shape:short"] = 1.0
    elif n >= 28:
        f["shape:long"] = 1.0
    # the precise rules
    if verdict.score > 0 and verdict.excluded is None:
        f["rule:units"] = min(verdict.score, 8) / 4
        f[f"rule:kind:{verdict.kind}"] = 1.0
    if verdict.rule:
        f["rule:humble" if verdict.rule.startswith("brag.humble.") else "rule:brag"] = 1.0
    if verdict.frame_rule:
        f[f"rule:{verdict.frame_rule}"] = 1.0
    if verdict.excluded:
        f[f"rule:not:{verdict.excluded}"] = 1.0
    # combinations a linear model cannot make on its own
    has = f.__contains__
    self_ = any(map(has, _SELF_KEYS))
    domain = any(map(has, _domain_keys()))
    evaluates = any(map(has, _EVAL_KEYS))
    framed = bool(verdict.frame_rule) or any(map(has, _frame_keys()))
    if self_ and domain:
        f["x:self*domain"] = 1.0
    if self_ and evaluates:
        f["x:self*eval"] = 1.0
    if ("subj:kid" in f or "subj:name" in f or "dom:child" in f) and evaluates:
        f["x:child*eval"] = 1.0
    if framed and (domain or evaluates or verdict.score > 0):
        f["x:frame*boast"] = 1.0
    if "shape:exclaim" in f and self_ and (domain or evaluates):
        f["x:exclaim*self*boast"] = 1.0  # "We bought a boat!", "I got a raise!"
    if "shape:question" in f and (domain or evaluates) and ("subj:i" in f or "subj:kid" in f):
        f["x:question*boast"] = 1.0  # "Should I be worried that she reads at six?"
    if "eval:childage" in f and (self_ or "dom:child" in f) and (evaluates or domain or "eval:numbers" in f
                                                                 or "eval:superlative_words" in f):
        f["x:childage*feat"] = 1.0  # "my 8-month-old says 40 words"
    if "subj:you" in f and not self_:
        f["x:only-you"] = 1.0
    # lexicons extracted from packages (only when the model was trained with them): the Empath
    # categories are among each word's facts; the VADER valences are summed here
    vader = ext.get("vader") if ext else None
    if vader:
        pos = neg = top = 0.0
        for w in words:
            v = vader.get(w)
            if v is not None:
                if v > 0:
                    pos += v
                    top = max(top, v)
                else:
                    neg -= v
        if pos:
            f["vader:pos"] = min(pos / 4, 2.0)
            f["vader:max"] = top / 4
        if neg:
            f["vader:neg"] = min(neg / 4, 2.0)
    rarity = ext.get("wordfreq") if ext else None
    if rarity:  # how rare the sentence's words are (Zipf scale: 7 "the", 3 "yacht", 0 unknown)
        zipf = [rarity.get(w, 0.0) for w in words if w.isalpha()]
        rare = sum(z < 3.5 for z in zipf)
        if rare:
            f["wf:rare"] = min(rare, 3) / 3
        if zipf:
            f["wf:min"] = (7 - min(zipf)) / 7
    # n-grams
    f.update(dict.fromkeys(["w:" + g for g in shapes], 1.0))
    grams = ["<s>", *shapes, "</s>"]
    f.update(dict.fromkeys([f"b:{a} {b}" for a, b in zip(grams, grams[1:], strict=False)], 1.0))
    return f, verdict, tuple(words)
