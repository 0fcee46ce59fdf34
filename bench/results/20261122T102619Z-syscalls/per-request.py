#!/usr/bin/env python3
"""per-request.py: system calls and context switches per request from tollgate.stat and
nginx.stat. Requests are counted by the peer's own writes, two per proxied request (one to the
upstream, one back to the client): sendto for Tollgate, writev for nginx. Dividing by the run's
average rate instead would assume the counted 5 s ran at that average."""
import os, re
here = os.path.dirname(os.path.abspath(__file__))
for peer, write in (('tollgate', 'sys_enter_sendto'), ('nginx', 'sys_enter_writev')):
    text = open(os.path.join(here, f'{peer}.stat')).read()
    counts = {m.group(2).split(':')[1]: int(m.group(1).replace(',', ''))
              for m in re.finditer(r'^\s*([\d,]+)\s+(\S+)', text, re.M)}
    requests = counts[write] / 2
    calls = sum(v for k, v in counts.items() if k.startswith('sys_enter'))
    print(f'{peer}: {requests:,.0f} requests counted;', ', '.join(
        f'{k.replace("sys_enter_", "")} {v / requests:.2f}' for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
        if v / requests >= 0.005), f'; all system calls {calls / requests:.2f}')
