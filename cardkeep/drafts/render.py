"""Card drafts: one personal draft per recipient, rendered in a Jinja2 sandbox, signed by hand.

A draft helps the user write a card; it never replaces the pen. Templates end with the closing
words ("Warmly,"); nothing typesets a signature, and a draft whose last line is the sender's name
is an error. The PDF (`cardkeep.drafts.pdf`) marks the space where the signature goes.

The context a template sees, per recipient (contact data is *data*: it is passed as values and never
compiled, so a note containing `{{ 7*7 }}` prints literally):

    greeting        the card's first line, by the custom of its language and destination
                    (`cardkeep.customs.greeting`): "Dear Ada & Emeka,", "太郎さん、花子さん" to
                    Japan, "Liebe Anna und Peter," in a German card; the household's own greeting
                    when it has one; a birthday card greets the one whose birthday it is
    salutation      "Ada & Emeka": the salutations of the living members who have one, else
                    their given names ("Aunt Rosa"; "Sam & Priya"; "Ada, Emeka & Chidi")
    mailing_name    the name on the envelope;  household: "h1"
    occasion, year  "holiday", 2026
    members         living members: [{name, given_name, family_name, nickname, salutation}]
                    (a field nobody filled in is left out, so using it is an error, never "None")
    member_names    their given names: ["Ada", "Emeka", "Chidi", "Ngozi"]
    known_since     the year of the first card either way (else when the household was added)
    years_known     year - known_since
    last_received   the last card they sent: {year, occasion, date, news}   (optional)
    news            that card's news, when it is from this year or last       (optional)
    last_sent       the last card we sent before this year: {year, occasion, design, message} (optional)
    last_year_message  what we wrote them last year, so the draft does not repeat it (optional)
    notes           relationship notes on the living members, newest first: ["ask about Max the puppy"]
    milestones      this year's round birthdays and anniversaries:
                    [{who, kind, number, words, phrase, date}], phrase: "Emeka's 50th birthday"
    remembering     given names of members who died this year or last: ["Bob"]
    celebrant       birthday / anniversary cards: the member whose day comes next,
                    {name, given_name, salutation, date, round, number, ordinal, words} (optional;
                    a birthday card's salutation greets them)
    prompts         ideas for the handwritten personal line (notes, their news)
    letter          the shared letter after linting, brag lines removed ("" when none)
    letter_closing  the letter's own closing words ("With love,"), when it has them (optional)

Optional fields are absent rather than empty: test them with `{% if news is defined %}`. A field a
template uses that is not there is an error naming the template, line, field and recipient.

Config:
    [drafts]
    size = "a6"        # the default --size: a6, a7, 5x7, a2 or a4-letter
    language = "en"    # the language cards are written in, for the greeting (default: [sender]
                       # language, else English, the language of the shipped templates)
    [sender]
    name = "Jo Baker"  # used here only to refuse a draft that ends with it (a typeset signature)
    [dates]
    leap_day = "feb28" # or "mar1": when a 29 February milestone falls in a common year
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cardkeep import customs
from cardkeep.dates import milestone, occurrence_in_year, ordinal
from cardkeep.drafts.letter import (  # the shared letter and the draft checks; re-exported here
    DRAFT_RULES as DRAFT_RULES,
    Letter as Letter,
    check_draft as check_draft,
    check_own_greeting as check_own_greeting,
    letter_for_card as letter_for_card,
    prepare_letter as prepare_letter,
)
from cardkeep.drafts.sandbox import (  # templates in Jinja2's sandbox; re-exported here
    _CLOSE,
    _OPEN,
    MAX_OUTPUT as MAX_OUTPUT,
    OCCASIONS as OCCASIONS,
    TEMPLATE_SUFFIX as TEMPLATE_SUFFIX,
    DraftTemplate as DraftTemplate,
    PartlyData,
    compile_template as compile_template,
    load_template as load_template,
    shipped_templates as shipped_templates,
    template_description as template_description,
    template_source as template_source,
)
from cardkeep.errors import CardkeepError
from cardkeep.store import book


class DraftError(CardkeepError):
    """One recipient's draft cannot be made (a template error, a generic salutation...)."""


# ---------------------------------------------------------------- context


