"""`cardkeep labels --print` through a real CUPS with a virtual PDF printer (Debian: cups,
printer-driver-cups-pdf; `.ci/run` installs them where it can).

The test starts its own cupsd on 127.0.0.1 at a free port, with its configuration, spool and logs in
a temporary folder, adds a cups-pdf queue whose output goes to that folder (cups-pdf reads
/etc/cups/cups-pdf-<queue>.conf for a device URI cups-pdf:/<queue>; the file is removed after), prints
a Letter label sheet and checks that every character of the printed PDF is where cardkeep drew it,
within 0.5 mm. cups-pdf's default paper is A4: the same sheet sent with a plain `lp` comes out moved,
which the test also shows, so the check can fail. It skips, saying why, only where CUPS or cups-pdf is
not installed or cannot run (cups-pdf's backend runs only under a root cupsd).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import EXAMPLES

MM = 72 / 25.4
CUPSD = shutil.which("cupsd") or "/usr/sbin/cupsd"
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups")


def _why_not() -> str | None:
    if not Path(CUPSD).exists() or not shutil.which("lp") or not shutil.which("lpadmin"):
        return "CUPS is not installed (apt-get install cups cups-client cups-bsd)"
    if not BACKEND.exists() or not PPD.exists():
        return "cups-pdf is not installed (apt-get install printer-driver-cups-pdf)"
    if os.geteuid() != 0:
        return "cups-pdf's backend runs only under a cupsd started as root"
    if not os.access(CUPS_PDF_CONF, os.W_OK):
        return f"cannot write the cups-pdf queue's config in {CUPS_PDF_CONF}"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what} within {seconds} s")


@pytest.fixture
def cups_pdf(monkeypatch):
    """A private cupsd with a cups-pdf queue: (queue name, folder the printed PDFs land in)."""
    why = _why_not()
    if why:
        pytest.skip(why)
    # Not pytest's tmp_path: cupsd's filters run as user lp and must reach the spool.
    root = Path(tempfile.mkdtemp(prefix="cardkeep-cups-"))
    root.chmod(0o755)
    for name in ("spool", "cache", "state", "log", "out", "cups-pdf-spool"):
        (root / name).mkdir()
    for name in ("spool/tmp",):
        (root / name).mkdir()
        (root / name).chmod(0o1777)
    (root / "out").chmod(0o1777)
    port = _free_port()
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nAccessLog {root}/log/access_log\nErrorLog {root}/log/error_log\n"
        f"PageLog {root}/log/page_log\nSystemGroup root\nSandboxing Relaxed\n"
    )
    (root / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{port}\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    queue = f"cardkeep-test-{os.getpid()}-{port}"
    conf = CUPS_PDF_CONF / f"cups-pdf-{queue}.conf"
    conf.write_text(f"Out {root}/out\nAnonDirName {root}/out\nSpool {root}/cups-pdf-spool\nLabel 0\n"
                    f"Log {root}/log\n")
    env = {**os.environ, "CUPS_SERVER": f"127.0.0.1:{port}"}
    monkeypatch.setenv("CUPS_SERVER", f"127.0.0.1:{port}")
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)
    daemon = subprocess.Popen([CUPSD, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def running():
            if daemon.poll() is not None:
                pytest.skip(f"cupsd would not start: {daemon.stderr.read().decode(errors='replace').strip()}")
            answer = subprocess.run(["lpstat", "-r"], env=env, capture_output=True, text=True)
            return "is running" in answer.stdout and "not" not in answer.stdout
        _wait(running, 10, "cupsd started")
        added = subprocess.run(["lpadmin", "-p", queue, "-E", "-v", f"cups-pdf:/{queue}", "-P", str(PPD)],
                               env=env, capture_output=True, text=True)
        if added.returncode != 0:
            pytest.skip(f"lpadmin could not add a cups-pdf queue: {added.stderr.strip()}")
        yield queue, root / "out"
    finally:
        subprocess.run(["lpadmin", "-x", queue], env=env, capture_output=True)
        daemon.terminate()
        try:
            daemon.wait(10)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        conf.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)


def _printed(out: Path, before: set[Path]) -> Path:
    def done():
        new = [p for p in out.glob("*.pdf") if p not in before]
        # cups-pdf writes the file, then sets its mode: wait until it is a whole PDF.
        return next((p for p in new if p.read_bytes().rstrip().endswith(b"%%EOF")), None)
    return _wait(done, 20, f"cups-pdf wrote a PDF in {out}")


def _chars(path: Path):
    """The page size and each character with its origin (x, baseline), where the glyph is placed: its
    "top" would follow the font's ascent, which Ghostscript rewrites when it re-embeds a font."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        return (page.width, page.height), [(c["text"], c["matrix"][4], c["matrix"][5]) for c in page.chars]


def test_a_letter_sheet_prints_through_cups_where_it_was_drawn(cli, tmp_path, cups_pdf):
    queue, out = cups_pdf
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\n')
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    sheet = tmp_path / "labels.pdf"
    result = cli("labels", "--tag", "friends", "-t", "5160", "--printer", queue, "-o", sheet, "--today", "2026-11-23")
    assert result.exit_code == 0, result.stderr
    assert f"to printer {queue} as job {queue}-1 (Letter paper, not scaled; the printer's default is A4)" in result.stdout
    printed = _printed(out, set())

    size, want = _chars(sheet)
    printed_size, got = _chars(printed)
    assert size == printed_size == (612, 792)  # US Letter, not cups-pdf's A4
    assert len(want) > 300 and len(got) == len(want)
    # Ghostscript re-encodes the fonts: CJK glyphs come back as "(cid:N)", the rest as themselves.
    assert [g[0] for g, w in zip(got, want, strict=True) if not g[0].startswith("(cid:")] == \
        [w[0] for g, w in zip(got, want, strict=True) if not g[0].startswith("(cid:")]
    worst = max(max(abs(a[1] - b[1]), abs(a[2] - b[2])) for a, b in zip(want, got, strict=True))
    assert worst <= 0.5 * MM, f"a character moved {worst / MM:.2f} mm"

    # The same sheet sent with a plain `lp`, on the queue's default paper: the check above would fail.
    before = set(out.glob("*.pdf"))
    subprocess.run(["lp", "-d", queue, str(sheet)], check=True, capture_output=True)
    plain_size, plain = _chars(_printed(out, before))
    assert plain_size == (595, 842)
    assert max(max(abs(a[1] - b[1]), abs(a[2] - b[2])) for a, b in zip(want, plain, strict=True)) > 2 * MM
