"""Printing straight to a printer through CUPS (`lp`), at actual size on paper of the sheet's size.

A PDF viewer's "fit to page" is the usual misprint, and `lp` is not safe by default either: a
queue prints on its default media, so a Letter label sheet sent to an A4 printer (cups-pdf's
default) comes out shifted by millimetres. So before a job is sent:

1. the printer is found (`--printer NAME`, else $LPDEST/$PRINTER, else the CUPS default, `lpstat -d`);
2. its paper sizes are read (`lpoptions -p NAME -l`, the PPD's PageSize choices, `*` marking the
   default) and the one matching the sheet (within 1 mm, either way round) is chosen; a printer
   that takes custom sizes gets `Custom.WxHmm`; one with neither is an error naming what it has;
3. the job goes with `-o media=SIZE -o print-scaling=none -o fit-to-page=false`, the PDF on
   standard input (no temporary file).

Every failure (no `lp`, no such printer, no scheduler, a refused job) is one `PrintError` line.
CUPS is found the usual way, so $CUPS_SERVER (host:port) picks another scheduler.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from cardkeep.errors import CardkeepError

TOLERANCE_MM = 1.0  # a paper size matches the sheet within this, either dimension
TIMEOUT = 60  # seconds for one CUPS command
INCH = 25.4

# Adobe PPD names (PPD spec, Appendix B) of the sizes cardkeep prints on, in mm (width, height).
PPD_SIZES: dict[str, tuple[float, float]] = {
    "Letter": (215.9, 279.4), "Legal": (215.9, 355.6), "Executive": (184.15, 266.7),
    "Statement": (139.7, 215.9), "A4": (210.0, 297.0), "A5": (148.0, 210.0), "A6": (105.0, 148.0),
    "A7": (74.0, 105.0), "B5": (176.0, 250.0), "Env10": (104.775, 241.3), "EnvDL": (110.0, 220.0),
    "EnvC5": (162.0, 229.0), "EnvC6": (114.0, 162.0), "EnvMonarch": (98.425, 190.5),
    "EnvA2": (111.125, 146.05), "3x5": (76.2, 127.0), "4x6": (101.6, 152.4), "5x7": (127.0, 177.8),
    "5x8": (127.0, 203.2), "8x10": (203.2, 254.0),
}
_POINTS = re.compile(r"^w(\d+(?:\.\d+)?)h(\d+(?:\.\d+)?)$")  # PPD "w288h432": points
_PWG = re.compile(r"_(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in)$")  # PWG "na_letter_8.5x11in"


class PrintError(CardkeepError):
    """The PDF cannot go to the printer: no CUPS, no such printer, no matching paper, a refused job."""


@dataclass(frozen=True)
class Media:
    """A printer's paper sizes as CUPS names them, with their size in mm where it is known."""

    printer: str
    sizes: dict[str, tuple[float, float] | None]
    default: str | None
    custom: bool = False


@dataclass(frozen=True)
class Job:
    printer: str
    id: str
    media: str
    default_media: str | None

    def to_json(self) -> dict[str, str | None]:
        return {"printer": self.printer, "job": self.id, "media": self.media, "printer_default": self.default_media}


def size_of(name: str) -> tuple[float, float] | None:
    """A CUPS media or PPD PageSize name's (width, height) in mm, or None when the name does not say."""
    base = re.sub(r"\.[A-Za-z]\w*$", "", name)  # "A4.Fullbleed" is A4 paper
    for key in (base, base.capitalize(), base.upper()):
        if key in PPD_SIZES:
            return PPD_SIZES[key]
    match = _POINTS.match(base)
    if match:
        return float(match.group(1)) * INCH / 72, float(match.group(2)) * INCH / 72
    match = _PWG.search(base)
    if match:
        unit = INCH if match.group(3) == "in" else 1.0
        return float(match.group(1)) * unit, float(match.group(2)) * unit
    return None


