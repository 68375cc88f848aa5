"""The brag rules: each sentence is judged once by the brag model (features + learned weights), and
the finding says what kind of brag it is, why, and how sure the model is.

A sentence is reported when the model's probability reaches the "consider" threshold; at the "cut"
threshold it is a cut, which `remove_lines` (`--fix`, drafts) removes on its own. Below the cut it
is a warning for the writer and is never removed automatically. Without a model file the precise
rules (`cardkeep.lint.boasts`) judge alone, and every finding is a cut.

Thresholds were chosen by cross-validation grouped by source (benchmarks/lint_train.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from cardkeep.lint import features, model
from cardkeep.lint.engine import Hit, Options, rule
from cardkeep.lint.model import is_cut as is_cut  # re-exported: where brag tiers are asked about
from cardkeep.lint.sentences import sentences
from cardkeep.lint.signatures import is_auto_signature, is_closing, is_family_signature, is_name_line

CUT_SUGGESTION = "cut it, or tell it over coffee if they ask"
CONSIDER_SUGGESTION = "consider cutting it; it may read as a boast"
HUMBLE_SUGGESTION = "cut it: a humble-brag reads worse than a plain one"

_DOMAIN_RULE = {
    "dom:achievement": "brag.achievement",
    "dom:child": "brag.achievement",
    "dom:money": "brag.wealth",
    "dom:travel": "brag.luxury",
    "dom:status": "brag.status",
    "dom:looks": "brag.achievement",  # too few real examples yet for a rule of its own
    "dom:busy": "brag.in-demand",
}
_KIND_RULE = {
    "wealth": "brag.wealth", "luxury": "brag.luxury", "status": "brag.status",
    "name-drop": "brag.name-drop", "achievement": "brag.achievement", "ranking": "brag.ranking",
}
_FRAME_RULE = {
    "frame:gratitude": "brag.humble.blessed",
    "frame:complaint": "brag.humble.complaint",
    "frame:modesty": "brag.humble.modesty",
    "frame:disbelief": "brag.humble.modesty",
    "frame:selflabel": "brag.humble.modesty",
}
_TOPIC = {
    "brag.achievement": "an achievement",
    "brag.ranking": "a ranking",
    "brag.wealth": "money and possessions",
    "brag.luxury": "luxury travel and spending",
    "brag.status": "status and standing",
    "brag.name-drop": "famous names and places",
    "brag.in-demand": "being busy and in demand",
}
_DOMAIN_WORDS = {
    "dom:achievement": "an achievement", "dom:money": "money and possessions", "dom:travel": "travel and leisure",
    "dom:status": "status and connections", "dom:looks": "looks and body", "dom:busy": "being busy and in demand",
    "dom:child": "a child's performance",
}
_FRAME_WORDS = {
    "brag.humble.complaint": "dressed as a complaint",
    "brag.humble.modesty": "dressed as modesty",
    "brag.humble.blessed": "dressed as gratitude",
}
_FRAME_FEATURE_WORDS = {
    "frame:complaint": "dressed as a complaint", "frame:modesty": "dressed as modesty",
    "frame:disbelief": "dressed as disbelief", "frame:gratitude": "dressed as gratitude",
    "frame:selflabel": "and labelled as such",
}


@dataclass(frozen=True)
class Judgement:
    rule: str
    confidence: float | None
    message: str
    cut: bool  # sure enough to remove without asking (--fix, drafts); else a "consider"


def _best(contribs: list[tuple[str, float]], prefix: str) -> str | None:
    return next((k for k, _ in contribs if k.startswith(prefix)), None)


_CHILD_SUBJECT = ("subj:kid", "subj:name", "eval:childage")


def _domain(f: dict[str, float], contribs: list[tuple[str, float]], words: Sequence[str]) -> str | None:
    """What the sentence boasts about: the domain most of its words belong to (ties go to the one the
    model weighs most). The weights alone would name the domain that matters most to the model, not
    the one the sentence is about ("business class" is travel, not a child's class at school); a
    child's performance needs a child in the sentence."""
    present = [k for k, _ in contribs if k.startswith("dom:")]
    present += [k for k in f if k.startswith("dom:") and k not in present]
    if len(present) < 2:
        return present[0] if present else None
    counts = dict.fromkeys(present, 0)
    phrases = features.phrases()
    for i in range(len(words)):
        for size in range(1, min(3, len(words) - i) + 1):
            for name in phrases.get(" ".join(words[i:i + size]), ()):
                if name in counts:
                    counts[name] += 1
    if "dom:child" in counts and counts["dom:child"] < 2 and not any(k in f for k in _CHILD_SUBJECT):
        del counts["dom:child"]  # one word of school ("class") is not yet a child
        present.remove("dom:child")
    return max(present, key=lambda k: counts[k])  # max keeps the first of equals: the heavier one


def _why(rule_id: str, f: dict[str, float], contribs: list[tuple[str, float]], verdict,
         domain: str | None) -> str:
    """The reason in plain words: "a child's achievement, set against other children"."""
    child = ("subj:kid" in f or "dom:child" in f) and domain in (None, "dom:child", "dom:achievement")
    if verdict.rule and verdict.boast and not rule_id.startswith("brag.humble."):
        return f'boasts of {_TOPIC.get(rule_id, "an achievement")} ("{verdict.boast}")'
    topic = _DOMAIN_WORDS.get(domain or "", _TOPIC.get(rule_id, "something to show off"))
    if child and topic == "an achievement":
        topic = "a child's achievement"
    parts = [topic]
    if "eval:compare" in f or "subj:others" in f:
        parts.append("set against other children" if child else "set against other people")
    elif "eval:age" in f and child:
        parts.append("and how young they are")
    elif "eval:magnitude" in f:
        parts.append("with the sums and sizes spelled out")
    elif "eval:superlative" in f:
        parts.append("in superlatives")
    if rule_id.startswith("brag.humble."):
        frame = verdict.frame_rule and _FRAME_WORDS.get(verdict.frame_rule)
        frame = frame or _FRAME_FEATURE_WORDS.get(_best(contribs, "frame:") or "", _FRAME_WORDS[rule_id])
        parts.append(frame + (f' ("{verdict.frame}")' if verdict.frame else ""))
    return "boasts of " + ", ".join(parts)


def _humble_rule(f: dict[str, float], contribs, verdict) -> str | None:
    if verdict.frame_rule:
        return verdict.frame_rule
    frame = _best(contribs, "frame:") or next((k for k in _FRAME_RULE if k in f), None)
    return _FRAME_RULE.get(frame or "")


def _direct_rule(f: dict[str, float], verdict, domain: str | None) -> str:
    if verdict.rule and not verdict.rule.startswith("brag.humble."):
        return verdict.rule
    if (("eval:compare" in f or "subj:others" in f) and ("subj:kid" in f or "dom:child" in f)
            and domain in (None, "dom:child", "dom:achievement")):
        return "brag.ranking"
    if domain:
        return _DOMAIN_RULE[domain]
    if verdict.kind and verdict.excluded is None:
        return _KIND_RULE[verdict.kind]
    return "brag.achievement"


_GREETING = re.compile(
    r"\s*+(?:dearly\s+beloved|dear(?:est)?|hi|hello|hey|hiya|howdy|(?:season'?s\s+)?greetings|"
    r"good\s+(?:morning|afternoon|evening|day)|merry\s+christmas|happy\s+(?:holidays|christmas|new\s+year))"
    r"(?![\w'])",
    re.IGNORECASE,
)
_NOT_ADDRESSEE = frozenset("from i i'm i've we we're we've my our me us".split())
_ADDRESS_FIRST_WORDS = frozenset(  # the first words of _GREETING and of signatures.is_closing
    "dearly dear dearest hi hello hey hiya howdy greetings season's seasons good merry happy with all love lots much "
    "warm warmest warmly best kind cheers hugs yours ever sincerely affectionately fondly thank thanks blessings peace "
    "see until".split())
MAX_ADDRESSEE = 4  # words after the greeting: "Hello, Aunt Carol and Uncle Bob!" is still only an address


def only_an_address(sentence: str) -> bool:
    """True when the sentence is only a greeting, salutation or closing ("Hello, Marcus!", "Dear Aunt
    Carol,", "Love, Marcus"): it names someone and claims nothing, so it is never judged as a brag.
    A greeting that says where from or goes on ("Greetings from our villa!", "Hi all, we won!") is a
    claim and is judged as one. Read word by word: no pattern to backtrack."""
    text = sentence.strip()
    if len(text) > 120 or text[:1].isdigit():
        return False
    first = text.split(None, 1)[0].rstrip(",.!:;").lower() if text else ""
    if first not in _ADDRESS_FIRST_WORDS and not first.startswith(("xo", "xx")):
        return False  # most sentences: not a greeting or a closing (checked before any pattern runs)
    if is_closing(text):
        return True
    head, comma, tail = text.partition(",")
    if comma and is_closing(head + ",") and is_name_line(tail):
        return True  # "Love, Marcus"
    m = _GREETING.match(text)
    if not m:
        return False
    words = text[m.end():].replace(",", " ").strip(" :;!.").split()
    return len(words) <= MAX_ADDRESSEE and not any(
        w.lower() in _NOT_ADDRESSEE or not w.replace("&", "a").replace("-", "").replace(".", "").isalpha()
        for w in words)


@lru_cache(maxsize=1 << 15)
def judge(sentence: str, names: frozenset[str] = frozenset()) -> Judgement | None:
    """The brag judgement on one sentence, or None when it does not boast (remembered: letters repeat
    their sign-offs and greetings). A sentence that is only an address or a sign-off is not judged;
    one the precise rules call a brag is at least a "consider" (they are precise on real letters: all
    43 real_dev lines they flag are brags), and a cut once the model's own score, its confidence,
    reaches "consider"; any other sentence is cut only at the model's cut threshold.
    benchmarks/lint_train.py measures the model judged the same way (`as_judged`, `cut_at`)."""
    if only_an_address(sentence) or is_auto_signature(sentence) or is_family_signature(sentence):
        return None  # a sign-off claims nothing; the signature rules speak of a footer or a typed name
    f, verdict, words = features.extract(sentence, names)
    m = model.load()
    if m is None:
        if not verdict.rule:
            return None
        return Judgement(verdict.rule, None, _why(verdict.rule, f, [], verdict, _domain(f, [], words)), True)
    p = m.probability(f, words)
    if p < m.consider and not verdict.rule:
        return None
    contribs = m.contributions(f)
    humble = _humble_rule(f, contribs, verdict)
    frame_weight = sum(v for k, v in contribs if k.startswith(("frame:", "rule:brag.humble", "x:frame")))
    domain = _domain(f, contribs, words)
    rule_id = humble if humble and (verdict.frame_rule or frame_weight > 0.3) else _direct_rule(f, verdict, domain)
    # a line the precise rules call a brag is cut once the model agrees it is worth considering (the
    # rules are precise: all 43 real_dev lines they flag are brags); any other needs the model's cut
    cut = p >= m.cut or (bool(verdict.rule) and p >= m.consider)
    return Judgement(rule_id, round(p, 3), _why(rule_id, f, contribs, verdict, domain), cut)


MAX_SENTENCE = 1_000  # characters: longer is not a sentence anyone writes in a card (and is not judged)


def _judge_line(line: str, names: frozenset[str]) -> tuple[tuple[int, int, Judgement], ...]:
    out = []
    for a, b in sentences(line):
        if b - a > MAX_SENTENCE:
            continue
        j = judge(line[a:b], names)
        if j:
            out.append((a, b, j))
    return tuple(out)


def is_brag(text: str, names: frozenset[str] = frozenset()) -> str | None:
    """The brag rule id a line (or sentence) would get, or None: the evaluation's entry point."""
    found = _judge_line(text, names)
    return found[0][2].rule if found else None


def _verdicts(lines: Sequence[str], options: Options) -> dict[int, tuple[tuple[int, int, Judgement], ...]]:
    """Every line's brag judgements, made once per lint and shared by all the brag rules."""
    found = options.memo.get("brag")
    if found is None:
        found = {}
        for number, text in enumerate(lines):
            if text.strip():
                here = _judge_line(text, options.names)
                if here:
                    found[number] = here
        options.memo["brag"] = found
    return found


def _check(rule_id: str):
    def check(lines: Sequence[str], options: Options):
        for number, found in _verdicts(lines, options).items():
            for a, b, j in found:
                if j.rule != rule_id:
                    continue
                cut = j.cut
                if rule_id.startswith("brag.humble."):
                    suggestion = HUMBLE_SUGGESTION if cut else CONSIDER_SUGGESTION
                else:
                    suggestion = CUT_SUGGESTION if cut else CONSIDER_SUGGESTION
                yield Hit(number, a, b, j.message, suggestion, j.confidence, "cut" if cut else "consider")

    return check


def register(rule_id: str, summary: str, fires: Sequence[str], passes: Sequence[str], notes: str = "") -> None:
    rule(rule_id, summary, fires=fires, passes=passes, notes=notes, per_line=False)(_check(rule_id))