def _given(member: dict[str, Any]) -> str:
    return member.get("given_name") or member.get("nickname") or member["name"]


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def join_names(names: Sequence[str]) -> str:
    """"Ada", "Ada & Emeka", "Ada, Emeka & Chidi"; Japanese and Chinese names with "、"."""
    names = [n for n in names if n]
    if all(_is_cjk(n) for n in names) and names:
        return "、".join(names)
    if len(names) <= 2:
        return " & ".join(names)
    return f"{', '.join(names[:-1])} & {names[-1]}"


def greeted(members: Sequence[dict[str, Any]], mailing_name: str | None = None) -> list[str]:
    """Whom the card greets, each person by their own salutation ("Aunt Rosa", "Maggie") or else
    their given name: the people its envelope names ("Margaret & David Chen": both, even when only
    Margaret has a salutation on file); when the envelope names a family ("The Okafor Family"), the
    members with a salutation (the parents rather than every child); else everyone."""
    named = set(re.findall(r"\w+", book.fold(mailing_name or "")))

    def on_envelope(m: dict[str, Any]) -> bool:
        words = {book.fold(m.get("given_name") or ""), book.fold(m.get("nickname") or ""),
                 book.fold((m.get("name") or "").split()[0] if (m.get("name") or "").split() else "")}
        return bool(named & (words - {""}))

    addressed = ([m for m in members if on_envelope(m)] or [m for m in members if m.get("salutation")]
                 or list(members))
    return [m.get("salutation") or _given(m) for m in addressed]


def salutation_name(members: Sequence[dict[str, Any]], mailing_name: str | None = None) -> str:
    """The names `greeted` gives, joined: "Ada & Emeka", "Ann, Ben & Cy", "太郎さん、花子さん"."""
    return join_names(greeted(members, mailing_name))


def destination(record: dict[str, Any], home: str | None) -> str | None:
    """The country a household's card goes to: its current address's, else the home country."""
    address = record.get("address") or {}
    return (address.get("country") or "").upper() or home


def _living(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in record["members"] if m["status"] == "active"]


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    """Leave out what nobody filled in, so a template that uses it fails loudly."""
    return {k: v for k, v in d.items() if v is not None and v != ""}


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _milestones(living: list[dict[str, Any]], year: int, *, single: bool, leap_day: str) -> list[dict[str, Any]]:
    out = []
    seen_anniversaries: set[tuple[int | None, int | None, int | None]] = set()
    for m in living:
        for d in m["dates"]:
            if d["kind"] not in ("birthday", "anniversary") or d["rule"] or not d["month"]:
                continue
            found = milestone(d["kind"], d["year"], year)
            if not found or not found[2]:
                continue
            number, words, _ = found
            when = occurrence_in_year(d["month"], d["day"], year, leap_day=leap_day)
            if d["kind"] == "birthday":
                owner = "your" if single else _possessive(_given(m))
                phrase = f"{owner} {ordinal(number)} birthday"
            else:
                key = (d["year"], d["month"], d["day"])
                if key in seen_anniversaries:  # both partners carry the same wedding date
                    continue
                seen_anniversaries.add(key)
                label = f" {d['label']}" if d.get("label") else ""
                phrase = f"your {ordinal(number)}{label} anniversary"
            out.append(
                {"who": _given(m), "kind": d["kind"], "number": number, "words": words, "phrase": phrase,
                 "date": when.isoformat()}
            )
    return sorted(out, key=lambda x: x["date"])


def _celebrant(living: list[dict[str, Any]], kind: str, today: dt.date, leap_day: str,
               person: str | None = None) -> dict[str, Any] | None:
    """The member whose birthday (or anniversary) comes next, counting from `today`; `person` (a
    contact id such as "c3", the one the user named) when given and living."""
    if person and any(m["id"] == person for m in living):
        living = [m for m in living if m["id"] == person]
    best = None
    for m in living:
        for d in m["dates"]:
            if d["kind"] != kind or d["rule"] or not d["month"]:
                continue
            when = occurrence_in_year(d["month"], d["day"], today.year, leap_day=leap_day)
            if when < today - dt.timedelta(days=7):  # a card can be a little late, not eleven months
                when = occurrence_in_year(d["month"], d["day"], today.year + 1, leap_day=leap_day)
            if best is None or when < best[0]:
                best = (when, m, d)
    if best is None:
        if len(living) == 1 and person:  # named, but no date on file: still their card
            m = living[0]
            return {"name": m["name"], "given_name": _given(m), "salutation": m.get("salutation") or _given(m),
                    "round": False}
        return None
    when, m, d = best
    found = milestone(kind, d["year"], when.year)
    return _clean(
        {"name": m["name"], "given_name": _given(m), "salutation": m.get("salutation") or _given(m),
         "date": when.isoformat(), "number": found[0] if found else None, "words": found[1] if found else None,
         "ordinal": ordinal(found[0]) if found else None, "round": bool(found and found[2])}
    )


