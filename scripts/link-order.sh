#!/usr/bin/env bash
# Writes scripts/link-order.txt: the functions kanbao runs when it starts and for its common
# commands, in the order they first run, for the linker to lay side by side (build.rs says why).
#   scripts/link-order.sh
# Run it after changing code that runs at start (a new dependency, a new start-up step): names
# it no longer finds only leave that code where the linker puts it by default. Then
# `scripts/bench-memory.sh` shows the effect. Run it with nothing else running: the reader is
# driven on a clock, and on a loaded machine its start under valgrind outlasts the waits (an
# order made so left `list` at 2.15x of less's memory, where a quiet run gives 1.75x).
#
# How: the release binary is relinked with its symbols (same profile, so the same names), each
# command runs once under valgrind's callgrind on the bundled bulletins (the reader in tmux,
# started and driven by keys), and the functions of kanbao's own file that ran are listed,
# reader start first; then the data symbols the reader's start and `list` read (valgrind's
# lackey). Needs valgrind, tmux and binutils (apt-get install valgrind tmux binutils). About 12
# minutes on 2 cores, most of it the two release links.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for tool in valgrind tmux nm readelf python3; do
    command -v "$tool" >/dev/null || { echo "link-order: needs $tool (apt-get install valgrind tmux binutils)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'tmux -L link-order kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

echo "link-order: linking the release binary with its symbols" >&2
(cd "$root" && cargo rustc --release --locked --quiet --bin kanbao -- -C strip=none)
bin=$work/kanbao
cp "$root/target/release/kanbao" "$bin"

# kanbao runs with a throwaway HOME: no library, state or cache of yours is read or written.
home=$work/home
run_env=(env HOME="$home" XDG_CACHE_HOME="$home/.cache" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config")
cg() {
    local name=$1
    shift
    "${run_env[@]}" valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.$name" "$bin" "$@" \
        </dev/null >/dev/null 2>&1 || true
}

# The reader: its start alone first (what every start runs), then driven through its views.
reader() {
    local name=$1
    shift
    tmux -L link-order new -d -s r -x 100 -y 30 \
        "${run_env[*]} valgrind --tool=callgrind --demangle=no --callgrind-out-file=$work/cg.$name $bin"
    sleep 10
    for key in "$@" q; do
        tmux -L link-order send-keys -t r -- "$key"
        sleep 0.7
    done
    for _ in $(seq 1 30); do
        [ -s "$work/cg.$name" ] && break
        sleep 1
    done
    tmux -L link-order kill-server 2>/dev/null || true
}
echo "link-order: running the reader and the commands under callgrind" >&2
reader start
cg list list
cg version --version
cg find find bs
cg show show "$("${run_env[@]}" "$bin" list | awk 'NR == 2 { print $1 }')"
cg grep grep 拔河
cg help --help
cg paths --paths
reader keys j j k Enter j j j Space G g Escape f b s Enter Escape s 拔河 Enter n N Escape Escape '?' Escape b Escape d j Escape

# The data they read (tables, strings with a name of their own): every address the reader's
# start and `list` load or store in kanbao's read-only data, under valgrind's lackey.
ro=$(readelf -SW "$bin" | awk '{ for (i = 1; i < NF; i++) if ($i == ".rodata" || $i == ".data.rel.ro") printf "%s:%s ", $(i + 2), $(i + 4) }')
# Only addresses of the binary's own data (below 16 MB: it is not a PIE) go through.
cat >"$work/trace" <<'EOF'
#!/usr/bin/env bash
valgrind --tool=lackey --trace-mem=yes --log-fd=3 "$@" 3>&1 >/dev/tty 2>/dev/null \
    | awk '$1 ~ /^[LSM]$/ && $2 ~ /^00[0-9a-f]/ { split($2, a, ","); if (!(a[1] in s)) { s[a[1]] = 1; print a[1] } }'
EOF
chmod +x "$work/trace"
echo "link-order: tracing the data the reader's start and list read, under lackey" >&2
tmux -L link-order new -d -s l -x 100 -y 30 "${run_env[*]} $work/trace $bin list >$work/data.list; touch $work/list.done"
tmux -L link-order new -d -s r -x 100 -y 30 "${run_env[*]} $work/trace $bin >$work/data.start; touch $work/start.done"
sleep 90
tmux -L link-order send-keys -t r q
for _ in $(seq 1 60); do
    [ -e "$work/start.done" ] && [ -e "$work/list.done" ] && break
    sleep 1
done
tmux -L link-order kill-server 2>/dev/null || true

nm --defined-only "$bin" | awk '{ print $3 }' | sort -u >"$work/defined"
nm -S --defined-only "$bin" | awk 'NF == 4 && $3 ~ /^[rRdD]$/ { print $1, $2, $4 }' >"$work/data-symbols"
python3 - "$work" "$ro" >"$root/scripts/link-order.txt" <<'EOF'
import re, sys
work = sys.argv[1]
defined = set(open(f"{work}/defined").read().split())
seen, order = set(), []
for name in ["start", "list", "version", "find", "show", "grep", "help", "paths", "keys"]:
    try:
        lines = open(f"{work}/cg.{name}", errors="replace").read().splitlines()
    except FileNotFoundError:
        sys.exit(f"link-order: callgrind wrote nothing for '{name}'")
    # Callgrind names each object and function once, "(id) name", then by id alone.
    objs, fns, ob, cob = {}, {}, None, None
    for line in lines:
        m = re.match(r"^(ob|cob|fn|cfn)=\((\d+)\)(?: (.*))?$", line)
        if not m:
            continue
        kind, i, name_ = m.groups()
        if kind in ("ob", "cob"):
            if name_ is not None:
                objs[i] = name_
            if kind == "ob":
                ob = objs.get(i)
            else:
                cob = objs.get(i)
            continue
        if name_ is not None:
            fns[i] = name_
        obj = ob if kind == "fn" or cob is None else cob
        if kind == "fn":
            cob = None
        f = fns.get(i)
        if f and obj and obj.endswith("/kanbao") and f in defined and f not in seen:
            seen.add(f)
            order.append(f)
# Valgrind's CPU has no SHA extensions, so under it the SHA-256 of a bulletin's fingerprint
# runs another variant than on a real x86-64 CPU: list the CPU-specific ones too.
order += sorted(f for f in defined - seen if re.search(r"sha2.*sha256.*x86", f))
# Data: the symbols holding the addresses traced, reader start first.
ranges = [tuple(int(x, 16) for x in r.split(":")) for r in sys.argv[2].split()]
data = sorted((int(a, 16), int(n, 16), name) for a, n, name in (l.split() for l in open(f"{work}/data-symbols")))
starts = [d[0] for d in data]
import bisect
for name in ["start", "list"]:
    for line in open(f"{work}/data.{name}"):
        x = int(line, 16)
        if not any(a <= x < a + n for a, n in ranges):
            continue
        i = bisect.bisect_right(starts, x) - 1
        if i >= 0 and x < data[i][0] + max(data[i][1], 1) and data[i][2] not in seen:
            seen.add(data[i][2])
            order.append(data[i][2])
print("# Written by scripts/link-order.sh: the functions kanbao's start and common commands run, then")
print("# the data they read, in the order the linker lays them out (build.rs). Regenerate; do not edit.")
print("\n".join(order))
EOF
echo "link-order: $(grep -vc '^#' "$root/scripts/link-order.txt") functions and data in scripts/link-order.txt; relinking" >&2
(cd "$root" && cargo build --release --locked --quiet)
