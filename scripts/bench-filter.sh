#!/usr/bin/env bash
# `kanbao filter QUERY` against `fzf --filter QUERY`, side by side with hyperfine, on the same
# file of synthetic bulletin titles (1M lines by default).
#
#   scripts/bench-filter.sh                 # default queries
#   scripts/bench-filter.sh 璧山 bs         # your own
#   N=100000 KANBAO=path/to/kanbao scripts/bench-filter.sh
#
# Needs python3 (the title generator) and, if missing, installs fzf and hyperfine with apt-get.
# Note: the two do not answer the same question for Latin queries: fzf matches letters only,
# kanbao also matches pinyin (`bs` finds 璧山), so it has more work and more lines to print.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
n=${N:-1000000}
titles=${TITLES:-$root/target/bench-titles-$n.txt}
kanbao=${KANBAO:-$root/target/release/kanbao}
runs=${RUNS:-5}

if ! command -v fzf >/dev/null || ! command -v hyperfine >/dev/null; then
    echo "installing fzf and hyperfine" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq fzf hyperfine >/dev/null
fi
if [ ! -x "$kanbao" ]; then
    (cd "$root" && cargo build --release --quiet)
fi
if [ ! -s "$titles" ]; then
    mkdir -p "$(dirname "$titles")"
    python3 "$root/scripts/gen-titles.py" "$n" -o "$titles"
fi

if [ $# -gt 0 ]; then
    queries=("$@")
else
    queries=(璧山 劳模工匠 工会 "重庆 !宣讲" bs bishan)
fi

echo "$(wc -l <"$titles") titles in $titles; $(fzf --version | head -1 | cut -d' ' -f1) fzf; $(nproc) cores"
for q in "${queries[@]}"; do
    qq=$(printf '%q' "$q")
    ours=$("$kanbao" filter "$q" <"$titles" | wc -l || true)
    theirs=$(fzf --filter "$q" <"$titles" | wc -l || true)
    echo
    echo "== query: $q  (lines matched: kanbao $ours, fzf $theirs)"
    # -i: both exit 1 when nothing matches, which is an answer, not a failure.
    hyperfine -i --warmup 1 --runs "$runs" --style basic \
        -n "kanbao filter $q" "$kanbao filter $qq < $titles > /dev/null" \
        -n "fzf --filter $q" "fzf --filter $qq < $titles > /dev/null"
done
