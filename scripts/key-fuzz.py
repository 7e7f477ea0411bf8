#!/usr/bin/env python3
"""Key fuzz: random sessions of the real kanbao in a pseudo-terminal, each ended by Ctrl-C.

    cargo build --release
    scripts/key-fuzz.py --sessions 500                      # a 3,000-bulletin library by default
    scripts/key-fuzz.py --sessions 50 --bulletins 300 --seed 7 --binary target/debug/kanbao

Each session starts kanbao (narrow width, so no probe) in its own HOME whose library folder holds
the archive from scripts/gen-archive.py (read after the first frame, so loads finish at random
moments; `R` starts more), then sends a random mix of: keys (every binding but q and Ctrl-Z, plus
Alt-[ followed by ? or <, and stray bytes), pastes of up to 4,000 characters, wheel floods of up
to 500 reports, resizes from 1x1 to 300x100, and pauses. Then Ctrl-C, and it times the exit.

Reported: sessions, panics (exit 101 or "panicked" on the terminal), hangs (no exit 5 s after
Ctrl-C: killed), other bad exits, and the worst and median Ctrl-C exit time. Exit status 1 if any
session went wrong. Python 3 standard library only; Linux or macOS.
"""

import argparse
import fcntl
import os
import pty
import random
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

KEYS = [
    b"j", b"k", b"g", b"G", b" ", b"b", b"\r", b"\x1b", b"\t", b"/", b"n", b"N", b"f", b"d", b"m",
    b"'", b"y", b"R", b"?", b"\x0c", b"\x10", b"\x7f", b"\x17", b"\x15", b"h", b"l", b"u", b"[", b"]",
    b"\x1b[A", b"\x1b[B", b"\x1b[C", b"\x1b[D", b"\x1b[5~", b"\x1b[6~", b"\x1b[H", b"\x1b[F", b"\x1bOA",
    b"\x1b[1;5B", b"\x1b[Z", b"\x1b[", b"\x1b[?", b"\x1b[<", b"\x1b[1;", b"\x1bO", "测".encode(),
]
TYPED = "abcdefghijklmnoprstuvwxyz bishan 璧山区工会劳模 0123456789"


def stray(rng):
    """Random bytes, minus the ones that quit or stop (q, Ctrl-C, Ctrl-Z)."""
    return bytes(b for b in rng.randbytes(rng.randint(1, 12)) if b not in (ord("q"), 3, 26))


def wheel(rng, cols, rows):
    n = rng.randint(50, 500)
    return b"".join(
        b"\x1b[<%d;%d;%dM" % (rng.choice((64, 65)), rng.randint(1, max(cols, 1)), rng.randint(1, max(rows, 1)))
        for _ in range(n)
    )


def paste(rng):
    """Typed fast (as keys), or bracketed (one paste; the reader turns bracketed paste on)."""
    n = rng.randint(1, 4000)
    text = "".join(rng.choice(TYPED) for _ in range(n)).replace("q", "w").encode()
    return b"\x1b[200~" + text + b"\x1b[201~" if rng.random() < 0.5 else text


