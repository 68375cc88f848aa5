"""Salutations: generic greetings, mail-merge leftovers and the register of a company (severity "error").

A greeting is generic when its addressee is a role or a crowd ("Dear Friends and Family", "Dear
Hiring Manager", "Gentle reader:") and names nobody: no given name, no "Aunt", no "Mr. Patel". The
addressee is read word by word (data/salutation_words.json), so no pattern can backtrack on a long line.
"""

from __future__ import annotations

import json
import re
from functools import cache

from cardkeep.lint.engine import rule
from cardkeep.lint.lazy import data_text

_GREETING = r"(?:dear(?:est)?|hi|hello|hey|hiya|greetings|season'?s greetings|happy holidays|merry christmas|good (?:morning|day)|to)"
_OPENING = re.compile(
    r"\s*+(dearly\s+beloved|dear(?:est)?|hi|hello|hey|hiya|howdy|ahoy|to|for|fao|attn|attention|"
    r"good\s+(?:morning|afternoon|evening|day)|"
    r"(?:(?:season'?s|holiday|christmas|festive|warm(?:est)?|joyous|happy|new\s+year'?s)\s+){0,2}+greetings|"
    r"happy\s+holidays|merry\s+christmas|happy\s+christmas|happy\s+new\s+year|season'?s\s+greetings|"
    r"joyeux\s+no[eë]l|feliz\s+navidad|frohe\s+weihnachten|buon\s+natale|god\s+jul|vrolijk\s+kerstfeest)(?!\w)",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_][\w'’-]*|…|\.\.\.+|\(|/|&")
_DELIMITER = re.compile(r"[,:;!?]")
_HONORIFIC_DOT = re.compile(r"\b(mr|mrs|ms|dr|prof|rev|st)\.", re.IGNORECASE)


@cache
def _vocabulary() -> dict[str, frozenset[str]]:
    text = data_text("data/salutation_words.json")
    return {k: frozenset(v) for k, v in json.loads(text).items() if isinstance(v, list)}


def _segments(rest: str) -> tuple[str, bool]:
    """The addressee after the greeting word, and whether the line ends with it.

    "my favorite neighbors, Ann and Luis:" is one addressee; "Ms. Okafor, thank you for..." is an
    addressee and then a sentence."""
    parts = re.split(r"[,:;!?.]", rest, maxsplit=3)
    who = parts[0]
    tail = [p for p in parts[1:] if p.strip()]
    if tail and len(tail) == 1 and len(tail[0].split()) <= 4:
        return who + " " + tail[0], True
    return who, not tail


def generic_addressee(line: str) -> tuple[int, int, str] | None:
    """(start, end, addressee) when `line` opens with a greeting to nobody in particular."""
    head = line[:200]
    words = _vocabulary()
    m = _OPENING.match(head)
    if not m:
        if not head.rstrip().endswith((":", ",")):
            return None  # most lines: not a greeting, and not "Gentle reader:" either
        return _vocative(_HONORIFIC_DOT.sub(r"\1", head))
    text = _HONORIFIC_DOT.sub(r"\1", head)
    greeting = m.group(1).lower()
    rest = text[m.end():]
    if re.match(r"\s*(?:from)\b", rest, re.IGNORECASE):  # "Greetings from the Smiths!" / "Hello from Leeds!"
        if re.search(r"\bto\s+(?:the\s+)?[A-Z]", rest):
            return None  # "Hello from the Johnsons to the Garcias!": to someone
        seasonal = greeting not in ("hi", "hello", "hey", "hiya", "howdy", "ahoy", "to", "for", "dear", "dearest")
        if not seasonal or not ("greetings" in greeting or _PRINTED_FAMILY.match(rest)):
            return None
        return m.start(1), len(head.rstrip()), rest.strip(" ,!.")
    rest = re.sub(r"^[\s,]*(?:to\s+)?", "", rest)
    who, ends = _segments(rest)
    tokens = _WORDS.findall(who)
    if greeting in ("to", "for") and not ends and not any(
            t.lower() in words["generic"] and t.lower() not in words["warm"] for t in tokens):
        return None  # "To my dear family, being with you is..." is a sentence, not a greeting
    if _SHOUTED_NAME.match(who) and not m.group(1).isupper() and not any(
            t.lower() in words["kin"] for t in tokens):
        return m.start(1), m.end(1) + len(who), who.strip()  # "Dear MR JOHN P SMITH": a database shouting
    if not tokens:
        if "greetings" in greeting and not rest.strip(" !.,"):
            return m.start(1), m.end(1), m.group(1)  # "Christmas greetings!"
        return None
    shouting = who.isupper()
    generic = personal = hedge = False
    for i, raw in enumerate(tokens):
        low = raw.lower().replace("’", "'")
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].lower() if i else ""
        if raw in ("…", "(") or raw.startswith(".."):
            generic = True  # a blank to fill in: "Dear Mr/Mrs ........," / "Dear (insert name here)"
        elif low in words["kin"] and prev not in ("the", "a", "an"):
            personal = True
        elif low in words["honorific"]:
            if nxt in ("/", "or") or prev in ("/", "or"):
                hedge = generic = True  # "Mr./Mrs. Smith", "Sir or Madam"
            elif not nxt:
                generic = generic or low in ("sir", "madam", "mr", "mrs", "ms", "miss")
            else:
                personal = True
        elif low in words["generic"]:
            generic = True
            if nxt in ("of", "at", "in"):
                break  # "Dear Friend of Riverside Animal Rescue", "To the family at 14 Birch Lane": a qualifier
        elif low in words["neutral"] or low == "i":
            continue
        elif (raw[0].isupper() or shouting) and raw not in ("/", "&"):
            if hedge or (nxt in words["generic"] and nxt not in words["named_group"]) or nxt in words["household"]:
                continue  # "Hiring Manager", "the Garcia Household": a modifier, not a name
            personal = True
    if personal or not generic:
        return None
    if ends:
        end = len(head.rstrip())
    else:
        stop = _DELIMITER.search(head, m.end())
        end = stop.end() if stop else len(head.rstrip())
    return m.start(1), end, who.strip()


