"""What needs doing soon: the dates coming up and the day to mail each card.

An occasion is *due* in the window `today..until` when its card must be mailed by `until` and the
day itself has not passed: so a birthday on the 20th with a 9-day international lead shows up in a
7-day window starting on the 5th (mail by the 11th), and a birthday inside the window whose mail-by
day has already gone is shown as late rather than dropped.

Who is reminded (`cardkeep.plan.eligibility.person_excluded`, the rule the plan and labels share):
- do-not-send people, and everyone in a do-not-send household, never are;
- a deceased person gets no birthday or anniversary, but their memorial date is reminded gently
  ("in memory", "N years since", never "celebrate");
- lead times come from the household's current address (after a move, the new country), by
  `cardkeep.plan.mailing` and the `[mail]` settings, from the same home country as `plan`
  (`mailing.book_home`); a date's own `--lead DAYS` replaces that lead time;
- 29 February follows `[dates] leap_day = "feb28" | "mar1"` (default feb28).

The core (`collect`) is pure over plain rows; `due` reads them with one narrow SQL query (no
model objects: cron runs this every morning), after one pass over the dates that finds the book's
few distinct rules (`own_leads`), and applies the same eligibility function to them. On 5,000
contacts `cardkeep remind` stays within 1.2x of Python starting and loading Typer, sqlite3 and
dateutil.rrule (benchmarks/bench_remind.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from cardkeep.dates import days_between, milestone, occurrences, ordinal, readable_when
from cardkeep.plan import mailing
from cardkeep.plan.eligibility import person_excluded
from cardkeep.settings import Settings

# Every date with its person, household status and the country of the current address. Who is
# left out is decided in Python (`collect`), by the one eligibility function.
DATES_SQL = """
    select d.id, d.contact_id, d.kind, d.year, d.month, d.day, d.label, d.rule, d.lead_days,
           c.name, c.status, c.household_id, h.status as household_status, a.country
    from dates d
    join contacts c on c.id = d.contact_id
    join households h on h.id = c.household_id
    left join addresses a on a.household_id = c.household_id and a.valid_to is null
