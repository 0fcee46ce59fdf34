#!/usr/bin/env python3
"""How one CPU was shared out, from a scheduler trace: the share of each thread per time bin.

usage: perf record -e sched:sched_switch -C 0 -k mono -o sched.data -- sleep N   (during a run)
       perf script -i sched.data -F time,event,trace | bench/lib/sched-occupancy.py T0 FROM TO BIN

T0 is the CLOCK_MONOTONIC second that time 0 stands for (the "# t0_monotonic_s" line of a latency
series from bench/loadgen/pace.c), FROM and TO the window and BIN the bin width, in seconds from T0.
Prints, per bin, the percentage of the CPU each of the 8 busiest threads had (swapper = idle)."""
import sys, re, collections

t0, frm, to, binw = map(float, sys.argv[1:5])
pat = re.compile(r'^\s*([\d.]+): sched:sched_switch: prev_comm=(.*?) prev_pid=(\d+) .*==> next_comm=(.*?) next_pid=(\d+)')
cur = None; since = None
occ = collections.defaultdict(lambda: collections.Counter())
tot = collections.Counter()
def add(name, a, b):
    a = max(a, frm); b = min(b, to)
    while a < b:
        k = int((a - frm) // binw)
        end = min(b, frm + (k + 1) * binw)
        if end <= a: end = min(b, a + 1e-9)
        occ[k][name] += end - a
        tot[name] += end - a
        a = end
for line in sys.stdin:
    m = pat.match(line)
    if not m: continue
    t = float(m.group(1)) - t0
    if cur is not None and t > frm and since < to:
        add(cur, since, t)
    cur = m.group(4) + ('' if m.group(5) != '0' else ''); since = t
    if t > to: break
n = int((to - frm) / binw)
top = [x for x, _ in tot.most_common(8)]
print('bin_start ' + ' '.join(s[:15] for s in top))
for k in range(n):
    print('%.3f ' % (frm + k * binw) + ' '.join('%5.1f' % (100 * occ[k][x] / binw) for x in top))
