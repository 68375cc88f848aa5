"""Draft templates: the shipped ones and the user's own, compiled in Jinja2's sandbox.

Contact text is data, never code: every value a template prints is bracketed by private-use marks
(so the draft checks can tell the template's words from the contact's), StrictUndefined makes a
misspelt field an error naming the template and line, one expression may build at most
MAX_OUTPUT characters, and a draft renders in at most TIME_LIMIT seconds and MAX_DRAFT characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from cardkeep import model
from cardkeep.errors import InvalidInput, UsageError
from cardkeep.fileio import read_input

OCCASIONS = model.DRAFT_OCCASIONS
TEMPLATE_SUFFIX = ".j2"
# Private-use characters that bracket every value a template prints, so the draft checks can tell
# the template's own words from contact data. They never reach the output.
_OPEN, _CLOSE = "\ue000", "\ue001"


class PartlyData(str):
    """Text of which only some parts came from contact data (`parts`: (text, is_data) pairs), such
    as a greeting line: the form's words ("Dear ", ",") are checked like the template's own."""

    def __new__(cls, parts):
        text = super().__new__(cls, "".join(part for part, _ in parts))
        text.parts = tuple(parts)
        return text


@dataclass(frozen=True)
class DraftTemplate:
    name: str  # "holiday" or the file name
    filename: str  # what errors call it: "holiday.j2" or the path given
    template: Any  # a compiled jinja2.Template
    fields: frozenset[str] = frozenset()  # the context fields it reads ("letter", "salutation"...)


def shipped_templates() -> list[str]:
    """The names of the templates that ship with cardkeep, in occasion order."""
    found = {p.name[: -len(TEMPLATE_SUFFIX)] for p in _template_dir().iterdir() if p.name.endswith(TEMPLATE_SUFFIX)}
    return [name for name in OCCASIONS if name in found] + sorted(found - set(OCCASIONS))


def _template_dir():
    return resources.files("cardkeep.drafts") / "templates"


def template_source(name: str) -> str:
    """The text of a shipped template (for `drafts templates --copy`)."""
    if name not in shipped_templates():
        raise UsageError(f"no template named {name!r} (shipped: {', '.join(shipped_templates())})")
    return (_template_dir() / f"{name}{TEMPLATE_SUFFIX}").read_text(encoding="utf-8")


def template_description(source: str) -> str:
    """The first `{# ... #}` comment of a template, on one line."""
    match = re.match(r"\s*\{#-?(.*?)-?#\}", source, re.S)
    return " ".join(match.group(1).split()) if match else ""


MAX_OUTPUT = 100_000  # characters (or items) one expression may build: a card is short
MAX_DRAFT = 200_000  # characters one rendered draft may hold
MAX_TEMPLATE_BYTES = 1024 * 1024  # a template file
TIME_LIMIT = 2.0  # seconds one draft may take to render: a card takes milliseconds


class LimitedTemplate:
    """A compiled template that renders under a time and an output-size limit.

    Past either, rendering stops with the sandbox's SecurityError, which the caller reports with
    the template's name. The clock is checked on every call and attribute the template makes and
    on every piece of output; in the main thread a timer signal also stops a loop that does
    neither (`{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}`)."""

    def __init__(self, template: Any, filename: str):
        self.template = template
        self.filename = filename

    def render(self, context: dict[str, Any]) -> str:
        import signal
        import threading
        import time

        from jinja2.exceptions import SecurityError

        env = self.template.environment
        deadline = time.monotonic() + TIME_LIMIT
        timed_out = f"it took longer than {TIME_LIMIT:g} s to render one card"

        def on_alarm(signum, frame):
            raise SecurityError(timed_out)

        use_signal = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        if use_signal:
            previous = signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
        outer = getattr(env.deadline, "value", None)
        env.deadline.value = deadline
        try:
            pieces: list[str] = []
            size = 0
            for piece in self.template.generate(context):
                size += len(piece)
                if size > MAX_DRAFT:
                    raise SecurityError(f"it wrote more than {MAX_DRAFT:,} characters for one card")
                if time.monotonic() > deadline:
                    raise SecurityError(timed_out)
                pieces.append(piece)
            return "".join(pieces)
        finally:
            env.deadline.value = outer
            if use_signal:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)


@cache
def _environment():
    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class CardSandbox(ImmutableSandboxedEnvironment):
        """The immutable sandbox (no list.append, no dict.update: a template only reads), and no
        `"x" * 10**9` or `9 ** 9 ** 9` either: the sandbox limits range(), not these."""

        intercepted_binops = frozenset({"*", "**"})

        def __init__(self, *args, **kwargs):
            import threading

            super().__init__(*args, **kwargs)
            self.deadline = threading.local()  # set by LimitedTemplate.render

        def _check_clock(self):
            import time

            deadline = getattr(self.deadline, "value", None)
            if deadline is not None and time.monotonic() > deadline:
                raise SecurityError("the template took too long to render a card")

        def call(self, __context, __obj, *args, **kwargs):
            self._check_clock()
            return super().call(__context, __obj, *args, **kwargs)

        def getattr(self, obj, attribute):
            self._check_clock()
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            self._check_clock()
            return super().getitem(obj, argument)

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, int) and abs(right) > 64:
                raise SecurityError(f"exponent {right} is too large for a card")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_OUTPUT:
                        raise SecurityError(f"repeating a value {times} times is too much for a card")
            return super().call_binop(context, operator, left, right)

    return CardSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=_mark_value,
        auto_reload=False,
    )


def _mark_value(value: Any) -> str:
    """Every printed value, bracketed so the checks know it is data; None is never printed as "None"."""
    if value is None:
        from jinja2 import UndefinedError

        raise UndefinedError("a value is empty (None)")
    text = str(value)
    if isinstance(value, PartlyData) and len(text) <= MAX_OUTPUT:
        return "".join(_mark_value(part) if data else _unmarked(part) for part, data in value.parts)
    if len(text) > MAX_OUTPUT:  # `{{ 'x'|center(3*10**7) }}`: built in C, refused before it goes further
        from jinja2.exceptions import SecurityError

        raise SecurityError(f"a value of {len(text):,} characters is too long for a card")
    return f"{_OPEN}{_unmarked(text)}{_CLOSE}"


def _unmarked(text: str) -> str:
    return text.replace(_OPEN, "").replace(_CLOSE, "")


def load_template(spec: str) -> DraftTemplate:
    """A shipped template by name ("holiday"), or a template file by path; compiled once."""
    path = Path(spec).expanduser()
    if spec in shipped_templates() and not path.is_file():
        return compile_template(template_source(spec), name=spec, filename=f"{spec}{TEMPLATE_SUFFIX}")
    if path.is_file():
        try:
            source = read_input(path, name=f"template {path}", limit=MAX_TEMPLATE_BYTES).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"cannot read template {path}: {getattr(exc, 'strerror', None) or exc}") from None
        return compile_template(source, name=path.name, filename=str(path))
    raise UsageError(
        f"--template {spec!r}: no such file, and no shipped template by that name "
        f"(shipped: {', '.join(shipped_templates())})"
    )


def compile_template(source: str, *, name: str, filename: str) -> DraftTemplate:
    from jinja2 import TemplateSyntaxError, meta

    env = _environment()
    source = source.replace(_OPEN, "").replace(_CLOSE, "")  # the markers are ours alone
    try:
        tree = env.parse(source, name=name, filename=filename)
        code = env.compile(tree, name=name, filename=filename)
    except TemplateSyntaxError as exc:
        raise InvalidInput(f"template {filename}, line {exc.lineno}: {exc.message}") from None
    template = env.template_class.from_code(env, code, env.make_globals(None))
    return DraftTemplate(
        name, filename, LimitedTemplate(template, filename), frozenset(meta.find_undeclared_variables(tree))
    )


