#!/usr/bin/env python3
"""What kanbao costs a slow SSH link, measured against `less` on the same Chinese text.

    scripts/ssh-bench.py                                   # 80x24, article 2024-04/1, 10 start runs
    scripts/ssh-bench.py --size 80x24 --size 120x40 --article 2024-03/2
    scripts/gen-archive.py 1 /tmp/kanbao-long --long 60 && scripts/ssh-bench.py --path /tmp/kanbao-long
    scripts/gen-archive.py 1000 /tmp/kanbao-1k && scripts/ssh-bench.py --archive /tmp/kanbao-1k

Python 3 standard library only (pty, select, os.wait4); hyperfine and /usr/bin/time are used for
cross-checks in --archive mode when installed. Prints Markdown on stdout: the command line to
reproduce, the machine's load, and one table per terminal size.

How it measures (the same rules for kanbao and less):
- Each program runs in its own pseudo-terminal of the given size, with TERM=xterm-256color,
  LANG=C.UTF-8, LESSCHARSET=utf-8, a fresh temporary HOME (and XDG dirs inside it), no LESS.
  kanbao: `kanbao --ambiguous narrow --open ARTICLE` (no width probe). less: `less FILE` where
  FILE is `kanbao show ARTICLE --width W`, the article as kanbao lays it out. W is 80 (the
  issue's reference) and the width of kanbao's reading column, found on its first screen (the
  same lines as kanbao shows, so a fair per-line comparison).
- Everything the program writes is counted and fed to a small terminal emulator (cursor moves,
  erase, scroll regions, SGR, wide characters; enough for ratatui and less).
- First frame: every byte written from spawn until the output has been quiet for 300 ms.
- Line scroll: `j` sent 20 times, one at a time; after each, output is read until quiet for
  --settle seconds (1 s without any output = no output). Page: `g` (not counted), then Space x5.
  Stats are over the keystrokes that changed the emulated screen ("effective"); keystrokes at
  the end of the text, which change nothing, are listed apart with their bytes. Then Ctrl-L:
  the screen the keys left must equal the full repaint (else the emulator or the program is
  wrong; checked for both).
- Idle: bytes written in 2 s with nothing pressed, after the first frame.
- Time to first paint: spawn (just before fork) to the read that makes the probe visible on the
  emulated screen: the article's first line (its first 12 characters, which the library pane
  truncates, so only the reading pane or less shows them). "Frame complete": spawn to the last
  byte before 300 ms of quiet. Median (min-max) of --runs fresh starts.
- Peak memory: VmHWM from /proc/PID/status, read before and while it quits with `q` (not
  ru_maxrss: on Linux that includes the forked Python child's RSS from before exec).
- Visible text + style bytes (the 1.3x first-frame target): from kanbao's emulated screen after
  the first frame: per row, the UTF-8 bytes of the cells up to the last visible one (a space
  counts 1 byte; a wide character once), plus, each time the style changes from one visible
  cell to the next in reading order, the length of one SGR that resets and sets the whole new
  style (e.g. ESC[0;1;38;5;6m). Cursor positioning is not counted: the ratio says how far the
  frame is from "just text and colours".
- --archive DIR: `kanbao --ambiguous narrow --no-bundled DIR` (--with-bundled keeps the seeds):
  start (probe: the status line drawn), peak memory, and the finder: `f`, then the --query typed
  one character at a time; latency = key sent to the last byte of the response.
The machine is shared: the load average is printed before and after; rerun when it is high.
"""

import argparse
import codecs
import fcntl
import hashlib
import json
import os
import pty
import select
import shlex
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ATTR = (0, 0, 0, 0, 0, 0, 0, 0, None, None)  # bold dim italic underline blink reverse hidden strike fg bg
FLAG_PARAMS = ("1", "2", "3", "4", "5", "7", "8", "9")