def build_context(
    record: dict[str, Any],
    *,
    today: dt.date,
    year: int | None = None,
    occasion: str = "holiday",
    letter: str = "",
    letter_closing: str | None = None,
    leap_day: str = "feb28",
    person: str | None = None,
    home: str | None = None,
    language: str = customs.DEFAULT_LANGUAGE,
) -> dict[str, Any]:
    """Everything a template may say about one household (`book.household_record` shape). Pure.

    `person` ("c3") is the member the user named: a birthday card is for them. `home`: the sender's
    country (a household without a country on its address is there); `language`: the card's
    (`customs.card_language`)."""
    year = year or today.year
    living = _living(record)
    if not living:
        raise DraftError(f"{record['id']} {record['display_name']}: nobody in the household to write to")
    cards = record["cards"]
    received = [c for c in cards if c["direction"] == "received"]
    sent = [c for c in cards if c["direction"] == "sent" and c["year"] < year]
    created_year = int(str(record["created"])[:4]) if record.get("created") else year
    known_since = min(c["year"] for c in cards) if cards else created_year

    names = greeted(living, record.get("display_name"))
    own_greeting = record.get("greeting")  # the household's own, when it has one
    context: dict[str, Any] = {
        "salutation": join_names(names),
        "mailing_name": record["display_name"],
        "household": record["id"],
        "occasion": occasion,
        "year": year,
        "members": [
            _clean({k: m.get(k) for k in ("name", "given_name", "family_name", "nickname", "salutation")})
            for m in living
        ],
        "member_names": [_given(m) for m in living],
        "known_since": known_since,
        "years_known": max(0, year - known_since),
        "letter": letter,
    }
    if letter and letter_closing:
        context["letter_closing"] = letter_closing  # the writer's own words end the card
    if received:
        last = max(received, key=lambda c: (c["year"], c["date"] or ""))
        context["last_received"] = _clean({k: last[k] for k in ("year", "occasion", "date", "news")})
        if last["news"] and last["year"] >= year - 1:
            context["news"] = last["news"]
    if sent:
        last = max(sent, key=lambda c: (c["year"], c["date"] or ""))
        context["last_sent"] = _clean({k: last[k] for k in ("year", "occasion", "design", "message")})
        last_year = [c["message"] for c in sent if c["year"] == year - 1 and c["message"]]
        if last_year:
            context["last_year_message"] = last_year[-1]
    notes = sorted(
        ((n["created"] or "", n["text"]) for m in living for n in m["notes"]), key=lambda n: n[0], reverse=True
    )
    context["notes"] = [text for _, text in notes]
    context["milestones"] = _milestones(living, year, single=len(living) == 1, leap_day=leap_day)
    context["remembering"] = [
        _given(m)
        for m in record["members"]
        if m["status"] == "deceased" and m.get("deceased_on") and int(m["deceased_on"][:4]) >= year - 1
    ]
    if occasion in ("birthday", "anniversary"):
        celebrant = _celebrant(living, occasion, today, leap_day, person)
        if celebrant:
            context["celebrant"] = celebrant
            if occasion == "birthday":  # a birthday card greets the one whose birthday it is
                context["salutation"] = celebrant["salutation"]
                names, own_greeting = [celebrant["salutation"]], None
    context["greeting"] = PartlyData(customs.greeting(
        names, country=destination(record, home), language=language, own=own_greeting))
    prompts = _ideas(living, context.get("news"))
    if occasion == "thank-you":
        prompts.insert(0, "say what you are thanking them for")
    context["prompts"] = prompts
    return context