def _vocative(text: str) -> tuple[int, int, str] | None:
    """"Gentle reader:" on its own line: a greeting without "Dear"."""
    stripped = text.strip()
    if not stripped.endswith((":", ",")) or len(stripped.split()) > 4:
        return None
    tokens = [t.lower() for t in _WORDS.findall(stripped)]
    words = _vocabulary()
    if tokens and tokens[-1] in words["vocative"] and all(t in words["neutral"] or t in words["vocative"] for t in tokens):
        start = text.index(stripped[0])
        return start, start + len(stripped), stripped.rstrip(":,")
    return None


_PRINTED_FAMILY = re.compile(
    r"\s*from\s+(?:all\s+of\s+)?the\s+(?-i:[A-Z][\w'-]+)(?:\s+(?:family|clan|household|crew|gang|bunch)|s)?\s*[!.]*\s*$",
    re.IGNORECASE)
_SHOUTED_NAME = re.compile(r"\s*(?:[A-Z]{2,}\s+){0,2}[A-Z]{2,}(?:\s+[A-Z]\.?)?(?:\s+[A-Z]{2,})?\s*$")
# A close to a crowd with nobody signing ("Love to all,", "Cheers, everyone!"), or a printed stock line.
_STOCK = re.compile(
    r"^\s*+(?:(?:with\s+)?love|cheers|hugs|best\s+wishes|warm(?:est)?\s+wishes|(?:kind\s+|warm\s+)?regards)(?:\s*,\s*|\s+to\s+)"
    r"(?:you\s+)?(?:all|everyone|everybody|one\s+and\s+all)\s*+[,.!]*\s*$|"
    r"\bfrom\s+our\s+(?:family|house|home|household)\s+to\s+yours\b",
    re.IGNORECASE,
)
_STOCK_NEEDS = ("all", "everyone", "everybody", "yours")
_TO_WHOM = re.compile(r"\bto\s+whom\s+it\s+may\s+concern\b|\bdear\s+sir\s*(?:/|or)\s*madam\b", re.IGNORECASE)
_FULL_NAME = re.compile(r"^\s*(?:dear|hi|hello|to)\s+(?:(?:mr|mrs|ms|dr)\.?\s+)?[A-Z][a-z]+\s+[A-Z]\.\s+[A-Z][a-z'-]+\s*[,:!]", re.IGNORECASE)
# "Dear ," / "Hi , how are you" / "Dear Ada and ," / "Dear  and Tom,": a name that rendered empty.
_EMPTY_FIELD = re.compile(
    r"^\s*" + _GREETING + r"(?:\s*[,:]\s*$|\s+[,:])|^\s*" + _GREETING + r"\b[^,:\n]*\s(?:and|&)\s*[,:]|"
    r"^\s*" + _GREETING + r"\s+(?:and|&)\s",
    re.IGNORECASE,
)
_MERGE_FIELD = re.compile(
    r"\{\{[^{}\n]{0,40}\}\}|\{%[^%{}\n]{0,40}%\}|\{[A-Za-z_][\w.]*+\}|%%[^%\n]{1,40}%%|%[A-Z][A-Z_]++%|<<[^<>\n]{1,40}>>|"
    r"«[^«»\n]{1,40}»|\$\{[^{}$\n]{1,40}\}|\*\|[A-Z0-9_]++\|\*|\[\[[^\[\]\n]{1,40}\]\]|\((?:insert|enter|add)\s[^()\n]{0,80}\)|"
    r"\[(?:(?:your|first|last|full|sender|recipient|contact|company|insert|customer|child|spouse)[ _]?)?"
    r"(?:name|first[ _]?name|last[ _]?name|fname|lname|recipient|sender|salutation|title|company|address|city|nickname|"
    r"spouse|child|kids?)(?:[ _]name)?\](?!\()|(?-i:\[[A-Z][A-Z _]{2,}\])(?!\()|(?-i:\*[A-Z][A-Z0-9_]++\*)|_{4,}+",
    re.IGNORECASE,
)
_MERGE_START = re.compile(r"[{%<«*\[(_]")
# Matched against the lower-cased line (fast); the two that need capitals have their own patterns.
_CORPORATE = re.compile(
    r"\bfrom\s+(?:all\s+of\s+us|everyone|the\s+team|all)\s+at\b|\byour\s+friends\s+at\b|\bthe\s+(?:\w+\s+)?team\s+at\b|"
    r"\ball\s+(?:of\s+)?our\s+(?:loyal\s+|valued\s+)?(?:clients|customers|patrons|members|partners|supporters|donors|subscribers|guests)\b|"
    r"\bunsubscribe\b|\breply\s+stop\b|\bdo\s+not\s+reply\b|\bconfidentiality\s+notice\b|\bintended\s+only\s+for\b|"
    r"\bclick\s+here\b|\bin\s+your\s+browser\b|\brecycled\s+paper\b|\bpersonali[sz]ed\s+by\b|\bno-?reply@|"
    r"\bfrom\s+the\s+(?:whole\s+|entire\s+)?team\b|\b(?:directors|management)\s+and\s+staff\b|\bon\s+behalf\s+of\b|"
    r"\bopt[- ]out\b|\bvalued\s+(?:customer|client|member|patron|supporter)s?\b"
)
# Every match of _CORPORATE contains one of these (the tests check it on every labelled line): a cheap test first.
CORPORATE_NEEDS = ("from", "friends", "team", "our", "subscribe", "stop", "reply", "confidential", "intended", "click",
                   "browser", "recycled", "personali", "staff", "behalf", "opt", "valued")
