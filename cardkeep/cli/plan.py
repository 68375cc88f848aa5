"""Card history and the yearly plan: sent, received, history, plan, mark, progress.

(`returned WHO` lives with the address commands in cli/book.py.)
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Any

import typer

from cardkeep.cli import complete, output
from cardkeep.cli._app import JsonOption, TodayOption, app, check_date, check_occasion, get_db, resolve_today
from cardkeep.errors import UsageError

Who = Annotated[str, typer.Argument(metavar="WHO", autocompletion=complete.people, help="A name, or an id such as c12 (person) or h3 (household).")]
YearOption = Annotated[int | None, typer.Option("--year", metavar="YEAR", help="The card year (default: this year).")]
OccasionOption = Annotated[str, typer.Option("--occasion", metavar="OCCASION", callback=check_occasion,
                                                  help="holiday, birthday, anniversary, thank-you...")]
DateOption = Annotated[
    str | None, typer.Option("--date", metavar="YYYY-MM-DD", callback=check_date, help="The day (default: today, for this season's card).")
]


def _who(db, who: str) -> tuple[int, int | None]:
    """(household id, contact id when WHO names one person)."""
    from cardkeep.store import book

    household_id = book.resolve_household(db, who)
    matches = book.find(db, who)
    contact_id = matches[0].id if len(matches) == 1 and matches[0].kind == "contact" else None
    return household_id, contact_id


def _year_and_date(year: int | None, date: str | None, today: dt.date, occasion: str) -> tuple[int, dt.date | None]:
    from cardkeep.dates import parse_iso_date
    from cardkeep.settings import load_settings

    on = parse_iso_date(date, what="--date") if date else None
    if on and on > today:
        raise UsageError(f"--date {on} is in the future")
    if year is None:
        year = load_settings().card_year(occasion, on or today)
    elif year > today.year:
        raise UsageError(f"--year {year} is in the future")
    elif on and not year <= on.year <= year + 1:  # a late holiday card arrives in the new year
        raise UsageError(f"--date {on} does not belong to a card of {year}")
    if on is None and (year == today.year or (year == today.year - 1 and today.month == 1)):
        # Recording this season's card as it happens (last season's, in January, as late cards come
        # in); any other year keeps no day: today would be wrong, and would count as recent contact.
        on = today
    return year, on


def _card_year(year: int | None, today: dt.date) -> int:
    """`--year` of a plan or batch: this year by default, and a real year when given."""
    if year is None:
        return today.year
    if not 1900 <= year <= 9998:
        raise UsageError(f"--year: {year} is not a year (1900 to 9998)")
    return year


@app.command()
def sent(
    who: Who,
    year: YearOption = None,
    occasion: OccasionOption = "holiday",
    date: DateOption = None,
    design: Annotated[str | None, typer.Option("--design", metavar="DESIGN", help="The card's design, so nobody gets it twice.")] = None,
    message: Annotated[str | None, typer.Option("--message", metavar="TEXT", help="What you wrote.")] = None,
    signed_by_hand: Annotated[
        bool | None, typer.Option("--signed-by-hand/--typeset", help="Signed by hand, or printed.")
    ] = None,
    today: TodayOption = None,
) -> None:
    """Record a card sent (marks it mailed in the saved batch, if there is one)."""
    from cardkeep.plan import history
    from cardkeep.store import book

    db = get_db()
    household_id, contact_id = _who(db, who)
    year, on = _year_and_date(year, date, resolve_today(today), occasion)
    if design:
        from cardkeep.plan.rules import design_years
        from cardkeep.store.load import load_households

        (house,) = load_households(db, [household_id])
        had = design_years(house.cards, design, before=year)
        if had:
            years = ", ".join(sorted({str(y) for y, _ in had}))
            output.warn(f"{house.mailing_name} already had the {had[0][1]} design in {years}")
    history.record_sent(db, household_id, year=year, occasion=occasion, on=on, design=design, message=message,
                        signed_by_hand=signed_by_hand, contact_id=contact_id)
    output.echo(f"Recorded the {year} {occasion} card sent to {book.hid(household_id)} "
                f"{book.mailing_name(db, household_id)}")


@app.command()
def received(
    who: Who,
    year: YearOption = None,
    occasion: OccasionOption = "holiday",
    date: DateOption = None,
    news: Annotated[str | None, typer.Option("--news", metavar="TEXT", help="Their news; kept as a dated note.")] = None,
    today: TodayOption = None,
) -> None:
    """Record a card they sent you; its news becomes a dated note for next year's card."""
    from cardkeep.plan import history
    from cardkeep.store import book

    db = get_db()
    household_id, contact_id = _who(db, who)
    year, on = _year_and_date(year, date, resolve_today(today), occasion)
    history.record_received(db, household_id, year=year, occasion=occasion, on=on, news=news, contact_id=contact_id)
    noted = "; their news is kept as a note" if news and news.strip() else ""
    output.echo(f"Recorded the {year} {occasion} card from {book.hid(household_id)} "
                f"{book.mailing_name(db, household_id)}{noted}")


