"""The important dates as an iCalendar file (`cardkeep calendar`).

One all-day VEVENT per date, recurring yearly by RRULE, with a VALARM at 9:00 on the mail-by day
(the date minus its lead time, as `cardkeep remind` counts it). The UID comes from the date's id
(`d12-c3@cardkeep`), so importing a fresh export again updates the events instead of duplicating
them. The same people are left out as in reminders and the plan (`cardkeep.plan.eligibility.
person_excluded`: do-not-send people and households; a deceased person's birthday and anniversaries).

How dates become rules:
- a calendar day: `FREQ=YEARLY` from the day itself (or from this year when the year is unknown);
- 29 February, by `[dates] leap_day`: feb28 -> `BYMONTH=2;BYMONTHDAY=-1` (the last day of
  February), mar1 -> `BYYEARDAY=60` (29 February in a leap year, 1 March otherwise);
- nth weekday rules: their RRULE as stored;
- Easter offsets: RFC 5545 has no Easter, so the event carries an RDATE for each of the next
  `EASTER_YEARS` years instead, and the rule as `X-CARDKEEP-RULE`.

`icalendar` is imported inside `build`, so the reminder path never loads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from cardkeep import __version__
from cardkeep.dates import PartialDate, YearlyRule, in_year, occurrences, readable_when
from cardkeep.plan import mailing
from cardkeep.plan.eligibility import person_excluded
from cardkeep.plan.reminders import Reminder, SentCards, card_sent, cards_sent, collect_settings, eligible_dates
from cardkeep.settings import Settings, load_settings

EASTER_YEARS = 30
ALARM_HOUR = 9


def uid(date_id: int, contact_id: int) -> str:
    return f"d{date_id}-c{contact_id}@cardkeep"


def _summary(row: Mapping[str, Any]) -> str:
    occasion = Reminder(
        date_id=0, contact_id=0, household_id=0, name="", kind=row["kind"], label=row["label"],
        on=dt.date.min, mail_by=dt.date.min, lead_days=0, country=None, international=False,
    ).occasion
    text = f"{row['name']}: {occasion}"
    if row["year"] and not row["rule"]:
        text += f" (born {row['year']})" if row["kind"] == "birthday" else f" ({row['year']})"
    return text


def _recurrence(when: PartialDate | YearlyRule, today: dt.date, leap_day: str) -> tuple[dt.date, str | None, list]:
    """(DTSTART, RRULE text or None, RDATEs) for one date."""
    if isinstance(when, YearlyRule):
        start = in_year(when, today.year, leap_day=leap_day)
        if when.kind == "easter":
            rdates = [in_year(when, y, leap_day=leap_day) for y in range(today.year + 1, today.year + EASTER_YEARS)]
            return start, None, rdates
        year = today.year
        while start is None:  # a "5th Sunday" this year may not exist: start at the next one
            year += 1
            start = in_year(when, year, leap_day=leap_day)
        return start, when.rrule, []
    if when.month == 2 and when.day == 29:
        rule = "FREQ=YEARLY;BYYEARDAY=60" if leap_day == "mar1" else "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
        start = dt.date(when.year, 2, 29) if when.year else in_year(when, today.year, leap_day=leap_day)
        return start, rule, []
    start = dt.date(when.year, when.month, when.day) if when.year else in_year(when, today.year)
    return start, "FREQ=YEARLY", []


def build(
    rows: Iterable[Mapping[str, Any]],
    *,
    today: dt.date,
    home: str | None = None,
    mail_settings: Mapping[str, Any] | None = None,
    leap_day: str = "feb28",
    sent: SentCards | None = None,
) -> bytes:
    """The .ics bytes for the date rows (the same rows `reminders.collect` takes). An occurrence
    whose card is already sent (`sent`, see `reminders.cards_sent`) keeps its day but loses its
    alarm: an override instance (RECURRENCE-ID) with no VALARM."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", f"-//cardkeep//cardkeep {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "cardkeep")
    stamp = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    settings = dict(mail_settings or {})
    for row in sorted(rows, key=lambda r: r["id"]):
        if person_excluded(row.get("status"), row.get("household_status"), row["kind"]):
            continue
        when = readable_when(row["year"], row["month"], row["day"], row["rule"])
        if when is None:
            continue  # a rule this version cannot read: reported by the command, never the end of it
        start, rule, rdates = _recurrence(when, today, leap_day)
        country = row.get("country")
        lead = int(row["lead_days"]) if row.get("lead_days") is not None else mailing.lead_days(country, home, settings)
        summary = _summary(row)
        event = icalendar.Event()
        event.add("uid", uid(row["id"], row["contact_id"]))
        event.add("dtstamp", stamp)
        event.add("summary", summary)
        event.add("dtstart", start)
        if start < dt.date.max:  # without DTEND an all-day event lasts its one day (RFC 5545)
            event.add("dtend", start + dt.timedelta(days=1))
        if rule:
            event.add("rrule", icalendar.vRecur.from_ical(rule))
        if rdates:
            event.add("rdate", rdates)
        if row["rule"]:
            event.add("x-cardkeep-rule", row["rule"])
        event.add("categories", [row["kind"]])
        event.add("transp", "TRANSPARENT")
        where = "abroad" if mailing.is_international(country, home) else "at home"
        event.add(
            "description",
            f"Mail the card {lead} day{'s' if lead != 1 else ''} ahead ({where}"
            f"{', ' + country if country else ''}). cardkeep d{row['id']}, c{row['contact_id']}.",
        )
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Mail the card today: {summary}")
        alarm.add("trigger", dt.timedelta(days=-lead, hours=ALARM_HOUR))
        event.add_component(alarm)
        cal.add_component(event)
        if sent and rule and not row["rule"]:
            horizon = today + dt.timedelta(days=400)
            for day in occurrences(when, today - dt.timedelta(days=14), horizon, leap_day=leap_day):
                if card_sent(sent, row, day):
                    done = icalendar.Event()
                    done.add("uid", uid(row["id"], row["contact_id"]))
                    done.add("dtstamp", stamp)
                    done.add("recurrence-id", day)
                    done.add("summary", f"{summary} (card sent)")
                    done.add("dtstart", day)
                    done.add("dtend", day + dt.timedelta(days=1))
                    done.add("transp", "TRANSPARENT")
                    cal.add_component(done)
    return cal.to_ical()


def export(db, *, today: dt.date, config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> bytes:
    """The whole book's dates as .ics bytes (`settings`, else checked from `config`)."""
    settings = settings or load_settings(config or {})
    sent = cards_sent(db, today.year - 1, today.year + 2)
    return build(eligible_dates(db), today=today, sent=sent, **collect_settings(db, settings))
