#!/usr/bin/env python3
"""rounds.py [RESULTS_DIR]: every interleaved round of the small batch in this session's runs
(22 November, 10:10-12:44 UTC), Tollgate against nginx, sorted by nginx's rate: where 0.8x was met.
Reads each run's runs.jsonl; the run folders are named below."""
import json, os, sys
root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
runs = {
    '20261122T101047Z-leak-detector-off-probe/run': 'probe, jar before 2fb7620, inlining printed',
    '20261122T101813Z-perf-pass-vs-rounds/run': 'perf run, jar before 2fb7620, perf map',
    '20261122T103555Z-floor-split/run': 'floor run, 2fb7620, with the bare proxy',
    '20261122T104149Z': 'full run, 2fb7620',
    '20261122T105245Z': 'full run, 2fb7620',
    '20261122T114457Z': 'full run, 40aaa7a',
    '20261122T120016Z': 'full run, 40aaa7a',
    '20261122T123411Z': 'full run, 71e328f',
}
rows = []
for run, what in runs.items():
    by = {}
    for l in open(os.path.join(root, run, 'runs.jsonl')):
        x = json.loads(l)
        if x.get('scenario') == 'small' and 'round' in x and x.get('peer') in ('tollgate', 'nginx'):
            by.setdefault(x['round'], {})[x['peer']] = x['rps']
    for r, p in sorted(by.items()):
        if 'tollgate' in p and 'nginx' in p:
            rows.append((p['nginx'], p['tollgate'], run.split('/')[0], r, what))
print(f'{"nginx req/s":>11s} {"Tollgate req/s":>14s} {"ratio":>6s}  run, round')
for n, t, run, r, what in sorted(rows):
    print(f'{n:11,.0f} {t:14,.0f} {t / n:5.2f}{"*" if t / n >= 0.8 else " "}  {run}, round {r} ({what})')
met = [n for n, t, *_ in rows if t / n >= 0.8]
print(f'\n{len(rows)} rounds; 0.8x met in {len(met)} (*), with nginx at {min(met):,.0f}-{max(met):,.0f} req/s')