@app.command("history")
def history_(
    who: Annotated[str | None, typer.Argument(metavar="[WHO]", autocompletion=complete.people, help="A household or person (default: everyone, one line each).")] = None,
    occasion: Annotated[
        str | None, typer.Option("--occasion", metavar="OCCASION", callback=check_occasion, help="Only this kind of card (the overview: holiday).")
    ] = None,
    grid: Annotated[
        bool, typer.Option("--grid", help="Every household against the last --years years, quietest first.")
    ] = False,
    years: Annotated[int, typer.Option("--years", metavar="N", help="Years the grid shows (default 10).")] = 10,
    svg: Annotated[
        str | None, typer.Option("--svg", metavar="FILE", help="Save the grid as an SVG picture (- for stdout).")
    ] = None,
    today: TodayOption = None,
    json: JsonOption = False,
) -> None:
    """Cards sent and received, year by year, with designs, so nobody gets the same one twice.

    `history --grid` draws the years at a glance (`--svg FILE` saves the picture)."""
    from cardkeep.plan import history
    from cardkeep.store import book

    db = get_db()
    if grid or svg is not None:
        if who is not None:
            raise UsageError("--grid shows every household: leave out WHO")
        _print_grid(db, occasion or "holiday", resolve_today(today).year, years, svg, json)
        return
    if who is None:
        rows = history.overview(db, occasion=occasion or "holiday")
        if json:
            output.print_json(rows)
            return
        if not rows:
            output.echo("No cards recorded yet (`cardkeep sent WHO` and `cardkeep received WHO` add them).")
            return
        first = min(r["first_year"] for r in rows)
        last = max(r["last_year"] for r in rows)
        output.print_table(
            (
                [r["household"], r["mailing_name"],
                 history.marks(r["years_sent"], r["years_received"], first, last, r["years_returned"]),
                 len(r["years_sent"]), len(r["years_received"])]
                for r in rows
            ),
            ["id", "household", f"{first}–{last}", "sent", "back"],
        )
        output.echo(history.MARKS_LEGEND)
        return
    record = history.household_history(db, book.resolve_household(db, who), occasion=occasion)
    if json:
        output.print_json(record)
        return
    _print_history(record)


def _print_grid(db: Any, occasion: str, last_year: int, span: int, svg: str | None, json: bool) -> None:
    from cardkeep.fileio import write_output
    from cardkeep.plan import grid as years_grid, history

    if not 1 <= span <= 100:
        raise UsageError(f"--years must be from 1 to 100, not {span}")
    picture = years_grid.build(history.overview(db, occasion=occasion), last_year=last_year, span=span)
    if svg is not None:
        written = write_output(svg, years_grid.to_svg(picture, title=f"{occasion.capitalize()} cards, "
                                                      f"{picture.years[0]}–{picture.years[-1]}"))
        if written is not None:
            output.echo(f"Wrote {written} ({len(picture.rows)} households, {span} years)")
        return
    if json:
        output.print_json({"years": list(picture.years),
                           "households": [{"household": r.household, "mailing_name": r.mailing_name,
                                           "cells": list(r.cells), "last_heard": r.last_heard}
                                          for r in picture.rows]})
        return
    if not picture.rows:
        output.echo(f"No {occasion} cards recorded in {picture.years[0]}–{picture.years[-1]}.")
        return
    output.print_table(
        ([r.household, r.mailing_name, r.marks, r.last_heard or "never"] for r in picture.rows),
        ["id", "household", f"{picture.years[0]}–{picture.years[-1]}", "last heard"],
    )
    output.echo(years_grid.legend())


def _years(n: int) -> str:
    return f"{n} year{'' if n == 1 else 's'}"


