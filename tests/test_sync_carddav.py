"""CardDAV end to end (issue 14, item 4): cardkeep <-> vdir <-> vdirsyncer <-> Radicale.

Radicale runs on 127.0.0.1 on a free port, `--auth-type none`, its storage in tmp_path; vdirsyncer's
config and status are in tmp_path too (HOME and the XDG dirs point there: conftest's `isolated`). The
server side is edited with plain HTTP (urllib), as a phone would. Skipped, saying why, only when
Radicale or vdirsyncer is not installed (`pip install -e '.[test]'` installs both).
"""

import base64
import importlib.util
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("radicale") is None or importlib.util.find_spec("vdirsyncer") is None,
    reason="radicale and vdirsyncer are not installed (pip install -e '.[test]')",
)

TODAY = ("--today", "2026-11-20")
USER = "ada-phone"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, body=None, headers=None):
    """One HTTP request as USER (Radicale with --auth-type none takes any password)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    login = base64.b64encode(f"{USER}:not-checked".encode()).decode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": f"Basic {login}", **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as response:
        return response.status, response.read().decode("utf-8"), dict(response.headers)


@pytest.fixture
def server(tmp_path):
    port = free_port()
    log = (tmp_path / "radicale.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", "", "--server-hosts", f"127.0.0.1:{port}",
         "--auth-type", "none", "--storage-filesystem-folder", str(tmp_path / "radicale"),
         "--logging-level", "warning"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if process.poll() is not None:
                pytest.fail(f"radicale did not start: {(tmp_path / 'radicale.log').read_text()}")
            try:
                request("GET", base + "/")
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        request("PROPFIND", f"{base}/{USER}/", "", {"Depth": "0"})  # Radicale makes the user's home on first sight
        book = f"{base}/{USER}/contacts/"
        mkcol = ('<?xml version="1.0" encoding="utf-8"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">'
                 "<set><prop><resourcetype><collection/><CR:addressbook/></resourcetype>"
                 "<displayname>Contacts</displayname></prop></set></mkcol>")
        request("MKCOL", book, mkcol, {"Content-Type": "application/xml"})
        yield book
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def vdirsyncer(tmp_path, server):
    phone = tmp_path / "phone"
    phone.mkdir()
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(
        f"""[general]
status_path = "{tmp_path / 'vdirsyncer-status'}/"

[pair contacts]
a = "contacts_local"
b = "contacts_remote"
collections = null
conflict_resolution = "b wins"

[storage contacts_local]
type = "filesystem"
path = "{phone}/"
fileext = ".vcf"

[storage contacts_remote]
type = "carddav"
url = "{server}"
username = "{USER}"
password = "not-checked"
""",
        encoding="utf-8",
    )

    def run(*args):
        done = subprocess.run(
            [sys.executable, "-m", "vdirsyncer", "-c", str(config), *args],
            capture_output=True, text=True, timeout=120, input="y\n" * 5,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    run("discover")
    return phone, run


def server_cards(book):
    """{href: card text} of every card on the server (PROPFIND, then GET each)."""
    _, listing, _ = request("PROPFIND", book, "", {"Depth": "1"})
    hrefs = [h for h in re.findall(r"<(?:\w+:)?href>([^<]+)</(?:\w+:)?href>", listing) if h.endswith(".vcf")]
    base = book.split("/" + USER)[0]
    return {href: request("GET", base + href)[1] for href in hrefs}


def people(cli):
    return [m for h in json.loads(cli("export").stdout)["households"] for m in h["members"]]


def test_cardkeep_vdirsyncer_radicale_end_to_end(cli, server, vdirsyncer):
    phone, run = vdirsyncer
    cli("add", "Ada Okafor", "--street", "12 Elm St", "--city", "Springfield", "--postal-code", "62701",
        "--country", "US", "--birthday", "1978-03-14", *TODAY)
    cli("add", "Sam Lee", "--email", "sam@example.org", *TODAY)

    # A person added in cardkeep appears on the server.
    assert cli("sync", phone, *TODAY).exit_code == 0
    run("sync")
    cards = server_cards(server)
    assert sorted(re.search(r"FN:(.*)\r\n", c).group(1) for c in cards.values()) == ["Ada Okafor", "Sam Lee"]

    # An address edited on the server (a phone's PUT) lands in the book as a move, with no duplicate.
    (href, ada), = [(h, c) for h, c in cards.items() if "FN:Ada Okafor" in c]
    base = server.split("/" + USER)[0]
    _, _, headers = request("GET", base + href)
    edited = ada.replace(";;12 Elm St;Springfield;;62701;United States", ";;1550 Larimer St;Denver;CO;80202;USA")
    edited = edited.replace("END:VCARD", "X-PHONE-ONLY:kept\r\nEND:VCARD")
    assert edited != ada
    request("PUT", base + href, edited, {"Content-Type": "text/vcard; charset=utf-8", "If-Match": headers["ETag"]})
    run("sync")
    result = cli("sync", phone, "--json", "--today", "2026-11-21")
    assert result.exit_code == 0, result.stderr
    steps = json.loads(result.stdout)["steps"]
    assert [(s["action"], s["who"], s["details"]) for s in steps] == [("update book", "Ada Okafor", "address")]
    everyone = people(cli)
    assert [p["name"] for p in everyone] == ["Ada Okafor", "Sam Lee"]
    (house,) = [h for h in json.loads(cli("export").stdout)["households"] if h["members"][0]["name"] == "Ada Okafor"]
    assert [(a["city"], a["valid_to"]) for a in house["addresses"]] == [("Springfield", "2026-11-21"), ("Denver", None)]

    # A change in the book goes back to the server, keeping what only the phone has.
    cli("edit", "ada", "--nickname", "Addie")
    cli("sync", phone, "--today", "2026-11-22")
    run("sync")
    ada_now = server_cards(server)[href]
    assert "NICKNAME:Addie" in ada_now and "X-PHONE-ONLY:kept" in ada_now and "1550 Larimer St" in ada_now

    # A deletion on the server: Sam stays in the book (tagged no-sync) and is not uploaded again.
    (sam_href,) = [h for h, c in server_cards(server).items() if "FN:Sam Lee" in c]
    request("DELETE", base + sam_href)
    run("sync")
    result = cli("sync", phone, "--json", "--today", "2026-11-23")
    steps = json.loads(result.stdout)["steps"]
    assert [(s["action"], s["who"]) for s in steps] == [("kept in book", "Sam Lee")]
    (sam,) = [p for p in people(cli) if p["name"] == "Sam Lee"]
    assert "no-sync" in sam["tags"]
    run("sync")
    assert [c for c in server_cards(server).values() if "FN:Sam Lee" in c] == []
