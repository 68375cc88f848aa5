"""`cardkeep labels` and `cardkeep envelopes`: addresses on real label sheets and envelopes.

    cardkeep labels [--plan | --tag T | WHO...] [--template avery-5160] [--start N] [--skip 1,2]
                    [--copies K] [--outline] [--sort plan|name|postal-code] [--output labels.pdf] [--keep-going]
    cardkeep labels --return [--count N]          # return-address labels from [sender]
    cardkeep labels templates [--json]
    cardkeep labels calibrate [--template T] [--dx MM] [--dy MM] [--scale S] [--reset] [--test-sheet FILE]
                                                  # --dx/--dy add to the saved offset, --scale multiplies
    cardkeep envelopes [--plan | --tag T | WHO...] [--size 10|A7|A2|C6|C5|DL] [--output envelopes.pdf]
    cardkeep labels|envelopes ... --print [--printer NAME]   # straight to a CUPS printer (cli/_printer.py)

`labels` with no subcommand word prints labels (the hidden `print` command), so names and options
go straight after it. With neither names, --tag nor --plan, the current year's saved plan is used.
Every label is printed at one size (`cardkeep.printing.fitting`): the size is in the summary line,
and who made it smaller, and every label broken over more lines, are named on stderr. A label that
cannot fit stops the command before anything is written, unless --keep-going leaves it out (named),
writes the rest and exits 1.

Config: `[labels] template = "avery-l7160"` (default sheet), `[envelopes] size = "DL"`;
`[labels.calibration.<template>]` (see `cardkeep.printing.labels`); `[sender]` (see `cardkeep.printing.addressing`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cardkeep.cli import complete, output
from cardkeep.cli._app import JsonOption, TodayOption, _checked, app as main_app, get_db, resolve_today
from cardkeep.cli._printer import PrinterOption, PrintOption
from cardkeep.errors import CardkeepError, UsageError


class _DefaultPrintGroup(TyperGroup):
    """`labels ...` runs the `print` command unless the first word is a subcommand, so that
    `labels --help` shows the printing options."""

    def parse_args(self, ctx, args):
        if not args or args[0] not in self.commands:
            args = ["print", *args]
        return super().parse_args(ctx, args)


labels_app = typer.Typer(
    cls=_DefaultPrintGroup,
    no_args_is_help=False,
    help="Address labels on real label sheets; `labels templates` lists the sheets.",
)
main_app.add_typer(labels_app, name="labels")

WhoArg = Annotated[
    list[str] | None, typer.Argument(metavar="[WHO]...", autocompletion=complete.people, help="Names or ids (h12, c34); with --plan, a YEAR.", show_default=False)
]
PlanOption = Annotated[bool, typer.Option("--plan", rich_help_panel="Recipients", help="The saved plan's households (this year, or YEAR).")]
TagOption = Annotated[str | None, typer.Option("--tag", rich_help_panel="Recipients", metavar="TAG", autocompletion=complete.tags, help="Households with this tag.")]
SortOption = Annotated[str, typer.Option("--sort", rich_help_panel="Recipients", metavar="SORT", help="plan (mailing order), name or postal-code.")]
IncludeReturned = Annotated[
    bool, typer.Option("--include-returned", rich_help_panel="Recipients", help="Print for households whose address came back, too.")
]


# ---------------------------------------------------------------- shared by labels and envelopes


def _chosen(who: list[str] | None, tag: str | None, plan: bool, today: Any, sort: str, nobody: str,
            include_returned: bool = False):
    """The selection for names, --tag or --plan [YEAR] (see `services.printing.choose_recipients`),
    skipped households warned about; `nobody` is the error when every one was skipped."""
    from cardkeep.services.printing import choose_recipients

    chosen = choose_recipients(get_db(), who=who, tag=tag, plan=plan, today=resolve_today(today), sort=sort,
                               include_returned=include_returned)
    for name, reason in chosen.skipped:
        output.warn(f"skipped {name}: {reason}")
    if not chosen.recipients:
        raise CardkeepError(nobody)
    return chosen


def _addressed(chosen, sender: dict[str, Any]):
    from cardkeep.services.printing import address_recipients

    mailing = address_recipients(get_db(), chosen.recipients, sender)
    if mailing.home_inferred:
        output.warn(f"no [sender] country in the config: taking {mailing.home} (most addresses) as home")
    return mailing


def _warn_missing(problems, fonts) -> None:
    from cardkeep.printing.fonts import describe_chars

    for who, chars in problems:
        output.warn(
            f"no font has {describe_chars(chars)} for {who}: those characters will print as boxes "
            f"({fonts.fallback_hint(chars)})"
        )


def _refuse_overflow(overflow, where: str) -> None:
    if not overflow:
        return
    advice = "nothing was written (shorten the mailing name or address, or choose a larger label)"
    if len(overflow) == 1:
        ((who, why),) = overflow
        raise CardkeepError(f"{who} does not fit on {where}: {why}; {advice}")
    # One Error line per failed command: the names come first, as warnings.
    for who, why in overflow:
        output.warn(f"{who} does not fit on {where}: {why}")
    what = "1 address does not" if len(overflow) == 1 else f"{len(overflow)} addresses do not"
    raise CardkeepError(f"{what} fit on {where}; {advice}")


def _names(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _report_fitting(size: float, limited_by: list[str], broken, what: str, max_size: float, floor: float) -> None:
    """Name, on stderr, who made the text smaller than it could be and every block broken."""
    if size < max_size and limited_by:
        output.warn(f"{what} at {size:g} pt, the largest size at which every address fits unbroken "
                    f"(set by {_names(limited_by)})")
    for who, fitted in broken:
        how = "a line broken, its continuation indented" if fitted.broken else "smaller than the rest"
        output.warn(f"{who} does not fit unbroken even at {floor:g} pt: printed at {fitted.size:g} pt, {how}")


def _with_progress(total: int, description: str, work):
    """Run `work(advance)`; a progress bar on a terminal for long runs, nothing in a pipe."""
    if not output.is_terminal() or total < 300:
        return work(None)
    from rich.progress import Progress

    with Progress(console=output.console(), transient=True) as progress:
        task = progress.add_task(description, total=total)
        return work(lambda n: progress.advance(task, n))


def _parse_skip(text: str | None, sheet) -> list[int]:
    if not text:
        return []
    out = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise UsageError(f"--skip {text!r}: give positions like 1,2,5 or 1-4")
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if low > high:
            raise UsageError(f"--skip {part}: a range goes from low to high, like {high}-{low}")
        # Checked here, before expanding the range: "1-999999999" would fill the memory.
        for position in (low, high):
            if not 1 <= position <= sheet.per_sheet:
                raise UsageError(f"--skip {position} is not a position on {sheet.id} (1 to {sheet.per_sheet})")
        out.extend(range(low, high + 1))
    return out


def _sheet(value: str, option: str) -> None:
    """A sheet's id or product code; a sheet file is read (and any fault in it reported) by the command."""
    from cardkeep.printing import labels

    if not (value.lower().endswith((".toml", ".json")) or "/" in value):
        labels.find_template(value)


