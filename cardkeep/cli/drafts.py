"""`cardkeep drafts`: a personal draft per recipient, to PDF, Markdown or JSON; `drafts templates`.

    cardkeep drafts [--plan [YEAR] | --tag T | WHO...] [--letter letter.md] [--template NAME|FILE]
                    [--occasion O] [--format pdf|md|json] [--size S] [--on-card] [--output FILE] [--keep-going]
                    [--print [--printer NAME]]
    cardkeep drafts templates [--copy NAME] [--json]
"""

from __future__ import annotations

import json as jsonlib
import re
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from cardkeep import model
from cardkeep.cli import complete, output
from cardkeep.cli._app import JsonOption, TodayOption, _checked, app, choice, get_db, resolve_today
from cardkeep.cli._printer import PrinterOption, PrintOption
from cardkeep.errors import CardkeepError, InvalidInput, UsageError
from cardkeep.fileio import read_input

OCCASIONS = model.DRAFT_OCCASIONS
SIZES = ("a6", "a7", "5x7", "a2", "a4-letter")
FORMATS = ("pdf", "md", "json")


class _DefaultCommandGroup(TyperGroup):
    """`drafts ...` runs the hidden `make` command unless the first word is a subcommand
    (`templates`), so the group takes names as well as subcommands."""

    def parse_args(self, ctx, args):
        if not args or args[0] not in self.commands:
            args = ["make", *args]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx, args):
        name, command, rest = super().resolve_command(ctx, args)
        # Usage and help read "cardkeep drafts [OPTIONS] [WHO]...", not "... drafts make".
        return ("" if name == "make" else name), command, rest


class _DefaultContext(typer.Context):
    @property
    def command_path(self) -> str:
        return " ".join(super().command_path.split())


class _DefaultCommand(TyperCommand):
    context_class = _DefaultContext


drafts_app = typer.Typer(
    cls=_DefaultCommandGroup,
    no_args_is_help=False,
    help="Card drafts, one per recipient, to sign by hand; `drafts templates` lists the templates.",
)
app.add_typer(drafts_app, name="drafts")


def _template(value: str, option: str) -> None:
    """A shipped template's name, or (for --template) a template file."""
    from cardkeep.drafts.sandbox import shipped_templates

    if value in shipped_templates() or (option == "--template" and Path(value).expanduser().is_file()):
        return
    what = "no such file, and no shipped template by that name" if option == "--template" else "no shipped template"
    raise UsageError(f"{option} {value!r}: {what} (shipped: {', '.join(shipped_templates())})")


check_template = _checked(_template)


def _choice(value: str | None, choices: tuple[str, ...], option: str) -> str | None:
    if value is not None and value not in choices:
        raise UsageError(f"{option} {value!r}: choose one of {', '.join(choices)}")
    return value


def _format_for(fmt: str | None, out: str | None) -> str:
    if fmt:
        return _choice(fmt, FORMATS, "--format")  # type: ignore[return-value]
    suffix = Path(out).suffix.lower() if out else ""
    return {".md": "md", ".markdown": "md", ".json": "json"}.get(suffix, "pdf")