"""  # a household has one current address (the book keeps it so): a join, not a subquery per row


# (household, occasion) -> [(contact or None, year, date)] of the cards sent: see `cards_sent`.
SentCards = dict[tuple[int, str], list[tuple[int | None, int, dt.date | None]]]


class Reminder(NamedTuple):
    """One occasion to send a card for. (A named tuple: immutable like a frozen dataclass, and a
    long reminder makes hundreds, each made several times faster, every morning.)"""

    date_id: int
    contact_id: int
    household_id: int
    name: str
    kind: str
    label: str | None
    on: dt.date
    mail_by: dt.date
    lead_days: int
    country: str | None
    international: bool
    number: int | None = None
    words: str | None = None
    round: bool = False

    @property
    def occasion(self) -> str:
        """What the day is, in words: "birthday", "wedding anniversary", "in memory", a custom label."""
        if self.kind == "memorial":
            return f"in memory ({self.label})" if self.label else "in memory"
        if self.kind == "anniversary":
            return f"{self.label} anniversary" if self.label and "anniversary" not in self.label else (
                self.label or "anniversary"
            )
        if self.kind == "custom":
            return self.label or "custom date"
        return f"{self.kind} ({self.label})" if self.label else self.kind

    def as_json(self, today: dt.date) -> dict[str, Any]:
        (date_id, contact_id, household_id, name, kind, label, on, mail_by, lead_days, country, international,
         number, words, round_) = self  # one unpacking, not seventeen lookups: a long reminder has hundreds
        return {
            "date_id": f"d{date_id}",
            "contact": f"c{contact_id}",
            "household": f"h{household_id}",
            "name": name,
            "kind": kind,
            "label": label,
            "occasion": self.occasion,
            "date": on.isoformat(),
            "days_until": (on - today).days,
            "number": number,
            "milestone": words,
            "round": round_,
            "mail_by": mail_by.isoformat(),
            "late": mail_by < today,
            "lead_days": lead_days,
            "country": country,
            "international": international,
        }


# The columns of DATES_SQL, in order: `collect` reads its rows as plain tuples in this order.
COLUMNS = ("id", "contact_id", "kind", "year", "month", "day", "label", "rule", "lead_days",
           "name", "status", "household_id", "household_status", "country")


def collect(
    rows: Iterable[Mapping[str, Any]],
    *,
    today: dt.date,
    until: dt.date,
    home: str | None = None,
    mail_settings: Mapping[str, Any] | None = None,
    leap_day: str = "feb28",
    sent: SentCards | None = None,
) -> list[Reminder]:
    """The reminders due from `today` to `until` (both included), most urgent first.

    Each row is a date joined to its person: id, contact_id, household_id, name, status,
    household_status, kind, year, month, day, label, rule, lead_days, country (of the household's
    current address). People who get no card (`eligibility.person_excluded`) are left out, and so
    is an occasion already done: a card in `sent` (`cards_sent`) for it, mailed from 60 days before
    the day to 14 after.
    """
    return collect_tuples((tuple(row.get(column) for column in COLUMNS) for row in rows), today=today,
                          until=until, home=home, mail_settings=mail_settings, leap_day=leap_day, sent=sent)


def collect_tuples(
    rows: Iterable[Sequence[Any]],
    *,
    today: dt.date,
    until: dt.date,
    home: str | None = None,
    mail_settings: Mapping[str, Any] | None = None,
    leap_day: str = "feb28",
    sent: SentCards | None = None,
) -> list[Reminder]:
    """`collect` over rows as DATES_SQL gives them (tuples in the order of COLUMNS): `due` hands the
    cursor's rows straight over, without a dict for each of thousands of dates."""
    settings = dict(mail_settings or {})
    # Worked out once per country and per lead time, not once per row: a big book has few of each.
    lead_by_country: dict[str | None, int] = {}
    abroad: dict[str | None, bool] = {}
    spans: dict[int, tuple[dt.date, dt.timedelta]] = {}
    found: list[Reminder] = []
    for (date_id, contact_id, kind, year, month, day_of_month, label, rule, own_lead, name, status,
         household_id, household_status, country) in rows:
        if person_excluded(status, household_status, kind):
            continue
        if own_lead is not None:
            lead = int(own_lead)
        else:
            if country not in lead_by_country:
                lead_by_country[country] = mailing.lead_days(country, home, settings)
            lead = lead_by_country[country]
        if lead not in spans:
            spans[lead] = (until + dt.timedelta(days=lead), dt.timedelta(days=lead))
        last, ahead = spans[lead]
        if rule:
            when = readable_when(None, None, None, rule)
            if when is None:
                continue  # reported once by `unreadable_dates`; one bad row never stops every reminder
            days = occurrences(when, today, last, leap_day=leap_day)
        else:
            days = days_between(month, day_of_month, year, today, last, leap_day=leap_day)
        for day in days:
            mail_by = day - ahead
            if mail_by > until:
                continue
            if sent and _sent(sent, household_id, kind, contact_id, day):
                continue
            if country not in abroad:
                abroad[country] = mailing.is_international(country, home)
            mark = milestone(kind, year, day.year) if not rule else None
            found.append(
                Reminder(
                    date_id=date_id,
                    contact_id=contact_id,
                    household_id=household_id,
                    name=name,
                    kind=kind,
                    label=label,
                    on=day,
                    mail_by=mail_by,
                    lead_days=lead,
                    country=country or home,
                    international=abroad[country],
                    number=mark[0] if mark else None,
                    words=mark[1] if mark else None,
                    round=bool(mark and mark[2]) and kind != "memorial",  # a memorial is not a score
                )
            )
    return sorted(_one_per_anniversary(found), key=lambda r: (r.mail_by, r.on, r.name.casefold(), r.date_id))


def _one_per_anniversary(found: list[Reminder]) -> list[Reminder]:
    """A couple's anniversary is one date of the household, however many of them carry it: one
    reminder, naming both ("Ada Okafor & Emeka Okafor")."""
    kept: dict[tuple, Reminder] = {}
    out: list[Reminder] = []
    for r in found:
        if r.kind != "anniversary":
            out.append(r)
            continue
        key = (r.household_id, r.on, (r.label or "").casefold())
        first = kept.get(key)
        if first is None:
            kept[key] = r
        elif r.name not in first.name.split(" & "):
            kept[key] = first._replace(name=f"{first.name} & {r.name}")
    return out + list(kept.values())


