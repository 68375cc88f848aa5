"""What keeps importing the linter light: a regex compiled on first use, which can search with only
the alternatives that can begin with a word of the text, and the data files read by plain path
(importlib.resources costs 7 ms of imports: tempfile, shutil, random; the package is never zipped)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def data_path(relative: str) -> str | None:
    """The path of one of the linter's data files ("data/lexicon.json"), or None when it is absent."""
    path = os.path.join(_PACKAGE, *relative.split("/"))
    return path if os.path.isfile(path) else None


def data_text(relative: str) -> str:
    with open(os.path.join(_PACKAGE, *relative.split("/")), encoding="utf-8") as f:
        return f.read()


def terms(*alternatives: str) -> str:
    """Whole-word alternatives as one pattern."""
    return r"\b(?:" + "|".join(alternatives) + r")\b"


class Lazy:
    """A pattern compiled on first use, so that importing the linter stays light.

    Made from whole-word alternatives (`Lazy.terms`), it can also search with only the alternatives
    that can begin with a word of the sentence (`search_words`)."""

    __slots__ = ("pattern", "_compiled", "alternatives", "_by_first", "_always", "_subsets")

    def __init__(self, pattern: str, alternatives: tuple[str, ...] = ()) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None
        self.alternatives = alternatives
        self._by_first: dict[str, tuple[int, ...]] | None = None
        self._always: tuple[int, ...] = ()
        self._subsets: dict[tuple[int, ...], re.Pattern[str]] = {}

    @classmethod
    def terms(cls, *alternatives: str) -> Lazy:
        return cls(terms(*alternatives), alternatives)

    def search(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled.search(text)

    def search_words(self, text: str, runs: set[str], first_words: Callable[[str], frozenset[str] | None]
                     ) -> re.Match[str] | None:
        """The same match as `search(text)`, given the letter-and-digit runs of `text` and `first_words`
        (the runs a match of one alternative can begin with; None when unknown): an alternative none
        of whose first words is among the runs cannot match in `text`, so dropping it (the others kept
        in order) changes neither the leftmost match nor the alternative that wins there."""
        if not self.alternatives:
            return self.search(text)
        if self._by_first is None:
            by_first: dict[str, list[int]] = {}
            always = []
            for i, alt in enumerate(self.alternatives):
                words = first_words(alt)
                if words is None:
                    always.append(i)
                else:
                    for w in words:
                        by_first.setdefault(w, []).append(i)
            self._always = tuple(always)
            self._by_first = {w: tuple(v) for w, v in by_first.items()}
        by_first = self._by_first
        chosen = set(self._always)
        for w in runs.intersection(by_first):
            chosen.update(by_first[w])
        key = tuple(sorted(chosen))
        compiled = self._subsets.get(key)
        if compiled is None:
            compiled = re.compile(terms(*(self.alternatives[i] for i in key))) if key else re.compile(r"(?!)")
            if len(self._subsets) < 4096:
                self._subsets[key] = compiled
        return compiled.search(text)
