#!/usr/bin/env python3
"""pct.py OUTDIR: each lat.sh run's latency percentiles (ms) at 12,000 req/s, from its series
(work/latency-tollgate.tsv: send time, latency in µs; '#' lines are host steal and comments),
and the host steal ticks the series recorded."""
import glob, gzip, os, sys
out = sys.argv[1]
print(f'{"run":18s} {"answers":>8s} {"p50":>6s} {"p90":>6s} {"p95":>6s} {"p99":>6s} {"p99.9":>7s} {"steal lines":>11s}')
for f in sorted(glob.glob(os.path.join(out, '*.tsv')) + glob.glob(os.path.join(out, '*.tsv.gz'))):
    lat, steal = [], 0
    for l in (gzip.open(f, 'rt') if f.endswith('.gz') else open(f)):
        if l.startswith('#'):
            steal += 'steal' in l
            continue
        p = l.split()
        if len(p) >= 2:
            lat.append(float(p[1]))
    lat.sort()
    q = lambda x: lat[min(len(lat) - 1, int(x * len(lat)))] / 1000
    print(f'{os.path.basename(f).split(".tsv")[0]:18s} {len(lat):8d} {q(.5):6.2f} {q(.9):6.2f} {q(.95):6.2f} {q(.99):6.2f} {q(.999):7.2f} {steal:11d}')
