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
# shellcheck source=lib.sh
. "$ROOT/scripts/lib.sh"
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

# hyperfine's JSON as one line per command: median and worst wall time, and mean CPU time
# (user + sys), which a loaded machine distorts much less than wall time.
summary() {
  python3 - "$@" <<'PY'
import json, statistics, sys
print(f"{'command':32} {'median':>9} {'worst':>9} {'CPU (user+sys)':>15}")
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        cpu = r["user"] + r["system"]
        print(f"{r['command']:32} {statistics.median(r['times']) * 1000:7.0f}ms {max(r['times']) * 1000:7.0f}ms {cpu * 1000:13.0f}ms")
PY
}

echo "== cold cache (deleted before each run) vs warm, and less -F on the same text"
hyperfine -N --runs "$RUNS" --style basic --export-json "$HOME/cold.json" \
  --prepare "rm -rf $XDG_CACHE_HOME/kanbao/parsed" -n "list (cold)" "$BIN list --no-bundled $DIR" \
  -n "less -F (same text)" "less -F $ALL"
"$BIN" list --no-bundled "$DIR" >/dev/null 2>&1
hyperfine -N --runs "$RUNS" --warmup 1 --style basic --export-json "$HOME/warm.json" \
  -n "list (warm)" "$BIN list --no-bundled $DIR" \
  -n "find bishan (warm)" "$BIN find bishan --no-bundled $DIR" \
  -n "less -F (same text)" "less -F $ALL"
summary "$HOME/cold.json" "$HOME/warm.json"

echo "== peak memory (max RSS), text size $(du -m "$ALL" | cut -f1) MB"
rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
rm -rf "$XDG_CACHE_HOME/kanbao/parsed"
echo "list (cold)          $(( $(rss "$BIN" list --no-bundled "$DIR") / 1024 )) MB"
echo "list (warm)          $(( $(rss "$BIN" list --no-bundled "$DIR") / 1024 )) MB"
echo "list, bundled only   $(( $(rss "$BIN" list) / 1024 )) MB"
echo "less -F (same text)  $(( $(rss less -F "$ALL") / 1024 )) MB"
cat "$ROOT"/seeds/*.txt > "$HOME/seeds.txt"
echo "less -F (bundled)    $(( $(rss less -F "$HOME/seeds.txt") / 1024 )) MB"

# The reader in tmux: resident memory once loaded, then after each of five `R` reloads.
if ! command -v tmux >/dev/null; then
  echo "== reader memory: skipped (tmux is not installed: apt-get install tmux)"
  exit 0
fi
echo "== reader memory (tmux 100x30, warm cache): resident (VmRSS) and peak (VmHWM), MB"
S=bench-archive-$$
# Its own tmux server (-L): a server already running would start the reader with that server's
# environment (your HOME and cache), not this script's throwaway one.
tmux() { command tmux -L "$S" "$@"; }
tmux new -d -s "$S" -x 100 -y 30 "$BIN --no-bundled $DIR"
PID=$(tmux display -p -t "$S" '#{pane_pid}')
mem() { awk '/VmRSS/{r=$2} /VmHWM/{h=$2} END{printf "%d MB resident, %d MB peak\n", r/1024, h/1024}' "/proc/$PID/status"; }
# The first load (after the first frame) is silent: wait until memory stops moving. A reload
# says when it is done on the status line ("已读取").
shown() { tmux capture-pane -p -t "$S" | grep -q "$1"; }
settle "$PID" VmRSS 6 0.5 >/dev/null
echo "loaded               $(mem)"
# `R`, then wait until the status line says it is done.
reload() {
  tmux send-keys -t "$S" Escape
  for _ in $(seq 1 50); do shown "已读取" || break; sleep 0.2; done
  tmux send-keys -t "$S" R
  for _ in $(seq 1 600); do shown "已读取" && break; sleep 0.2; done
  sleep 1
}
for i in 1 2 3 4 5; do
  reload
  echo "after $i reload(s)     $(mem)"
done
# Those found the files as they were (nothing is built); one changed file makes a real reload,
# with the old corpus and the new one both in memory for a moment.
touch "$(ls -d "$DIR"/*.txt | head -1)"
reload
echo "after a changed file  $(mem)"
# The worst case: every file copied anew (same text, new times), so every file is read and
# parsed again beside the corpus on screen.
touch "$DIR"/*.txt
reload
echo "after every file touched  $(mem)"
tmux kill-server
# It saves its state as it goes: let it finish before the throwaway HOME is removed.
for _ in $(seq 1 50); do [ -e "/proc/$PID" ] || break; sleep 0.1; done