def _ideas(living: list[dict[str, Any]], news: str | None, limit: int = 3) -> list[str]:
    """Ideas for the personal line: the newest notes, each once and saying whom it is about
    ("Emeka: started a choir") when the household is more than one person; their news last,
    unless a note already says it (news on a received card is kept as a note too)."""
    seen: set[str] = set()
    ideas: list[str] = []
    notes = sorted(((n["created"] or "", n["text"], m) for m in living for n in m["notes"]),
                   key=lambda n: n[0], reverse=True)
    for _, text, member in notes:
        key = book.fold(text)
        if key in seen:
            continue
        seen.add(key)
        who = _given(member)
        about = len(living) > 1 and book.fold(who) not in key.split()
        ideas.append(f"{who}: {text}" if about else text)
        if len(ideas) == limit:
            break
    if news and book.fold(news) not in seen:
        ideas.append(f"their news: {news}")
    return ideas


# ---------------------------------------------------------------- rendering and checks


@dataclass
class Draft:
    household_id: int
    mailing_name: str
    salutation: str
    body: str
    occasion: str
    year: int
    prompts: list[str]
    last_year_message: str | None = None
    warnings: list[str] = field(default_factory=list)
    removed_lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def household(self) -> str:
        return book.hid(self.household_id)

    @property
    def personal_line(self) -> bool:
        """Whether the notes (or news) suggest a personal line: the PDF marks a space for it."""
        return bool(self.prompts)

    def to_json(self) -> dict[str, Any]:
        return {
            "household": self.household,
            "mailing_name": self.mailing_name,
            "salutation": self.salutation,
            "occasion": self.occasion,
            "year": self.year,
            "body": self.body,
            "needs_handwritten_signature": True,
            "personal_line": {"suggested": self.personal_line, "prompts": self.prompts},
            "last_year_message": self.last_year_message,
            "removed_lines": self.removed_lines,
            "warnings": self.warnings,
        }


def _recipient(context: dict[str, Any]) -> str:
    return f"{context['household']} {context['mailing_name']}"


def _undefined_field(message: str) -> str:
    for pattern in (r"has no attribute '([^']+)'", r"^'([^']+)' is undefined", r"has no element (\S+)"):
        match = re.search(pattern, message)
        if match:
            return match.group(1)
    return ""


