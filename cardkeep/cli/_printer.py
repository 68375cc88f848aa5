"""`--print` and `--printer NAME` for the commands that make a PDF (labels, envelopes, drafts): the
options, and sending the PDF through CUPS (`cardkeep.printing.cups`) with one line saying where it went."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cardkeep.cli import output
from cardkeep.errors import UsageError

PrintOption = Annotated[
    bool, typer.Option("--print", rich_help_panel="Output", help="Send the PDF to a printer through CUPS (lp), at actual size on the sheet's paper size; writes no file unless --output is given.")
]
PrinterOption = Annotated[
    str | None, typer.Option("--printer", rich_help_panel="Output", metavar="NAME", help="The CUPS printer for --print (default: the system default); implies --print.")
]


def wanted(print_: bool, printer: str | None, out: str | None = None) -> bool:
    """Whether to print; UsageError for a blank --printer, or --print with the PDF going to stdout."""
    if printer is not None and not printer.strip():
        raise UsageError("--printer needs a printer name (`lpstat -p` lists them)")
    if (print_ or printer is not None) and out == "-":
        raise UsageError("--print sends the PDF to the printer: leave out --output -, or pipe it to lp yourself")
    return print_ or printer is not None


def send(pdf: bytes, size_mm: tuple[float, float], *, printer: str | None, title: str, what: str,
         pages: str | None = None, quiet: bool = False) -> Any:
    """Print `pdf` on paper of `size_mm` (see `cups.print_pdf`) and say so (unless `quiet`: --json);
    returns the job."""
    from cardkeep.printing import cups

    job = cups.print_pdf(pdf, size_mm, printer=printer, title=title, what=what, pages=pages)
    if not quiet:
        output.echo(describe(job, what))
    return job


def describe(job: Any, what: str) -> str:
    default = f"; the printer's default is {job.default_media}" if job.default_media not in (None, job.media) else ""
    return f"Sent {what} to printer {job.printer} as job {job.id} ({job.media} paper, not scaled{default})"


def send_parts(pdf: bytes, parts: list[tuple[str | None, tuple[float, float] | None, str]], *,
               printer: str | None, title: str) -> list[Any]:
    """Print a PDF with pages on different paper, one job per part (see `cups.print_parts`)."""
    from cardkeep.printing import cups

    jobs = cups.print_parts(pdf, parts, printer=printer, title=title)
    for job, (_, _, what) in zip(jobs, parts, strict=True):
        output.echo(describe(job, what))
    return jobs
