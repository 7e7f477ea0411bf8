#!/usr/bin/env bash
# Start, list, find and memory at N bulletins (default 10,000), cold and warm parse cache, each
# beside `less` on the same text in the same run. Needs hyperfine and GNU time (/usr/bin/time).
#   scripts/bench-archive.sh [N] [RUNS]
# Writes the archive to /tmp/kanbao-archive-N (kept for reruns) and uses a throwaway HOME, so
# your own library, state and cache are not touched.
set -euo pipefail
N=${1:-10000}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${KANBAO:-$ROOT/target/release/kanbao}
DIR=/tmp/kanbao-archive-$N
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release --locked)
[ -d "$DIR" ] || python3 "$ROOT/scripts/gen-archive.py" "$N" "$DIR" >/dev/null
export HOME; HOME=$(mktemp -d)
export XDG_CACHE_HOME=$HOME/.cache XDG_DATA_HOME=$HOME/.local/share XDG_CONFIG_HOME=$HOME/.config
trap 'rm -rf "$HOME"' EXIT
ALL=$HOME/all.txt
cat "$DIR"/*.txt > "$ALL"
echo "== $N bulletins, $(du -sh "$DIR" | cut -f1) of text; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

echo "== cold cache (deleted before each run) vs warm, and less -F on the same text"
hyperfine -N --runs "$RUNS" --style basic --export-markdown "$HOME/cold.md" \
  --prepare "rm -rf $XDG_CACHE_HOME/kanbao/parsed" -n "list (cold)" "$BIN list --no-bundled $DIR"
"$BIN" list --no-bundled "$DIR" >/dev/null
hyperfine -N --runs "$RUNS" --warmup 1 --style basic --export-markdown "$HOME/warm.md" \
  -n "list (warm)" "$BIN list --no-bundled $DIR" \
  -n "find bishan (warm)" "$BIN find bishan --no-bundled $DIR" \
  -n "less -F (same text)" "less -F $ALL"
cat "$HOME/cold.md" "$HOME/warm.md"

echo "== peak memory (max RSS), text size $(du -m "$ALL" | cut -f1) MB"
rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
rm -rf "$XDG_CACHE_HOME/kanbao/parsed"
echo "list (cold)          $(( $(rss "$BIN" list --no-bundled "$DIR") / 1024 )) MB"
echo "list (warm)          $(( $(rss "$BIN" list --no-bundled "$DIR") / 1024 )) MB"
echo "list, bundled only   $(( $(rss "$BIN" list) / 1024 )) MB"
echo "less -F (same text)  $(( $(rss less -F "$ALL") / 1024 )) MB"
