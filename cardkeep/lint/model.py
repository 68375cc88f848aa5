"""The brag model: a logistic regression over `features.extract`, trained offline by
benchmarks/lint_train.py and shipped as data/brag_model.json (weights, thresholds and a record of
what it was trained on). Inference is plain Python: a dictionary lookup per feature."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat
from operator import mul

MODEL_FILE = "data/brag_model.json"


@dataclass(frozen=True)
class Model:
    bias: float
    weights: dict[str, float]
    consider: float  # at or above: a finding ("consider cutting")
    cut: float  # at or above: a cut, what --fix and drafts remove on their own
    meta: dict

    def margin(self, features: dict[str, float]) -> float:
        return self.bias + sum(map(mul, map(self.weights.get, features, repeat(0.0)), features.values()))

    def probability(self, features: dict[str, float]) -> float:
        z = self.margin(features)
        return 1 / (1 + math.exp(-z)) if z > -30 else 0.0

    def contributions(self, features: dict[str, float]) -> list[tuple[str, float]]:
        """The features that pushed towards "brag", largest first."""
        w = self.weights
        out = [(k, w[k] * v) for k, v in features.items() if k in w and w[k] * v > 0]
        return sorted(out, key=lambda kv: -kv[1])


@cache
def load() -> Model | None:
    """The shipped model, read on first use; None when the file is absent (the rules judge alone)."""
    path = resources.files("cardkeep.lint").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()},
                 float(data["thresholds"]["consider"]), float(data["thresholds"]["cut"]),
                 {k: v for k, v in data.items() if k not in ("weights", "bias")})


def is_cut(finding) -> bool:
    """True when a brag finding is sure enough to be removed without asking (no score: a rule's cut)."""
    if finding.confidence is None:
        return True
    m = load()
    return m is None or finding.confidence >= m.cut
