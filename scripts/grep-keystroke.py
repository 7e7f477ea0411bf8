#!/usr/bin/env python3
"""Keystroke to results on screen in the reader's full-text search, against `rg -c` in the same run.

    scripts/grep-keystroke.py DIR [--runs 7] [--query 拔河 --query "职工 服务" ...]

kanbao runs in a 200x50 pseudo-terminal on DIR only (`--no-bundled --ambiguous narrow`); the
screen is emulated by scripts/ssh-bench.py's terminal. Per query: `s`, the query but its last
character typed and settled, then, per run, the last character is sent and the clock runs until
the emulated screen shows the final count ("N篇 M处", taken from `kanbao grep --json`): typing on
looks only through the previous results (as fzf does). Then Backspace, timed the same way until
the shorter query's count shows: a search of the whole archive. Between runs, `rg -c
--fixed-strings TERM DIR` is timed (whole process) so all see the same machine load. Prints a
Markdown table: median and worst.
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("ssh_bench", os.path.join(ROOT, "scripts", "ssh-bench.py"))
ssh_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ssh_bench)


def expected(kanbao, q, archive):
    out = subprocess.run([kanbao, "grep", "--json", "--no-bundled", q, archive], capture_output=True, text=True,
                         env={**os.environ, "HOME": "/nonexistent"}).stdout
    rows = [json.loads(l) for l in out.splitlines()]
    return f"{len(rows)}篇 {sum(r['hits'] for r in rows)}处"


def timed(s, key, want):
    """Sends `key`; seconds until the emulated screen shows `want`; then lets the output settle."""
    sent = time.monotonic()
    os.write(s.fd, key)
    done = s.wait_until(lambda scr: any(want in r for r in scr.text()), 60)
    if done is None:
        sys.exit(f"the screen never showed {want}")
    s.settle(0.3)
    return done - sent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("archive")
    ap.add_argument("--kanbao", default=os.path.join(ROOT, "target", "release", "kanbao"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--query", action="append")
    args = ap.parse_args()
    queries = args.query or ["拔河", "送清凉", "工会", "职工 服务", "困难职工帮扶", "app"]
    base = tempfile.mkdtemp(prefix="grep-keystroke-")
    n_files = len([f for f in os.listdir(args.archive) if f.endswith(".txt")])
    s = ssh_bench.Session([args.kanbao, "--ambiguous", "narrow", "--no-bundled", args.archive],
                          ssh_bench.fresh_env(base), 50, 200)
    t = s.wait_until(lambda scr: any(f"{n_files}期" in r or f"{n_files - 1}期" in r for r in scr.text()), 600)
    if t is None:
        sys.exit("kanbao did not show the archive")
    print(f"{n_files} files loaded in {t - s.t0:.1f} s (parse, no cache); {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| query | results | typing the last key, median / worst | Backspace: whole archive, median / worst "
          "| rg -c, median / worst | ratio (Backspace / rg) |")
    print("|---|---|---|---|---|---|")
    s.key(b"s", 0.3)
    for q in queries:
        want = expected(args.kanbao, q, args.archive)
        want_prefix = expected(args.kanbao, q[:-1], args.archive)
        for c in q[:-1]:
            s.key(c.encode(), 0.2)
        s.settle(0.5)
        ours, full, theirs = [], [], []
        term = q.split()[0].lstrip("!").strip('"')
        for _ in range(args.runs):
            ours.append(timed(s, q[-1].encode(), want))
            full.append(timed(s, b"\x7f", want_prefix))
            t0 = time.monotonic()
            subprocess.run(["rg", "-c", "--fixed-strings", "--", term, args.archive], stdout=subprocess.DEVNULL)
            theirs.append(time.monotonic() - t0)
        # Clear the query for the next one.
        for _ in q[:-1]:
            s.key(b"\x7f", 0.1)
        s.settle(0.5)
        om, ow, rm, rw = statistics.median(ours), max(ours), statistics.median(theirs), max(theirs)
        fm, fw = statistics.median(full), max(full)
        print(f"| {q} | {want} | {om * 1e3:.0f} / {ow * 1e3:.0f} ms | {fm * 1e3:.0f} / {fw * 1e3:.0f} ms "
              f"| {rm * 1e3:.0f} / {rw * 1e3:.0f} ms | {fm / rm:.2f} |")
    s.quit(b"\x1bq")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
