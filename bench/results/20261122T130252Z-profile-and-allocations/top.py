#!/usr/bin/env python3
"""top.py OUTDIR: Tollgate's CPU-0 time per small request in its measured pass (5.5 s to 0.5 s
before the run's 'small:' line), by thread, package and symbol. Needs OUTDIR/samples.txt:
  perf script -i perf.data -F comm,pid,tid,time,ip,sym,dso > samples.txt   (map at /tmp/perf-PID.map)"""
import collections, datetime, re, sys, time
out = sys.argv[1]
hz = 999
off = time.time() - time.monotonic()
day = datetime.datetime.utcnow().date()
def to_mono(hms):
    h, m, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp() - off
pid = open(f'{out}/pid').read().split()[0]
end, rps = [(to_mono(m.group(1)), float(m.group(2))) for m in
        (re.match(r'(\d\d:\d\d:\d\d)\s+small: \d+ requests, ([\d.]+) req/s', l) for l in open(f'{out}/run.log')) if m][0]
line = re.compile(r'^\s*(.*?)\s+(\d+)/(\d+)\s+([\d.]+):\s+[0-9a-f]+\s+(.*?) \((.*)\)$')
pkg, sym, thr, kind, own = (collections.Counter() for _ in range(5))
other = collections.Counter()
for l in open(f'{out}/samples.txt'):
    m = line.match(l)
    if not m:
        continue
    t = float(m.group(4))
    if not (end - 5.5 <= t < end - 0.5):
        continue
    if m.group(2) != pid:
        other[m.group(1)] += 1
        continue
    kernel = 'kernel' in m.group(6)
    kind['kernel' if kernel else 'user'] += 1
    thr[(m.group(1), 'k' if kernel else 'u')] += 1
    if kernel:
        sym['[k] ' + m.group(5)] += 1
        continue
    s = m.group(5)
    owner = s.split('(')[0].split()[-1]
    p = re.match(r'(dev\.tollgate\.[a-z]+|io\.vertx\.[a-z]+\.[a-z]+|io\.netty\.[a-z]+|java\.[a-z]+|jdk\.[a-z]+|sun\.[a-z]+)', owner)
    pkg[p.group(1) if p else ('jvm/stubs/other: ' + m.group(6).split('/')[-1])] += 1
    sym[s] += 1
us = 1e6 / hz / (rps * 5)
print(f'tollgate {rps:.0f} req/s: user {kind["user"]*us:.2f} µs, kernel {kind["kernel"]*us:.2f} µs per request')
print('others on CPU 0 (µs/req):', ', '.join(f'{c} {n*us:.2f}' for c, n in other.most_common(5)))
print('\nby thread (µs per request)')
for (c, k), n in thr.most_common(12):
    print(f'{n*us:6.2f}  {c} {k}')
print('\nuser by package')
for p, n in pkg.most_common(20):
    print(f'{n*us:6.2f}  {p}')
print('\ntop symbols')
for s, n in sym.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 60):
    print(f'{n*us:6.2f}  {s[:150]}')
