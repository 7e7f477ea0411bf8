#!/usr/bin/env bash
# Peak memory (max RSS) of kanbao on the bundled corpus beside `less` on the same text, in the
# same run, interleaved (issue 12: "the bundled corpus in less than 2x what less takes").
#   scripts/bench-memory.sh [RUNS]          (default 5; KANBAO=path/to/binary to measure another)
# Needs GNU time (/usr/bin/time); the reader rows need tmux (apt-get install tmux) and are
# skipped with the reason without it. A throwaway HOME: your library, state and cache are not
# read or touched.
set -euo pipefail
RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/scripts/lib.sh"
BIN=${KANBAO:-$ROOT/target/release/kanbao}
[ -x /usr/bin/time ] || { echo "bench-memory: needs GNU time (apt-get install time)" >&2; exit 1; }
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release --locked)
export HOME; HOME=$(mktemp -d)
export XDG_CACHE_HOME=$HOME/.cache XDG_DATA_HOME=$HOME/.local/share XDG_CONFIG_HOME=$HOME/.config
TEXT=$HOME/bundled.txt
cat "$ROOT"/seeds/*.txt > "$TEXT"
echo "== bundled corpus: $(ls "$ROOT"/seeds/*.txt | wc -l) files, $(wc -c < "$TEXT") bytes; $(basename "$BIN") $(wc -c < "$BIN") bytes"
echo "== $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $RUNS runs each, interleaved; KB"

# Peak RSS of a command writing to a pipe, as GNU time reports it (getrusage ru_maxrss).
rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }

# Peak RSS (VmHWM) of a full-screen program in a 100x30 tmux pane, once its first frame is on
# screen and its memory has stopped moving for a second (a large library's finder is built just
# after the first frame, and would count; the bundled bulletins' is built when the finder opens).
# Its own tmux server (-L), so the program gets this script's environment (the throwaway HOME),
# not that of a server already running.
SOCK=bench-memory-$$
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$HOME"' EXIT
tui_hwm() {
  local s=bench pid
  tmux -L "$SOCK" new -d -s "$s" -x 100 -y 30 "$*"
  pid=$(tmux -L "$SOCK" display -p -t "$s" '#{pane_pid}')
  for _ in $(seq 1 100); do
    [ -n "$(tmux -L "$SOCK" capture-pane -p -t "$s" | tr -d ' \n')" ] && break
    sleep 0.1
  done
  [ -n "$pid" ] && [ -e "/proc/$pid" ] || { echo "bench-memory: '$*' exited before its first frame" >&2; exit 1; }
  settle "$pid" VmHWM 5 0.2
  tmux -L "$SOCK" kill-session -t "$s"
}

declare -A all
names=("less -F (bundled text, piped)" "kanbao list" "kanbao --version")
have_tmux=1
command -v tmux >/dev/null || have_tmux=0
[ "$have_tmux" = 1 ] && names+=("less in tmux 100x30" "kanbao reader in tmux 100x30")
for _ in $(seq 1 "$RUNS"); do
  all["${names[0]}"]+=" $(rss less -F "$TEXT")"
  all["${names[1]}"]+=" $(rss "$BIN" list)"
  all["${names[2]}"]+=" $(rss "$BIN" --version)"
  if [ "$have_tmux" = 1 ]; then
    all["${names[3]}"]+=" $(tui_hwm less "$TEXT")"
    all["${names[4]}"]+=" $(tui_hwm "$BIN")"
  fi
done

# Median and worst of each, and the ratio of medians to less's (piped less for the commands,
# less in tmux for the reader).
for n in "${names[@]}"; do echo "$n:${all[$n]}"; done > "$HOME/rows"
python3 - "$HOME/rows" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, values = line.rsplit(":", 1)
    rows[name] = [int(v) for v in values.split()]
piped = statistics.median(rows["less -F (bundled text, piped)"])
tmux = statistics.median(rows.get("less in tmux 100x30", [0])) or None
print(f"{'':34} {'median':>8} {'worst':>8} {'x less':>7}")
for name, v in rows.items():
    anchor = tmux if "tmux" in name else piped
    ratio = f"{statistics.median(v) / anchor:6.2f}x" if anchor else ""
    print(f"{name:34} {statistics.median(v):8.0f} {max(v):8d} {ratio:>7}")
PY
[ "$have_tmux" = 1 ] || echo "(reader rows skipped: tmux is not installed: apt-get install tmux)"
