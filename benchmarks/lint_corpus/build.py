"""Build lines.jsonl and salutations.jsonl from the hand-written sources in src/.

Source format (one item a line, '#' starts a comment line, blank lines ignored):
    LABEL|CATEGORY|HARD|TEXT[|NOTE]
LABEL: b=brag, h=humblebrag, o=ok (lines); g=generic, p=personal (salutations).
HARD: 1 or 0. Voice = file name without .txt. Files are read in the order listed in
src/ORDER so ids stay stable when new voices are appended.
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).parent
SRC = HERE / "src"
LABELS = {"b": "brag", "h": "humblebrag", "o": "ok", "g": "generic", "p": "personal"}


def parse(path):
    voice = path.stem
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("|")
        if len(parts) not in (4, 5):
            sys.exit(f"{path.name}:{n}: expected 4 or 5 fields: {raw!r}")
        lab, cat, hard, text = parts[:4]
        note = parts[4].strip() if len(parts) == 5 else ""
        if lab not in LABELS or hard not in ("0", "1"):
            sys.exit(f"{path.name}:{n}: bad label/hard: {raw!r}")
        yield voice, LABELS[lab], cat.strip(), hard == "1", text.strip(), note


def main():
    order = [l.strip() for l in (SRC / "ORDER").read_text().splitlines() if l.strip()]
    lines, sals = [], []
    for name in order:
        for voice, label, cat, hard, text, note in parse(SRC / f"{name}.txt"):
            if label in ("generic", "personal"):
                row = {"id": f"os{len(sals) + 1:04d}", "text": text, "label": label,
                       "kind": "salutation", "position": cat, "category": "salutation",
                       "hard": hard, "source": f"written:{voice}"}
                if note:
                    row["note"] = note
                sals.append(row)
            else:
                row = {"id": f"oc{len(lines) + 1:04d}", "text": text, "label": label,
                       "kind": "line", "category": cat, "hard": hard,
                       "source": f"written:{voice}"}
                if note:
                    row["note"] = note
                lines.append(row)
    for fn, rows in (("lines.jsonl", lines), ("salutations.jsonl", sals)):
        with open(HERE / fn, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"lines {len(lines)}  salutations {len(sals)}")


if __name__ == "__main__":
    main()
