#!/usr/bin/env python3
"""One 1 MB paragraph in the reader against `less` on the same text, in the same run.

    scripts/bench-paragraph.py                    # CJK and Latin, 80x24, 7 runs each
    scripts/bench-paragraph.py --runs 15 --size 200x50 --kind cjk

Writes a bulletin whose one article is a single paragraph of about 1 MB (Chinese with the
punctuation the layout rules care about: ，。、“”（）……——, numbers; or English words with commas
and full stops), and the same paragraph as one line of a text file for less. Each program runs in
its own pseudo-terminal (scripts/ssh-bench.py's Session and screen emulator; TERM=xterm-256color,
a fresh HOME every run, so no remembered place, with a parse cache warmed once with `kanbao
list`, as a reader's is after the first run; --cold: a fresh cache too, so the 1 MB bulletin is
parsed every time): kanbao as
`kanbao --ambiguous narrow --no-bundled --open ID FILE`, less as `less FILE` (less wraps the one
long line itself, by characters).
Per run, for each program in turn:

- open: spawn to the read that puts the paragraph's first characters on the emulated screen;
- `G`: key sent to the read that puts the paragraph's last characters on the screen;
- resize: the pty is set to the other size (the kernel sends SIGWINCH), timed to the last byte of
  the repaint (then 300 ms without output; both repaint the whole screen), and then back.
  The other size is narrower than kanbao's reading column (76), so the text is laid out anew.

The clock stops at the read that completes the probe (or the repaint), so what is timed is the
program's work plus one pty round trip, the same for both. Between steps the output is left to settle (300 ms quiet).
Prints a Markdown table: median and worst per step, and kanbao ÷ less of the medians.
"""

import argparse
import fcntl
import importlib.util
import os
import random
import shlex
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("ssh_bench", os.path.join(ROOT, "scripts", "ssh-bench.py"))
ssh_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ssh_bench)

HAN = "重庆市总工会召开会议职工代表出席劳模工匠服务基层建设发展新时代工作品牌区县组织学习宣传贯彻精神"
WORDS = ("the union workers committee district meeting report annual safety training members labour "
         "model craftsmen service representatives congress welfare").split()


def cjk_paragraph(size, rng):
    out, n = [], 0
    while n < size:
        w = "".join(rng.choice(HAN) for _ in range(rng.randint(3, 20)))
        p = rng.choice("，，，。。、；：“（…—")
        s = {"“": f"“{w}”", "（": f"（{w}）", "…": w + "……", "—": w + "——"}.get(p, w + p)
        if rng.random() < 0.1:
            s += f"{rng.randint(1, 2024)}年"
        out.append(s)
        n += len(s.encode())
    return "".join(out)


def latin_paragraph(size, rng):
    out, n = [], 0
    while n < size:
        w = rng.choice(WORDS) + (rng.choice(",.;") if rng.random() < 0.08 else "")
        out.append(w)
        n += len(w) + 1
    return " ".join(out)


def probe(text):
    """A predicate: the screen shows `text` on one row (spaces squeezed as less and kanbao may)."""
    return lambda scr: any(text in row for row in scr.text())


class Pty(ssh_bench.Session):
    def resize(self, rows, cols):
        self.screen = ssh_bench.Screen(rows, cols)  # both programs repaint all after a resize
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def repaint(s, act):
    """ms from `act` to the last byte written before 300 ms of quiet."""
    t0 = time.monotonic()
    act()
    if s.wait_until(lambda scr: True, 60) is None:
        sys.exit("bench-paragraph: no repaint after a resize")
    s.settle(0.3)
    return (s.last_byte - t0) * 1e3


def timed(s, act, pred, what):
    t0 = time.monotonic()
    act()
    t = s.wait_until(pred, 60)
    if t is None:
        sys.exit(f"bench-paragraph: {what}: the screen never showed the probe:\n" + "\n".join(s.screen.text()))
    s.settle(0.3)
    return (t - t0) * 1e3


