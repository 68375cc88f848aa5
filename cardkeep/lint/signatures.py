"""Signatures: a typed name where a hand should sign, email footers, business closes (severity "error")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cardkeep.lint.engine import Hit, Options, rule

_CLOSING = re.compile(
    r"^\s*(?:(?:with\s+)?(?:all\s+(?:my|our)\s+)?love(?:\s+(?:always|and\s+hugs|from\s+us(?:\s+all)?|to\s+all))?|lots\s+of\s+love|"
    r"much\s+love|warm(?:est)?\s+(?:wishes|regards)|warmly|(?:best|kind|warm)\s+(?:wishes|regards)|cheers|hugs|xo+|xx+|"
    r"yours(?:\s+(?:truly|ever|always|sincerely))?|(?:ever\s+)?yours|sincerely(?:\s+yours)?|affectionately|fondly|"
    r"with\s+(?:gratitude|thanks|affection|warm\s+wishes|best\s+wishes)|thank\s+you|thanks|blessings|peace|"
    r"merry\s+christmas|happy\s+holidays|see\s+you\s+soon|until\s+next\s+time)\s*+(?:[,.!]\s*)?$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"[A-Z][\w'.-]*+")
_CONNECTORS = frozenset(("and", "&", "the"))


def _is_name_line(line: str) -> bool:
    """A line of names ("Ada and Tom Okafor", "- Ada, Tom and the kids"): capitalised words joined by
    and/&/commas, perhaps ending in "and the kids". Read word by word: no regex to backtrack."""
    text = line.strip().lstrip("-—").strip().rstrip(".!").rstrip()
    words = text.replace(",", " , ").split()
    if not words or len(words) > 8:
        return False
    start = 1 if words[0] == "the" and len(words) > 1 else 0
    if not _NAME_WORD.fullmatch(words[start]):
        return False
    for i, word in enumerate(words[start:], start):
        if _NAME_WORD.fullmatch(word) or word == "," or word.lower() in _CONNECTORS:
            continue
        if word.islower() and i + 1 < len(words) and _NAME_WORD.fullmatch(words[i + 1]):
            continue  # "Ada van Dijk"
        if word.isalnum() and i == len(words) - 1 and words[i - 1].lower() in ("and", "&", "the"):
            continue  # "Ada and the kids"
        return False
    return True


_FAMILY_SIGNATURE = re.compile(
    r"^\s*+(?:(?:love|with\s+love|all\s+our\s+love|love\s+from|warmly|warm(?:est)?\s+wishes|cheers|best\s+wishes|from|xo+x*o*|"
    r"hugs|season'?s\s+greetings|merry\s+christmas|happy\s+holidays)\s*+[,!]?\s*+)?"
    r"the\s+(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)\s+(?:family|household|clan|crew|gang|bunch)\s*+"
    r"(?:\([^()\n]{0,80}\)\s*+)?(?:,\s*+\d{4}\s*+)?[.!]?\s*$|"
    r"^\s*+(?:warm(?:est)?\s+wishes|season'?s\s+greetings|merry\s+christmas|happy\s+holidays)\s*+[,!]\s*+"
    r"the\s+(?-i:[A-Z][a-z'-]+s)\s*+(?:\([^()\n]{0,80}\)\s*+)?[.!]?\s*$|"
    r"^\s*+(?:(?:love|love\s+from|from|warmly|cheers)\s*+,?\s*+)?the\s+(?-i:[A-Z][a-z'-]+s)\s*+[.!]?\s*$",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"\b(?:happy|merry|new\s+year|christmas|holidays?|love|wishes|greetings|thanks|thank|cheers|soon|peace)\b", re.IGNORECASE
)
_AUTO_SIGNATURE = re.compile(
    r"^\s*(?:sent\s+from\s+my\s+\w+(?:\s+\w+)?|sent\s+(?:via|with)\s+\w+|get\s+outlook\s+for\s+\w+|sent\s+from\s+(?:mail|yahoo|gmail|outlook)\b.*)",
    re.IGNORECASE,
)
_FAITHFULLY = re.compile(
    r"^\s*(?:yours\s+faithfully|faithfully\s+yours|respectfully\s+(?:yours|submitted)|sincerely(?:\s+yours)?|yours\s+sincerely|"
    r"(?:(?:kind|best|warm)\s+)?regards)\s*+[,.]?\s*$", re.IGNORECASE)


is_name_line = _is_name_line  # public: the brag judge knows "Love, Ada and Tom" for an address


def is_family_signature(line: str) -> bool:
    """True for a typeset family signature: "The Smith Family", "Love from the Garcias"."""
    return bool(_FAMILY_SIGNATURE.match(line))


def is_auto_signature(line: str) -> bool:
    """True for a device's or mail program's footer: "Sent from my iPhone" is no boast of a phone."""
    return bool(_AUTO_SIGNATURE.match(line))


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
                _is_name_line(lines[i]) and len(lines[i].split()) <= 6
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
    '"Yours faithfully", "Sincerely,", "Regards,": the close of a business letter, signed by nobody',
    fires=["Yours faithfully,", "Respectfully submitted,", "Sincerely,", "Kind regards,"],
    passes=["Yours, Ada", "Faithful as ever, your friend Jo", "Sincerely, Ada", "Kind regards, Margaret (from book club)"],
)
def _faithfully(line: str):
    m = _FAITHFULLY.match(line)
    if m:
        yield m.start(), m.end(), "a business close on a card", 'close as you would to a friend ("Love," "Warmly,")'