@drafts_app.command(
    "make",
    cls=_DefaultCommand,
    hidden=True,
    help="Write a personal draft for each recipient, to sign by hand.\n\n"
    "A PDF to write from (a cover checklist in mailing order, one page per card, a marked space to sign by "
    "hand), or Markdown or JSON. Recipients: WHO..., --tag, "
    "--plan [YEAR], or by default this year's saved plan. `cardkeep drafts templates` lists the templates.",
)
def make(
    who: Annotated[
        list[str] | None, typer.Argument(metavar="WHO", autocompletion=complete.people, help="Names or ids (h12, c34); with --plan, a YEAR.", show_default=False)
    ] = None,
    plan: Annotated[bool, typer.Option("--plan", rich_help_panel="Recipients", help="The saved plan's households, in mailing order.")] = False,
    tag: Annotated[str | None, typer.Option("--tag", rich_help_panel="Recipients", metavar="TAG", autocompletion=complete.tags, help="Households with this tag.")] = None,
    letter: Annotated[
        Path | None, typer.Option("--letter", rich_help_panel="Content", metavar="FILE", help="A shared letter (Markdown), linted first.")
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", rich_help_panel="Content", metavar="NAME|FILE", autocompletion=complete.draft_templates, callback=check_template, help="A shipped template or a .j2 file.")
    ] = None,
    occasion: Annotated[
        str | None, typer.Option("--occasion", rich_help_panel="Content", metavar="OCCASION", callback=choice(*OCCASIONS), help=f"One of {', '.join(OCCASIONS)} (default: holiday).")
    ] = None,
    fmt: Annotated[str | None, typer.Option("--format", rich_help_panel="Output", metavar="FORMAT", callback=choice("pdf", "md", "json"), help="pdf, md or json (default: from --output, else pdf).")] = None,
    size: Annotated[str | None, typer.Option("--size", rich_help_panel="Output", metavar="SIZE", callback=choice(*SIZES), help=f"Card size: {', '.join(SIZES)} (default: a6).")] = None,
    out: Annotated[
        str | None,
        typer.Option("--output", "-o", rich_help_panel="Output", metavar="FILE", help="Where to write (default: stdout; PDF: drafts-OCCASION-YEAR.pdf)."),
    ] = None,
    keep_going: Annotated[
        bool, typer.Option("--keep-going", rich_help_panel="Output", help="Write the drafts that work and list the ones that failed.")
    ] = False,
    on_card: Annotated[
        bool, typer.Option("--on-card", rich_help_panel="Output", help="PDF to print on the cards themselves: the text alone, no guides, labels or footer.")
    ] = False,
    print_: PrintOption = False,
    printer: PrinterOption = None,
    today: TodayOption = None,
) -> None:
    from cardkeep.drafts import render as drafts

    fmt = _format_for(fmt, out)
    if on_card and fmt != "pdf":
        raise UsageError(f"--on-card lays out the PDF; it does not go with --format {fmt}")
    from cardkeep.cli import _printer

    printing = _printer.wanted(print_, printer, out)
    if printing and fmt != "pdf":
        raise UsageError(f"--print sends the PDF; it does not go with --format {fmt}")
    _choice(occasion, OCCASIONS, "--occasion")
    _choice(size, SIZES, "--size")
    day = resolve_today(today)
    who = list(who or [])
    year = day.year
    if plan and len(who) == 1 and re.fullmatch(r"\d{4}", who[0]):
        year, who = int(who[0]), []
    if sum([plan, bool(who), tag is not None]) > 1:
        raise UsageError("choose one of --plan [YEAR], --tag or names")

    if template is None:
        template = occasion or "holiday"
    if occasion is None:
        occasion = template if template in OCCASIONS else "holiday"
    compiled = drafts.load_template(template)

    db = get_db()
    shared = None
    if letter is not None:
        try:
            text = read_input(letter, name=f"--letter {letter}").decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"cannot read --letter {letter}: {getattr(exc, 'strerror', None) or exc}") from None
        from cardkeep.cli.lint import lint_settings

        ignore, allow, max_words = lint_settings()
        from cardkeep.store.book import known_names

        shared = drafts.prepare_letter(
            text, path=str(letter), ignore=ignore, allow=allow, max_words=max_words, names=known_names(db)
        )
        if "letter" not in compiled.fields:
            output.warn(f"template {compiled.filename} does not use the letter ({{{{ letter }}}}); it is left out")

    ids = _select(db, who, tag, plan, year, occasion)
    if not ids:
        raise CardkeepError(
            f"no one to write to: no household is tagged {tag!r}" if tag is not None
            else f"no one to write to: the saved {occasion} plan for {year} has no one in it"
        )
    run = drafts.drafts_for(
        db, ids, compiled, today=day, year=year, occasion=occasion, letter=shared, keep_going=keep_going,
        persons=_named_people(db, who),
    )
    _report(run, shared)
    if not run.drafts and not run.failures:
        raise CardkeepError("no one to write to: every household chosen was skipped")

    if fmt == "json":
        data = {
            "occasion": occasion,
            "year": year,
            "template": compiled.filename,
            "drafts": [d.to_json() for d in run.drafts],
            "removed_lines": shared.removed if shared else [],
            "skipped": [{"name": name, "reason": reason} for name, reason in run.skipped],
            "failures": [vars(f) for f in run.failures],
        }
        _emit(jsonlib.dumps(data, ensure_ascii=False, indent=2) + "\n", out, len(run.drafts))
    elif fmt == "md":
        _emit(drafts.to_markdown(run), out, len(run.drafts))
    else:
        from cardkeep.config import section
        from cardkeep.drafts import pdf as draft_pdf
        from cardkeep.fileio import write_atomic

        if out == "-" and output.is_terminal():
            raise UsageError("a PDF on a terminal is unreadable: give --output FILE, or pipe it")
        chosen_size = size or section("drafts").get("size", "a6")
        _choice(chosen_size, SIZES, "[drafts] size")
        layouts, misfits = draft_pdf.lay_out_all(run.drafts, chosen_size)
        if misfits and not keep_going:
            more = f" (and {len(misfits) - 1} more)" if len(misfits) > 1 else ""
            raise CardkeepError(misfits[0][1] + more + "; nothing written")
        for draft, message in misfits:
            output.error(message)
            run.failures.append(drafts.Failure(draft.household, draft.mailing_name, message))
            run.drafts.remove(draft)
        pdf = draft_pdf.render_pdf(layouts, size=chosen_size, title=f"{occasion.capitalize()} cards {year}",
                                   on_card=on_card)
        if layouts and out == "-":
            sys.stdout.buffer.write(pdf.data)
            sys.stdout.flush()
        elif layouts and (out is not None or not printing):  # --print alone writes no file
            path = Path(output.default_output(out, f"drafts-{occasion}-{year}.pdf"))
            write_atomic(path, pdf.data, private=True)
            output.echo(f"Wrote {_drafts(len(layouts))} ({pdf.pages} pages, {chosen_size}) to {path}")
        if layouts and printing:
            _print_drafts(pdf, chosen_size, printer, f"{occasion.capitalize()} cards {year}", on_card)
        for warning in pdf.warnings:
            output.warn(warning)
    if run.failures:
        raise CardkeepError(f"{_drafts(len(run.failures))} failed (listed above); wrote the other {len(run.drafts)}")


