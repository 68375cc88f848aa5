"""The word vectors the brag model reads: where they came from, how they are read, and that reading
them needs nothing but the standard library."""

import hashlib
import json
import subprocess
import sys

import pytest

from cardkeep.lint import model, vectors
from tests.conftest import ROOT

DATA = ROOT / "cardkeep" / "lint" / "data"
HEADER = DATA / "word_vectors.json"
BLOB = DATA / "word_vectors.bin"

pytestmark = pytest.mark.skipif(not HEADER.exists(), reason="no word vectors shipped")


def test_the_vector_header_records_its_source_and_how_it_was_made():
    header = json.loads(HEADER.read_text(encoding="utf-8"))
    source = header["source"]
    assert source["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert source["model_licence"] and source["package"] and source["package_version"]
    assert "benchmarks/lint_vectors.py" == header["made"]["script"]
    assert header["made"]["how"] and header["made"]["vocabulary"]
    vocab = header["vocab"].split("\n")
    assert len(vocab) == header["count"] == len(set(vocab))
    assert len(header["scales"]) == header["dims"]
    assert BLOB.stat().st_size == header["count"] * (header["dims"] + 1)  # int8 rows, then a uint8 weight each
    assert BLOB.stat().st_size < 8_000_000  # 256 dimensions: the cut tier gains 5 points of recall over 128


def test_the_model_records_the_vector_files_it_was_trained_with():
    data = json.loads((DATA / "brag_model.json").read_text(encoding="utf-8"))
    record = data["trained"].get("word_vectors")
    if not record:
        pytest.skip("the shipped model does not use the word vectors")
    assert data["vector_dims"] == record["dims"] == json.loads(HEADER.read_text(encoding="utf-8"))["dims"]
    for f in record["files"]:
        assert hashlib.sha256((ROOT / f["path"]).read_bytes()).hexdigest() == f["sha256"], (
            f"{f['path']} changed since the model was trained: retrain with benchmarks/lint_train.py --write")


def test_unknown_words_are_cut_into_known_pieces_and_names_carry_nothing():
    v = vectors.load()
    assert v.ids("boat") == (v.index["boat"],)
    pieces = v.ids("unbelievablyness")
    assert len(pieces) >= 2 and all(v.header["vocab"].split("\n")[i] for i in pieces)
    assert v.ids("<name>") == ()
    assert v.ids("\u2603\u2603") == ()  # nothing it can cut: skipped
    assert v.mean([]) == [0.0] * v.dims


def test_similar_words_have_similar_vectors():
    v = vectors.load()

    def cos(a, b):
        x, y = v.row(v.index[a]), v.row(v.index[b])
        return sum(p * q for p, q in zip(x, y, strict=True)) / (sum(p * p for p in x) * sum(q * q for q in y)) ** 0.5

    assert cos("yacht", "boat") > cos("yacht", "sandwich") + 0.3
    assert cos("harvard", "yale") > cos("harvard", "tuesday") + 0.2


def test_the_fast_vector_score_is_the_model_weights_dot_the_mean_vector():
    v = vectors.load()
    weights = [((d * 7) % 5 - 2) / 3 for d in range(v.dims)]
    scorer = vectors.Scorer(v, weights)
    for words in (["we", "bought", "a", "boat"], ["grew", "to", "25", "employees", "<name>"], ["zzqxj"], []):
        mean = v.mean(words)
        assert scorer.score(words) == pytest.approx(sum(w * x for w, x in zip(weights, mean, strict=True)), abs=1e-9)
        assert scorer.score(words) == pytest.approx(scorer.score(words))  # the per-word cache agrees


def test_loading_the_vectors_and_linting_a_line_needs_no_numpy():
    code = (
        "import sys, time, json\n"
        "from cardkeep.lint import lint_text, vectors, model\n"
        "t = time.perf_counter(); v = vectors.load(); ms = (time.perf_counter() - t) * 1000\n"
        "found = [f.rule for f in lint_text('Our son made partner at the firm and we bought a yacht.')]\n"
        "ok = [f.rule for f in lint_text('Grandma is feeling better and sends her love.')]\n"
        "print(json.dumps({'numpy': 'numpy' in sys.modules, 'found': found, 'ok': ok, 'ms': ms,\n"
        "                  'dims': v.dims, 'uses': bool(model.load().vector_weights)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(out.stdout)
    assert result["numpy"] is False
    assert any(rule.startswith("brag.") for rule in result["found"])
    assert not any(rule.startswith("brag.") for rule in result["ok"])
    assert result["ms"] < 500  # about 15 ms on a quiet machine; generous for a loaded CI
    assert result["uses"] == bool(model.load().vector_weights)


def test_numbers_and_money_carry_no_vector_even_when_the_vocabulary_has_them():
    v = vectors.load()
    assert "40" in v.index  # the teacher's vocabulary has numbers...
    assert v.ids("40") == v.ids("$5,000") == v.ids("2026") == v.ids("<name>") == ()  # ...the features read their shape
    assert v.ids("yacht")
