#!/usr/bin/env python3
"""V5 at millisecond resolution: `verify` of the 300-item catalog with one
trusted CA and with the CA plus the bundle, run alternately RUNS times per
binary (so that a noisy minute hits both cases alike), medians of the wall
time (spawn to exit) and of the CPU time (user + system, from wait4).

    scripts/bench-v5.py WORK_DIR RUNS BINARY [BINARY ...]

WORK_DIR is scripts/bench.sh's: w4/ours.jcat, ca.pem, v5/keys/.
Several binaries (say, before and after a change) are interleaved too.
"""
import os
import statistics
import sys
import time

work, runs, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
os.chdir(work)
cases = {
    "one CA": ["verify", "w4/ours.jcat", "--prefix", "w4", "--public-key", "ca.pem"],
    "+ bundle": ["verify", "w4/ours.jcat", "--prefix", "w4", "--public-keys", "v5/keys"],
}
devnull = os.open(os.devnull, os.O_WRONLY)
res = {(b, c): ([], []) for b in bins for c in cases}
for _ in range(runs):
    for b in bins:
        for c, args in cases.items():
            t = time.perf_counter()
            pid = os.posix_spawn(b, [b] + args, os.environ,
                                 file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
            _, status, ru = os.wait4(pid, 0)
            wall = (time.perf_counter() - t) * 1000
            if status != 0:
                sys.exit(f"{b} {' '.join(args)}: exit status {status}")
            res[(b, c)][0].append(wall)
            res[(b, c)][1].append((ru.ru_utime + ru.ru_stime) * 1000)
for b in bins:
    w1, c1 = (statistics.median(v) for v in res[(b, "one CA")])
    w2, c2 = (statistics.median(v) for v in res[(b, "+ bundle")])
    print(f"V5 300 items ({runs} alternating runs, medians) {b}: "
          f"wall {w1:.1f} / {w2:.1f} ms = {w2 / w1:.2f} x; CPU {c1:.1f} / {c2:.1f} ms = {c2 / c1:.2f} x"
          "   (target <= 1.2)")