def _print_drafts(pdf, size: str, printer: str | None, title: str, on_card: bool) -> None:
    """The cover on A4 or Letter, then the cards on paper of the card's size: two jobs, both papers
    checked before either is sent."""
    from cardkeep.cli import _printer
    from cardkeep.drafts.pdf import MM, SIZES

    cover, cards = pdf.cover_pages, pdf.pages - pdf.cover_pages
    width, height = SIZES[size]
    card_paper = None if size == "a4-letter" else (round(width / MM, 2), round(height / MM, 2))
    parts = [
        (f"1-{cover}", None, f"the checklist ({cover} page{'s' if cover != 1 else ''})"),
        (f"{cover + 1}-{pdf.pages}", card_paper,
         f"{_drafts(cards)} ({size}{', to print on the cards' if on_card else ''})"),
    ]
    _printer.send_parts(pdf.data, parts, printer=printer, title=title)


def _select(db, who: list[str], tag: str | None, plan: bool, year: int, occasion: str) -> list[int]:
    from cardkeep.plan import selection

    if who or tag is not None:
        return selection.select_household_ids(db, who=who or None, tag=tag)
    from cardkeep.plan import batch

    ids = batch.saved_household_ids(db, year, occasion)
    if ids is None:
        if plan:
            flag = "" if occasion == "holiday" else f" --occasion {occasion}"
            raise CardkeepError(f"no saved {occasion} plan for {year}: run `cardkeep plan --year {year}{flag} --save` first")
        raise UsageError(
            f"no saved {occasion} plan for {year}: name the recipients, or use --tag T or --plan YEAR"
        )
    return ids


def _drafts(count: int) -> str:
    return f"{count} draft{'' if count == 1 else 's'}"


def _named_people(db, who: list[str]) -> dict[int, int]:
    """The household of each person named (not household) on the command line: whose card it is."""
    from cardkeep.store import book

    persons = {}
    for name in who:
        matches = book.find(db, name)
        if len(matches) == 1 and matches[0].kind == "contact":
            persons[book.contact_household(db, matches[0].id)] = matches[0].id
    return persons


def _report(run, shared) -> None:
    if shared:
        for r in shared.removed:
            output.warn(f"removed from every draft: line {r['line']} ({r['rule']}: {r['message']}): {r['text']}")
        for w in shared.warnings:
            output.warn(w)
    for name, reason in run.skipped:
        output.warn(f"skipped {name}: {reason}")
    for failure in run.failures:
        output.error(failure.message)


def _emit(text: str, out: str | None, count: int) -> None:
    if out and out != "-":
        from cardkeep.fileio import write_atomic

        write_atomic(out, text, private=True)
        output.echo(f"Wrote {_drafts(count)} to {out}")
    else:
        print(text, end="" if text.endswith("\n") else "\n")


@drafts_app.command("templates")
def templates(
    copy: Annotated[
        str | None, typer.Option("--copy", metavar="NAME", autocompletion=complete.draft_templates, callback=check_template, help="Copy a shipped template here as NAME.j2 to edit.")
    ] = None,
    to: Annotated[Path | None, typer.Option("--to", metavar="PATH", help="Where --copy writes (a file or folder).")] = None,
    json: JsonOption = False,
) -> None:
    """List the shipped draft templates, or copy one out to make your own (`--template FILE`)."""
    from cardkeep.drafts import render as drafts
    from cardkeep.fileio import write_atomic

    if copy is not None:
        source = drafts.template_source(copy)
        target = to or Path(f"{copy}{drafts.TEMPLATE_SUFFIX}")
        if target.is_dir():
            target = target / f"{copy}{drafts.TEMPLATE_SUFFIX}"
        if target.exists():
            raise CardkeepError(f"{target} already exists; move it away or choose another path with --to")
        write_atomic(target, source)
        output.echo(f"Copied {copy} to {target}; use it with `cardkeep drafts --template {shlex.quote(str(target))}`")
        return
    rows = [
        {"name": name, "description": drafts.template_description(drafts.template_source(name))}
        for name in drafts.shipped_templates()
    ]
    if json:
        output.print_json(rows)
    else:
        output.print_table([(r["name"], r["description"]) for r in rows], ["name", "description"])
