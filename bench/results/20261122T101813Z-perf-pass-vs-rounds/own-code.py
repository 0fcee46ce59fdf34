#!/usr/bin/env python3
"""own-code.py OUTDIR: Tollgate's own compiled methods (dev.tollgate.*, self time, inlined callees
included) per small-batch request in its pass, on every thread of its process; reads what diff.py
reads."""
import re, sys
sys.argv = [sys.argv[0], sys.argv[1]]
src = open(__file__.replace('own-code.py', 'diff.py')).read()
exec(src.split('labels = list(tables)')[0])
t = tables['pass'][0]
own = {s: v for s, v in t.items() if re.search(r'\bdev\.tollgate\.', s.split('(')[0])}
for s, v in sorted(own.items(), key=lambda kv: -kv[1]):
    if v >= 0.04:
        print(f'{v:5.2f}  {s[:150]}')
print(f'\nall of Tollgate\'s own methods: {sum(own.values()):.2f} µs per request, of {sum(t.values()):.2f}')
