#!/usr/bin/env bash
# The static Linux binary needs nothing from the system: no program interpreter, no shared
# libraries, and it runs in an empty root folder (chroot: no libc, no /etc, no /dev, no HOME)
# printing the same `list`, `show` and `--version` as outside.
#
# Usage: scripts/static-check.sh [BINARY]   (default: builds --target x86_64-unknown-linux-musl)
# Needs root (or unprivileged user namespaces, for `unshare -r`) for the chroot step; skips that
# step with the reason otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${1:-}"
if [ -z "$bin" ]; then
  if ! rustup target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-musl; then
    echo "static-check: SKIPPED: the Rust target is missing (rustup target add x86_64-unknown-linux-musl)"
    exit 0
  fi
  cargo build --release --locked --target x86_64-unknown-linux-musl
  bin=target/x86_64-unknown-linux-musl/release/kanbao
fi

fail() {
  echo "static-check: FAILED: $*" >&2
  exit 1
}

# 1. The ELF file asks for no interpreter and no libraries.
if readelf -l "$bin" | grep -q "Requesting program interpreter"; then
  fail "$bin has a program interpreter (dynamically linked)"
fi
if readelf -d "$bin" 2>/dev/null | grep -q NEEDED; then
  fail "$bin needs shared libraries: $(readelf -d "$bin" | grep NEEDED | tr -s ' ')"
fi
echo "static-check: $bin: no interpreter, no shared libraries ($(file -b "$bin" | cut -d, -f1-2))"

# 2. It runs in an empty root with nothing but itself.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp "$bin" "$root/kanbao"
chroot=$(command -v chroot || echo /usr/sbin/chroot)
if [ "$(id -u)" = 0 ]; then
  jail=("$chroot" "$root")
elif unshare -r true 2>/dev/null; then
  jail=("$(command -v unshare)" -r "$chroot" "$root")
else
  echo "static-check: SKIPPED the chroot step: needs root or user namespaces"
  exit 0
fi
echo "static-check: the root folder holds only: $(cd "$root" && find . -mindepth 1 | tr '\n' ' ')"
id=$("$bin" export | python3 -c 'import json, sys; print(json.load(sys.stdin)["bulletins"][0]["articles"][0]["id"])')
for args in "list" "--version" "show $id --width 40"; do
  # shellcheck disable=SC2086 # word splitting of the arguments is meant
  inside=$(env -i "${jail[@]}" /kanbao $args) || fail "kanbao $args failed in the empty root"
  # shellcheck disable=SC2086
  outside=$(env -i HOME=/nonexistent "$bin" $args)
  [ "$inside" = "$outside" ] || fail "kanbao $args printed something else in the empty root"
  echo "static-check: kanbao $args in the empty root: same output ($(printf '%s' "$inside" | wc -c) bytes)"
done