def _print_history(record: dict[str, Any]) -> None:
    from cardkeep.plan import history

    head = f"{record['household']}  {output.escape(record['mailing_name'])}"
    output.print_styled(output.styled(head, "bold"))
    if not record["years"]:
        output.echo("  no cards recorded yet")
        return
    first, last = record["first_year"], record["last_year"]
    years = record["years"]
    sent_years = [y["year"] for y in years if y["sent"]]
    back_years = [y["year"] for y in years if y["received"]]
    returned = [y["year"] for y in years if any(c["returned"] for c in y["sent"])]
    output.echo(
        f"  {first}–{last}: we sent cards in {_years(len(sent_years))}; "
        f"they sent one back in {_years(len(back_years))}"
    )
    output.echo(f"  {history.marks(sent_years, back_years, first, last, returned)}  ({history.MARKS_LEGEND})")
    for entry in years:
        parts = []
        for c in entry["sent"]:
            bits = [f"sent {c['occasion']}"]
            if c["date"]:
                bits.append(c["date"])
            if c["design"]:
                bits.append(f'"{c["design"]}"')
            if c["signed_by_hand"] is not None:
                bits.append("signed by hand" if c["signed_by_hand"] else "typeset")
            if c["returned"]:
                bits.append("came back")
            parts.append(" ".join(bits))
        for c in entry["received"]:
            bits = [f"received {c['occasion']}"] + ([c["date"]] if c["date"] else [])
            if c["news"]:
                bits.append(f"news: {c['news']}")
            parts.append(" ".join(bits))
        output.print_styled(f"  {entry['year']}  {output.escape('; '.join(parts))}")


# ---------------------------------------------------------------- the plan

_HEADINGS = {"send": "Send", "consider": "Consider", "skip": "Skip"}
_STYLES = {"send": "green", "consider": "yellow", "skip": "dim"}


@app.command("plan")
def plan_(
    year: YearOption = None,
    occasion: OccasionOption = "holiday",
    today: TodayOption = None,
    json: JsonOption = False,
    save: Annotated[bool, typer.Option("--save", help="Record the cards to send as this year's batch.")] = False,
    with_consider: Annotated[
        bool, typer.Option("--with-consider", help="With --save: put the ones to consider in the batch too.")
    ] = False,
    design: Annotated[
        str | None, typer.Option("--design", metavar="DESIGN", help="This year's design: flags anyone who had it before.")
    ] = None,
) -> None:
    """Who gets a card this year, and why: send, consider or skip, with mail-by dates."""
    from cardkeep.model import check_occasion
    from cardkeep.services.plan import make_plan, save_plan
    from cardkeep.settings import load_settings

    if with_consider and not save:
        raise UsageError("--with-consider goes with --save")
    check_occasion(occasion)
    settings = load_settings()
    db = get_db()
    day = resolve_today(today)
    year = _card_year(year, day)
    the_plan = make_plan(db, year=year, today=day, settings=settings, occasion=occasion, design=design)
    if the_plan.home_inferred:
        output.warn(f"no [sender] country in the config: taking {the_plan.home} (most addresses) as home")
    if json:
        output.print_json([d.to_json() for d in the_plan.decisions])
    else:
        _print_plan(the_plan)
    if save:
        result = save_plan(db, the_plan, today=day, include_consider=with_consider, design=design)
        total = result.total
        line = f"Saved the {year} {occasion} batch: {total} card{'s' if total != 1 else ''}"
        if result.resaved:  # saved before: say what changed
            changed = [f"{len(result.added)} added"] if result.added else []
            changed += [f"{len(result.removed)} no longer planned, dropped"] if result.removed else []
            line += f" ({', '.join(changed) or 'unchanged'}; progress kept)"
        if result.left_out:
            line += (f"; {len(result.left_out)} to consider are not in it "
                     "(add one with `cardkeep mark WHO planned`)")
        # With --json, stdout is for the plan alone; the note about the save goes to stderr.
        print(line, file=sys.stderr if json else sys.stdout)


def _print_plan(the_plan) -> None:
    joiner = "\n" if output.is_terminal() else "; "  # one reason a line in a table, one line a household in a pipe
    for decision in ("send", "consider", "skip"):
        rows = the_plan.by_decision(decision)
        if not rows:
            continue
        title = f"{_HEADINGS[decision]} ({len(rows)})"
        output.print_table(
            (
                [d.mail_by.isoformat() if d.mail_by and decision != "skip" else "",
                 f"h{d.household_id}", d.mailing_name, d.country or "", joiner.join(d.reasons)]
                for d in rows
            ),
            ["mail by", "id", "household", "country", "why"],
            title=output.styled(title, f"bold {_STYLES[decision]}"),
        )
        output.echo()
    stamps = the_plan.stamps()
    sending = stamps["domestic"] + stamps["international"]
    output.echo(
        f"{the_plan.year} {the_plan.occasion} cards to arrive by {the_plan.arrive_by.isoformat()}: "
        f"{sending} to send ({stamps['domestic']} domestic and {stamps['international']} international stamps), "
        f"{len(the_plan.by_decision('consider'))} to consider, {len(the_plan.by_decision('skip'))} to skip"
    )


# ---------------------------------------------------------------- from plan to mailbox


