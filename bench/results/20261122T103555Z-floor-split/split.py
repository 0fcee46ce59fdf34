#!/usr/bin/env python3
"""split.py OUTDIR: each peer's CPU-0 time per small-batch request, user and kernel, in every
measured window (passes and rounds) of floor.sh's run. Reads OUTDIR/samples.txt (perf script -F
comm,pid,time,ip,dso), run.log, clocks and java-pids. A window is the measured run's last 5.5 s to
0.5 s before its result line; requests = its req/s x 5."""
import collections, datetime, re, sys
out = sys.argv[1]
hz = 999
wall, mono = map(float, open(f'{out}/clocks').read().split())
day = datetime.datetime.utcfromtimestamp(wall).date()
def to_mono(hms):
    h, m, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp() - wall + mono
pids = {'tollgate': set(), 'vertx': set()}
for l in open(f'{out}/java-pids'):
    pid, cmd = l.split(None, 1)
    if 'tollgate.jar serve' in cmd:
        pids['tollgate'].add(pid)
    elif 'BareProxy' in cmd or 'bare' in cmd.lower():
        pids['vertx'].add(pid)
windows = []
peer = None
for l in open(f'{out}/run.log'):
    m = re.match(r'\d\d:\d\d:\d\d (tollgate|vertx|nginx)$', l.strip())
    if m:
        peer = m.group(1)
        continue
    m = re.match(r'(\d\d:\d\d:\d\d)\s+(?:round (\d+), (\w+), )?small: (\d+) requests, ([\d.]+) req/s', l)
    if m:
        p = m.group(3) or peer
        label = f'round {m.group(2)}' if m.group(2) else 'pass'
        end = to_mono(m.group(1))
        windows.append((p, label, end - 5.5, end - 0.5, float(m.group(5))))
line = re.compile(r'^\s*(.*?)\s+(\d+)\s+([\d.]+):\s+[0-9a-f]+\s+\((.*)\)$')
counts = collections.defaultdict(collections.Counter)
samples = []
for l in open(f'{out}/samples.txt'):
    m = line.match(l)
    if m:
        samples.append((float(m.group(3)), m.group(1), m.group(2), 'kernel' if 'kernel' in m.group(4) else 'user'))
def mine(p, comm, pid):
    return pid in pids[p] if p in pids else comm == 'nginx'
print(f'{"peer":9s} {"window":8s} {"req/s":>7s} {"user µs":>8s} {"kernel µs":>9s} {"total":>6s} {"others on cpu0 µs":>17s}')
for p, label, a, b, rps in windows:
    c = collections.Counter()
    for t, comm, pid, kind in samples:
        if a <= t < b:
            c[kind if mine(p, comm, pid) else 'others'] += 1
    us = 1e6 / hz / (rps * 5)
    print(f'{p:9s} {label:8s} {rps:7.0f} {c["user"]*us:8.2f} {c["kernel"]*us:9.2f} {(c["user"]+c["kernel"])*us:6.2f} {c["others"]*us:17.2f}')