def one_run(argv, env, size, other, head, tail):
    (cols, rows), (cols2, rows2) = size, other
    s = Pty(argv, env, rows, cols)
    t = s.wait_until(probe(head), 60)
    if t is None:
        sys.exit(f"bench-paragraph: {argv[0]} never showed the paragraph:\n" + "\n".join(s.screen.text()))
    out = {"open": (t - s.t0) * 1e3}
    s.settle(0.3)
    out["G"] = timed(s, lambda: os.write(s.fd, b"G"), probe(tail), "G")
    out["resize"] = [repaint(s, lambda: s.resize(rows2, cols2)), repaint(s, lambda: s.resize(rows, cols))]
    s.quit(b"q")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--kanbao", default=os.path.join(ROOT, "target", "release", "kanbao"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--bytes", type=int, default=1_000_000)
    ap.add_argument("--kind", action="append", choices=["cjk", "latin"])
    ap.add_argument("--size", default="80x24", help="COLSxROWS to open at (the resize goes to --other and back)")
    ap.add_argument("--other", default="60x20")
    ap.add_argument("--cold", action="store_true", help="a fresh HOME (cold parse cache) for every run")
    args = ap.parse_args()
    if not os.access(args.kanbao, os.X_OK):
        sys.exit(f"bench-paragraph: no kanbao at {args.kanbao} (cargo build --release)")
    if not shutil.which("less"):
        sys.exit("bench-paragraph: less is not installed (apt-get install -y less)")
    size = tuple(map(int, args.size.lower().split("x")))
    other = tuple(map(int, args.other.lower().split("x")))
    less_v = subprocess.run(["less", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print(f"Reproduce: `{shlex.join(['scripts/bench-paragraph.py'] + sys.argv[1:])}`  ")
    print(f"{less_v}, {os.cpu_count()} CPUs, load average before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    cache = "cold parse cache" if args.cold else "warm parse cache"
    print(f"| 1 MB paragraph, {args.size}, {cache} | kanbao median / worst | less median / worst "
          f"| kanbao ÷ less (medians) |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-paragraph-") as tmp:
        kanbao = os.path.join(tmp, "kanbao")  # a copy: a rebuild during the run changes nothing
        shutil.copy2(args.kanbao, kanbao)
        for kind in args.kind or ["cjk", "latin"]:
            rng = random.Random(12)
            para = (cjk_paragraph if kind == "cjk" else latin_paragraph)(args.bytes, rng)
            bulletin, plain = os.path.join(tmp, f"{kind}.txt"), os.path.join(tmp, f"{kind}-paragraph.txt")
            with open(bulletin, "w") as f:
                f.write(f"超长段落测试 {kind}\n\n5月29日，{para} Zq9\n")
            with open(plain, "w") as f:
                f.write(f"5月29日，{para} Zq9\n")
            warm = ssh_bench.fresh_env(tmp)
            listing = subprocess.run([kanbao, "list", "--no-bundled", bulletin], capture_output=True, text=True,
                                     env=warm)
            article = next(l.split()[0] for l in listing.stdout.splitlines() if l.startswith("  "))
            # Probes: text that stands on one row, whatever the layout.
            head = "5月29日，" + para[:4 if kind == "cjk" else 8]
            tail = "Zq9"  # only at the very end; one word, so kanbao never splits it
            programs = {
                "kanbao": [kanbao, "--ambiguous", "narrow", "--no-bundled", "--open", article, bulletin],
                "less": ["less", plain],
            }
            res = {name: {"open": [], "G": [], "resize": []} for name in programs}
            for _ in range(args.runs):
                for name, argv in programs.items():  # interleaved: both see the same machine load
                    # A fresh HOME (no remembered place), the warm cache unless --cold.
                    env = ssh_bench.fresh_env(tmp)
                    if not args.cold:
                        env["XDG_CACHE_HOME"] = warm["XDG_CACHE_HOME"]
                    r = one_run(argv, env, size, other, head, tail)
                    res[name]["open"].append(r["open"])
                    res[name]["G"].append(r["G"])
                    res[name]["resize"].extend(r["resize"])
            for step, label in (("open", "open (spawn to first screen)"), ("G", "`G` (end)"),
                                ("resize", f"resize {args.size} ↔ {args.other}")):
                k, l = res["kanbao"][step], res["less"][step]
                print(f"| {kind}: {label} | {statistics.median(k):.1f} / {max(k):.1f} ms "
                      f"| {statistics.median(l):.1f} / {max(l):.1f} ms "
                      f"| {statistics.median(k) / statistics.median(l):.2f} |")
    print(f"\nLoad average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
