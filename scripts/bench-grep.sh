#!/usr/bin/env bash
# Full-text search against ripgrep, side by side in the same run, over a synthetic archive of
# 10,000 bulletins (about 100 MB of text; scripts/gen-archive.py):
#   1. in the reader: keystroke to results on screen (scripts/grep-keystroke.py, a pty and an
#      emulated screen) against `rg -c TERM DIR`, interleaved;
#   2. the search itself in-process, plus one screen of snippets (cargo bench --bench grep)
#      against `rg -c`, interleaved; the archive's load (parse) time is printed apart;
#   3. whole process: `kanbao grep QUERY DIR` against `rg -c QUERY DIR` (hyperfine). kanbao
#      parses every file first (no parse cache yet), so this row is mostly load time.
#
#   scripts/bench-grep.sh                     # 10,000 bulletins in target/bench-archive-10000
#   N=1000 RUNS=5 scripts/bench-grep.sh 拔河 "职工 服务"
#
# Needs python3; installs ripgrep and hyperfine with apt-get if they are missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
n=${N:-10000}
archive=${ARCHIVE:-$root/target/bench-archive-$n}
kanbao=${KANBAO:-$root/target/release/kanbao}
runs=${RUNS:-7}

if ! command -v rg >/dev/null || ! command -v hyperfine >/dev/null; then
    echo "installing ripgrep and hyperfine" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq ripgrep hyperfine >/dev/null
fi
(cd "$root" && cargo build --release --quiet)
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
echo "## 1. Reader: keystroke to results on screen"
qargs=()
for q in "${queries[@]}"; do qargs+=(--query "$q"); done
python3 "$root/scripts/grep-keystroke.py" "$archive" --kanbao "$kanbao" --runs "$runs" "${qargs[@]}"
echo
echo "## 2. Search in-process (+ one screen of snippets), load apart"
(cd "$root" && GREP_ARCHIVE="$archive" RUNS="$runs" cargo bench --quiet --bench grep 2>/dev/null)
echo
echo "## 3. Whole process (kanbao parses every file first: no parse cache yet)"
for q in "${queries[@]}"; do
    qq=$(printf '%q' "$q")
    term=$(printf '%q' "${q%% *}")
    hyperfine -i --warmup 1 --runs 3 --style basic \
        -n "kanbao grep $q" "HOME=/nonexistent $kanbao grep --no-bundled $qq $archive > /dev/null 2>&1" \
        -n "rg -c $term" "rg -c --fixed-strings -- $term $archive > /dev/null"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
