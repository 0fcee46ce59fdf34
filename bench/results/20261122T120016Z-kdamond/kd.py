#!/usr/bin/env python3
"""kd.py OUTDIR: for every measured window of kd.sh's run (result lines of run.log: 6 s ending
at the line), kdamond's CPU (% of one core, from its stime ticks), the CPUs it was last seen on,
and the run's own "others on the peer's core" for that window (runs.jsonl, in order)."""
import datetime, json, re, sys, glob, os
out = sys.argv[1]
samples = []
for l in open(f'{out}/samples'):
    p = l.split()
    t = p[0]; st = int(p[1]); cpu = p[2]
    steal0 = int(p[3 + 8]); steal1 = int(p[14 + 8])
    samples.append((t, st, cpu, steal0, steal1))
def secs(hms):
    h, m, s = map(int, hms.split(':')); return h * 3600 + m * 60 + s
peer = None
rows = []
for l in open(f'{out}/run.log'):
    m = re.match(r'(\d\d:\d\d:\d\d) (tollgate|direct|nginx|haproxy)$', l.strip())
    if m:
        peer = m.group(2); continue
    m = re.match(r'(\d\d:\d\d:\d\d)\s+(?:round (\d+), (\w+), )?(\w+): \d+ requests, ([\d.]+) req/s', l)
    if m:
        end = secs(m.group(1)); start = end - 6
        w = [s for s in samples if start <= secs(s[0]) <= end]
        if len(w) < 2:
            continue
        kd = (w[-1][1] - w[0][1]) / (secs(w[-1][0]) - secs(w[0][0])) # ticks/s = % of a core
        cpus = ''.join(sorted({s[2] for s in w}))
        st0 = (w[-1][3] - w[0][3]) / (secs(w[-1][0]) - secs(w[0][0]))
        rows.append((m.group(1), m.group(3) or peer, (f'round {m.group(2)} ' if m.group(2) else '') + m.group(4), float(m.group(5)), kd, cpus, st0))
print(f'{"end":8s} {"peer":9s} {"window":16s} {"req/s":>8s} {"kdamond %":>9s} {"on cpu":>6s} {"cpu0 steal %":>12s}')
for r in rows:
    print(f'{r[0]:8s} {r[1]:9s} {r[2]:16s} {r[3]:8.0f} {r[4]:9.1f} {r[5]:>6s} {r[6]:12.1f}')
