#!/usr/bin/env python3
"""Interleaved A/B wall times of whole commands: each command runs in turn, round after round,
so all see the same machine load; the first two rounds warm caches and are not counted. Each
named command gets its own throwaway HOME (and XDG dirs) under /tmp, so kanbao builds keep
their own parse caches. Prints median, best and worst per command, and the median's ratio to
the last command's (put the anchor, say rg, last).

    scripts/ab-time.py 21 "main=/tmp/kanbao-main grep 工会 DIR" \\
        "new=target/release/kanbao grep 工会 DIR" "rg=rg -c --fixed-strings 工会 DIR"
"""
import os
import shlex
import statistics
import subprocess
import sys
import time

if len(sys.argv) < 3:
    sys.exit(__doc__)
runs = int(sys.argv[1])
commands = []
for spec in sys.argv[2:]:
    name, cmd = spec.split("=", 1)
    home = f"/tmp/ab-time-home-{name}"
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, HOME=home, XDG_CACHE_HOME=f"{home}/cache", XDG_DATA_HOME=f"{home}/data",
               XDG_CONFIG_HOME=f"{home}/config")
    commands.append((name, shlex.split(cmd), env))
times = {name: [] for name, _, _ in commands}
for r in range(runs + 2):
    for name, argv, env in commands:
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r >= 2:
            times[name].append((time.perf_counter() - start) * 1e3)
anchor = statistics.median(times[commands[-1][0]])
for name, t in times.items():
    print(f"{name:10} median {statistics.median(t):6.1f}  best {min(t):6.1f}  worst {max(t):6.1f} ms"
          f"  ratio {statistics.median(t) / anchor:4.2f}")
print("load average", " ".join(open("/proc/loadavg").read().split()[:3]))