# A card for an occasion counts from this long before the day (mailed early, or for a January
# birthday in December) until a little after it (a late card still ends the reminder).
SENT_BEFORE, SENT_AFTER = dt.timedelta(days=60), dt.timedelta(days=14)


def card_sent(sent: SentCards, row: Mapping[str, Any], day: dt.date) -> bool:
    """Whether a card in `sent` is for the occasion of the date `row` on `day`."""
    return _sent(sent, row["household_id"], row["kind"], row["contact_id"], day)


def _sent(sent: SentCards, household_id: int, kind: str, contact_id: int, day: dt.date) -> bool:
    for contact, year, on in sent.get((household_id, kind), ()):
        if contact not in (None, contact_id) and kind != "anniversary":
            continue  # a birthday card to one child does not end the other's reminder
        if (day - SENT_BEFORE <= on <= day + SENT_AFTER) if on else year == day.year:
            return True
    return False


def cards_sent(db, first_year: int, last_year: int) -> SentCards:
    """The birthday and anniversary cards sent in those years, by (household, occasion): a card
    recorded (`sent`, or `mark ... mailed`) ends that occasion's reminder. An anniversary is the
    household's, whoever the card named."""
    out: dict[tuple[int, str], list[tuple[int | None, int, dt.date | None]]] = {}
    for household, contact, occasion, year, date in db.execute(
        "select household_id, contact_id, occasion, year, date from cards where direction = 'sent' "
        "and occasion in ('birthday', 'anniversary') and year between ? and ?",
        [first_year, last_year],
    ):
        try:
            on = dt.date.fromisoformat(date) if date else None
        except ValueError:
            on = None
        out.setdefault((household, occasion), []).append((contact, year, on))
    return out


def eligible_dates(db) -> list[Mapping[str, Any]]:
    """Every date of someone who may be sent a card for it (the calendar's rows)."""
    return [row for row in db.query(DATES_SQL)
            if not person_excluded(row["status"], row["household_status"], row["kind"])]


def collect_settings(db, settings: Settings) -> dict[str, Any]:
    """`home`, `mail_settings` and `leap_day` for `collect` (and the calendar): the book's home."""
    home, _ = mailing.book_home(db, settings)
    return {"home": home, "mail_settings": settings.mail, "leap_day": settings.leap_day}


def own_leads(db) -> dict[str | None, int | None]:
    """One pass over the dates: every distinct rule text, with the longest lead time of its own
    (`--lead DAYS`) any of its dates has; under None, the longest of the calendar days'."""
    return dict(db.execute(
        "select nullif(rule, ''), max(lead_days) from dates where (rule is not null and rule != '') "
        "or lead_days is not null group by 1"
    ))


def candidate_sql(db, *, today: dt.date, until: dt.date, mail_settings: Mapping[str, Any],
                  leap_day: str = "feb28", leads: Mapping[str | None, int | None] | None = None) -> tuple[str, list[Any]]:
    """DATES_SQL narrowed to the dates that can possibly be due, so that SQLite skips the rest.

    A calendar day is a candidate when its month and day fall between `today` and `until` plus the
    longest lead time anyone can have; 29 February always is. A rule is worked out once for the
    whole book (a book shares a handful: Mother's Day, Easter), and its dates are candidates only
    when it falls in that span; a rule this version cannot read is left out (`collect` would skip
    it; `unreadable_dates` reports it). `collect` still decides exactly: this only saves building
    rows for the other eleven months. `leads`: `own_leads(db)`, when the caller has it already.
    """
    leads = own_leads(db) if leads is None else leads
    mail_lead = mailing.max_lead_days(dict(mail_settings))

    def span_end(rule: str | None) -> dt.date:
        return until + dt.timedelta(days=max(mail_lead, leads.get(rule) or 0))

    last = span_end(None)
    if (last - today).days >= 365:
        return DATES_SQL, []
    rules = [rule for rule in leads if rule is not None and _falls_between(rule, today, span_end(rule), leap_day)]
    # The month first: SQLite tests it before the arithmetic, and most rows fail it.
    if (today.month, today.day) <= (last.month, last.day):
        window = "d.month between ? and ? and d.month * 100 + d.day between ? and ?"
        bounds = [today.month, last.month, today.month * 100 + today.day, last.month * 100 + last.day]
    else:  # across New Year
        window = "(d.month >= ? and d.month * 100 + d.day >= ? or d.month <= ? and d.month * 100 + d.day <= ?)"
        bounds = [today.month, today.month * 100 + today.day, last.month, last.month * 100 + last.day]
    sql = DATES_SQL + f"""  where (d.rule is null or d.rule = '') and ((d.month = 2 and d.day = 29) or {window})"""
    if rules:
        sql += f" or d.rule in ({', '.join('?' * len(rules))})"
    return sql, bounds + rules


