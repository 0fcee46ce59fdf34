#!/usr/bin/env python3
"""own-code.py OUTDIR: Tollgate's own compiled methods (dev.tollgate.*, self time, inlined callees
included) per small-batch request in its pass, on every thread of its process, and the total of
Vert.x's (io.vertx.*) for comparison; reads what diff.py reads."""
import re, sys
sys.argv = [sys.argv[0], sys.argv[1]]
src = open(__file__.replace('own-code.py', 'diff.py')).read()
exec(src.split('labels = list(tables)')[0])
t = tables['pass'][0]
def owner(symbol):
    return symbol.split('(')[0].split()[-1]  # the method's qualified name, not its return type
own = {s: v for s, v in t.items() if owner(s).startswith('dev.tollgate.')}
for s, v in sorted(own.items(), key=lambda kv: -kv[1]):
    if v >= 0.04:
        print(f'{v:5.2f}  {s[:150]}')
print(f'\nall of Tollgate\'s own methods: {sum(own.values()):.2f} µs per request, of {sum(t.values()):.2f}')
vertx = sum(v for s, v in t.items() if owner(s).startswith('io.vertx.'))
print(f'all of Vert.x\'s methods (io.vertx.*): {vertx:.2f} µs per request')
