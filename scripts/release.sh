#!/usr/bin/env bash
# Builds every artifact for an offline machine into dist/, with SHA256SUMS:
#   kanbao-VERSION-x86_64-linux          static (musl) Linux binary: any distribution, no libc needed
#   kanbao-VERSION-x86_64-windows.exe    Windows 10/11 (x86_64-pc-windows-gnu)
#   kanbao_VERSION-1_amd64.deb           the static binary, man pages, completions, README, licences
#   man/*.1.gz, completions/{kanbao.bash,_kanbao,kanbao.fish,_kanbao.ps1}
# then checks them: the static binary in an empty root (scripts/static-check.sh), the .exe under
# wine against the Linux output (scripts/wine-check.sh; skipped with the reason without wine).
#
# Needs: rustup targets x86_64-unknown-linux-musl and x86_64-pc-windows-gnu, musl-tools,
# mingw-w64, cargo-deb (`cargo install cargo-deb`). See README, "Install on an offline machine".
set -euo pipefail
cd "$(dirname "$0")/.."

musl=x86_64-unknown-linux-musl
win=x86_64-pc-windows-gnu
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

missing=()
for t in $musl $win; do
  rustup target list --installed | grep -qx "$t" || missing+=("rustup target add $t")
done
command -v musl-gcc >/dev/null || missing+=("apt-get install musl-tools")
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=("apt-get install mingw-w64")
cargo deb --version >/dev/null 2>&1 || missing+=("cargo install cargo-deb")
if [ ${#missing[@]} -gt 0 ]; then
  echo "release: missing tools; install them with:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi

echo "release: building kanbao $version"
cargo build --release --locked --target $musl
cargo build --release --locked --target $win
linux_bin=target/$musl/release/kanbao
win_bin=target/$win/release/kanbao.exe

# Man pages and completions, made by the binary from its own option definitions, where the
# .deb metadata (Cargo.toml) expects them.
assets=target/$musl/release/assets
rm -rf "$assets"
mkdir -p "$assets/completions"
"$linux_bin" man --out-dir "$assets/man" >/dev/null
gzip -9n "$assets"/man/*.1
"$linux_bin" completions bash >"$assets/completions/kanbao.bash"
"$linux_bin" completions zsh >"$assets/completions/_kanbao"
"$linux_bin" completions fish >"$assets/completions/kanbao.fish"
"$linux_bin" completions powershell >"$assets/completions/_kanbao.ps1"

rm -rf dist
mkdir -p dist
cp "$linux_bin" "dist/kanbao-$version-x86_64-linux"
cp "$win_bin" "dist/kanbao-$version-x86_64-windows.exe"
cp -r "$assets/man" "$assets/completions" dist/
cargo deb --no-build --locked --target $musl --output dist/ >/dev/null
deb=$(ls dist/*.deb)

(cd dist && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs sha256sum >SHA256SUMS)

echo "release: checks"
scripts/static-check.sh "$linux_bin"
scripts/wine-check.sh --exe "$win_bin" --linux "$linux_bin"
dpkg-deb --contents "$deb" | awk '{print "release: deb " $1 " " $6}'

echo "release: dist/ (sizes in bytes)"
(cd dist && find . -maxdepth 1 -type f -printf '%s\t%P\n' | sort -k2)
