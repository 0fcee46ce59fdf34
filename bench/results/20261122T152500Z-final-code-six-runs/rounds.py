#!/usr/bin/env python3
"""rounds.py RUN...: for each run's small batch, the pass and every interleaved round of Tollgate,
nginx and the bare proxy (vertx, when the run has it): req/s, CPU µs per request on the peer's core (the run's cpu_s over its requests),
the peer core's and the load core's busy share; then each round's Tollgate/nginx."""
import json, sys
for run in sys.argv[1:]:
    rows = [json.loads(l) for l in open(f'{run}/runs.jsonl')]
    small = [r for r in rows if r.get('scenario') == 'small' and r['peer'] in ('tollgate', 'nginx', 'vertx') and 'cpu_s' in r]
    by = {}
    for r in small:
        key = r.get('round', 'pass')
        print(f"{run.rstrip('/').split('/')[-1]} {r['peer']:8} {str(key):4} {int(r['rps']):>6} req/s "
              f"{r['cpu_s'] / r['requests'] * 1e6:5.1f} µs/req  peer {r['peer_core_busy_pct']:>3}%  load {r['load_core_busy_pct']:>3}%")
        by.setdefault(key, {})[r['peer']] = r['rps']
    ratios = [f"{k}: {v['tollgate'] / v['nginx']:.2f}x" for k, v in by.items() if k != 'pass' and 'tollgate' in v and 'nginx' in v]
    print('  Tollgate/nginx by round:', ', '.join(ratios))
