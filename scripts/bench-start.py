#!/usr/bin/env python3
"""Start-up with a large archive and a warm parse cache, against `less` on the same text in the same run.

    scripts/gen-archive.py 10000 /tmp/kanbao-archive-10000      # once (about 2 s, 100 MB)
    scripts/bench-start.py                                      # that archive, 80x24, 10 runs
    scripts/bench-start.py --archive DIR --runs 20 --size 200x50 --kanbao /tmp/kanbao-copy

Python 3 standard library only; the pseudo-terminal session and the screen emulator are
scripts/ssh-bench.py's (see its docstring for what the emulator covers). Prints Markdown on
stdout: the command line, the machine (cores, load average before and after), one table.

What is timed, every time from spawn (just before fork) to the read that makes the emulated
screen show the probe, for --runs fresh starts, kanbao and less interleaved so both see the same
load; median and worst:
1. first frame: `kanbao --no-bundled DIR` until the header (…期 …篇), both panes' borders and the
   status line are on screen; `less FILE` (FILE: DIR/*.txt concatenated) until the file's first
   line and less's prompt are on screen. Target: kanbao within 2x of less.
2. library loaded: the same kanbao session, until the header shows the archive's full count
   ("10000期 52439篇", counted from `kanbao list`).
3. finder ready: `f` and the --query (default bishan) written to the terminal right after spawn,
   one write per key, without waiting (a user typing ahead); until the finder's count line shows
   the query and a count over the full archive ("500+/52439"). Target: 150 ms.
4. `--open ID`: `kanbao --no-bundled DIR --open ID` (ID: the first article of the middle bulletin
   of `kanbao list`, or --open) until the first words of the article's first paragraph (from
   `kanbao show ID`) are on screen.
5. the bundled corpus: `kanbao` (no PATH) against `less` on seeds/*.txt concatenated: first frame
   and loaded ("5期 26篇").

CPU: "CPU at probe" is the program's CPU time (user + system, all threads) when the probe was
seen, read from /proc (per-thread schedstat, nanoseconds; /proc/PID/stat ticks when larger, as
they keep threads that have exited). "CPU to exit" is getrusage of the reaped process: quit is
sent as soon as the session's last probe is seen.

The parse cache is warmed before timing: `kanbao list --no-bundled DIR`, then one untimed reader
start until loaded (its times are printed: they show whether the reader reuses what `list`
cached). Each start gets a fresh throwaway HOME (config, library, state: no saved place) and
shares one throwaway XDG_CACHE_HOME (the warm cache). Your own files are not touched. The
binary is copied first, so a rebuild during the run cannot mix two binaries in one table.
"""

import argparse
import hashlib
import importlib.util
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("ssh_bench", os.path.join(ROOT, "scripts", "ssh-bench.py"))
ssh_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ssh_bench)

TICK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    """CPU time (user + system) of a running process, all threads, in ms; None when it is gone."""
    sched = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    sched += int(f.read().split()[0])
            except OSError:
                pass  # the thread has just exited
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    except OSError:
        return None
    return max(sched / 1e6, ticks * 1000 / TICK)


def children_cpu_ms():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r.ru_utime + r.ru_stime) * 1e3


class Env:
    """Throwaway homes: a fresh one per start, one shared cache folder."""

    def __init__(self, base):
        self.base = base
        self.cache = os.path.join(base, "cache")
        os.makedirs(self.cache)

    def fresh(self):
        env = ssh_bench.fresh_env(self.base)
        env["XDG_CACHE_HOME"] = self.cache
        return env


