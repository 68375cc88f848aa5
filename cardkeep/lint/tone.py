"""Glitter promises and tone: all "we" and no "you", longer than a card can hold (severity "warning")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cardkeep.lint.engine import DEFAULT_MAX_WORDS, Hit, Options, rule
from cardkeep.lint.sentences import HEADING as _HEADING
from cardkeep.lint.signatures import _span

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


