#!/usr/bin/env python3
"""kernel-vs-nginx.py OUTDIR: CPU-0 user and kernel time per small-batch request of Tollgate's pass
against nginx's pass in the same run (perfdiff.sh's OUTDIR with pass.txt resolved as diff.py says),
and the kernel symbols by their difference."""
import collections, datetime, re, sys
out = sys.argv[1]
wall, mono = map(float, open(f'{out}/clocks').read().split())
day = datetime.datetime.utcfromtimestamp(wall).date()
def to_mono(hms):
    h, m, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp() - wall + mono
wins = {}
for l in open(f'{out}/run.log'):
    m = re.match(r'(\d\d:\d\d:\d\d)\s+small: (\d+) requests, ([\d.]+) req/s', l)
    if m:
        e = to_mono(m.group(1))
        wins['tollgate' if 'tollgate' not in wins else 'nginx'] = (e - 5.5, e - 0.5, float(m.group(3)) * 5)
line = re.compile(r'^\s*(.*?)\s+(\d+)\s+([\d.]+):\s+[0-9a-f]+\s+(.*?) \((.*)\)$')
pid = open(f'{out}/pid').read().split()[0]
ksym = {k: collections.Counter() for k in wins}
kind = {k: collections.Counter() for k in wins}
for l in open(f'{out}/pass.txt'):
    m = line.match(l)
    if not m:
        continue
    t = float(m.group(3))
    for k, (a, b, req) in wins.items():
        if a <= t < b and ((k == 'tollgate' and m.group(2) == pid) or (k == 'nginx' and m.group(1) == 'nginx')):
            kernel = 'kernel' in m.group(5)
            kind[k]['kernel' if kernel else 'user'] += 1
            if kernel:
                ksym[k][m.group(4)] += 1
us = {k: 1e6 / 999 / wins[k][2] for k in wins}
for k in wins:
    print(f'{k}: {wins[k][2] / 5:.0f} req/s, user {kind[k]["user"] * us[k]:.2f} µs, kernel {kind[k]["kernel"] * us[k]:.2f} µs per request')
def d(s):
    return ksym['tollgate'][s] * us['tollgate'] - ksym['nginx'][s] * us['nginx']
ranked = sorted(set(ksym['tollgate']) | set(ksym['nginx']), key=lambda s: -d(s))
print('\n delta tollgate  nginx  kernel symbol (µs per request)')
for s in ranked[:20] + ranked[-10:]:
    print(f'{d(s):6.2f} {ksym["tollgate"][s] * us["tollgate"]:8.2f} {ksym["nginx"][s] * us["nginx"]:6.2f}  {s}')
