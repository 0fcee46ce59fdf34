#!/usr/bin/env python3
"""tollgate-kernel.py OUTDIR: Tollgate's kernel time per small-batch request in each of its
windows, by thread, and the kernel symbols ranked by round 2 minus round 1. Needs OUTDIR/ksyms.txt:
  perf script -i perf.data -F comm,pid,tid,time,ip,sym,dso | grep kallsyms > ksyms.txt"""
import collections, datetime, re, sys
out = sys.argv[1]
wall, mono = map(float, open(f'{out}/clocks').read().split())
day = datetime.datetime.utcfromtimestamp(wall).date()
def to_mono(hms):
    h, m, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp() - wall + mono
pid = next(l.split()[0] for l in open(f'{out}/java-pids') if 'tollgate.jar serve' in l)
wins, peer = {}, None
for l in open(f'{out}/run.log'):
    m = re.match(r'\d\d:\d\d:\d\d (tollgate|vertx|nginx)$', l.strip())
    if m:
        peer = m.group(1)
    m = re.match(r'(\d\d:\d\d:\d\d)\s+(?:round (\d+), (\w+), )?small: \d+ requests, ([\d.]+) req/s', l)
    if m and (m.group(3) or peer) == 'tollgate':
        wins[f'round {m.group(2)}' if m.group(2) else 'pass'] = (to_mono(m.group(1)), float(m.group(4)))
line = re.compile(r'^\s*(.*?)\s+(\d+)/(\d+)\s+([\d.]+):\s+[0-9a-f]+\s+(.*?) \((.*)\)$')
sym = {k: collections.Counter() for k in wins}
thread = {k: collections.Counter() for k in wins}
for l in open(f'{out}/ksyms.txt'):
    m = line.match(l)
    if not m or m.group(2) != pid:
        continue
    t = float(m.group(4))
    for k, (end, rps) in wins.items():
        if end - 5.5 <= t < end - 0.5:
            sym[k][m.group(5)] += 1
            thread[k][m.group(1)] += 1
us = {k: 1e6 / 999 / (wins[k][1] * 5) for k in wins}
for k in wins:
    print(f'{k}: kernel µs per request by thread:', {a: round(v * us[k], 2) for a, v in thread[k].most_common(3)})
labels = list(wins)
print('\n' + ' '.join(f'{k:>8s}' for k in labels) + '  kernel symbol (µs per request)')
def d(s):
    return sym['round 2'][s] * us['round 2'] - sym['round 1'][s] * us['round 1']
for s in sorted(set().union(*sym.values()), key=lambda s: -d(s))[:12]:
    print(' '.join(f'{sym[k][s] * us[k]:8.2f}' for k in labels) + f'  {s}')
