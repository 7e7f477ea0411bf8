#!/usr/bin/env bash
# PDF import speed, side by side with its anchor in the same run: `kanbao export FILE.pdf`
# against `pdftotext FILE.pdf` + kanbao's parse of that text (what a user did before).
# Also the hostile PDFs: wall time and peak memory of the one-line refusal.
# Needs: hyperfine, poppler-utils (pdftotext), /usr/bin/time; a release build.
#   cargo build --release && scripts/bench-pdf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/kanbao
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp"   # no user library in the way
for f in tests/data/pdf/*.pdf; do
  pages=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
  name=$(basename "$f" .pdf)
  echo "== $name ($pages pages)"
  hyperfine -N --warmup 2 --runs 20 --export-json "$tmp/$name.json" \
    "$bin export --no-bundled $f" \
    "sh -c 'pdftotext $f $tmp/$name.txt && $bin export --no-bundled $tmp/$name.txt'" >/dev/null
  python3 - "$tmp/$name.json" "$pages" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]; pages = int(sys.argv[2])
for label, x in zip(["kanbao (PDF)", "pdftotext + kanbao (text)"], r):
    ts = sorted(x["times"])
    print(f"  {label:28} median {x['median']*1000:7.1f} ms  worst {ts[-1]*1000:7.1f} ms  per page {x['median']*1000/pages:6.1f} ms")
PY
done
echo "== hostile PDFs (wall time, peak memory)"
for f in tests/data/pdf-hostile/*.pdf; do
  /usr/bin/time -f "  $(basename "$f"): %e s, %M KB" "$bin" list --no-bundled "$f" >/dev/null 2>"$tmp/err" || true
  tail -1 "$tmp/err"
done