check_sheet = _checked(_sheet)


def _default_template(sender: dict[str, Any]) -> str:
    from cardkeep.config import section

    configured = section("labels").get("template")
    if configured:
        return str(configured)
    return "avery-5160" if str(sender.get("country", "US")).upper() in ("US", "CA", "MX") else "avery-l7160"


# ---------------------------------------------------------------- labels


@labels_app.command(
    "print",
    hidden=True,
    help="Print address labels on a label sheet; print the PDF at 100 % (actual size).\n\n"
    "Recipients: WHO..., --tag, --plan [YEAR], or by default this year's saved plan; --return prints your "
    "own address ([sender] in the config). `cardkeep labels templates` lists the sheets, "
    "`cardkeep labels calibrate` saves a printer offset.",
)
def print_labels(
    who: WhoArg = None,
    plan: PlanOption = False,
    tag: TagOption = None,
    template: Annotated[
        str | None,
        typer.Option("--template", "-t", rich_help_panel="Sheet", metavar="ID|CODE|FILE", autocompletion=complete.sheets, callback=check_sheet,
                     help="Sheet id or product code (5160, L7160...) or a .toml/.json sheet; see `labels templates`."),
    ] = None,
    start: Annotated[int, typer.Option("--start", rich_help_panel="Sheet", metavar="N", help="First free position on a partly used sheet (1 = top left).")] = 1,
    skip: Annotated[
        str | None, typer.Option("--skip", rich_help_panel="Sheet", metavar="LIST", help="Used positions on the first sheet: 1,2,7 or 1-4.")
    ] = None,
    copies: Annotated[int, typer.Option("--copies", rich_help_panel="Sheet", metavar="N", help="Labels per address.")] = 1,
    outline: Annotated[bool, typer.Option("--outline", rich_help_panel="Sheet", help="Draw label outlines (for a test print).")] = False,
    sort: SortOption = "plan",
    include_returned: IncludeReturned = False,
    out: Annotated[
        str | None,
        typer.Option("--output", "-o", rich_help_panel="Output", metavar="FILE",
                     help="Where to write the PDF (default: labels.pdf; with --return, return-labels.pdf)."),
    ] = None,
    keep_going: Annotated[
        bool, typer.Option("--keep-going", rich_help_panel="Output",
                           help="Leave out the labels that cannot fit, name them, write the rest and exit 1.")
    ] = False,
    return_labels: Annotated[
        bool, typer.Option("--return", rich_help_panel="Return labels", help="Return-address labels with your own address (\\[sender] in the config).")
    ] = False,
    count: Annotated[
        int | None, typer.Option("--count", rich_help_panel="Return labels", metavar="N", help="With --return: how many (default: the rest of the sheet).")
    ] = None,
    print_: PrintOption = False,
    printer: PrinterOption = None,
    today: TodayOption = None,
    json: JsonOption = False,
) -> None:
    from cardkeep.printing import addressing, labels
    from cardkeep.printing.fonts import register_fonts
    from cardkeep.services.printing import label_items

    sender = addressing.sender_from_config()
    sheet = labels.find_template(template or _default_template(sender))
    skip_list = _parse_skip(skip, sheet)
    if copies < 1:
        raise UsageError("--copies must be at least 1")
    if return_labels:
        if who or tag is not None or plan:
            raise UsageError("--return prints your own address: leave out names, --tag and --plan")
        lines = addressing.return_address_lines(sender)
        free = len([p for p in range(start, sheet.per_sheet + 1) if p not in set(skip_list)])
        n = count if count is not None else free
        if n < 1:
            raise UsageError("--count must be at least 1")
        postal = addressing.postal_line(lines, sender.get("postal_code"))
        items = [labels.Label("your return address", lines, () if postal is None else (postal,))] * n
    else:
        if count is not None:
            raise UsageError("--count goes with --return")
        chosen = _chosen(who, tag, plan, today, sort, "no one to print a label for: every household chosen was skipped",
                         include_returned)
        items = label_items(_addressed(chosen, sender))

    # Every option and setting is checked before the layout: a bad one is the only line printed.
    calibration = labels.Calibration.from_config(sheet.id)
    places = labels.positions(sheet, len(items) * copies, start=start, skip=skip_list)
    fonts = register_fonts()
    fitted, problems = labels.layout(items, sheet, fonts)
    where = f"{sheet.id} ({sheet.size_text})"
    left_out = problems.overflow if keep_going else []
    if left_out:
        for who, why in left_out:
            output.warn(f"left out {who}: does not fit on {where}: {why}")
        kept = [i for i, f in enumerate(fitted) if f is not None]
        items, fitted = [items[i] for i in kept], [fitted[i] for i in kept]
        if not items:
            raise CardkeepError(f"no label fits on {where}; nothing was written")
        places = labels.positions(sheet, len(items) * copies, start=start, skip=skip_list)
    else:
        _refuse_overflow(problems.overflow, where)
    _warn_missing(problems.missing_glyphs, fonts)
    _report_fitting(problems.size, problems.limited_by, problems.broken, "labels", labels.MAX_SIZE,
                    labels.MIN_UNBROKEN)

    def work(advance):
        return labels.render(
            items, sheet, fonts=fonts, fitted=fitted, start=start, skip=skip_list, copies=copies, outline=outline,
            calibration=calibration, progress=advance,
        )

    pdf = _with_progress(len(places), "Drawing labels", work)
    from cardkeep.cli import _printer
    from cardkeep.fileio import write_output

    pages = places[-1][0] + 1 if places else 0
    path = job = None
    printing = _printer.wanted(print_, printer, out)
    if out is not None or not printing:  # --print alone writes no file
        out = output.default_output(out, "return-labels.pdf" if return_labels else "labels.pdf")
        path = write_output(out, pdf, private=True)
        if path is None:
            return
    if printing:
        job = _printer.send(pdf, (sheet.page_width_mm, sheet.page_height_mm), printer=printer, quiet=json,
                            title=f"cardkeep labels {sheet.id}", what=f"{pages} sheet{'s' if pages != 1 else ''} of {sheet.id}")
    if json:
        per_label = [i for i in range(len(items)) for _ in range(copies)]
        output.print_json({
            "file": str(path) if path else None, "printed": job.to_json() if job else None,
            "template": sheet.id, "pages": pages, "size": problems.size,
            "labels": [
                {"who": items[i].who, "page": page + 1, "position": pos, "lines": list(fitted[i].lines),
                 "size": fitted[i].size, "broken": fitted[i].broken}
                for i, (page, pos) in zip(per_label, places, strict=True)
            ],
            "skipped": [] if return_labels else [{"name": n, "reason": r} for n, r in chosen.skipped],
            "left_out": [{"name": n, "reason": r} for n, r in left_out],
        })
    elif path is not None:
        what = ("return-address label" if return_labels else "label") + ("s" if len(places) != 1 else "")
        output.echo(
            f"Wrote {len(places)} {what} on {pages} sheet{'s' if pages != 1 else ''} of {sheet.id} to {path}"
            f" at {problems.size:g} pt (print at 100 %, actual size)"
        )
    if left_out:
        what = "1 address does not" if len(left_out) == 1 else f"{len(left_out)} addresses do not"
        raise CardkeepError(f"{what} fit on {where} and {'was' if len(left_out) == 1 else 'were'} left out")


