"""vCard content lines, as bytes: unfolding, properties with their parameters, escapes.

Lines are split on any of LF, CR LF, CR CR LF and CR, then unfolded *as bytes* (a fold may fall
inside a UTF-8 character), with quoted-printable soft breaks, 2.1 base64 blocks and Android's
backslash-newline continuation handled. Each value is decoded by its own `CHARSET` (UTF-8 when
absent, cp1252 when that fails). `cardkeep.formats.vcard` reads cards from these.
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass

# ---------------------------------------------------------------- lines


_PROPERTY_START = re.compile(rb"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]")
_BARE_NAME = re.compile(rb"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?(;[^:]*)?$")
_BASE64_LINE = re.compile(rb"^[A-Za-z0-9+/=]+$")


def _header(line: bytes) -> bytes:
    colon = line.find(b":")
    return (line if colon < 0 else line[:colon]).upper()


def logical_lines(data: bytes) -> list[tuple[int, bytes]]:
    """(first physical line number, unfolded line) for every content line, still bytes."""
    text = data.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    out: list[tuple[int, bytes]] = []
    in_base64 = False
    # The line being built (out[-1]) and its upper-case header, kept rather than worked out again
    # for every physical line: most lines start a property of their own.
    start, current, head = 0, b"", b""
    for number, line in enumerate(text.split(b"\n"), start=1):
        if out:
            if (
                b"QUOTED-PRINTABLE" in head
                and current.endswith(b"=")
                and line.strip().upper() not in (b"END:VCARD", b"BEGIN:VCARD")
            ):
                current = current[:-1] + line  # a soft line break: join the raw line
                out[-1] = (start, current)
                head = _header(current)
                continue
            if line[:1] in (b" ", b"\t"):
                current += line[1:]
                out[-1] = (start, current)
                head = _header(current)
                in_base64 = in_base64 and bool(line.strip())
                continue
            if in_base64 and b":" not in line and _BASE64_LINE.match(line):
                continue  # a 2.1 base64 block runs on unindented until a blank line
            if head in (b"BEGIN", b"END"):
                pass  # a card boundary never continues onto the next line
            elif current.endswith(b"\\") and not current.endswith(b"\\\\") and line and not _PROPERTY_START.match(line):
                current += b"n" + line  # Android's backslash-newline continuation
                out[-1] = (start, current)
                head = _header(current)
                continue
            elif line and b":" not in line and not _BARE_NAME.match(line) and not line.upper().startswith(b"END"):
                current += b"\\n" + line  # a raw newline inside a value
                out[-1] = (start, current)
                head = _header(current)
                continue
        in_base64 = False
        if not line.strip():
            continue
        start, current = number, line
        out.append((number, line))
        head = _header(line)
        in_base64 = b"BASE64" in head or b"ENCODING=B" in head
    return out


# ---------------------------------------------------------------- properties


@dataclass
class Prop:
    group: str
    name: str  # upper case
    params: dict[str, list[str]]
    raw: bytes
    line: int

    def types(self) -> list[str]:
        return [t.lower() for t in self.params.get("TYPE", [])]

    def param(self, key: str) -> str | None:
        values = self.params.get(key)
        return values[0] if values else None

    def text(self) -> str:
        """The value decoded (quoted-printable, charset), escapes not yet undone."""
        raw = self.raw
        if not self.params:  # most values: plain UTF-8
            try:
                return raw.decode("utf-8") if b"\r" not in raw else raw.replace(b"\r\n", b"\n").decode("utf-8")
            except UnicodeDecodeError:
                return raw.replace(b"\r\n", b"\n").decode("cp1252", errors="replace")
        if (self.param("ENCODING") or "").upper() == "QUOTED-PRINTABLE":
            raw = quopri.decodestring(raw)
        raw = raw.replace(b"\r\n", b"\n")
        charset = self.param("CHARSET")
        if charset:
            try:
                return raw.decode(charset, errors="replace")
            except LookupError:
                pass
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")


_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    parts, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def parse_line(number: int, line: bytes) -> Prop | None:
    """One unfolded line as a property; None for a line that is not one."""
    colon = line.find(b":")
    if colon > 0 and b'"' in line[:colon]:  # a quoted parameter value may hold a colon
        quoted, colon = False, -1
        for i, byte in enumerate(line):
            if byte == 0x22:
                quoted = not quoted
            elif byte == 0x3A and not quoted:
                colon = i
                break
    if colon > 0 and b"LABEL=" in line[:colon].upper() and line[:colon].split(b";")[0].upper().endswith(b"ADR"):
        colon = _adr_value_start(line, colon)
    head = (line if colon < 0 else line[:colon]).decode("latin-1")
    raw = b"" if colon < 0 else line[colon + 1 :]
    if ";" not in head:  # most lines: no parameters
        name, parts = head.strip(), ()
    else:
        parts = _split_outside_quotes(head, ";")
        name = parts[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    if not name:
        return None
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        part = part.strip()
        if not part:
            continue
        key, has_value, value = part.partition("=")
        if not has_value:
            key, value = ("ENCODING" if part.upper() in _ENCODINGS else "TYPE"), part
        value = value.strip()
        if "," in value or '"' in value:
            values = [v for v in (v.strip().strip('"') for v in _split_outside_quotes(value, ",")) if v]
        else:
            values = [value] if value else []
        key = key.strip().upper()
        if key in params:
            params[key].extend(values)
        else:
            params[key] = values
    return Prop(group.lower(), name.upper(), params, raw, number)


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _unescape_one(match: re.Match[str]) -> str:
    ch = match.group(1)
    return "\n" if ch in "nN" else ch


def _adr_value_start(line: bytes, first: int) -> int:
    """Where an ADR value starts when an unquoted LABEL parameter holds colons (seen in the wild):
    the last colon followed by all seven components."""
    for position in range(len(line) - 1, first - 1, -1):
        if line[position] == 0x3A:
            rest = line[position + 1 :]
            if rest.count(b";") - rest.count(b"\\;") >= 6:
                return position
    return first


def unescape(text: str) -> str:
    return _ESCAPE.sub(_unescape_one, text) if "\\" in text else text


def split_escaped(text: str, sep: str) -> list[str]:
    """Split on `sep` where it is not escaped with a backslash, then undo the escapes."""
    if "\\" not in text:
        return text.split(sep)
    parts = re.split(r"(?<!\\)((?:\\\\)*)" + re.escape(sep), text)
    # re.split keeps the captured even-backslash runs: glue them back to the part before.
    out, i = [], 0
    while i < len(parts):
        piece = parts[i]
        if i + 1 < len(parts):
            piece += parts[i + 1]
        out.append(unescape(piece))
        i += 2
    return out
