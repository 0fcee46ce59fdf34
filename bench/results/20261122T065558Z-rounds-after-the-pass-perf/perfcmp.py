"""usage: perfcmp.py DIR_A DIR_B: perf samples per 10k of Tollgate's round requests, by thread name.

Each DIR holds perf.data (perf record -F 999 -C 0 over the interleaved rounds; not committed) and
the run's runs.jsonl.
"""
import json
import re
import subprocess
import sys


def requests(d):
    n = 0
    for line in open(d + '/runs.jsonl'):
        r = json.loads(line)
        if r.get('round') and r.get('peer') == 'tollgate':
            n += r['requests']
    return n


def samples(d):
    out = subprocess.run(['perf', 'report', '-i', d + '/perf.data', '--stdio', '-n', '--sort', 'comm',
                          '--no-children'], capture_output=True, text=True).stdout
    res = {}
    for line in out.splitlines():
        m = re.match(r'\s+([\d.]+)%\s+(\d+)\s+(.*)', line)
        if m:
            res[m.group(3).strip()] = int(m.group(2))
    return res


a, b = sys.argv[1], sys.argv[2]
ra, rb = requests(a), requests(b)
print('requests in rounds', ra, rb)
sa, sb = samples(a), samples(b)
for k in sorted(set(sa) | set(sb), key=lambda k: -(sa.get(k, 0) + sb.get(k, 0)))[:12]:
    print(f'{k:25s} {sa.get(k, 0) / ra * 1e4:8.1f} {sb.get(k, 0) / rb * 1e4:8.1f}  samples per 10k req')