@labels_app.command("templates")
def list_templates(json: JsonOption = False) -> None:
    """List the label sheets cardkeep knows, with the product codes sold on the same layout."""
    from cardkeep.printing import labels

    found = labels.templates()
    if json:
        output.print_json([
            {k: getattr(t, k) for k in (
                "id", "vendor", "kind", "page", "columns", "rows", "label_width_mm", "label_height_mm",
                "left_margin_mm", "top_margin_mm", "column_pitch_mm", "row_pitch_mm", "corner_radius_mm",
                "product_codes", "confidence")}
            for t in found
        ])
        return
    rows = []
    for t in found:
        codes = ", ".join(t.product_codes[:6]) + (" ..." if len(t.product_codes) > 6 else "")
        rows.append([t.id, t.page or "custom", f"{t.columns} x {t.rows}", t.size_text, t.kind, codes])
    output.print_table(rows, ["template", "page", "grid", "label", "kind", "also sold as"])


@labels_app.command("calibrate")
def calibrate(
    template: Annotated[
        str | None, typer.Option("--template", "-t", metavar="ID|CODE", autocompletion=complete.sheets, callback=check_sheet, help="The sheet to calibrate.")
    ] = None,
    dx: Annotated[float | None, typer.Option("--dx", metavar="MM", help="Move the print MM further right (negative: left); adds to the saved offset.")] = None,
    dy: Annotated[float | None, typer.Option("--dy", metavar="MM", help="Move the print MM further down (negative: up); adds to the saved offset.")] = None,
    scale: Annotated[
        float | None, typer.Option("--scale", metavar="FACTOR", help="Multiply the saved scale: stretch (>1) or shrink (<1) about the top-left corner.")
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Start from no offset and no scale (with --dx/--dy/--scale: set exactly those).")] = False,
    test_sheet: Annotated[
        str | None, typer.Option("--test-sheet", metavar="FILE", help="Write a test page: numbered label outlines, corner marks, a ruler, the calibration in use.")
    ] = None,
    json: JsonOption = False,
) -> None:
    """Adjust the printer offset saved for a sheet, or show it.

    Print a --test-sheet at 100 % (it is printed with the calibration in use), measure its top-left corner
    mark and its ruler, and give what is still off: --dx/--dy add to the saved offset, --scale multiplies the
    saved scale, so each round brings the print closer. --reset starts again from zero.
    """
    from cardkeep.config import update_config
    from cardkeep.printing import addressing, calibration, labels

    sheet = labels.find_template(template or _default_template(addressing.sender_from_config()))
    # --reset never reads the saved values: it is the way out of a broken calibration table.
    saved = labels.Calibration() if reset else labels.Calibration.from_config(sheet.id)
    current = calibration.adjust(saved, dx=dx, dy=dy, scale=scale)
    if scale is not None and not 0.8 <= scale <= 1.2:
        raise UsageError(f"--scale {scale:g}: a printer is off by a few percent at most (0.8 to 1.2)")
    problem = current.problem()
    if problem:
        name = problem.split()[0]
        given = {"dx": dx, "dy": dy, "scale": scale}[name]
        if given is not None and getattr(saved, name) != getattr(labels.Calibration(), name):
            raise UsageError(f"--{name} {given:g} added to the saved {calibration.describe(saved)} gives {problem}")
        raise UsageError(f"--{problem}")
    changed = reset or dx is not None or dy is not None or scale is not None
    path = None
    if test_sheet:  # before saving: a test sheet that cannot be written leaves the config as it was
        from cardkeep.fileio import write_atomic

        path = write_atomic(Path(test_sheet), calibration.test_sheet(sheet, calibration=current))
    if changed:
        update_config(f"labels.calibration.{sheet.id}", {"dx": current.dx, "dy": current.dy, "scale": current.scale})
    if json:
        output.print_json({"template": sheet.id, "dx": current.dx, "dy": current.dy, "scale": current.scale,
                           "test_sheet": str(path) if path else None})
        return
    if path:
        output.echo(f"Wrote a test sheet for {sheet.id} to {path} (print at 100 %, actual size)")
    verb = "Saved" if changed else "Calibration"
    before = labels.Calibration() if reset else saved
    was = f" (was {calibration.describe(before)})" if changed and before != labels.Calibration() else ""
    output.echo(f"{verb} for {sheet.id}: {calibration.describe(current)}{was}")


# ---------------------------------------------------------------- envelopes


@main_app.command("envelopes")
def print_envelopes(
    who: WhoArg = None,
    plan: PlanOption = False,
    tag: TagOption = None,
    size: Annotated[
        str | None, typer.Option("--size", rich_help_panel="Sheet", metavar="SIZE", help="10, A7, A2, C6, C5 or DL (default: \\[envelopes] size, else 10 or DL).")
    ] = None,
    sort: SortOption = "plan",
    include_returned: IncludeReturned = False,
    out: Annotated[
        str | None,
        typer.Option("--output", "-o", rich_help_panel="Output", metavar="FILE", help="Where to write the PDF (default: envelopes.pdf)."),
    ] = None,
    no_return: Annotated[bool, typer.Option("--no-return", rich_help_panel="Sheet", help="Leave the return address off.")] = False,
    outline: Annotated[bool, typer.Option("--outline", rich_help_panel="Sheet", help="Draw the address areas (for a test print).")] = False,
    print_: PrintOption = False,
    printer: PrinterOption = None,
    today: TodayOption = None,
    json: JsonOption = False,
) -> None:
    """Print envelopes, one per page at the envelope's size.

    The recipient goes where the post office looks for it, the return address top left. Recipients
    as for `labels`. Print at 100 % (actual size)."""
    from cardkeep.config import section
    from cardkeep.printing import addressing, envelopes
    from cardkeep.printing.fonts import register_fonts
    from cardkeep.services.printing import envelope_items, missing_glyphs

    sender = addressing.sender_from_config()
    if size is None:
        size = section("envelopes").get("size") or (
            "10" if str(sender.get("country", "US")).upper() in ("US", "CA") else "DL"
        )
    size = envelopes.size_name(str(size))
    dimensions = envelopes.SIZES[size]
    chosen = _chosen(who, tag, plan, today, sort, "no one to address an envelope to: every household chosen was skipped",
                     include_returned)
    items = envelope_items(_addressed(chosen, sender), sender, return_address=not no_return)
    fonts = register_fonts()
    noted: list = []
    fitted, overflow = envelopes.layout(items, dimensions, fonts, noted=noted)
    _refuse_overflow(overflow, f"a size {size} envelope")
    _warn_missing(missing_glyphs(items, fonts), fonts)
    for who, block in noted:
        how = (f"does not fit unbroken even at {envelopes.RECIPIENT_SIZES[1]:g} pt: a line broken, its continuation "
               "indented" if block.broken else f"shrunk below {envelopes.SHRUNK_BELOW:g} pt to fit unbroken")
        output.warn(f"{who} {how} (printed at {block.size:g} pt on a size {size} envelope)")
    pdf = _with_progress(
        len(items), "Drawing envelopes",
        lambda advance: envelopes.render(items, dimensions, fonts=fonts, fitted=fitted, outline=outline,
                                         progress=advance),
    )
    from cardkeep.cli import _printer
    from cardkeep.fileio import write_output

    path = job = None
    printing = _printer.wanted(print_, printer, out)
    if out is not None or not printing:  # --print alone writes no file
        path = write_output(output.default_output(out, "envelopes.pdf"), pdf, private=True)
        if path is None:
            return
    if printing:
        job = _printer.send(pdf, dimensions, printer=printer, quiet=json, title=f"cardkeep envelopes {size}",
                            what=f"{len(items)} envelope{'s' if len(items) != 1 else ''} (size {size})")
    if json:
        output.print_json({
            "file": str(path) if path else None, "printed": job.to_json() if job else None,
            "size": str(size), "pages": len(items),
            "envelopes": [{"who": e.who, "lines": list(f[1].lines), "size": f[1].size, "broken": f[1].broken,
                           "return": e.sender} for e, f in zip(items, fitted, strict=True)],
            "skipped": [{"name": n, "reason": r} for n, r in chosen.skipped],
        })
        return
    if path is None:
        return
    output.echo(f"Wrote {len(items)} envelope{'s' if len(items) != 1 else ''} (size {size}) to {path} "
                "(print at 100 %, actual size)")
