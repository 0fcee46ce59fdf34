#!/usr/bin/env python3
"""diff.py OUTDIR: Tollgate's CPU-0 time per small-batch request in its pass and in each interleaved
round, by kind of code, by thread and by symbol, from perfdiff.sh's OUTDIR. First resolve the
samples twice, each time with the perf map of its phase in place:
  cp map-pass /tmp/perf-$(cat pid).map; perf script -i perf.data -F comm,pid,time,ip,sym,dso > pass.txt
  cp map-exit /tmp/perf-$(cat pid).map; perf script -i perf.data -F comm,pid,time,ip,sym,dso > exit.txt
A window is a measured run's last 5.5 s to 0.5 s before its result line in run.log; requests are
its req/s x 5."""
import collections, datetime, re, sys
out = sys.argv[1]
hz = 999
pid = open(f'{out}/pid').read().split()[0]
wall, mono = map(float, open(f'{out}/clocks').read().split())
day = datetime.datetime.utcfromtimestamp(wall).date()
def to_mono(hms):
    h, m, s = map(int, hms.split(':'))
    t = datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp()
    return t - wall + mono
windows = []  # (label, start, end, requests)
for l in open(f'{out}/run.log'):
    m = re.match(r'(\d\d:\d\d:\d\d)\s+(round \d+, tollgate, )?small: (\d+) requests, ([\d.]+) req/s', l)
    if not m:
        continue
    if not m.group(2) and windows:
        continue  # nginx's pass
    end = to_mono(m.group(1))
    start, stop = end - 5.5, end - 0.5
    windows.append(('pass' if not m.group(2) else m.group(2).split(',')[0], start, stop, float(m.group(4)) * 5.0))
def load(path):
    rows = []
    line = re.compile(r'^\s*(.*?)\s+(\d+)\s+([\d.]+):\s+[0-9a-f]+\s+(.*?) \((.*)\)$')
    for l in open(path):
        m = line.match(l)
        if not m or m.group(2) != pid:
            continue
        rows.append((float(m.group(3)), m.group(4).strip() or '?', m.group(5), m.group(1)))
    return rows
tables = {}
for label, start, stop, req in windows:
    rows = load(f'{out}/{"pass" if label == "pass" else "exit"}.txt')
    c = collections.Counter()
    kinds = collections.Counter()
    threads = collections.Counter()
    for t, sym, dso, comm in rows:
        if start <= t < stop:
            c[sym] += 1
            threads[comm] += 1
            kind = 'kernel' if 'kernel' in dso else ('jit' if 'perf-' in dso else ('libjvm' if 'libjvm' in dso else 'other'))
            kinds[kind] += 1
    us = 1e6 / hz / req
    tables[label] = ({k: v * us for k, v in c.items()}, {k: v * us for k, v in kinds.items()}, req / 5.0,
                     {k: v * us for k, v in threads.items()})
labels = list(tables)
print('µs of CPU 0 per request, Tollgate\'s process, by kind')
print(f'{"":10s}' + ''.join(f'{l:>12s}' for l in labels))
for k in ('jit', 'libjvm', 'kernel', 'other'):
    print(f'{k:10s}' + ''.join(f'{tables[l][1].get(k, 0):12.2f}' for l in labels))
for k in sorted(set().union(*(tables[l][3] for l in labels)), key=lambda k: -tables['pass'][3].get(k, 0))[:6]:
    print(f'{k[:10]:10s}' + ''.join(f'{tables[l][3].get(k, 0):12.2f}' for l in labels))
print(f'{"req/s":10s}' + ''.join(f'{tables[l][2]:12.0f}' for l in labels))
rounds = [l for l in labels if l != 'pass']
allsyms = set().union(*(tables[l][0] for l in labels))
def rmean(s):
    return sum(tables[l][0].get(s, 0) for l in rounds) / len(rounds)
ranked = sorted(allsyms, key=lambda s: -(rmean(s) - tables['pass'][0].get(s, 0)))
print('\nsymbols by (mean of rounds - pass), µs per request')
print(f'{"delta":>7s} {"pass":>7s} {"rounds":>7s}  symbol')
for s in ranked[:45]:
    print(f'{rmean(s) - tables["pass"][0].get(s, 0):7.2f} {tables["pass"][0].get(s, 0):7.2f} {rmean(s):7.2f}  {s[:150]}')
print('...')
for s in ranked[-15:]:
    print(f'{rmean(s) - tables["pass"][0].get(s, 0):7.2f} {tables["pass"][0].get(s, 0):7.2f} {rmean(s):7.2f}  {s[:150]}')