def run(argv, env, rows, cols, probes, keys=(), quit_keys=(b"q",), limit=60.0):
    """One start: writes `keys` right after spawn, reads until every probe has held once.
    Returns ({probe: (ms from spawn, CPU ms at probe)}, CPU ms to exit, screen text)."""
    cpu0 = children_cpu_ms()
    s = ssh_bench.Session(argv, env, rows, cols)
    for k in keys:
        os.write(s.fd, k)
    seen, pending = {}, dict(probes)
    deadline = time.monotonic() + limit
    while pending and not s.eof and time.monotonic() < deadline:
        t = s.pump(deadline - time.monotonic())
        if t is None:
            continue
        for name, pred in list(pending.items()):
            if pred(s.screen):
                seen[name] = ((t - s.t0) * 1e3, cpu_ms(s.pid))
                del pending[name]
    screen = s.screen.text()
    if pending:
        print(f"bench-start: {shlex.join(argv)}: never saw {', '.join(pending)} within {limit:.0f} s; "
              "the screen was:\n" + "\n".join(r.rstrip() for r in screen), file=sys.stderr)
    for k in quit_keys[:-1]:  # e.g. Esc, apart from q so it is not read as Alt-q
        os.write(s.fd, k)
        s.settle(0.1, 2)
    s.quit(quit_keys[-1])
    return seen, children_cpu_ms() - cpu0, screen


def kanbao_frame(scr):
    """Header, both panes' borders and the status line: a whole first frame."""
    rows = scr.text()
    return ("期" in rows[0] and "篇" in rows[0] and "┌" in rows[1] and "┘" in rows[-2]
            and bool(rows[-1].strip()))


def header_shows(bulletins, articles):
    return lambda scr: f"{bulletins}期 {articles}篇" in scr.text()[0]


def less_page(first_line):
    """The file's first non-blank line and less's prompt at the bottom."""
    return lambda scr: any(first_line in r for r in scr.text()[:-1]) and bool(scr.text()[-1].strip())


def on_screen(words):
    return lambda scr: any(words in r for r in scr.text())


def finder_ready(query, articles):
    """The finder's count line: the query and "N/total" over the whole archive."""
    def pred(scr):
        for r in scr.text():
            if f"> {query}" in r and f"/{articles}" in r:
                count = r.rsplit("/", 1)[0].split()[-1].rstrip("+")
                return count.isdigit()
        return False
    return pred


def counts(kanbao, args, env):
    """(bulletins, articles, listing) from `kanbao list`."""
    p = subprocess.run([kanbao, "list"] + args, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"bench-start: `kanbao list {shlex.join(args)}` failed: {p.stderr.strip()[-300:]}")
    lines = p.stdout.splitlines()
    return (sum(1 for l in lines if l[:1] not in ("", " ")), sum(1 for l in lines if l.startswith("  ")),
            lines)


def first_words(text, n=10):
    """The first n characters of the first non-blank line, without leading spaces of any width."""
    line = next(l for l in text.splitlines() if l.strip())
    return line.strip(" \u3000\t")[:n]


def concat(paths, out):
    with open(out, "wb") as w:
        for p in paths:
            with open(p, "rb") as r:
                shutil.copyfileobj(r, w)
    return out


def stats(xs):
    xs = [x for x in xs if x is not None]
    return (statistics.median(xs), max(xs)) if xs else (None, None)