def _run(args: list[str], *, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, input=data, capture_output=True, timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        raise PrintError(f"cannot print: no `{args[0]}` command (install CUPS, or write the PDF with --output and "
                         "print it at 100 %)") from None
    except subprocess.TimeoutExpired:
        raise PrintError(f"cannot print: `{args[0]}` did not answer in {TIMEOUT} s (is the CUPS scheduler running?)"
                         ) from None


def _message(result: subprocess.CompletedProcess[bytes]) -> str:
    text = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
    first = text.splitlines()[0] if text else f"exit status {result.returncode}"
    return re.sub(r"^\S+:\s*", "", first)  # "lpoptions: Unknown printer" -> "Unknown printer"


def check_cups() -> None:
    """PrintError unless CUPS's `lp` command is installed."""
    if shutil.which("lp") is None:
        raise PrintError("cannot print: no `lp` command (CUPS is not installed); write the PDF with --output and "
                         "print it at 100 %")


def default_printer() -> str:
    """The printer `lp` would use: $LPDEST, $PRINTER, else the CUPS default."""
    for variable in ("LPDEST", "PRINTER"):
        if os.environ.get(variable):
            return os.environ[variable]
    result = _run(["lpstat", "-d"])
    match = re.search(r"destination:\s*(\S+)", result.stdout.decode("utf-8", "replace"))
    if result.returncode != 0 or not match:
        if b"not running" in _run(["lpstat", "-r"]).stdout:
            raise PrintError("cannot print: the CUPS scheduler is not running (start cups, or check $CUPS_SERVER)")
        raise PrintError("no default printer: give --printer NAME (`lpstat -p` lists the printers)")
    return match.group(1)


def check_printer(printer: str) -> None:
    """PrintError unless CUPS is running and knows `printer`."""
    if _run(["lpstat", "-p", printer]).returncode == 0:
        return
    if b"not running" in _run(["lpstat", "-r"]).stdout:
        raise PrintError("cannot print: the CUPS scheduler is not running (start cups, or check $CUPS_SERVER)")
    raise PrintError(f"no printer named {printer!r} in CUPS (`lpstat -p` lists the printers)")


def printer_media(printer: str) -> Media:
    """The printer's paper sizes, from its PageSize option (`lpoptions -p NAME -l`)."""
    check_printer(printer)
    result = _run(["lpoptions", "-p", printer, "-l"])
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        key, _, choices = line.partition(":")
        if key.split("/")[0].strip() in ("PageSize", "media"):
            names = choices.split()
            default = next((n[1:] for n in names if n.startswith("*")), None)
            plain = [n.lstrip("*") for n in names]
            sizes = {n: size_of(n) for n in plain if not n.startswith("Custom.")}
            return Media(printer, sizes, default, any(n.startswith("Custom.") for n in plain))
    why = f": {_message(result)}" if result.stderr.strip() or result.returncode else ""
    raise PrintError(f"cannot read printer {printer!r}'s paper sizes (`lpoptions -p {printer} -l` lists no "
                     f"PageSize){why}")


def _matches(size: tuple[float, float] | None, want: tuple[float, float]) -> bool:
    if size is None:
        return False
    w, h = size
    return any(abs(w - a) <= TOLERANCE_MM and abs(h - b) <= TOLERANCE_MM for a, b in (want, want[::-1]))


def choose_media(media: Media, size_mm: tuple[float, float], what: str) -> str:
    """The printer's name for paper of `size_mm` (the default first, if it is that size)."""
    names = sorted(media.sizes, key=lambda n: n != media.default)
    for name in names:
        if _matches(media.sizes[name], size_mm):
            return name
    if media.custom:
        return f"Custom.{size_mm[0]:g}x{size_mm[1]:g}mm"
    have = ", ".join(list(media.sizes)[:12]) + (" ..." if len(media.sizes) > 12 else "")
    raise PrintError(f"printer {media.printer!r} has no {size_mm[0]:g} x {size_mm[1]:g} mm paper for {what} "
                     f"(it has {have or 'none listed'}); choose another --printer")


def choose_cover_media(media: Media) -> str:
    """Paper for a page that fits both A4 and Letter: the default if it is one of them, else either."""
    for name in sorted(media.sizes, key=lambda n: n != media.default):
        if _matches(media.sizes[name], PPD_SIZES["A4"]) or _matches(media.sizes[name], PPD_SIZES["Letter"]):
            return name
    raise PrintError(f"printer {media.printer!r} has neither A4 nor Letter paper for the cover; "
                     "choose another --printer")


def send(data: bytes, *, printer: str, media: str, title: str, pages: str | None = None) -> str:
    """Send a PDF to `printer` on `media`, unscaled; returns the job id."""
    args = ["lp", "-d", printer, "-t", title, "-o", f"media={media}", "-o", "print-scaling=none",
            "-o", "fit-to-page=false"]
    if pages:
        args += ["-P", pages]
    result = _run(args + ["--", "-"], data=data)
    if result.returncode != 0:
        raise PrintError(f"printer {printer!r} refused the job: {_message(result)}")
    match = re.search(r"request id is (\S+)", result.stdout.decode("utf-8", "replace"))
    return match.group(1) if match else "?"


def print_pdf(data: bytes, size_mm: tuple[float, float], *, printer: str | None = None, title: str,
              what: str, pages: str | None = None) -> Job:
    """Check the printer has paper of `size_mm` (`what` names the sheet in an error) and print on it."""
    return print_parts(data, [(pages, size_mm, what)], printer=printer, title=title)[0]


def print_parts(data: bytes, parts: Sequence[tuple[str | None, tuple[float, float] | None, str]], *,
                printer: str | None = None, title: str) -> list[Job]:
    """Print a PDF whose pages are on different paper as one job per part: (page range, size in mm or
    None for "A4 or Letter", what it is). Every part's paper is checked before anything is sent."""
    check_cups()
    name = printer or default_printer()
    media = printer_media(name)
    chosen = [choose_cover_media(media) if size is None else choose_media(media, size, what)
              for _, size, what in parts]
    return [Job(name, send(data, printer=name, media=paper, title=title, pages=pages), paper, media.default)
            for (pages, _, _), paper in zip(parts, chosen, strict=True)]