def _falls_between(rule: str, first: dt.date, last: dt.date, leap_day: str) -> bool:
    when = readable_when(None, None, None, rule)
    return when is not None and next(occurrences(when, first, last, leap_day=leap_day), None) is not None


def due(db, *, today: dt.date, until: dt.date, settings: Settings,
        leads: Mapping[str | None, int | None] | None = None) -> list[Reminder]:
    """The reminders due in the book from `today` to `until`: one query, then pure date arithmetic."""
    found = collect_settings(db, settings)
    sql, params = candidate_sql(db, today=today, until=until, mail_settings=settings.mail, leap_day=settings.leap_day,
                                leads=leads)
    sent = cards_sent(db, today.year - 1, until.year + 1)
    return collect_tuples(db.execute(sql, params), today=today, until=until, sent=sent, **found)


def due_mailings(db, *, today: dt.date, until: dt.date) -> list[dict[str, Any]]:
    """The saved batches' cards to mail by `until` (`cardkeep.plan.batch.due`), JSON-ready."""
    import sqlite3

    # Most days no saved batch has a card left to mail by `until`: one cheap query answers that,
    # instead of importing the saved-plan code on every cron run.
    try:
        pending = db.execute(
            "select exists(select 1 from batch_cards where state != 'mailed' and mail_by <= ?)", [until.isoformat()]
        ).fetchone()[0]
    except sqlite3.OperationalError:  # a schema without batches
        return []
    if not pending:
        return []
    from cardkeep.plan import batch  # deferred: the plan rules are not needed on most mornings

    return [
        {**item, "mail_by": item["mail_by"].isoformat(), "late": item["mail_by"] < today}
        for item in batch.due(db, today=today, until=until)
    ]


# ---------------------------------------------------------------- the report, as text and JSON


def _plain(text: str, *style: str) -> str:
    return text


# The weekday as `%a` writes it in the C locale (Python never sets LC_TIME), without strftime's cost
# on every line of a long reminder.
WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_text(day: dt.date) -> str:
    """"Thu 2026-11-26"."""
    return f"{WEEKDAY_ABBR[day.weekday()]} {day.isoformat()}"


def mail_text(mail_by: dt.date, today: dt.date) -> str:
    """When to post: "mail by Thu 2026-11-26", "mail today", "late, mail now (was 2026-11-19)"."""
    if mail_by > today:
        return f"mail by {day_text(mail_by)}"
    if mail_by == today:
        return "mail today"
    return f"late, mail now (was {mail_by.isoformat()})"