def cell(xs, unit=" ms"):
    m, w = stats(xs)
    return "–" if m is None else f"{m:,.0f} / {w:,.0f}{unit}"


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--kanbao", default=os.path.join(ROOT, "target", "release", "kanbao"))
    ap.add_argument("--archive", default="/tmp/kanbao-archive-10000", help="folder of bulletins (gen-archive.py)")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--size", default="80x24", help="COLSxROWS of the pseudo-terminal")
    ap.add_argument("--query", default="bishan", help="typed into the finder right after spawn")
    ap.add_argument("--open", help="article id for the --open start (default: one from the middle)")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds to wait for a probe")
    args = ap.parse_args()
    cols, rows = map(int, args.size.lower().split("x"))
    if not os.access(args.kanbao, os.X_OK):
        sys.exit(f"bench-start: no kanbao at {args.kanbao} (cargo build --release)")
    if not shutil.which("less"):
        sys.exit("bench-start: less is not installed (apt-get install -y less)")
    archive = os.path.abspath(args.archive)
    files = sorted(os.path.join(archive, f) for f in os.listdir(archive) if f.endswith(".txt")) \
        if os.path.isdir(archive) else []
    if not files:
        sys.exit(f"bench-start: no .txt bulletins in {archive} (scripts/gen-archive.py 10000 {archive})")
    seeds = sorted(os.path.join(ROOT, "seeds", f) for f in os.listdir(os.path.join(ROOT, "seeds"))
                   if f.endswith(".txt"))

    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        kanbao = os.path.join(tmp, "kanbao")
        shutil.copy2(args.kanbao, kanbao)
        with open(kanbao, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        env = Env(tmp)
        version = "; ".join(subprocess.run([kanbao, "--version"], capture_output=True, text=True).stdout.split("\n")).strip("; ")
        less_v = subprocess.run(["less", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        all_txt = concat(files, os.path.join(tmp, "archive.txt"))
        seeds_txt = concat(seeds, os.path.join(tmp, "seeds.txt"))
        mb = os.path.getsize(all_txt) / 1e6
        print("## Start-up at a large archive, warm parse cache, against less\n")
        print(f"Reproduce: `{shlex.join(['scripts/bench-start.py'] + sys.argv[1:])}`  ")
        print(f"{version} (sha256 {digest}), {less_v}, python {sys.version.split()[0]}, "
              f"{os.cpu_count()} CPUs; {len(files):,} files, {mb:,.0f} MB; {cols}x{rows}, {args.runs} runs  ")
        print(f"Load average before: {load()}  ")

        # Warm the cache: `kanbao list` once, then one reader start until loaded (untimed in the table).
        t0 = time.monotonic()
        bulletins, articles, listing = counts(kanbao, ["--no-bundled", archive], env.fresh())
        list_cold = (time.monotonic() - t0) * 1e3
        b_bulletins, b_articles, _ = counts(kanbao, [], env.fresh())
        ids = [l.split()[0] for l in listing if l.startswith("  ")]
        heads = [i for i in ids if i.endswith("/1")]
        open_id = args.open or heads[len(heads) // 2]
        shown = subprocess.run([kanbao, "show", open_id, "--width", "200", "--no-bundled", archive],
                               capture_output=True, text=True, env=env.fresh())
        if shown.returncode != 0:
            sys.exit(f"bench-start: `kanbao show {open_id}` failed: {shown.stderr.strip()[-300:]}")
        paras = [l for l in shown.stdout.splitlines() if l.startswith("\u3000\u3000")]
        open_words = first_words(paras[0] if paras else shown.stdout)

        reader = [kanbao, "--no-bundled", archive]
        loaded = header_shows(bulletins, articles)
        warm, _, _ = run(reader, env.fresh(), rows, cols, {"frame": kanbao_frame, "loaded": loaded},
                         limit=max(args.limit, 600))
        print(f"Cache warm-up (not in the table): `kanbao list` {list_cold:,.0f} ms (cold), then the "
              f"reader's first start: loaded in {warm.get('loaded', (float('nan'),))[0]:,.0f} ms\n")

        probes_less = less_page(first_words(open(all_txt, encoding="utf-8", errors="replace").read(4096)))
        probes_seeds = less_page(first_words(open(seeds_txt, encoding="utf-8", errors="replace").read(4096)))
        keys = [b"f"] + [c.encode() for c in args.query]
        r = {k: [] for k in ("frame", "loaded", "finder", "open", "less", "b_frame", "b_loaded", "b_less")}
        c = {k: [] for k in r}
        exit_cpu = {k: [] for k in ("reader", "less", "finder", "open", "b_reader", "b_less")}

        def record(key, seen, name):
            t, cpu = seen.get(name, (None, None))
            r[key].append(t)
            c[key].append(cpu)

        for _ in range(args.runs):
            seen, cpu, _ = run(reader, env.fresh(), rows, cols, {"frame": kanbao_frame, "loaded": loaded},
                               limit=args.limit)
            record("frame", seen, "frame"), record("loaded", seen, "loaded"), exit_cpu["reader"].append(cpu)
            seen, cpu, _ = run(["less", all_txt], env.fresh(), rows, cols, {"page": probes_less}, limit=args.limit)
            record("less", seen, "page"), exit_cpu["less"].append(cpu)
            seen, cpu, _ = run(reader, env.fresh(), rows, cols, {"ready": finder_ready(args.query, articles)},
                               keys=keys, quit_keys=(b"\x1b", b"q"), limit=args.limit)
            record("finder", seen, "ready"), exit_cpu["finder"].append(cpu)
            seen, cpu, _ = run(reader + ["--open", open_id], env.fresh(), rows, cols,
                               {"text": on_screen(open_words)}, limit=args.limit)
            record("open", seen, "text"), exit_cpu["open"].append(cpu)
            seen, cpu, _ = run([kanbao], env.fresh(), rows, cols,
                               {"frame": kanbao_frame, "loaded": header_shows(b_bulletins, b_articles)},
                               limit=args.limit)
            record("b_frame", seen, "frame"), record("b_loaded", seen, "loaded"), exit_cpu["b_reader"].append(cpu)
            seen, cpu, _ = run(["less", seeds_txt], env.fresh(), rows, cols, {"page": probes_seeds},
                               limit=args.limit)
            record("b_less", seen, "page"), exit_cpu["b_less"].append(cpu)

        def ratio(a, b):
            ma, mb_ = stats(r[a])[0], stats(r[b])[0]
            return "–" if ma is None or mb_ is None else f"{ma / mb_:.1f}×"

        n = f"{len(files):,}"
        print("Times from spawn, median / worst; CPU = user + system of the program.\n")
        print("| start | kanbao | CPU at probe | CPU to exit | less | less CPU to exit | kanbao ÷ less | target |")
        print("|---|---|---|---|---|---|---|---|")
        print(f"| {n}: first frame (header + panes) | {cell(r['frame'])} | {cell(c['frame'])} | "
              f"{cell(exit_cpu['reader'])} | {cell(r['less'])} | {cell(exit_cpu['less'])} | "
              f"{ratio('frame', 'less')} | ≤ 2× less |")
        print(f"| {n}: library loaded (“{bulletins}期 {articles}篇”) | {cell(r['loaded'])} | "
              f"{cell(c['loaded'])} | (same start) | | | {ratio('loaded', 'less')} | |")
        print(f"| {n}: finder ready (`f{args.query}` typed at spawn; count over {articles}) | "
              f"{cell(r['finder'])} | {cell(c['finder'])} | {cell(exit_cpu['finder'])} | | | "
              f"{ratio('finder', 'less')} | ≤ 150 ms |")
        print(f"| {n}: `--open {open_id}`, article text shown | {cell(r['open'])} | {cell(c['open'])} | "
              f"{cell(exit_cpu['open'])} | | | {ratio('open', 'less')} | |")
        print(f"| bundled ({b_bulletins}): first frame | {cell(r['b_frame'])} | {cell(c['b_frame'])} | "
              f"{cell(exit_cpu['b_reader'])} | {cell(r['b_less'])} | {cell(exit_cpu['b_less'])} | "
              f"{ratio('b_frame', 'b_less')} | ≤ 2× less |")
        print(f"| bundled ({b_bulletins}): loaded (“{b_bulletins}期 {b_articles}篇”) | {cell(r['b_loaded'])} | "
              f"{cell(c['b_loaded'])} | (same start) | | | {ratio('b_loaded', 'b_less')} | |")
        missing = sum(x is None for xs in r.values() for x in xs)
        if missing:
            print(f"\n{missing} probe(s) timed out (see stderr); medians are over the others.")
        print(f"\nless: `less FILE`, FILE = the {n} files concatenated ({mb:,.0f} MB), and seeds/*.txt "
              f"concatenated for the bundled row. “kanbao ÷ less” divides by the less median of its size.")
        print(f"\nLoad average after: {load()}")


if __name__ == "__main__":
    main()
