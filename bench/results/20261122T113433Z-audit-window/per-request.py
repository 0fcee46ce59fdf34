#!/usr/bin/env python3
"""per-request.py OUTDIR: for each run of ab.sh, requests counted by Tollgate's sendto calls (two
per request), then futex calls, context switches and each thread's CPU (µs) per request."""
import glob, os, re, sys
out = sys.argv[1]
for stat in sorted(glob.glob(os.path.join(out, '*.stat'))):
    tag = os.path.basename(stat)[:-5]
    text = open(stat).read()
    c = {m.group(2).split(':')[1]: int(m.group(1).replace(',', '')) for m in re.finditer(r'^\s*([\d,]+)\s+(\S+)', text, re.M)}
    req = c['sys_enter_sendto'] / 2
    def ticks(f):
        d = {}
        for l in open(f):
            name, t = l.rstrip('\n').split('\t')
            d[name] = d.get(name, 0) + int(t)
        return d
    b, a = ticks(os.path.join(out, tag + '.before')), ticks(os.path.join(out, tag + '.after'))
    cpu = {k: (a[k] - b.get(k, 0)) * 10000 / req for k in a}  # ticks of 10 ms -> µs per request
    rate = re.findall(r'small: \d+ requests, ([\d.]+) req/s', open(os.path.join(out, tag + '.log')).read())
    top = sorted(cpu.items(), key=lambda kv: -kv[1])[:3]
    print(f'{tag:18s} {rate[0] if rate else "?":>8s} req/s  futex {c["sys_enter_futex"] / req:.3f}  switches {c["sched_switch"] / req:.3f}  '
          + '  '.join(f'{k} {v:.1f} µs' for k, v in top) + f'  all {sum(cpu.values()):.1f} µs')
