#!/usr/bin/env python3
"""Tollgate's and nginx's CPU per 10k small-batch requests in the interleaved rounds over their own
pass, for every run under bench/results that has both (quick runs left out): full runs (the rounds
come after Tollgate's pass over every scenario) against small-batch-only runs."""
import glob, json, os, statistics, sys

root = sys.argv[1] if len(sys.argv) > 1 else 'bench/results'
groups = {'full': [], 'small only': []}
for f in sorted(glob.glob(os.path.join(root, '**', 'runs.jsonl'), recursive=True)):
    if 'quick' in f:
        continue
    rows = [json.loads(l) for l in open(f) if l.strip()]
    def small(peer, rounds):
        return [x['cpu_s_per_10k'] for x in rows if x.get('peer') == peer and x.get('scenario') == 'small'
                and ('round' in x) == rounds and 'cpu_s_per_10k' in x]
    tp, tr, np_, nr = small('tollgate', False), small('tollgate', True), small('nginx', False), small('nginx', True)
    if not (tp and tr and np_ and nr):
        continue
    kinds = {x.get('scenario') for x in rows}
    kind = 'full' if {'large', 'query'} <= kinds else 'small only'
    t, n = statistics.median(tr) / tp[0], statistics.median(nr) / np_[0]
    groups[kind].append((os.path.relpath(os.path.dirname(f), root), t, n))
for kind, runs in groups.items():
    print(f'## {kind}: {len(runs)} runs')
    for name, t, n in runs:
        print(f'{name:70s} tollgate {t:.2f}  nginx {n:.2f}')
    ts, ns = [t for _, t, _ in runs], [n for _, _, n in runs]
    print(f'median rounds/pass: tollgate {statistics.median(ts):.2f} (above 1.05 in {sum(t > 1.05 for t in ts)}), '
          f'nginx {statistics.median(ns):.2f} (above 1.05 in {sum(n > 1.05 for n in ns)})\n')
