"""The brag model: a linear model (the mean of three logistic regressions: any brag, plain brags,
humble-brags, each against ok lines) over `features.extract` and the sentence's mean word vector
(`cardkeep.lint.vectors`), trained offline by benchmarks/lint_train.py and shipped as
data/brag_model.json (weights, thresholds and a record of what it was trained on). Inference is plain
Python: a dictionary lookup per feature, and per word for the vector part (weights "vec:0", "vec:1"...)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from operator import mul

from cardkeep.lint.lazy import data_path, data_text

MODEL_FILE = "data/brag_model.json"


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (the scorer is cached per model)
class Model:
    bias: float
    weights: dict[str, float]
    consider: float  # at or above: a finding ("consider cutting")
    cut: float  # at or above: a cut, what --fix and drafts remove on their own
    meta: dict
    vector_weights: tuple[float, ...] = ()  # one per vector dimension; () when trained without vectors

    def margin(self, features: dict[str, float], words: Sequence[str] = ()) -> float:
        z = self.bias + sum(map(mul, map(self.weights.get, features, repeat(0.0)), features.values()))
        if self.vector_weights and words:
            z += self.vector_margin(words)
        return z

    def vector_margin(self, words: Sequence[str]) -> float:
        """The vector part of the margin: the model's vector weights . the words' mean vector."""
        scorer = _scorer(self)
        return scorer.score(words) if scorer is not None else 0.0

    def probability(self, features: dict[str, float], words: Sequence[str] = ()) -> float:
        z = self.margin(features, words)
        return 1 / (1 + math.exp(-z)) if z > -30 else 0.0

    def contributions(self, features: dict[str, float]) -> list[tuple[str, float]]:
        """The features that pushed towards "brag", largest first."""
        w = self.weights
        out = [(k, w[k] * v) for k, v in features.items() if k in w and w[k] * v > 0]
        return sorted(out, key=lambda kv: -kv[1])


@cache
def load() -> Model | None:
    """The shipped model, read on first use; None when the file is absent (the rules judge alone)."""
    if data_path(MODEL_FILE) is None:
        return None
    data = json.loads(data_text(MODEL_FILE))
    weights = {k: float(v) for k, v in data["weights"].items() if not k.startswith("vec:")}
    dims = int(data.get("vector_dims", 0))
    vec = tuple(float(data["weights"].get(f"vec:{d}", 0.0)) for d in range(dims))
    return Model(float(data["bias"]), weights,
                 float(data["thresholds"]["consider"]), float(data["thresholds"]["cut"]),
                 {k: v for k, v in data.items() if k not in ("weights", "bias")}, vec)


@cache
def _scorer(m: Model):
    """The word-vector scorer for `m`, made on first use (None when the vector file is absent)."""
    from cardkeep.lint import vectors

    v = vectors.load()
    if v is None or v.dims != len(m.vector_weights):
        return None
    return vectors.Scorer(v, m.vector_weights)


def is_cut(finding) -> bool:
    """True when a brag finding is sure enough to be removed without asking (no score: a rule's cut)."""
    tier = getattr(finding, "tier", None)
    if tier is not None:
        return tier == "cut"
    if finding.confidence is None:
        return True
    m = load()
    return m is None or finding.confidence >= m.cut
