"""Check lines.jsonl / salutations.jsonl: schema, unique ids, labels, counts, and
no line equal or near-equal (difflib ratio > 0.8, lowercased) to any line of
../shared/corpus/*.jsonl or to another line of this corpus."""
import collections
import difflib
import glob
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).parent
SHARED = HERE.parents[2] / "shared" / "corpus"
bad = 0


def load(fn):
    return [json.loads(l) for l in open(HERE / fn, encoding="utf-8") if l.strip()]


lines, sals = load("lines.jsonl"), load("salutations.jsonl")
ids = [r["id"] for r in lines + sals]
dup = [i for i, c in collections.Counter(ids).items() if c > 1]
if dup:
    print("duplicate ids", dup); bad += 1
for r in lines:
    if r["label"] not in ("brag", "humblebrag", "ok") or not r["source"].startswith("written:") \
            or not isinstance(r["hard"], bool) or not r["text"] or not r["id"].startswith("oc"):
        print("bad line", r); bad += 1
for r in sals:
    if r["label"] not in ("generic", "personal") or r["kind"] != "salutation" or not r["id"].startswith("os"):
        print("bad salutation", r); bad += 1


def norm(t):
    return " ".join(t.lower().split())


shared = []
for fn in glob.glob(str(SHARED / "*.jsonl")):
    for l in open(fn, encoding="utf-8"):
        if l.strip():
            shared.append(norm(json.loads(l)["text"]))
mine = [(r["id"], norm(r["text"])) for r in lines + sals]


def near(a, b):
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() > 0.8 and sm.quick_ratio() > 0.8 and sm.ratio() > 0.8


for i, t in mine:
    for s in shared:
        if near(t, s):
            print(f"NEAR SHARED {i}: {t!r} ~ {s!r}"); bad += 1
for k, (i, t) in enumerate(mine):
    for j, u in mine[k + 1:]:
        if near(t, u):
            print(f"NEAR SELF {i} ~ {j}: {t!r} ~ {u!r}")

print("lines", len(lines), collections.Counter(r["label"] for r in lines))
ok = [r for r in lines if r["label"] == "ok"]
print("hard negatives (ok & hard):", sum(r["hard"] for r in ok))
print("salutations", len(sals), collections.Counter(r["label"] for r in sals))
if "-v" in sys.argv:
    print(collections.Counter((r["label"], r["category"]) for r in lines).most_common())
    print(collections.Counter(r["source"] for r in lines).most_common())
sys.exit(1 if bad else 0)
