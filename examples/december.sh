#!/bin/sh
# A December with cardkeep, on the sample book: import, plan, save the batch, print labels and
# drafts, lint the holiday letter. Everything goes to ./out/ (a fresh demo database included), so
# your own book is never touched.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${CARDKEEP_DEMO_OUT:-out}
mkdir -p "$out"
export CARDKEEP_DB="$out/demo.db" CARDKEEP_CONFIG="$here/config.toml" CARDKEEP_TODAY=2026-11-23
rm -f "$CARDKEEP_DB" "$CARDKEEP_DB-wal" "$CARDKEEP_DB-shm"

cardkeep import "$here/book.json"
echo
cardkeep plan
cardkeep plan --save > /dev/null
echo
cardkeep labels --output "$out/labels.pdf"
cardkeep envelopes --output "$out/envelopes.pdf"
cardkeep drafts --letter "$here/letter.md" --size a4-letter --output "$out/drafts.pdf"
echo
echo "The holiday letter, linted (humble-brags and friends):"
cardkeep lint "$here/letter.md" || true
echo
echo "Done. Look at $out/labels.pdf, $out/envelopes.pdf and $out/drafts.pdf (print labels at 100 %, no scaling)."
