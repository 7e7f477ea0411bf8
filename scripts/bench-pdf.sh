#!/usr/bin/env bash
# PDF import speed, side by side with its anchor in the same run: `kanbao export FILE.pdf`
# against `pdftotext FILE.pdf` + kanbao's parse of that text (what a user did before), and
# pdftotext alone. Median and worst, per bulletin and per page. The parse cache is emptied
# before every run (--prepare), so each run reads the PDF.
# Files: tests/data/pdf (copies of ../shared/pdf), ../shared/pdf when it differs,
# tests/data/pdf-own, and two long bulletins made by scripts/gen-pdfs.py --big (needs
# python3-reportlab and fonts-wqy-microhei; skipped with a note without them).
# Then the hostile PDFs: wall time and peak memory of `list`, `export` and `add` on each.
# Needs: hyperfine, poppler-utils (pdftotext, pdfinfo), /usr/bin/time; a release build.
#   cargo build --release && scripts/bench-pdf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/target/release/kanbao
[ -x "$bin" ] || { echo "no release build: cargo build --release" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# No user library, cache or settings in the way.
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$HOME"

files=(tests/data/pdf/*.pdf tests/data/pdf-own/*.pdf)
for f in ../shared/pdf/*.pdf; do
  [ -f "$f" ] && ! cmp -s "$f" "tests/data/pdf/$(basename "$f")" && files+=("$f")
done
if python3 -c 'import reportlab' 2>/dev/null && [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
  python3 scripts/gen-pdfs.py --big 40 "$tmp/long-40.pdf" >/dev/null
  python3 scripts/gen-pdfs.py --big 180 "$tmp/long-180.pdf" >/dev/null
  files+=("$tmp/long-40.pdf" "$tmp/long-180.pdf")
else
  echo "(long bulletins skipped: apt install python3-reportlab fonts-wqy-microhei)"
fi

printf '%-26s %5s  %-20s %9s %9s %9s\n' file pages command median worst "per page"
for f in "${files[@]}"; do
  pages=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
  name=$(basename "$f" .pdf)
  # -i: on a PDF pdftotext cannot decode, kanbao refuses the garbage text (exit 2): still timed.
  hyperfine -N -i --warmup 1 --min-runs 10 --prepare "rm -rf $XDG_CACHE_HOME" --export-json "$tmp/$name.json" \
    "$bin export --no-bundled $f" \
    "sh -c 'pdftotext $f $tmp/$name.txt && $bin export --no-bundled $tmp/$name.txt'" \
    "pdftotext $f $tmp/$name.txt" >/dev/null 2>&1
  python3 - "$tmp/$name.json" "$pages" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]; pages = int(sys.argv[2]); name = sys.argv[3]
labels = ["kanbao (PDF)", "pdftotext + kanbao", "pdftotext alone"]
for i, (label, x) in enumerate(zip(labels, r)):
    med, worst = x["median"] * 1000, max(x["times"]) * 1000
    failed = " (failed: exit %s)" % max(x["exit_codes"]) if any(x["exit_codes"]) else ""
    print(f"{name if i == 0 else '':26} {pages if i == 0 else '':>5}  {label:20} {med:7.1f}ms {worst:7.1f}ms {med / pages:7.2f}ms{failed}")
goal = r[0]["median"] <= r[1]["median"]
print(f"{'':34}kanbao / anchor: {r[0]['median'] / r[1]['median']:.2f} ({'goal met' if goal else 'SLOWER than the anchor'})")
PY
done

echo
echo "hostile PDFs: wall time, peak memory (list / export / add), and the message"
for f in tests/data/pdf-hostile/*.pdf; do
  line="  $(basename "$f"):"
  for cmd in list export add; do
    rm -rf "$XDG_CACHE_HOME" "$XDG_DATA_HOME"
    args=("$cmd" "$f"); [ "$cmd" = add ] || args=("$cmd" --no-bundled "$f")
    /usr/bin/time -o "$tmp/time" -f "%e s %M KB" "$bin" "${args[@]}" >/dev/null 2>"$tmp/err" || true
    line+=" $cmd $(cat "$tmp/time" | tail -1);"
  done
  echo "$line"
  echo "      $(grep -v '^Command exited' "$tmp/err" | tail -1)"
done