@app.command()
def mark(
    words: Annotated[
        list[str] | None,
        typer.Argument(metavar="WHO... STATE", autocompletion=complete.people, help="Names or ids, then planned, written, signed, addressed, "
                       "stamped or mailed."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every card in the batch not yet at STATE.")] = False,
    typeset: Annotated[
        bool, typer.Option("--typeset", help="Let cards pass 'signed' unsigned, on purpose (printed signatures).")
    ] = False,
    design: Annotated[str | None, typer.Option("--design", metavar="DESIGN", help="The design used (kept in the history).")] = None,
    message: Annotated[str | None, typer.Option("--message", metavar="TEXT", help="What you wrote (kept in the history).")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD", callback=check_date, help="When (default: today).")] = None,
    year: YearOption = None,
    occasion: OccasionOption = "holiday",
    unmail: Annotated[
        bool, typer.Option("--unmail", help="Step a mailed card back (it was not mailed after all); asks first.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")] = False,
    today: TodayOption = None,
    json: JsonOption = False,
) -> None:
    """Move cards in the saved batch along: planned, written, signed, addressed, stamped, mailed.

    A mailed card steps back only with --unmail (its sent card leaves the history)."""
    from cardkeep.plan import batch
    from cardkeep.settings import load_settings
    from cardkeep.store import book

    words = list(words or [])
    if not words:
        raise UsageError(f"say who and the state: cardkeep mark WHO... STATE (states: {', '.join(batch.STATES)})")
    state = batch.check_state(words.pop())
    if all_ and words:
        raise UsageError("give names or --all, not both")
    if not all_ and not words:
        raise UsageError(f"whose card is {state}? Name them, or say --all")
    from cardkeep.dates import parse_iso_date

    db = get_db()
    day = resolve_today(today)
    when = parse_iso_date(on, what="--on") if on else day
    year = _card_year(year, day)
    if when > day:
        raise UsageError(f"--on {when} is in the future")
    if not year <= when.year <= year + 1:
        raise UsageError(f"--on {when} does not belong to the {year} batch")
    ids = None if all_ else [book.resolve_household(db, w) for w in words]
    if unmail:
        if all_ or state == "mailed":
            raise UsageError("--unmail steps named cards back from mailed: name them and an earlier STATE")
        from cardkeep.cli.record import confirm

        mailed = [f"{book.hid(i)} {book.mailing_name(db, i)}" for i in ids
                  if batch.state_of(db, i, year=year, occasion=occasion) == "mailed"]
        if mailed:
            confirm(f"Step {', '.join(mailed)} back to {state}, and remove the sent card from the history?", yes)
    changes = batch.mark(db, ids, state, year=year, on=when, occasion=occasion, typeset=typeset,
                         design=design, message=message, settings=load_settings(), unmail=unmail)
    if json:
        output.print_json([c.to_json() for c in changes])
        return
    if not changes:
        output.echo(f"Nothing to do: every card in the batch is already {state} or further.")
        return
    for c in changes:
        name = f"h{c.household_id} {c.mailing_name}"
        if c.before is None:
            output.echo(f"{name}: added to the batch")
        elif c.before == c.after:
            output.echo(f"{name}: already {c.after}")
        else:
            output.echo(f"{name}: {c.before} -> {c.after}")


@app.command()
def progress(
    year: YearOption = None,
    occasion: OccasionOption = "holiday",
    today: TodayOption = None,
    json: JsonOption = False,
) -> None:
    """Where the batch stands: who is left, cards not yet signed first, most urgent first."""
    from cardkeep.plan import batch

    day = resolve_today(today)
    report = batch.progress(get_db(), _card_year(year, day), today=day, occasion=occasion)
    if json:
        output.print_json(report)
        return
    counts = report["counts"]
    output.print_styled(output.styled(
        f"{report['year']} {report['occasion']} batch: {report['mailed']} of {report['total']} mailed, "
        f"arrive by {report['arrive_by']}", "bold"))
    output.echo("  " + " · ".join(f"{state} {counts[state]}" for state in batch.STATES))
    if report["typeset"]:
        output.echo(f"  {report['typeset']} typeset on purpose (not signed by hand)")
    unsigned = report["unsigned"]
    if unsigned:
        output.print_styled(output.styled(f"Not yet signed by hand ({len(unsigned)}):", "bold red"))
        for item in unsigned:
            late = output.styled(", overdue", "bold") if item["overdue"] else ""
            output.print_styled(f"  {item['household']} {output.escape(item['mailing_name'])} ({item['state']}, "
                                f"mail by {item['mail_by']}{late})")
    left = report["left"]
    if not left:
        if report["total"]:
            output.echo("Every card is mailed.")
        return
    output.echo()
    output.print_table(
        (
            [item["mail_by"] + (" overdue" if item["overdue"] else ""), item["household"],
             item["mailing_name"], item["country"] or "", item["state"]]
            for item in left
        ),
        ["mail by", "id", "household", "country", "state"],
        title=f"Left to mail ({len(left)}), most urgent first",
    )