def _error_line(exc: BaseException, filename: str) -> int | None:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render(template: DraftTemplate, context: dict[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    """The rendered text, tidied, and the (start, end) spans in it that came from values."""
    from jinja2 import TemplateError, UndefinedError
    from jinja2.exceptions import SecurityError

    try:
        raw = template.template.render(context)
    except (TemplateError, ArithmeticError, TypeError, ValueError, RecursionError, MemoryError) as exc:
        line = _error_line(exc, template.filename)
        where = f"template {template.filename}" + (f", line {line}" if line else "")
        message = getattr(exc, "message", None) or str(exc)
        if isinstance(exc, SecurityError):
            detail = f"blocked by the sandbox: {message}"
        elif isinstance(exc, UndefinedError):
            name = _undefined_field(message)
            detail = f"field {name!r} is not defined ({message})" if name else message
        else:
            detail = f"{type(exc).__name__}: {message}"
        raise DraftError(f"{where}: {detail}, for {_recipient(context)}") from None
    return _tidy(raw)


def _tidy(raw: str) -> tuple[str, list[tuple[int, int]]]:
    # Trailing blanks stripped line by line: linear, where a regex lookahead was quadratic on a
    # long run of spaces that does not end a line ("S" + 50,000 spaces + "x").
    text = "\n".join(line.rstrip(" \t") for line in raw.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n ")
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start = 0
    length = 0
    for ch in text:
        if ch == _OPEN:
            start = length
        elif ch == _CLOSE:
            spans.append((start, length))
        else:
            out.append(ch)
            length += 1
    return "".join(out), spans


def _signer_names() -> list[str]:
    from cardkeep.config import section

    name = section("sender").get("name")
    return [name] if isinstance(name, str) and name.strip() else []


# ---------------------------------------------------------------- a run over many recipients


@dataclass
class Failure:
    household: str
    name: str
    message: str


@dataclass
class DraftRun:
    drafts: list[Draft] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    letter: Letter | None = None


def make_drafts(
    records: Iterable[dict[str, Any]],
    template: DraftTemplate,
    *,
    today: dt.date,
    year: int | None = None,
    occasion: str = "holiday",
    letter: Letter | None = None,
    keep_going: bool = False,
    signer_names: Sequence[str] = (),
    leap_day: str = "feb28",
    persons: dict[str, str] | None = None,
    progress: Callable[[Draft], None] | None = None,
    home: str | None = None,
    language: str = customs.DEFAULT_LANGUAGE,
) -> DraftRun:
    """A draft per household record. Without `keep_going` the first bad recipient stops the run
    with an error (nothing is written); with it, the failures are collected beside the drafts.
    `persons` maps a household ("h1") to the member named for it ("c3"); `home` and `language`
    as `build_context` takes them."""
    year = year or today.year
    run = DraftRun(letter=letter)
    letter_text = letter.text if letter else ""
    removed = letter.removed if letter else []
    letter_warnings = letter.warnings if letter else []
    for record in records:
        try:
            context = build_context(
                record, today=today, year=year, occasion=occasion, letter=letter_text,
                letter_closing=letter.closing if letter else None, leap_day=leap_day,
                person=(persons or {}).get(record["id"]), home=home, language=language,
            )
            body, spans = render(template, context)
            problems = check_draft(body, spans, signer_names=signer_names)
            own = (record.get("greeting") or "").strip()
            if own and context["greeting"] == own:  # the household's own greeting, not the birthday one
                problems += check_own_greeting(own)
            if problems:
                raise DraftError(
                    f"draft for {_recipient(context)} (template {template.filename}): {'; '.join(problems)}"
                )
        except DraftError as exc:
            if not keep_going:
                raise
            run.failures.append(Failure(record["id"], record["display_name"], str(exc)))
            continue
        warnings = list(letter_warnings)
        repeated = context.get("last_year_message")
        if repeated and repeated.strip() and repeated.strip() in body:
            warnings.append(f"repeats what you wrote them last year: {repeated.strip()!r}")
        draft = Draft(
            household_id=book.parse_id(record["id"])[1],
            mailing_name=record["display_name"],
            salutation=context["salutation"],
            body=body,
            occasion=occasion,
            year=year,
            prompts=context["prompts"],
            last_year_message=context.get("last_year_message"),
            warnings=warnings,
            removed_lines=removed,
        )
        run.drafts.append(draft)
        if progress:
            progress(draft)
    return run


def drafts_for(
    db: Any,
    household_ids: Sequence[int],
    template: DraftTemplate,
    *,
    today: dt.date,
    year: int | None = None,
    occasion: str = "holiday",
    letter: Letter | None = None,
    keep_going: bool = False,
    persons: dict[int, int] | None = None,
) -> DraftRun:
    """Drafts for the households (in the order given, i.e. mailing order), skipping the ones that
    get no card (deceased, do-not-send, no address) with the reason. `persons` maps a household id
    to the contact id the user named in it (a birthday card is for that person)."""
    from cardkeep.config import section
    from cardkeep.formats.dump import dump_households
    from cardkeep.plan import selection
    from cardkeep.plan.mailing import book_home
    from cardkeep.settings import load_settings

    settings = load_settings()  # a bad [dates] leap_day is the same error as in `remind`
    leap_day = settings.leap_day
    home, _ = book_home(db, settings)
    language = customs.card_language(section("drafts"), section("sender"))
    chosen = selection.resolve(db, list(household_ids))
    records = map(_draft_record, dump_households(db, [r.household_id for r in chosen.recipients], history=True))
    run = make_drafts(
        records, template, today=today, year=year, occasion=occasion, letter=letter, keep_going=keep_going,
        signer_names=_signer_names(), leap_day=leap_day,
        persons={book.hid(h): book.cid(c) for h, c in (persons or {}).items()}, home=home, language=language,
    )
    run.skipped = chosen.skipped
    return run


def _draft_record(house: dict[str, Any]) -> dict[str, Any]:
    """A household as the export reads it (the whole selection in a few queries, never a query per
    household), with the ids people see: h1, c3."""
    members = [{**m, "id": book.cid(m["id"])} for m in house["members"]]
    return {**house, "id": book.hid(house["id"]), "members": members}


def to_markdown(run: DraftRun) -> str:
    """All drafts as one Markdown document, in mailing order; the guide notes in quotes."""
    parts = []
    for number, d in enumerate(run.drafts, 1):
        lines = [f"## {number}. {d.mailing_name} ({d.household})", "", d.body, ""]
        if d.prompts:
            lines += ["> Personal line, in your own hand. Ideas: " + "; ".join(d.prompts), ">"]
        if d.last_year_message:
            lines += [f"> Last year you wrote: {d.last_year_message}", ">"]
        lines += ["> Sign by hand.", ""]
        parts.append("\n".join(lines))
    return "\n".join(parts)
