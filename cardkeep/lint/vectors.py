"""Static word vectors for the brag model, read in plain Python (no numpy).

data/word_vectors.bin holds one small vector per vocabulary entry (int8, a scale per dimension) and a
weight per entry (uint8: frequent words weigh little); data/word_vectors.json is its header: the
vocabulary, the dimensions, the scales, and where the vectors came from. They were distilled from a
sentence-transformer by benchmarks/lint_vectors.py (the Model2Vec idea: every vocabulary entry
embedded on its own, reduced by PCA, quantised): the runtime never loads that model.

A sentence's vector is the weighted mean of its words' vectors. A word not in the vocabulary is cut
into WordPiece-style pieces (longest known prefix, then "##" continuations); a word that cannot be
cut is skipped. Names ("<name>" from the feature tokeniser) and numbers carry no vector (the
features read a number's shape: a year, a sum of money, a count).

The brag model is linear, so its vector part is the weighted mean of each word's dot product with the
model's weights: `Scorer` computes that per distinct word once, and a sentence costs a dictionary
lookup per word.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterable, Sequence
from functools import cache
from operator import mul

from cardkeep.lint.lazy import data_path, data_text

HEADER_FILE = "data/word_vectors.json"
VECTOR_FILE = "data/word_vectors.bin"
MAX_WORD = 40  # characters: longer runs are not words (and are not cut into pieces)

_PIECES = re.compile(r"[a-z0-9]+")


class Vectors:
    """The shipped vectors: `index` maps an entry to its row; `row(i)` is its de-quantised vector."""

    __slots__ = ("dims", "index", "scales", "weights", "_q", "header", "_split")

    def __init__(self, header: dict, blob: bytes) -> None:
        self.header = header
        self.dims = int(header["dims"])
        vocab = header["vocab"].split("\n")
        n = len(vocab)
        self.index: dict[str, int] = dict(zip(vocab, range(n), strict=True))
        self.scales: list[float] = [float(s) for s in header["scales"]]
        view = memoryview(blob)
        q = array("b")
        q.frombytes(view[: n * self.dims])
        w = array("B")
        w.frombytes(view[n * self.dims: n * self.dims + n])
        if len(q) != n * self.dims or len(w) != n:
            raise ValueError("word_vectors.bin does not match its header")
        self._q = q
        self.weights = w  # uint8: a weighted mean needs no scale (it cancels)
        self._split: dict[str, tuple[int, ...]] = {}

    def row(self, i: int) -> list[float]:
        d = self.dims
        return list(map(mul, self._q[i * d:(i + 1) * d], self.scales))

    def raw(self, i: int) -> array:
        d = self.dims
        return self._q[i * d:(i + 1) * d]

    def ids(self, word: str) -> tuple[int, ...]:
        """The vocabulary rows of one lower-case word (its pieces when it is not an entry)."""
        first = word[:1]
        if first.isdigit() or first in "$£€" or word == "<name>":
            return ()  # numbers and names: the features read their shape, not a vector
        hit = self.index.get(word)
        if hit is not None:
            return (hit,)
        cached = self._split.get(word)
        if cached is not None:
            return cached
        out: list[int] = []
        for piece in _PIECES.findall(word):
            i = self.index.get(piece)
            if i is not None:
                out.append(i)
            elif len(piece) <= MAX_WORD:
                out.extend(self._wordpiece(piece))
        result = tuple(out)
        if len(self._split) < 200_000:
            self._split[word] = result
        return result

    def _wordpiece(self, word: str) -> list[int]:
        index = self.index
        out: list[int] = []
        start, n = 0, len(word)
        while start < n:
            end = n
            found = None
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = index.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return []  # as WordPiece: a word that cannot be cut is unknown
            out.append(found)
            start = end
        return out

    def mean(self, words: Iterable[str]) -> list[float]:
        """The weighted mean vector of `words` (zeros when none is known)."""
        d = self.dims
        acc = [0.0] * d
        total = 0.0
        q, weights = self._q, self.weights
        for word in words:
            for i in self.ids(word):
                w = weights[i]
                if w:
                    total += w
                    acc = [a + w * x for a, x in zip(acc, q[i * d:(i + 1) * d], strict=True)]
        if not total:
            return acc
        return [a * s / total for a, s in zip(acc, self.scales, strict=True)]


class Scorer:
    """`weights . mean(words)` for one set of model weights, with each word's part worked out once."""

    __slots__ = ("vectors", "_w", "_word", "_sentence")

    def __init__(self, vectors: Vectors, weights: Sequence[float]) -> None:
        self.vectors = vectors
        self._w = [w * s for w, s in zip(weights, vectors.scales, strict=True)]  # folded into the int8 rows
        self._word: dict[str, tuple[float, float]] = {}
        self._sentence: dict[tuple[str, ...], float] = {}

    def _of(self, word: str) -> tuple[float, float]:
        v = self.vectors
        num = den = 0.0
        w8 = self._w
        for i in v.ids(word):
            w = v.weights[i]
            if w:
                den += w
                num += w * sum(map(mul, v.raw(i), w8))
        out = (num, den)
        if len(self._word) < 200_000:
            self._word[word] = out
        return out

    def score(self, words: Sequence[str]) -> float:
        if not isinstance(words, tuple):
            words = tuple(words)
        done = self._sentence.get(words)
        if done is not None:
            return done
        num = den = 0.0
        cache_ = self._word
        for word in words:
            nd = cache_.get(word) or self._of(word)
            num += nd[0]
            den += nd[1]
        out = num / den if den else 0.0
        if len(self._sentence) < 50_000:
            self._sentence[words] = out
        return out


@cache
def load() -> Vectors | None:
    """The shipped vectors, read on first use; None when the files are absent."""
    head, blob = data_path(HEADER_FILE), data_path(VECTOR_FILE)
    if head is None or blob is None:
        return None
    with open(blob, "rb") as f:
        return Vectors(json.loads(data_text(HEADER_FILE)), f.read())
