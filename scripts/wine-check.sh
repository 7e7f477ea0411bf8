#!/usr/bin/env bash
# The Windows build under wine prints the same bytes as the Linux build: `list`, `export`,
# `show ID --width 40` for every article id `export` names, `find` (pinyin and Hanzi queries),
# `--version`, and an unknown id's error (stderr and exit code too).
#
# Usage: scripts/wine-check.sh [--exe PATH --linux PATH]   (default: builds both, release profile)
# Needs: wine (apt-get install wine64 wine), mingw-w64 (for the bcryptprimitives.dll stand-in
# below), the Rust target x86_64-pc-windows-gnu, python3. Skips (exit 0) with the reason when one
# is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
  echo "wine-check: SKIPPED: $*"
  exit 0
}

exe="" linux=""
while [ $# -gt 0 ]; do
  case "$1" in
    --exe) exe="$2"; shift 2 ;;
    --linux) linux="$2"; shift 2 ;;
    *) echo "wine-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

command -v wine >/dev/null || skip "wine is not installed (apt-get install wine64 wine)"
command -v x86_64-w64-mingw32-gcc >/dev/null || skip "mingw-w64 is not installed (apt-get install mingw-w64)"
command -v python3 >/dev/null || skip "python3 is not installed"
if [ -z "$exe" ]; then
  rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu ||
    skip "the Rust target is missing (rustup target add x86_64-pc-windows-gnu)"
  cargo build --release --locked --target x86_64-pc-windows-gnu
  exe=target/x86_64-pc-windows-gnu/release/kanbao.exe
fi
if [ -z "$linux" ]; then
  cargo build --release --locked
  linux=target/release/kanbao
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/home" "$work/out"
cp "$exe" "$work/bin/kanbao.exe"
# wine 8.0 has no bcryptprimitives.dll, which Rust's std imports (ProcessPrng) since 1.78: a
# stand-in beside the .exe, for this test only (Windows 10 and later have the real one).
x86_64-w64-mingw32-gcc -O2 -shared -o "$work/bin/bcryptprimitives.dll" \
  scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def -ladvapi32

# Both sides see no user library, config or state: a fresh HOME, and a wine prefix of our own
# (its AppData is empty).
export WINEPREFIX="${WINEPREFIX:-$PWD/target/wine-prefix}" WINEDEBUG=-all
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache"
mkdir -p "$WINEPREFIX"
if ! timeout 300 wine "$work/bin/kanbao.exe" --version >"$work/out/wine-start" 2>&1; then
  echo "wine-check: FAILED: kanbao.exe does not start under wine:" >&2
  cat "$work/out/wine-start" >&2
  exit 1
fi

failures=0 checks=0
# check NAME ARGS...: same stdout, same exit code; for NAME ending in "-err", same stderr too.
check() {
  local name="$1"
  shift
  local lcode=0 wcode=0
  "$linux" "$@" >"$work/out/$name.linux" 2>"$work/out/$name.linux.err" || lcode=$?
  timeout 120 wine "$work/bin/kanbao.exe" "$@" >"$work/out/$name.wine" 2>"$work/out/$name.wine.err" || wcode=$?
  checks=$((checks + 1))
  local same=1
  cmp -s "$work/out/$name.linux" "$work/out/$name.wine" || same=0
  [ "$lcode" = "$wcode" ] || same=0
  case "$name" in *-err) cmp -s "$work/out/$name.linux.err" "$work/out/$name.wine.err" || same=0 ;; esac
  if [ "$same" = 1 ]; then
    echo "wine-check: same  $name ($(wc -c <"$work/out/$name.linux") bytes, exit $lcode)"
  else
    failures=$((failures + 1))
    echo "wine-check: DIFFERENT  $name (exit linux $lcode, wine $wcode)"
    diff <(od -c "$work/out/$name.linux") <(od -c "$work/out/$name.wine") | head -20 || true
    [ -s "$work/out/$name.wine.err" ] && head -5 "$work/out/$name.wine.err"
  fi
}

check list list
check export export
check find-bishan find bishan
check find-hanzi find 璧山
check version --version
check show-unknown-err show no-such-id --width 40
# Every article id the corpus has (ids may change format: take them from the output).
python3 -c 'import json, sys
for b in json.load(sys.stdin)["bulletins"]:
    for a in b["articles"]:
        print(a["id"])' <"$work/out/export.linux" >"$work/out/ids"
[ -s "$work/out/ids" ] || { echo "wine-check: FAILED: no article ids in the export" >&2; exit 1; }
while read -r id; do
  check "show-${id//\//_}" show "$id" --width 40
done <"$work/out/ids"

echo "wine-check: $checks checks, $failures different ($("$linux" --version | head -1))"
[ "$failures" = 0 ]
