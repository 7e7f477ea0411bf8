#!/usr/bin/env bash
# Full-text search against ripgrep, side by side in the same run, over a synthetic archive of
# 10,000 bulletins (about 100 MB of text; scripts/gen-archive.py):
#   1. in the reader: keystroke to results on screen (scripts/grep-keystroke.py, a pty and an
#      emulated screen) against `rg -c TERM DIR`, interleaved;
#   2. the search itself in-process, plus one screen of snippets (cargo bench --bench grep)
#      against `rg -c`, interleaved; the archive's load (parse) time is printed apart;
#   3. whole process: `kanbao grep QUERY DIR` (warm parse cache, in a throwaway HOME) against
#      `rg -c --fixed-strings TERM DIR` (TERM: the query's first word), hyperfine, the two
#      interleaved run by run (one hyperfine run per round, so both see the same machine load);
#      median and worst wall time, median CPU (user + system), and the load average. With
#      BASELINE=path, another build (say main's) is timed in the same rounds, its own cache in
#      its own throwaway HOME.
#
#   scripts/bench-grep.sh                     # 10,000 bulletins in target/bench-archive-10000
#   N=1000 RUNS=5 scripts/bench-grep.sh 拔河 "职工 服务"
#   SECTIONS=3 RUNS=10 ARCHIVE=/tmp/kanbao-archive-10000 scripts/bench-grep.sh 拔河 送清凉 困难职工帮扶 "职工 服务" 工会
#   SECTIONS=3 BASELINE=/tmp/main/target/release/kanbao scripts/bench-grep.sh 工会
#
# Needs python3; installs ripgrep and hyperfine with apt-get if they are missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
n=${N:-10000}
archive=${ARCHIVE:-$root/target/bench-archive-$n}
kanbao=${KANBAO:-$root/target/release/kanbao}
runs=${RUNS:-7}
sections=${SECTIONS:-123}

if ! command -v rg >/dev/null || ! command -v hyperfine >/dev/null; then
    echo "installing ripgrep and hyperfine" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq ripgrep hyperfine >/dev/null
fi
if [ -z "${KANBAO:-}" ]; then
    (cd "$root" && cargo build --release --quiet)
fi
if [ ! -d "$archive" ]; then
    python3 "$root/scripts/gen-archive.py" "$n" "$archive" --seed 7
fi
if [ $# -gt 0 ]; then
    queries=("$@")
else
    queries=(拔河 送清凉 工会 "职工 服务" 困难职工帮扶 app)
fi

echo "# kanbao grep vs rg -c: $(ls "$archive" | wc -l) files, $(du -sh "$archive" | cut -f1), $(nproc) cores, $(rg --version | head -1)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
if [[ $sections == *1* ]]; then
    echo "## 1. Reader: keystroke to results on screen"
    qargs=()
    for q in "${queries[@]}"; do qargs+=(--query "$q"); done
    python3 "$root/scripts/grep-keystroke.py" "$archive" --kanbao "$kanbao" --runs "$runs" "${qargs[@]}"
    echo
fi
if [[ $sections == *2* ]]; then
    echo "## 2. Search in-process (+ one screen of snippets), load apart"
    (cd "$root" && GREP_ARCHIVE="$archive" RUNS="$runs" cargo bench --quiet --bench grep 2>/dev/null)
    echo
fi
if [[ $sections == *3* ]]; then
    echo "## 3. Whole process, warm parse cache: kanbao grep QUERY DIR vs rg -c --fixed-strings TERM DIR"
    # kanbao's files (parse cache, log) go to a throwaway HOME, filled by one run first.
    home=$(mktemp -d)
    trap 'rm -rf "$home"' EXIT
    mkdir -p "$home/kanbao" "$home/base"
    h=$home/kanbao
    kb=(env "HOME=$h" "XDG_CACHE_HOME=$h/cache" "XDG_DATA_HOME=$h/data" "XDG_CONFIG_HOME=$h/config" "$kanbao")
    "${kb[@]}" grep 拔河 "$archive" >/dev/null 2>&1 || true
    base=()
    if [ -n "${BASELINE:-}" ]; then
        h=$home/base
        base=(env "HOME=$h" "XDG_CACHE_HOME=$h/cache" "XDG_DATA_HOME=$h/data" "XDG_CONFIG_HOME=$h/config" "$BASELINE")
        "${base[@]}" grep 拔河 "$archive" >/dev/null 2>&1 || true
        echo "baseline: $BASELINE"
    fi
    printf '%-16s %-26s %-26s %-9s %s\n' query "kanbao median / worst" "rg -c median / worst" ratio "CPU kanbao / rg (median)"
    for q in "${queries[@]}"; do
        term=${q%% *}
        # -N: no shell; hyperfine splits the command itself, so the query is quoted for it.
        kcmd=$(printf '%q ' "${kb[@]}" grep "$q" "$archive")
        rcmd=$(printf '%q ' rg -c --fixed-strings -- "$term" "$archive")
        named=(-n kanbao "$kcmd" -n rg "$rcmd")
        [ ${#base[@]} -gt 0 ] && named+=(-n base "$(printf '%q ' "${base[@]}" grep "$q" "$archive")")
        for r in $(seq 1 "$runs"); do
            warm=0
            [ "$r" -eq 1 ] && warm=1
            hyperfine -N -i --warmup "$warm" --runs 1 --style none --export-json "$home/$r.json" \
                "${named[@]}" >/dev/null 2>&1
        done
        python3 - "$q" "$home" "$runs" <<'PY'
import json, statistics, sys
q, home, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = {"kanbao": [], "rg": [], "base": []}
cpu = {"kanbao": [], "rg": [], "base": []}
for r in range(1, runs + 1):
    for res in json.load(open(f"{home}/{r}.json"))["results"]:
        t[res["command"]] += res["times"]
        cpu[res["command"]].append(res["user"] + res["system"])
ms = lambda v: v * 1e3
k, g = t["kanbao"], t["rg"]
print(f"{q:<16} {ms(statistics.median(k)):6.1f} / {ms(max(k)):6.1f} ms        "
      f"{ms(statistics.median(g)):6.1f} / {ms(max(g)):6.1f} ms        "
      f"{statistics.median(k) / statistics.median(g):4.2f} / {max(k) / max(g):4.2f}   "
      f"{ms(statistics.median(cpu['kanbao'])):5.0f} / {ms(statistics.median(cpu['rg'])):4.0f} ms")
b = t["base"]
if b:
    print(f"{'  baseline':<16} {ms(statistics.median(b)):6.1f} / {ms(max(b)):6.1f} ms        "
          f"{'':26} {statistics.median(b) / statistics.median(g):4.2f} / {max(b) / max(g):4.2f}   "
          f"{ms(statistics.median(cpu['base'])):5.0f} ms")
PY
        echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    done
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
