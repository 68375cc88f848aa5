"""`--print [--printer NAME]` end to end against stand-in CUPS commands (`lp`, `lpstat`, `lpoptions`:
small scripts on PATH that answer like CUPS and record what they were asked), so every machine runs
these; tests/test_print_cups.py prints through a real CUPS."""

import json
import os
import stat
import sys

import pdfplumber
import pytest

from cardkeep.printing import cups
from tests.conftest import EXAMPLES

SENDER = '[sender]\nname = "Pat Doe"\nstreet = "5 Oak St"\ncity = "Boston"\nregion = "MA"\npostal_code = "02116"\ncountry = "US"\n'
CUPS_PDF_SIZES = "Custom.WIDTHxHEIGHT A3 *A4 A5 Env10 EnvC5 EnvDL Legal Letter"

FAKE = '''#!{python}
import json, os, sys
name = os.path.basename(sys.argv[0])
args = sys.argv[1:]
state = json.load(open(os.environ["FAKE_CUPS"]))
log = state.setdefault("calls", [])
call = {{"cmd": name, "args": args}}
if name == "lp":
    call["stdin"] = sys.stdin.buffer.read().hex()
log.append(call)
json.dump(state, open(os.environ["FAKE_CUPS"], "w"))
printers = state["printers"]
if name == "lpstat" and args == ["-r"]:
    print("scheduler is running" if state["running"] else "scheduler is not running")
elif name == "lpstat" and args == ["-d"]:
    print("system default destination: " + state["default"] if state.get("default") else "no system default destination")
elif name == "lpstat" and args[0] == "-p":
    if args[1] in printers and state["running"]:
        print("printer " + args[1] + " is idle.")
    else:
        print('lpstat: Invalid destination name in list "' + args[1] + '".', file=sys.stderr)
        sys.exit(1)
elif name == "lpoptions":
    print("PageSize/Page Size: " + printers[args[1]])
    print("Resolution/Output Resolution: 150dpi *300dpi")
elif name == "lp":
    n = len([c for c in log if c["cmd"] == "lp"])
    print("request id is " + args[args.index("-d") + 1] + "-" + str(n) + " (0 file(s))")
'''


