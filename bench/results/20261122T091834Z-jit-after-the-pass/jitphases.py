#!/usr/bin/env python3
"""jitphases.py JIT_LOG RUN_LOG: Tollgate's C2 (tier 4) compilations and deoptimisations ("made not
entrant") per phase of a bench run: up to the end of the small batch's pass, during the other
scenarios, and in the interleaved rounds. Lists the methods C2 had compiled in the first phase
and compiled again later, with what was made not entrant in between."""
import re, sys, datetime, collections

jit_log, run_log = sys.argv[1], sys.argv[2]
line_re = re.compile(r'^\[(\S+)\]\s+(\d+)\s+([%sbn!]*)\s*(\d)\s+(\S+)\s+(\(.*?\))?\s*(made not entrant|made zombie)?')
events = []
for l in open(jit_log):
    m = line_re.match(l)
    if not m:
        continue
    t = datetime.datetime.strptime(m.group(1)[:23], '%Y-%m-%dT%H:%M:%S.%f').replace(tzinfo=datetime.timezone.utc)
    events.append((t, int(m.group(2)), m.group(3), int(m.group(4)), m.group(5), m.group(7)))
day = events[0][0].date()
def at(hms):
    h, mi, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, mi, s, tzinfo=datetime.timezone.utc)
small_end = rounds_start = None
for l in open(run_log):
    if small_end is None and re.match(r'\d\d:\d\d:\d\d\s+small:', l):
        small_end = at(l.split()[0])
    if rounds_start is None and 'interleaved rounds' in l:
        rounds_start = at(l.split()[0])
phases = [('small batch warm-up and pass', None, small_end), ('other scenarios', small_end, rounds_start),
          ('rounds and after', rounds_start, None)]
def phase(t):
    for name, a, b in phases:
        if (a is None or t >= a) and (b is None or t < b):
            return name
hot = ('dev.tollgate', 'io.vertx', 'io.netty', 'com.github.benmanes')
count = collections.Counter()
first_c2, later_c2, deopts = set(), collections.defaultdict(list), collections.defaultdict(list)
for t, cid, flags, tier, method, what in events:
    ph = phase(t)
    if what:
        if tier == 4:
            count[(ph, 'C2 made not entrant')] += 1
            if method.startswith(hot):
                deopts[method].append(ph)
        continue
    if tier == 4:
        count[(ph, 'C2 compilations')] += 1
        if ph == phases[0][0]:
            first_c2.add(method)
        elif method in first_c2 and method.startswith(hot):
            later_c2[method].append(ph)
for name, _, _ in phases:
    print(f'{name}: {count[(name, "C2 compilations")]} C2 compilations, {count[(name, "C2 made not entrant")]} C2 methods made not entrant')
print('\nC2-compiled during the small batch and compiled again later (Tollgate, Vert.x, Netty, Caffeine):')
by_phase = collections.Counter()
for m, phs in sorted(later_c2.items()):
    for p in set(phs):
        by_phase[p] += 1
    print(f'  {m}: again in {", ".join(sorted(set(phs)))}')
print({k: v for k, v in by_phase.items()})