def text_lines(
    items: list[Reminder],
    mailings: list[dict[str, Any]],
    *,
    today: dt.date,
    until: dt.date,
    quiet: bool = False,
    style: Callable[[str, str], str] = _plain,
    esc: Callable[[str], str] = _plain,
) -> list[str]:
    """The reminder as lines of text: nothing at all when nothing is due (the cron contract).

    `style(text, "bold")` and `esc(text)` add and guard rich markup on a terminal; the defaults
    leave plain text for pipes and cron mail. `quiet` drops the headings.
    """
    indent = "" if quiet else "  "
    lines: list[str] = []
    # The saved batch's cards, one line per mail-by day.
    by_day: dict[str, list[dict[str, Any]]] = {}
    for item in mailings:
        by_day.setdefault(item["mail_by"], []).append(item)
    batch = []
    for day, group in sorted(by_day.items()):
        names = [g["mailing_name"] for g in group]
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        cards = f"{len(group)} holiday card{'s' if len(group) != 1 else ''}"
        batch.append((mail_text(dt.date.fromisoformat(day), today), f"{cards}: {esc(shown)}"))
    # Hundreds of reminders fall on a few dozen days: each day's words are made once.
    mail_texts: dict[dt.date, str] = {}
    day_texts: dict[dt.date, str] = {}
    for r in items:
        if r.mail_by not in mail_texts:
            mail_texts[r.mail_by] = mail_text(r.mail_by, today)
        if r.on not in day_texts:
            day_texts[r.on] = day_text(r.on)
    mails = [mail_texts[r.mail_by] for r in items]
    width = max(map(len, mails + [m for m, _ in batch]), default=0)

    def when(text: str, mail_by: dt.date) -> str:
        padded = text.ljust(width)
        if mail_by < today:
            return style(padded, "red")
        return style(padded, "yellow") if mail_by == today else padded

    if items and not quiet:
        lines.append(style(f"Cards to mail, {today.isoformat()} to {until.isoformat()}:", "bold"))
    for r, mail in zip(items, mails, strict=True):
        marked = r.round  # a round birthday or anniversary; never a memorial
        if r.kind == "anniversary" and r.number:
            occasion = f"{ordinal(r.number)} {r.occasion}"  # "25th wedding anniversary"
        else:
            occasion = r.occasion + (f", {r.words}" if r.words else "")
        occasion += " (round)" if marked else ""
        occasion = style(esc(occasion), "bold") if marked else esc(occasion)
        where = f" [{r.country}, {r.lead_days} days]" if r.international else ""
        lines.append(f"{indent}{when(mail, r.mail_by)}  {esc(r.name)}: {occasion} on {day_texts[r.on]}{esc(where)}")
    if batch and not quiet:
        lines.append(style("Holiday cards (saved plan):", "bold"))
    for (mail, text), day in zip(batch, sorted(by_day), strict=True):
        lines.append(f"{indent}{when(mail, dt.date.fromisoformat(day))}  {text}")
    return lines


def json_document(
    items: list[Reminder], mailings: list[dict[str, Any]], *, today: dt.date, until: dt.date
) -> dict[str, Any]:
    """`remind --format json`: always a document, with empty lists when nothing is due."""
    return {
        "today": today.isoformat(),
        "until": until.isoformat(),
        "dates": [r.as_json(today) for r in items],
        "mailings": mailings,
    }


class Report(NamedTuple):
    """What `cardkeep remind` prints: the JSON document or the lines of text, and the warnings."""

    output: dict[str, Any] | list[str]
    warnings: list[str]


def report(
    get_db: Callable[[], Any],
    *,
    today: dt.date,
    within: str,
    fmt: str = "text",
    quiet: bool = False,
    settings: Settings,
    style: Callable[[str, str], str] = _plain,
    esc: Callable[[str], str] = _plain,
) -> Report:
    """Everything `cardkeep remind` does but print: the JSON document or the lines of text, and a
    warning for each stored date this version cannot read (skipped, never the end of the command)."""
    from cardkeep.dates import window_end
    from cardkeep.errors import CardkeepError, UsageError

    if fmt not in ("text", "json"):
        raise UsageError(f"--format: {fmt!r} is not text or json")
    try:
        until = window_end(today, within)
    except CardkeepError as exc:
        raise UsageError(str(exc)) from None
    db = get_db()
    leads = own_leads(db)  # read once for the query and the warnings
    items = due(db, today=today, until=until, settings=settings, leads=leads)
    mailings = due_mailings(db, today=today, until=until)
    warnings = unreadable_dates(db, leads)
    if fmt == "json":
        return Report(json_document(items, mailings, today=today, until=until), warnings)
    return Report(text_lines(items, mailings, today=today, until=until, quiet=quiet, style=style, esc=esc), warnings)


# ---------------------------------------------------------------- the cron fast path


def date_ref(date_id: int) -> str:
    return f"d{date_id}"