@pytest.fixture
def fake_cups(tmp_path, monkeypatch):
    """Stand-in CUPS commands; returns a function reading back (and changing) their state."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("lp", "lpstat", "lpoptions"):
        script = bin_dir / name
        script.write_text(FAKE.format(python=sys.executable))
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    state_file = tmp_path / "cups.json"
    state_file.write_text(json.dumps({"running": True, "default": "office",
                                      "printers": {"office": CUPS_PDF_SIZES, "a4only": "*A4 A5"}}))
    monkeypatch.setenv("FAKE_CUPS", str(state_file))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)

    def state(**changes):
        data = json.loads(state_file.read_text())
        if changes:
            data.update(changes)
            state_file.write_text(json.dumps(data))
        return data

    return state


@pytest.fixture
def book(cli, tmp_path):
    (tmp_path / "config.toml").write_text(SENDER)
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    return tmp_path


def jobs(state):
    return [c for c in state().get("calls", []) if c["cmd"] == "lp"]


def options(job):
    args = job["args"]
    return {args[i + 1] for i, a in enumerate(args) if a == "-o"}


def test_labels_print_on_the_sheets_paper_unscaled_and_write_no_file(cli, book, fake_cups, monkeypatch):
    monkeypatch.chdir(book)
    result = cli("labels", "--tag", "friends", "-t", "5160", "--print", "--today", "2026-11-23")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("Sent 1 sheet of avery-5160 to printer office as job office-1 (Letter paper, not "
                             "scaled; the printer's default is A4)\n")
    (job,) = jobs(fake_cups)
    assert options(job) == {"media=Letter", "print-scaling=none", "fit-to-page=false"}
    assert job["args"][:2] == ["-d", "office"] and job["args"][-2:] == ["--", "-"]
    assert bytes.fromhex(job["stdin"]).startswith(b"%PDF")
    assert not (book / "labels.pdf").exists()  # --print alone writes no file


def test_with_output_the_file_written_is_the_one_printed(cli, book, fake_cups):
    out = book / "l.pdf"
    result = cli("labels", "--tag", "friends", "-t", "L7160", "--printer", "office", "-o", out, "--json",
                 "--today", "2026-11-23")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["file"] == str(out)
    assert data["printed"] == {"printer": "office", "job": "office-1", "media": "A4", "printer_default": "A4"}
    assert bytes.fromhex(jobs(fake_cups)[0]["stdin"]) == out.read_bytes()


def test_envelopes_print_on_envelope_paper(cli, book, fake_cups):
    result = cli("envelopes", "--tag", "friends", "--size", "DL", "--printer", "office", "--today", "2026-11-23")
    assert result.exit_code == 0, result.stderr
    assert "(EnvDL paper, not scaled" in result.stdout
    assert "media=EnvDL" in options(jobs(fake_cups)[0])


def test_drafts_send_the_checklist_and_the_cards_as_two_jobs(cli, book, fake_cups):
    result = cli("drafts", "Ada Okafor", "Diego", "--on-card", "--print", "--today", "2026-11-23")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Sent the checklist (1 page) to printer office as job office-1 (A4 paper, not scaled)",
        "Sent 2 drafts (a6, to print on the cards) to printer office as job office-2 (Custom.105x148mm paper, "
        "not scaled; the printer's default is A4)",
    ]
    cover, cards = jobs(fake_cups)
    assert "-P" in cover["args"] and cover["args"][cover["args"].index("-P") + 1] == "1-1"
    assert cards["args"][cards["args"].index("-P") + 1] == "2-3"
    assert "media=Custom.105x148mm" in options(cards)
    with pdfplumber.open(__import__("io").BytesIO(bytes.fromhex(cards["stdin"]))) as pdf:
        assert len(pdf.pages) == 3


def test_a_printer_without_the_sheets_paper_is_refused_before_anything_is_sent(cli, book, fake_cups):
    result = cli("labels", "--tag", "friends", "-t", "5160", "--printer", "a4only", "--today", "2026-11-23")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == ("Error: printer 'a4only' has no 215.9 x 279.4 mm paper for 1 sheet of "
                                              "avery-5160 (it has A4, A5); choose another --printer")
    assert jobs(fake_cups) == []
    # The drafts check both papers first: a card size the printer lacks sends not even the checklist.
    result = cli("drafts", "Ada Okafor", "--size", "5x7", "--printer", "a4only", "--today", "2026-11-23")
    assert result.exit_code == 1 and "has no 127 x 177.8 mm paper for 1 draft (5x7)" in result.stderr
    assert jobs(fake_cups) == []


@pytest.mark.parametrize(("setup", "args", "error"), [
    ({}, ["--printer", "nope"], "Error: no printer named 'nope' in CUPS (`lpstat -p` lists the printers)"),
    ({"default": None}, ["--print"], "Error: no default printer: give --printer NAME (`lpstat -p` lists the printers)"),
    ({"running": False}, ["--printer", "office"],
     "Error: cannot print: the CUPS scheduler is not running (start cups, or check $CUPS_SERVER)"),
])
def test_cups_problems_are_one_line(cli, book, fake_cups, setup, args, error):
    fake_cups(**setup)
    result = cli("labels", "--tag", "friends", *args, "--today", "2026-11-23")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == error and "Traceback" not in result.stderr
    assert jobs(fake_cups) == []


def test_no_cups_installed_is_one_line(cli, book, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = cli("drafts", "Ada Okafor", "--print", "--today", "2026-11-23")
    assert result.exit_code == 1
    assert result.stderr == ("Error: cannot print: no `lp` command (CUPS is not installed); write the PDF with "
                             "--output and print it at 100 %\n")


def test_print_goes_with_the_pdf_only(cli, book):
    result = cli("drafts", "Ada Okafor", "--print", "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == "Error: --print sends the PDF; it does not go with --format json\n"


def test_paper_names_are_read_as_sizes():
    assert cups.size_of("Letter") == (215.9, 279.4)
    assert cups.size_of("A4.Fullbleed") == (210.0, 297.0)
    assert cups.size_of("w288h432") == pytest.approx((101.6, 152.4))
    assert cups.size_of("na_letter_8.5x11in") == pytest.approx((215.9, 279.4))
    assert cups.size_of("iso_a6_105x148mm") == (105.0, 148.0)
    assert cups.size_of("Postcard") is None
    media = cups.Media("p", {"A4": (210.0, 297.0), "Env10": (104.775, 241.3)}, "A4")
    assert cups.choose_media(media, (241.3, 104.775), "an envelope") == "Env10"  # either way round
    assert cups.choose_media(media, (210.4, 296.6), "a sheet") == "A4"  # within 1 mm
    with pytest.raises(cups.PrintError, match="has no 215.9 x 279.4 mm paper for a sheet"):
        cups.choose_media(media, (215.9, 279.4), "a sheet")


@pytest.mark.parametrize(("args", "error"), [
    (["--printer", ""], "Error: --printer needs a printer name (`lpstat -p` lists them)"),
    (["--print", "-o", "-"], "Error: --print sends the PDF to the printer: leave out --output -, or pipe it to lp yourself"),
])
@pytest.mark.parametrize("command", [["labels", "--tag", "friends"], ["envelopes", "--tag", "friends"], ["drafts", "Ada Okafor"]])
def test_print_usage_errors(cli, book, fake_cups, command, args, error):
    result = cli(*command, *args, "--today", "2026-11-23")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, error)
    assert jobs(fake_cups) == []