def set_size(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Session:
    def __init__(self, binary, home, cols, rows):
        env = {
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_DATA_HOME": os.path.join(home, ".local/share"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }
        master, slave = os.openpty()
        set_size(slave, cols, rows)
        self.proc = subprocess.Popen(
            [binary, "--ambiguous", "narrow"],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self.drain, daemon=True)
        self.reader.start()

    def drain(self):
        while True:
            try:
                r, _, _ = select.select([self.master], [], [], 0.2)
                if r:
                    data = os.read(self.master, 65536)
                    if not data:
                        return
                    with self.lock:
                        self.output += data
                        del self.output[:-200_000]
            except OSError:
                return

    def send(self, data):
        # Written in pieces: a full pty input queue must not block us forever.
        view = memoryview(data)
        deadline = time.monotonic() + 10
        while view and time.monotonic() < deadline and self.proc.poll() is None:
            _, w, _ = select.select([], [self.master], [], 0.1)
            if w:
                try:
                    n = os.write(self.master, view[:4096])
                    view = view[n:]
                except BlockingIOError:
                    pass
                except OSError:
                    return

    def resize(self, cols, rows):
        set_size(self.master, cols, rows)

    def close(self):
        try:
            os.close(self.master)
        except OSError:
            pass


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def run_session(binary, home, rng, stats, index):
    log = []
    cols, rows = rng.randint(20, 200), rng.randint(5, 60)
    s = Session(binary, home, cols, rows)
    time.sleep(rng.uniform(0.05, 0.5))
    for _ in range(rng.randint(5, 60)):
        if s.proc.poll() is not None:
            break
        what = rng.random()
        if what < 0.55:
            data = rng.choice(KEYS) * rng.choice((1, 1, 1, 3, 20))
            log.append(repr(data[:20]))
            s.send(data)
        elif what < 0.65:
            data = paste(rng)
            log.append(f"paste {len(data)}")
            s.send(data)
        elif what < 0.75:
            data = wheel(rng, cols, rows)
            log.append(f"wheel {len(data)} bytes")
            s.send(data)
        elif what < 0.85:
            cols, rows = rng.randint(1, 300), rng.randint(1, 100)
            log.append(f"resize {cols}x{rows}")
            s.resize(cols, rows)
        elif what < 0.92:
            data = stray(rng)
            log.append(f"stray {data!r}")
            s.send(data)
        else:
            pause = rng.uniform(0, 0.3)
            log.append(f"pause {pause:.2f}")
            time.sleep(pause)
    early = s.proc.poll()
    sent = time.monotonic()
    if early is None:
        s.send(b"\x03")
    code = None
    while time.monotonic() - sent < 5:
        code = s.proc.poll()
        if code is not None:
            break
        time.sleep(0.002)
    took = time.monotonic() - sent
    if code is None:
        before = cpu_ticks(s.proc.pid)
        time.sleep(1)
        after = cpu_ticks(s.proc.pid)
        busy = None if before is None or after is None else after - before
        # Slow, or stuck for good? Wait a while longer to tell.
        while time.monotonic() - sent < 60 and code is None:
            code = s.proc.poll()
            time.sleep(0.05)
        took = time.monotonic() - sent
        with s.lock:
            tail = bytes(s.output[-300:])
        print(f"  session {index}: no exit 5 s after Ctrl-C (cpu ticks/s: {busy}); "
              f"{'exited after %.1f s' % took if code is not None else 'still running at 60 s'}\n"
              f"    actions: {'; '.join(log)}\n    screen tail: {tail!r}", file=sys.stderr)
        stats["hangs"] += 1
        if code is None:
            os.killpg(s.proc.pid, signal.SIGKILL)
            s.proc.wait()
        code = None
    s.reader.join(timeout=2)
    with s.lock:
        out = bytes(s.output)
    s.close()
    panicked = b"panicked" in out or code == 101
    if panicked:
        stats["panics"] += 1
        tail = out[out.find(b"panicked") - 200:][:600] if b"panicked" in out else out[-400:]
        print(f"  PANIC (exit {code}): {tail!r}", file=sys.stderr)
    elif early is not None:
        stats["early"] += 1
        print(f"  exited before Ctrl-C with {early}: {out[-300:]!r}", file=sys.stderr)
    elif code is not None and code != 0:
        stats["bad_exits"] += 1
        print(f"  exit {code} after Ctrl-C: {out[-300:]!r}", file=sys.stderr)
    if code is not None and early is None:
        stats["exit_times"].append(took)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=500)
    ap.add_argument("--bulletins", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/kanbao"))
    ap.add_argument("--only", type=int, help="run just this session number (to reproduce one)")
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"key-fuzz: no kanbao at {args.binary} (cargo build --release)")
    home = tempfile.mkdtemp(prefix="kanbao-key-fuzz-")
    try:
        library = os.path.join(home, ".local/share/kanbao/bulletins")
        subprocess.run(
            [sys.executable, os.path.join(ROOT, "scripts/gen-archive.py"), str(args.bulletins), library,
             "--seed", str(args.seed)],
            check=True, stdout=subprocess.DEVNULL,
        )
        stats = {"panics": 0, "hangs": 0, "early": 0, "bad_exits": 0, "exit_times": []}
        start = time.monotonic()
        for i in ([args.only] if args.only is not None else range(args.sessions)):
            # Each session has its own seed, so one can be run again alone with --only.
            run_session(args.binary, home, random.Random(args.seed * 1_000_003 + i), stats, i)
            if (i + 1) % 50 == 0:
                print(f"key-fuzz: {i + 1} sessions, {time.monotonic() - start:.0f} s", file=sys.stderr)
        times = sorted(stats["exit_times"])
        print(f"sessions {1 if args.only is not None else args.sessions}  library {args.bulletins} bulletins  seed {args.seed}")
        print(f"panics {stats['panics']}  hangs {stats['hangs']}  exited early {stats['early']}  "
              f"bad exits {stats['bad_exits']}")
        if times:
            print(f"Ctrl-C exit: median {statistics.median(times) * 1000:.0f} ms, "
                  f"worst {times[-1] * 1000:.0f} ms, over 1 s: {sum(t > 1 for t in times)}")
        bad = stats["panics"] + stats["hangs"] + stats["early"] + stats["bad_exits"]
        sys.exit(1 if bad or (times and times[-1] > 1) else 0)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