def parse_date_ref(text: str) -> int:
    """`d12` or `12` -> 12."""
    import re

    from cardkeep.errors import UsageError

    match = re.fullmatch(r"d?(\d+)", text.strip().lower())
    if not match:
        raise UsageError(f"{text!r} is not a date id (such as d12; see `cardkeep date list`)")
    return int(match.group(1))


def list_dates(
    db, *, today: dt.date, contact_ids: Iterable[int] | None = None, leap_day: str = "feb28"
) -> list[dict[str, Any]]:
    """Every recorded date (of `contact_ids`, else of everyone), soonest next occurrence first."""
    from cardkeep.dates import describe, next_occurrence

    sql = """select d.*, c.name, c.status from dates d join contacts c on c.id = d.contact_id"""
    params: list[Any] = []
    if contact_ids is not None:
        ids = list(contact_ids)
        sql += f" where d.contact_id in ({', '.join('?' * len(ids))})"
        params = ids
    result = []
    for row in db.query(sql + " order by d.id", params):
        when = readable_when(row["year"], row["month"], row["day"], row["rule"])
        if when is None:  # listed all the same, so that `date rm` can remove it
            result.append({
                "id": date_ref(row["id"]), "contact": f"c{row['contact_id']}", "name": row["name"],
                "kind": row["kind"], "label": row["label"], "date": None, "rule": row["rule"],
                "describe": f"unreadable rule {row['rule']!r}", "next": None, "milestone": None, "round": False,
                "lead_days": row["lead_days"],
            })
            continue
        upcoming = next_occurrence(when, today, leap_day=leap_day)
        # The dead turn no age: their birthday is listed, as remembered, with no milestone.
        gone = row["status"] == "deceased" and row["kind"] == "birthday"
        mark = milestone(row["kind"], row["year"], upcoming.year) if upcoming and not row["rule"] and not gone else None
        result.append(
            {
                "id": date_ref(row["id"]),
                "contact": f"c{row['contact_id']}",
                "name": row["name"],
                "kind": row["kind"],
                "label": row["label"],
                "date": None if row["rule"] else describe(when),
                "rule": row["rule"],
                "describe": describe(when),
                "next": upcoming.isoformat() if upcoming else None,
                "milestone": mark[1] if mark else None,
                "round": bool(mark and mark[2]) and row["kind"] != "memorial",  # a memorial is not a score
                "lead_days": row["lead_days"],
            }
        )
    return sorted(result, key=lambda r: (r["next"] or "9999", r["name"].casefold(), r["id"]))


def unreadable_dates(db, rules: Iterable[str | None] | None = None) -> list[str]:
    """One line for each stored date this version cannot read, naming its id and how to remove it.
    `rules`: the book's distinct rule texts (`own_leads`), when the caller has them already."""
    # A book holds a handful of distinct rules: check those, and look for the dates only when one is bad.
    rules = own_leads(db) if rules is None else rules
    bad = [rule for rule in rules if rule is not None and readable_when(None, None, None, rule) is None]
    if not bad:
        return []
    found = []
    for row in db.query(
        "select d.id, d.contact_id, d.year, d.month, d.day, d.rule, c.name from dates d "
        f"join contacts c on c.id = d.contact_id where d.rule in ({', '.join('?' * len(bad))}) order by d.id", bad
    ):
        ref = date_ref(row["id"])
        found.append(
            f"{ref} (c{row['contact_id']} {row['name']}): rule {row['rule']!r} cannot be read, so it is "
            f"skipped; remove it with `cardkeep date rm {ref}`"
        )
    return found


def remove_date(db, date_id: int) -> dict[str, Any]:
    """Delete one date; returns what it was. NotFound when there is no such date."""
    from cardkeep.errors import NotFound
    from cardkeep.store.db import transaction

    rows = list(
        db.query("select d.*, c.name from dates d join contacts c on c.id = d.contact_id where d.id = ?", [date_id])
    )
    if not rows:
        raise NotFound(f"no date with id {date_ref(date_id)} (see `cardkeep date list`)")
    with transaction(db):
        db.execute("delete from dates where id = ?", [date_id])
    return rows[0]
