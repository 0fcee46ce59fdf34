#!/bin/bash
# one line per run: variant, rounds (tollgate/nginx ratio), pass cpu/10k, latency p99
for d in "$@"; do
python3 - "$d" <<'PY'
import json,sys
d=sys.argv[1]
rows=[json.loads(l) for l in open(d+'/runs.jsonl')]
opts=[l for l in open(d+'/machine.properties') if l.startswith('tollgate_java_opts')][0]
v='THP' if 'Transparent' in opts else 'img'
r={}
for x in rows:
    if 'round' in x: r.setdefault(x['round'],{})[x['peer']]=x
ratios=[r[k]['tollgate']['rps']/r[k]['nginx']['rps'] for k in sorted(r)]
tcpu=[r[k]['tollgate']['cpu_s_per_10k'] for k in sorted(r)]
ncpu=[r[k]['nginx']['cpu_s_per_10k'] for k in sorted(r)]
p=[x for x in rows if 'round' not in x and x['scenario']=='small']
lat=[x for x in rows if x['scenario']=='latency' and x['peer']=='tollgate']
print(d.split('/')[-1], v, 'rounds', ' '.join('%.2f'%x for x in ratios), 'median %.2f'%sorted(ratios)[1],
 '| tg cpu/10k', ' '.join('%.3f'%x for x in tcpu), '| ng', ' '.join('%.3f'%x for x in ncpu),
 '| tg rps', ' '.join('%d'%r[k]['tollgate']['rps'] for k in sorted(r)), '| lat p99 %.2f ms'%(lat[0]['p99_us']/1000) if lat else '')
PY
done