def char_width(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1  # ambiguous: narrow


class Screen:
    """A minimal VT100/xterm screen: enough of CSI, SGR and wide characters for ratatui and less."""

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.dec = codecs.getincrementaldecoder("utf-8")("replace")
        self.state, self.buf = "ground", ""
        self.replies, self.bells = [], 0
        self.reset()

    def reset(self):
        self.ch = [[" "] * self.cols for _ in range(self.rows)]
        self.at = [[DEFAULT_ATTR] * self.cols for _ in range(self.rows)]
        self.x = self.y = 0
        self.top, self.bottom = 0, self.rows - 1
        self.attr, self.wrap, self.saved = DEFAULT_ATTR, False, (0, 0)

    def text(self):
        return ["".join(r) for r in self.ch]  # continuation cells are "", so wide chars count once

    def snapshot(self):
        return (tuple(self.text()), tuple(tuple(r) for r in self.at))

    def feed(self, data):
        for c in self.dec.decode(data):
            st = self.state
            if st == "ground":
                if c >= " " and c != "\x7f":
                    self.put(c)
                elif c == "\x1b":
                    self.state = "esc"
                elif c == "\r":
                    self.x, self.wrap = 0, False
                elif c in "\n\x0b\x0c":
                    self.index()
                elif c == "\x08":
                    self.x, self.wrap = max(0, self.x - 1), False
                elif c == "\t":
                    self.x = min(self.cols - 1, (self.x // 8 + 1) * 8)
                elif c == "\x07":
                    self.bells += 1
            elif st == "esc":
                self.state = "ground"
                if c == "[":
                    self.state, self.buf = "csi", ""
                elif c == "]" or c in "PX^_":
                    self.state = "str"
                elif c in "()*+#":
                    self.state = "skip1"
                elif c == "M":
                    self.reverse_index()
                elif c in "DE":
                    self.x = 0 if c == "E" else self.x
                    self.index()
                elif c == "7":
                    self.saved = (self.x, self.y)
                elif c == "8":
                    self.x, self.y = self.saved
                elif c == "c":
                    self.reset()
            elif st == "csi":
                if "\x40" <= c <= "\x7e":
                    self.state = "ground"
                    self.csi(self.buf, c)
                else:
                    self.buf += c
            elif st == "str":  # OSC/DCS: until BEL or ST
                if c == "\x07":
                    self.state = "ground"
                elif c == "\x1b":
                    self.state = "esc"  # the "\\" of ST is then ignored
            elif st == "skip1":
                self.state = "ground"

    def put(self, c):
        w = char_width(c)
        if w == 0:
            return
        if self.wrap or (w == 2 and self.x == self.cols - 1):
            if w == 2 and not self.wrap:
                self.ch[self.y][self.x] = " "
            self.x, self.wrap = 0, False
            self.index()
        row, x = self.ch[self.y], self.x
        for i in range(x, min(x + w, self.cols)):  # overwriting half of a wide char clears the other half
            if row[i] == "" and i > 0:
                row[i - 1] = " "
            if i + 1 < self.cols and row[i + 1] == "" and row[i] != "":
                row[i + 1] = " "
        row[x] = c
        self.at[self.y][x] = self.attr
        if w == 2 and x + 1 < self.cols:
            row[x + 1] = ""
            self.at[self.y][x + 1] = self.attr
        if x + w >= self.cols:
            self.x, self.wrap = self.cols - 1, True
        else:
            self.x += w

    def index(self):
        if self.y == self.bottom:
            self.scroll(self.top, self.bottom, 1)
        elif self.y < self.rows - 1:
            self.y += 1

    def reverse_index(self):
        if self.y == self.top:
            self.scroll(self.top, self.bottom, -1)
        elif self.y > 0:
            self.y -= 1

    def blank_row(self):
        return [" "] * self.cols, [DEFAULT_ATTR[:9] + self.attr[9:]] * self.cols  # erase keeps the background

    def scroll(self, top, bottom, n):
        """n > 0: content moves up n rows within top..bottom; n < 0: down."""
        for _ in range(min(abs(n), bottom - top + 1)):
            c, a = self.blank_row()
            if n > 0:
                del self.ch[top], self.at[top]
                self.ch.insert(bottom, c), self.at.insert(bottom, a)
            else:
                del self.ch[bottom], self.at[bottom]
                self.ch.insert(top, c), self.at.insert(top, a)

    def erase(self, y, x0, x1):
        _, a = self.blank_row()
        for x in range(max(0, x0), min(self.cols, x1)):
            self.ch[y][x], self.at[y][x] = " ", a[0]
        if x0 > 0 and x0 < self.cols and self.ch[y][x0 - 1] != "" and char_width(self.ch[y][x0 - 1]) == 2:
            self.ch[y][x0 - 1] = " "

    def csi(self, buf, f):
        private = buf.startswith(("?", ">", "<", "="))
        ps = [p for p in buf.lstrip("?><=").replace(":", ";").split(";")]
        n = [int(p) if p.isdigit() else 0 for p in ps]
        a = n[0] if n and n[0] else 1
        self.wrap = False if f not in "m" else self.wrap
        if f in "Hf":
            self.y = min(self.rows - 1, max(1, n[0] if n else 1) - 1)
            self.x = min(self.cols - 1, max(1, n[1] if len(n) > 1 else 1) - 1)
        elif f == "A":
            self.y = max(0, self.y - a)
        elif f in "Be":
            self.y = min(self.rows - 1, self.y + a)
        elif f in "Ca":
            self.x = min(self.cols - 1, self.x + a)
        elif f == "D":
            self.x = max(0, self.x - a)
        elif f in "EF":
            self.x, self.y = 0, min(self.rows - 1, max(0, self.y + (a if f == "E" else -a)))
        elif f in "G`":
            self.x = min(self.cols - 1, a - 1)
        elif f == "d":
            self.y = min(self.rows - 1, a - 1)
        elif f == "J":
            mode = n[0] if n else 0
            if mode == 0:
                self.erase(self.y, self.x, self.cols)
                for y in range(self.y + 1, self.rows):
                    self.erase(y, 0, self.cols)
            elif mode == 1:
                for y in range(self.y):
                    self.erase(y, 0, self.cols)
                self.erase(self.y, 0, self.x + 1)
            else:
                for y in range(self.rows):
                    self.erase(y, 0, self.cols)
        elif f == "K":
            mode = n[0] if n else 0
            x0, x1 = {0: (self.x, self.cols), 1: (0, self.x + 1)}.get(mode, (0, self.cols))
            self.erase(self.y, x0, x1)
        elif f == "X":
            self.erase(self.y, self.x, self.x + a)
        elif f in "P@":
            row, att = self.ch[self.y], self.at[self.y]
            c, b = self.blank_row()
            if f == "P":
                del row[self.x:self.x + a], att[self.x:self.x + a]
                row.extend(c[:self.cols - len(row)]), att.extend(b[:self.cols - len(att)])
            else:
                row[self.x:self.x] = c[:a]
                att[self.x:self.x] = b[:a]
                del row[self.cols:], att[self.cols:]
        elif f in "LM" and self.top <= self.y <= self.bottom:
            self.scroll(self.y, self.bottom, -a if f == "L" else a)
        elif f in "ST" and not private:
            self.scroll(self.top, self.bottom, a if f == "S" else -a)
        elif f == "r" and not private:
            self.top = max(1, n[0] if n else 1) - 1
            self.bottom = min(self.rows, n[1] if len(n) > 1 and n[1] else self.rows) - 1
            self.x = self.y = 0
        elif f == "m" and not private:
            self.sgr(ps)
        elif f in "hl" and private and any(p in ("47", "1047", "1049") for p in ps):
            for y in range(self.rows):
                self.erase(y, 0, self.cols)
        elif f == "n" and n and n[0] == 6:
            self.replies.append(f"\x1b[{self.y + 1};{self.x + 1}R".encode())
        elif f == "c" and not buf:
            self.replies.append(b"\x1b[?62;22c")
        elif f == "s":
            self.saved = (self.x, self.y)
        elif f == "u":
            self.x, self.y = self.saved

    def sgr(self, ps):
        a = list(self.attr)
        i = 0
        while i < len(ps):
            p = ps[i]
            v = int(p) if p.isdigit() else 0
            if v == 0:
                a = list(DEFAULT_ATTR)
            elif str(v) in FLAG_PARAMS:
                a[FLAG_PARAMS.index(str(v))] = 1
            elif v in (21, 22):
                a[0] = a[1] = 0
            elif 23 <= v <= 29 and str(v - 20) in FLAG_PARAMS:
                a[FLAG_PARAMS.index(str(v - 20))] = 0
            elif 30 <= v <= 37 or 90 <= v <= 97:
                a[8] = str(v)
            elif 40 <= v <= 47 or 100 <= v <= 107:
                a[9] = str(v)
            elif v in (38, 48):
                k = 3 if ps[i + 1:i + 2] == ["5"] else 5
                a[8 if v == 38 else 9] = ";".join(ps[i:i + k])
                i += k - 1
            elif v == 39:
                a[8] = None
            elif v == 49:
                a[9] = None
            i += 1
        self.attr = tuple(a)


def sgr_cost(attr):
    params = [p for p, on in zip(FLAG_PARAMS, attr[:8]) if on] + [p for p in attr[8:] if p]
    return len("\x1b[0;" + ";".join(params) + "m") if params else len("\x1b[0m")


def visible_bytes(scr):
    """(text bytes, style bytes) of what is on the screen; see the module docstring."""
    text = style = 0
    cur = DEFAULT_ATTR
    for row, att in zip(scr.ch, scr.at):
        last = -1
        for x in range(scr.cols):
            if row[x] not in (" ", "") or att[x][5] or att[x][9]:  # a glyph, reverse video or a background
                last = x
        for x in range(last + 1):
            if row[x] == "":
                continue
            text += len(row[x].encode())
            if att[x] != cur:
                style += sgr_cost(att[x])
                cur = att[x]
    return text, style


class Session:
    """One program in a pseudo-terminal: everything it writes is timed, counted and emulated."""

    def __init__(self, argv, env, rows, cols):
        self.screen = Screen(rows, cols)
        self.total, self.eof, self.first_byte, self.last_byte, self.peak = 0, False, None, None, 0
        self.t0 = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # child: the size is set before the program can ask for it
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    def pump(self, timeout):
        """Reads what is there within `timeout` s; returns the time of the read or None."""
        if self.eof or not select.select([self.fd], [], [], max(0.0, timeout))[0]:
            return None
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        now = time.monotonic()
        if not data:
            self.eof = True
            return None
        self.total += len(data)
        self.first_byte = self.first_byte or now
        self.last_byte = now
        self.screen.feed(data)
        while self.screen.replies:  # cursor-position / device-attribute queries get answers
            os.write(self.fd, self.screen.replies.pop(0))
        return now

    def wait_until(self, pred, limit):
        """Reads until pred(screen) holds; returns the time of the read that made it so, or None."""
        deadline = time.monotonic() + limit
        while not self.eof and time.monotonic() < deadline:
            t = self.pump(deadline - time.monotonic())
            if t and pred(self.screen):
                return t
        return None

    def settle(self, quiet, limit=60.0):
        """Reads until there has been no output for `quiet` s."""
        start = last = time.monotonic()
        while not self.eof and time.monotonic() - start < limit:
            t = self.pump(last + quiet - time.monotonic())
            if t:
                last = t
            elif time.monotonic() - last >= quiet:
                break

    def read_for(self, seconds):
        end = time.monotonic() + seconds
        while not self.eof and time.monotonic() < end:
            self.pump(end - time.monotonic())

    def key(self, data, settle):
        before, n0 = self.screen.snapshot(), self.total
        sent = time.monotonic()
        os.write(self.fd, data)
        first = self.wait_until(lambda s: True, 1.0)  # nothing within 1 s: the key printed nothing
        if first:
            self.settle(settle)
        return {"bytes": self.total - n0, "changed": self.screen.snapshot() != before,
                "first_ms": (first - sent) * 1e3 if first else None,
                "last_ms": (self.last_byte - sent) * 1e3 if first else None}

    def hwm(self):
        """VmHWM (peak resident set, KiB) of the program. Not ru_maxrss: Linux carries the
        forked Python child's RSS over exec into ru_maxrss, and it would be counted too."""
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        self.peak = max(self.peak, int(line.split()[1]))
        except OSError:
            pass
        return self.peak

    def quit(self, key=b"q"):
        """Sends `key`, waits for the exit; returns the program's peak RSS in KiB."""
        self.hwm()
        try:
            os.write(self.fd, key)
        except OSError:
            pass
        deadline = time.monotonic() + 5
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig:
                os.kill(self.pid, sig)
                deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                self.hwm()  # high-water mark: also what quitting (saving the state) costs
                self.pump(0.01)
                pid, status, _ = os.wait4(self.pid, os.WNOHANG)
                if pid:
                    os.close(self.fd)
                    self.status = status
                    return self.peak
        raise RuntimeError(f"pid {self.pid} did not exit")


def fresh_env(base_home):
    home = tempfile.mkdtemp(prefix="home-", dir=base_home)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LESS", "XDG_", "NO_COLOR", "COLUMNS", "LINES", "TMUX"))}
    env.update(HOME=home, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", LESSCHARSET="utf-8",
               LESSHISTFILE="-", XDG_CONFIG_HOME=f"{home}/.config", XDG_DATA_HOME=f"{home}/.local/share",
               XDG_CACHE_HOME=f"{home}/.cache", XDG_STATE_HOME=f"{home}/.local/state")
    return env


SHOWN = {}


def show_text(args, width):
    """`kanbao show ARTICLE --width W`: the article as the reading pane lays it out."""
    if width not in SHOWN:
        cmd = [args.kanbao, "show", args.article, "--width", str(width), "--ambiguous", "narrow"] + args.path
        SHOWN[width] = subprocess.run(cmd, check=True, capture_output=True, env=fresh_env(args.tmp)).stdout
    return SHOWN[width]


def reading_width(args, screen_rows, cols):
    """The width of kanbao's reading column, found on its screen: the W whose first lines of
    `kanbao show --width W` all stand on the screen, in order."""
    rows = [r.strip() for r in screen_rows]
    for w in range(cols, 9, -1):
        lines = [l.strip() for l in show_text(args, w).decode().splitlines() if l.strip()][:8]
        i = 0
        for line in lines:
            while i < len(rows) and line not in rows[i]:
                i += 1
            i += 1
        if lines and i <= len(rows):
            return w
    return None


def med(xs):
    return statistics.median(xs) if xs else None


def fmt(x, unit="", digits=0):
    return "–" if x is None else f"{x:,.{digits}f}{unit}"


def keystats(keys):
    eff = [k for k in keys if k["changed"]]
    noop = [k["bytes"] for k in keys if not k["changed"]]
    b = [k["bytes"] for k in eff]
    s = f"{fmt(med(b))} (mean {fmt(statistics.mean(b) if b else None)}; {len(eff)}/{len(keys)} effective"
    return s + (f"; no-op keys sent {sum(noop)} B)" if noop else ")"), med(b)


def run_reader(argv, probe, args, rows, cols):
    """One session: first frame, idle, j x20, g, Space x5, quit."""
    s = Session(argv, fresh_env(args.tmp), rows, cols)
    s.wait_until(probe, 60)
    s.settle(0.3)
    out = {"first_frame": s.total, "visible": visible_bytes(s.screen), "screen": s.screen.text()}
    n0 = s.total
    s.read_for(2.0)
    out["idle"] = (s.total - n0) / 2.0
    out["j"] = [s.key(b"j", args.settle) for _ in range(20)]
    s.key(b"g", args.settle)
    out["page"] = [s.key(b" ", args.settle) for _ in range(5)]
    # What the keys left on the screen should be what a full repaint (Ctrl-L) draws.
    before = s.screen.snapshot()
    out["repaint"] = s.key(b"\x0c", args.settle)
    after = s.screen.snapshot()
    out["same_text"] = sum(a != b for a, b in zip(before[0], after[0]))
    out["same_style"] = sum(a != b for a, b in zip(before[1], after[1]))
    out["rss"] = s.quit()
    out["bells"] = s.screen.bells
    return out


def run_starts(argv, probe, args, rows, cols, runs):
    paint, frame, rss = [], [], []
    for _ in range(runs):
        s = Session(argv, fresh_env(args.tmp), rows, cols)
        t = s.wait_until(probe, 120)
        s.settle(0.3)
        paint.append((t - s.t0) * 1e3 if t else float("nan"))
        frame.append((s.last_byte - s.t0) * 1e3 if s.last_byte else float("nan"))
        rss.append(s.quit())
    return paint, frame, rss


def spread(xs, unit=" ms"):
    return f"{fmt(med(xs), unit, 1)} ({min(xs):,.1f}–{max(xs):,.1f})" if xs else "–"


def bench_reader(args, rows, cols):
    title = next(l for l in show_text(args, 200).decode().splitlines() if l.strip()).strip()
    probe = lambda scr, p=title[:12]: any(p in row for row in scr.text())
    results = {}
    kanbao = [args.kanbao, "--ambiguous", "narrow", "--open", args.article] + args.path
    results["kanbao"] = run_reader(kanbao, probe, args, rows, cols)
    tw = reading_width(args, results["kanbao"]["screen"], cols)
    programs = [("kanbao", kanbao)]
    for w in dict.fromkeys(w for w in (args.less_width, tw) if w):
        path = os.path.join(args.tmp, f"article-w{w}.txt")
        with open(path, "wb") as f:
            f.write(show_text(args, w))
        programs.append((f"less, text {w} cols", ["less", path]))
    for name, argv in programs:
        if name not in results:
            results[name] = run_reader(argv, probe, args, rows, cols)
        r = results[name]
        r["paint"], r["frame"], r["rss_runs"] = run_starts(argv, probe, args, rows, cols, args.runs)
    names = list(results)
    k, ref = results["kanbao"], results[names[1]]
    text, style = k["visible"]
    jk, jk_med = keystats(k["j"])
    rows_out = [
        ("first frame, bytes", lambda r: fmt(r["first_frame"]), "≤ 1.3 × visible text + style"),
        ("visible text + style codes of that frame, bytes",
         lambda r: f"{fmt(sum(r['visible']))} ({r['visible'][0]:,} + {r['visible'][1]:,})", ""),
        ("first frame ÷ (text + style)", lambda r: fmt(r["first_frame"] / max(1, sum(r["visible"])), "×", 2),
         "≤ 1.3×"),
        ("bytes per line scroll `j`, median", lambda r: keystats(r["j"])[0], "≤ 1.5 × less, < 200 B"),
        ("bytes per page `Space`, median", lambda r: keystats(r["page"])[0], ""),
        ("bytes per idle second (2 s, no keys)", lambda r: fmt(r["idle"], digits=1), "0"),
        (f"time to first paint, median ({args.runs} runs; min–max)", lambda r: spread(r["paint"]),
         "≤ 2 × less"),
        ("first frame complete (last byte before 300 ms quiet)", lambda r: spread(r["frame"]), ""),
        ("peak RSS (VmHWM), max over runs", lambda r: fmt(max(r["rss_runs"] + [r["rss"]]) / 1024, " MB", 1),
         "< 10 MB"),
    ]
    print(f"\n### {cols}x{rows}: article {args.article} (kanbao's reading column: {tw or '?'} cols)\n")
    print("| | " + " | ".join(names) + f" | kanbao ÷ {names[1]} | target |")
    print("|---" * (len(names) + 3) + "|")
    for label, get, target in rows_out:
        ratio = ""
        if label.startswith("bytes per line"):  # only when both scrolled most of the 20 lines
            enough = all(sum(x["changed"] for x in r["j"]) >= 10 for r in (k, ref))
            ratio = fmt(jk_med / keystats(ref["j"])[1], "×", 2) if enough else "– (text too short)"
        elif label.startswith("time to first paint"):
            ratio = fmt(med(k["paint"]) / med(ref["paint"]), "×", 2)
        elif label.startswith("first frame, bytes"):
            ratio = fmt(k["first_frame"] / ref["first_frame"], "×", 1)
        print(f"| {label} | " + " | ".join(get(results[n]) for n in names) + f" | {ratio} | {target} |")
    print("\nBytes per keystroke (`j` x20, then Space x5; * = screen unchanged):\n")
    for n in names:
        r = results[n]
        js = " ".join(f"{x['bytes']}{'' if x['changed'] else '*'}" for x in r["j"])
        ps = " ".join(f"{x['bytes']}{'' if x['changed'] else '*'}" for x in r["page"])
        lat = [x["last_ms"] for x in r["j"] if x["last_ms"] is not None]
        bells = f"; {r['bells']} bell(s)" if r["bells"] else ""
        same = "same as" if not (r["same_text"] or r["same_style"]) else \
            f"DIFFERS from ({r['same_text']} rows of text, {r['same_style']} rows of style)"
        print(f"- {n}: j: {js} | Space: {ps} | j latency median {fmt(med(lat), ' ms', 1)}{bells}; "
              f"screen after the keys {same} a Ctrl-L repaint ({r['repaint']['bytes']:,} B)")
    if args.screens:
        for n in names:
            print(f"\n{n}, screen after the first frame:\n\n```\n" +
                  "\n".join(l.rstrip() for l in results[n]["screen"]) + "\n```")


def bench_archive(args, rows, cols):
    argv = [args.kanbao, "--ambiguous", "narrow"] + ([] if args.with_bundled else ["--no-bundled"]) + [args.archive]
    files = len([f for f in os.listdir(args.archive) if f.endswith(".txt")])
    status_drawn = lambda scr: bool(scr.text()[-1].strip())
    paint, frame, rss = run_starts(argv, status_drawn, args, rows, cols, args.runs)
    s = Session(argv, fresh_env(args.tmp), rows, cols)
    s.wait_until(status_drawn, 120)
    s.settle(0.3)
    keys = [("f", s.key(b"f", args.settle))] + [(c, s.key(c.encode(), args.settle)) for c in args.query]
    finder_screen = s.screen.text()
    s.key(b"\x1b", args.settle)
    rss.append(s.quit())
    print(f"\n### {cols}x{rows}: archive {args.archive} ({files} files"
          f"{' + bundled' if args.with_bundled else ''})\n")
    print("| | kanbao | target |\n|---|---|---|")
    print(f"| start: status line drawn, median ({args.runs} runs; min–max) | {spread(paint)} | < 300 ms (1,000) |")
    print(f"| start: frame complete | {spread(frame)} | |")
    print(f"| peak RSS, max over runs | {fmt(max(rss) / 1024, ' MB', 1)} | |")
    lat = [k["last_ms"] for c, k in keys[1:] if k["last_ms"] is not None]
    print(f"| finder keystroke, key to last byte, median (max) over “{args.query}” | "
          f"{fmt(med(lat), ' ms', 1)} ({fmt(max(lat) if lat else None, ' ms', 1)}) | < 16 ms |")
    print(f"| finder keystroke bytes, median | {fmt(med([k['bytes'] for c, k in keys[1:]]))} | |")
    print("\nPer key (key: ms to first byte / to last byte, bytes): " + ", ".join(
        f"`{c}`: {fmt(k['first_ms'], digits=1)}/{fmt(k['last_ms'], digits=1)} ms {k['bytes']} B" for c, k in keys))
    if args.screens:
        print(f"\nThe finder after “{args.query}”:\n\n```\n" + "\n".join(l.rstrip() for l in finder_screen) + "\n```")
    lister = argv[:1] + ["list"] + argv[1:]
    if shutil.which("hyperfine"):
        out = os.path.join(args.tmp, "hf.json")
        subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", str(max(3, args.runs)), "--export-json", out,
                        "--style", "none", "--output", "null", shlex.join(lister)],
                       check=True, capture_output=True, env=fresh_env(args.tmp))
        r = json.load(open(out))["results"][0]
        print(f"\nCross-check, no terminal: `kanbao list` on the same files (hyperfine): "
              f"mean {r['mean'] * 1e3:,.0f} ms ± {r['stddev'] * 1e3:,.0f}, min {r['min'] * 1e3:,.0f} ms")
    if os.path.exists("/usr/bin/time"):
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + lister, capture_output=True, env=fresh_env(args.tmp))
        print(f"Peak RSS of `kanbao list` (/usr/bin/time): {int(p.stderr.split()[-1]) / 1024:,.1f} MB")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--kanbao", default=os.path.join(ROOT, "target", "release", "kanbao"))
    ap.add_argument("--article", help="article id (default: 2024-04/1, or the first one in --path)")
    ap.add_argument("--path", action="append", default=[],
                    help="extra bulletin file or folder for the reader runs (e.g. from gen-archive.py --long)")
    ap.add_argument("--size", action="append", help="COLSxROWS, repeatable (default 80x24)")
    ap.add_argument("--runs", type=int, default=10, help="fresh starts for the start-time medians")
    ap.add_argument("--settle", type=float, default=0.25, help="quiet time that ends a keystroke's output")
    ap.add_argument("--less-width", type=int, default=80, help="width of the text file less shows")
    ap.add_argument("--archive", help="a folder of bulletins: measure start, memory and the finder")
    ap.add_argument("--with-bundled", action="store_true", help="with --archive: keep the bundled seeds")
    ap.add_argument("--query", default="bishan", help="finder query typed key by key (--archive)")
    ap.add_argument("--screens", action="store_true", help="also print each program's first screen")
    args = ap.parse_args()
    if not os.access(args.kanbao, os.X_OK):
        sys.exit(f"ssh-bench: no kanbao at {args.kanbao} (cargo build --release)")
    for tool in ("less",):
        if not shutil.which(tool):
            sys.exit(f"ssh-bench: {tool} is not installed (apt-get install -y less)")
    args.kanbao = os.path.abspath(args.kanbao)
    args.path = [os.path.abspath(p) for p in args.path]
    if not args.article and args.path:
        listing = subprocess.run([args.kanbao, "list", "--no-bundled"] + args.path, capture_output=True, text=True)
        args.article = next(l.split()[0] for l in listing.stdout.splitlines() if l.startswith("  "))
    args.article = args.article or "2024-04/1"
    version = subprocess.run([args.kanbao, "--version"], capture_output=True, text=True).stdout.strip()
    less_v = subprocess.run(["less", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print("## kanbao over a slow link: bytes and times against less\n")
    print(f"Reproduce: `{shlex.join(['scripts/ssh-bench.py'] + sys.argv[1:])}`  ")
    print(f"{version}, {less_v}, python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="ssh-bench-") as tmp:
        args.tmp = tmp
        # Run a copy: a rebuild during the run must not mix two binaries in one table.
        st = os.stat(args.kanbao)
        with open(args.kanbao, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        shutil.copy2(args.kanbao, os.path.join(tmp, "kanbao"))
        print(f"Binary: {args.kanbao}, built {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(st.st_mtime))}, "
              f"sha256 {digest}")
        args.kanbao = os.path.join(tmp, "kanbao")
        for size in args.size or ["80x24"]:
            cols, rows = map(int, size.lower().split("x"))
            if args.archive:
                bench_archive(args, rows, cols)
            else:
                bench_reader(args, rows, cols)
    print(f"\nLoad average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
