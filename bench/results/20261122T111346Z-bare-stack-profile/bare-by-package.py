#!/usr/bin/env python3
"""bare-by-package.py OUTDIR: the bare proxy's CPU-0 time per small-batch request in its measured
pass (the run's first result line; window 5.5 s to 0.5 s before it), by package and by symbol, and
nginx's pass (the second result line) by user and kernel. Needs OUTDIR/samples.txt, resolved with
the bare proxy's perf map at exit:
  cp map-exit /tmp/perf-$(cat pid).map; perf script -i perf.data -F comm,pid,tid,time,ip,sym,dso > samples.txt"""
import collections, datetime, re, sys
out = sys.argv[1]
hz = 999
wall, mono = map(float, open(f'{out}/clocks').read().split())
day = datetime.datetime.utcfromtimestamp(wall).date()
def to_mono(hms):
    h, m, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp() - wall + mono
pid = open(f'{out}/pid').read().split()[0]
wins = [(to_mono(m.group(1)), float(m.group(2))) for m in
        (re.match(r'(\d\d:\d\d:\d\d)\s+small: \d+ requests, ([\d.]+) req/s', l) for l in open(f'{out}/run.log')) if m]
line = re.compile(r'^\s*(.*?)\s+(\d+)/(\d+)\s+([\d.]+):\s+[0-9a-f]+\s+(.*?) \((.*)\)$')
pkg = collections.Counter()
sym = collections.Counter()
kind = {0: collections.Counter(), 1: collections.Counter()}
for l in open(f'{out}/samples.txt'):
    m = line.match(l)
    if not m:
        continue
    t = float(m.group(4))
    for i, (end, rps) in enumerate(wins[:2]):
        if end - 5.5 <= t < end - 0.5 and ((i == 0 and m.group(2) == pid) or (i == 1 and m.group(1) == 'nginx')):
            kernel = 'kernel' in m.group(6)
            kind[i]['kernel' if kernel else 'user'] += 1
            if i == 0 and not kernel:
                s = m.group(5)
                owner = s.split('(')[0].split()[-1]  # the method's qualified name, not its return type
                p = re.match(r'(dev\.tollgate\.[a-z]+|io\.vertx\.[a-z]+\.[a-z]+|io\.netty\.[a-z]+|java\.[a-z]+|jdk\.[a-z]+|sun\.[a-z]+)', owner)
                pkg[p.group(1) if p else ('jvm/stubs/other: ' + m.group(6).split('/')[-1])] += 1
                sym[s] += 1
us = [1e6 / hz / (rps * 5) for _, rps in wins[:2]]
for i, name in enumerate(('bare proxy', 'nginx')):
    print(f'{name}: {wins[i][1]:.0f} req/s, user {kind[i]["user"] * us[i]:.2f} µs, kernel {kind[i]["kernel"] * us[i]:.2f} µs per request')
print('\nbare proxy, user time by package (µs per request)')
for p, n in pkg.most_common(14):
    print(f'{n * us[0]:6.2f}  {p}')
print('\nbare proxy, top user symbols (µs per request)')
for s, n in sym.most_common(25):
    print(f'{n * us[0]:6.2f}  {s[:140]}')
