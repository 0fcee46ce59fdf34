#!/usr/bin/env python3
"""stalls.py RUN...: for each run of ab.sh, the latency run's p99 and its stalls (10 ms bins whose
slowest answer took over 5 ms, grouped into episodes), and what ran on each CPU in the measured 6 s
and in the 60 ms before each episode's peak: samples per command, in ms of CPU. Needs RUN/samples.txt:
  cp RUN/map-exit /tmp/perf-$(cat RUN/pid).map
  perf script -i RUN/perf.data -F comm,pid,tid,cpu,time,sym > RUN/samples.txt"""
import collections, gzip, os, re, sys
HZ = 999
line = re.compile(r'^\s*(.*?)\s+(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):')
for run in sys.argv[1:]:
    tsv = f'{run}/latency-tollgate.tsv'
    lat = (open(tsv).read() if os.path.exists(tsv) else gzip.open(tsv + '.gz', 'rt').read()).split('\n')
    t0 = float(lat[0].split()[-1])
    pts = [tuple(map(float, l.split()[:2])) for l in lat[1:] if l and not l.startswith('#')]
    us = sorted(v for _, v in pts)
    p99 = us[int(len(us) * 0.99)] / 1000
    bins = collections.defaultdict(float)
    for t, v in pts:
        b = int(t * 100)
        bins[b] = max(bins[b], v)
    slow = sorted(b for b, v in bins.items() if v > 5000)
    episodes = []
    for b in slow:
        if episodes and b - episodes[-1][1] <= 3:
            episodes[-1][1] = b
        else:
            episodes.append([b, b])
    peaks = []
    for a, z in episodes:
        pb = max(range(a, z + 1), key=lambda b: bins.get(b, 0))
        peaks.append((pb / 100, bins[pb] / 1000))
    whole = collections.Counter()
    near = [collections.Counter() for _ in peaks]
    for l in open(f'{run}/samples.txt'):
        m = line.match(l)
        if not m:
            continue
        t = float(m.group(5)) - t0
        comm, cpu = m.group(1).strip(), int(m.group(4))
        if 0 <= t < 6:
            whole[(cpu, comm)] += 1
        for i, (pt, pl) in enumerate(peaks):
            # answers sent at pt waited pl ms: the core was lost between pt - 0.06 and pt + pl
            if pt - 0.06 <= t < pt + pl / 1000:
                near[i][(cpu, comm)] += 1
    kind = open(f'{run}/run-folder').read().split()[0]
    print(f'{run.split("/")[-1]} ({"audit file" if kind == "F" else "audit to /dev/null"}): p99 {p99:.2f} ms, '
          f'{len(episodes)} stall episodes')
    ms = 1000 / HZ
    for cpu in (0, 1):
        top = [(c, n) for (k, c), n in whole.most_common() if k == cpu][:6]
        print(f'  measured 6 s, CPU {cpu}: ' + ', '.join(f'{c} {n * ms:.0f} ms' for c, n in top))
    for (pt, pl), c in zip(peaks, near):
        top0 = [(k, n) for (cpu, k), n in c.most_common() if cpu == 0][:4]
        top1 = [(k, n) for (cpu, k), n in c.most_common() if cpu == 1][:3]
        print(f'  episode at {pt:.2f} s, slowest {pl:.1f} ms; CPU 0: ' + ', '.join(f'{k} {n * ms:.0f}' for k, n in top0)
              + '; CPU 1: ' + ', '.join(f'{k} {n * ms:.0f}' for k, n in top1))
