#!/usr/bin/env python3
"""virt.py TOLLGATE_LOG JIT_LOG RUN_LOG: C2's "virtual call" sites (a call it could not bind to one
or two receiver classes, so did not inline), by phase of a bench run. The inlining trees come from
-XX:+PrintInlining on Tollgate's stdout; a tree line is placed in time by the PrintCompilation line
above it (milliseconds since the JVM started), and the phases by the run log, through the compile
ids that -Xlog:jit+compilation also stamps with wall-clock time. Prints the call sites (caller ->
callee) that first appear after the small batch's pass, in Tollgate's, Vert.x's and Netty's code."""
import re, sys, datetime, collections

tty, jit_log, run_log = sys.argv[1:4]
stamp = re.compile(r'^\[(\S+)\]\s+(\d+)\s')
wall = {}
for l in open(jit_log):
    m = stamp.match(l)
    if m:
        wall.setdefault(int(m.group(2)), datetime.datetime.strptime(m.group(1)[:23], '%Y-%m-%dT%H:%M:%S.%f'))
header = re.compile(r'^\s+(\d+)\s+(\d+)\s+[%sbn! ]*\s(\d)\s+(\S+) \(')
offsets = []
for l in open(tty):
    m = header.match(l)
    if m and int(m.group(2)) in wall:
        offsets.append((wall[int(m.group(2))] - datetime.timedelta(milliseconds=int(m.group(1)))))
offsets.sort()
start = offsets[len(offsets) // 2]  # the JVM's start in wall-clock time, as most headers put it
day = start.date()
def at(hms):
    h, mi, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, mi, s)
small_end = rounds = None
for l in open(run_log):
    if small_end is None and re.match(r'\d\d:\d\d:\d\d\s+small:', l):
        small_end = at(l.split()[0])
    if rounds is None and 'interleaved rounds' in l:
        rounds = at(l.split()[0])
site = re.compile(r'^(\s*[!]?\s*)@ (\d+)\s+(\S+) \(.*?\)\s+(.*)$')
hot = ('dev.tollgate', 'io.vertx', 'io.netty')
now = start
stack = []
seen = collections.defaultdict(set)
for l in open(tty):
    m = header.match(l)
    if m:
        now = start + datetime.timedelta(milliseconds=int(m.group(1)))
        stack = []
        continue
    m = site.match(l)
    if not m:
        continue
    depth = len(m.group(1).replace('!', ' '))
    while stack and stack[-1][0] >= depth:
        stack.pop()
    caller = stack[-1][1] if stack else '(root)'
    callee, why = m.group(3), m.group(4).strip()
    stack.append((depth, callee))
    if why == 'virtual call' and callee.startswith(hot + ('java.',)) :
        ph = 'pass' if now < small_end else ('others' if now < rounds else 'rounds')
        seen[(caller, callee)].add(ph)
first = {k: min(v, key=['pass', 'others', 'rounds'].index) for k, v in seen.items()}
count = collections.Counter(first.values())
print(f'JVM start {start:%H:%M:%S}, small pass until {small_end:%H:%M:%S}, rounds from {rounds:%H:%M:%S}')
print('virtual-call sites by the phase they first appear in:', dict(count))
print('\nfirst seen after the small batch\'s pass, caller -> callee:')
for (caller, callee), ph in sorted(first.items(), key=lambda kv: (kv[1], kv[0])):
    if ph != 'pass' and (caller.startswith(hot) or callee.startswith(hot)):
        print(f'  [{ph}] {caller} -> {callee}')