# A business close signed by a department: "Sincerely, Customer Care Department", "Best, Customer Success".
_CORPORATE_CLOSE = re.compile(
    r"\W*+(?:(?:best|kind|warm(?:est)?)\s+)?(?:regards|wishes|sincerely(?:\s+yours)?|yours\s+(?:faithfully|sincerely|truly)|best|"
    r"cheers|thanks)\s*,\s*(?:the\s+)?(?:[\w&'-]+\s+){0,3}?(?:team|management|department|directors|committee|staff|"
    r"receivable|payable|care|success|service|support)\b"
)
_CORPORATE_NAMED = re.compile(r"(?:^[\s—–-]*|,\s*)[Tt]he\s+(?:[A-Z][\w&'-]*\s+){1,3}(?:[Tt]eam|[Ss]taff)\b|\b[A-Z][a-z]+\s+&\s+Co\b")


@rule(
    "salutation.generic",
    "a greeting that could go to anyone",
    fires=["Dear Valued Customer,", "Season's Greetings to all our clients,", "To Whom It May Concern:", "Dear Friend,",
           "Dear Sir/Madam,", "Hi everyone!", "To the Garcia Household,", "Dear Hiring Manager,", "Gentle reader:",
           "Christmas greetings!", "Dearly beloved friends and family,", "Dear person I met once,",
           "Good evening, all,", "Dear Member of the Allotment Society,", "Dear SAMUEL,", "Love to everyone,",
           "Seasons greetings from the Okafors!", "With best wishes from our house to yours"],
    passes=["Dear Aunt Carol,", "Dear Mr. Patel,", "Hello to the whole Kowalski crew!", "Dear Friend Maria,",
            "To my dear family, being with you is the greatest gift of all.", "Hello from a very muddy Yorkshire!",
            "Merry Christmas!", "Dear Grandma Dee,", "DEAR ABBY:", "Hello from the Okafors to the Lindqvists!",
            "Love to all of you, Gran"],
)
def _generic_salutation(line: str):
    found = generic_addressee(line)
    if found:
        start, end, who = found
        yield start, end, f'generic greeting ("{who}")', "greet them by the name you call them"
    else:
        head = line[:200]
        folded = head.casefold()  # the prefilters: every match of each pattern contains one of these
        m = ((("whom" in folded or "madam" in folded) and _TO_WHOM.search(head))
             or (any(word in folded for word in _STOCK_NEEDS) and _STOCK.search(head)))
        if m:
            yield m.start(), m.end(), f'generic greeting ("{m.group(0)}")', "greet them by the name you call them"


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
    if not _MERGE_START.search(line):
        return  # every merge field starts with one of these characters: most lines have none
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
    low = line.lower()
    m = ((any(word in low for word in CORPORATE_NEEDS) and _CORPORATE.search(low)) or _CORPORATE_CLOSE.match(low)
         or (("team" in low or "staff" in low or "&" in low) and _CORPORATE_NAMED.search(line)))
    generic = generic_addressee(line) if m else None
    if m and generic and m.start() < generic[1]:
        return  # "Dear Valued Customer," is salutation.generic already
    if m and not re.search(r"\bat\s+(?:number|no\.?)\s+\d", line, re.IGNORECASE):
        yield m.start(), m.end(), f'reads like a company card ("{m.group(0)}")', "write as yourself, to them"


