"""win.py RUN_LOG THREADS: for each measured 6 s window of the small batch (the line bench/run.sh logs
at its end), Tollgate's CPU by thread group and, where threads.sh recorded /proc/stat, the shares of
cpu0 and cpu1. A pass is labelled with the peer whose section of the run log it is in."""
import bisect, collections, datetime, re, sys

log, thr = sys.argv[1], sys.argv[2]
threads = collections.defaultdict(dict)  # time -> {(tid, comm): ticks}
stat = collections.defaultdict(dict)  # time -> {cpu: [user nice system idle iowait irq softirq steal]}
for l in open(thr):
    f = l.split()
    if f[1] == 'stat':
        stat[float(f[0])][f[2]] = list(map(int, f[3:11]))
    else:
        threads[float(f[0])][(f[2], f[3])] = int(f[4])


def bounds(samples, end):
    """The samples nearest at or before the window's start and its end, or None."""
    times = sorted(samples)
    a, b = bisect.bisect_right(times, end - 6) - 1, bisect.bisect_right(times, end) - 1
    return None if a < 0 or b <= a else (times[a], times[b])


def windows():
    """(round or 'pass', peer, req/s, end of the window in epoch seconds) for each small-batch run."""
    first = min(list(threads) + list(stat))
    d0 = datetime.datetime.fromtimestamp(first, datetime.timezone.utc)
    day = datetime.datetime(d0.year, d0.month, d0.day, tzinfo=datetime.timezone.utc)
    section = None
    for l in open(log):
        m = re.match(r'\d\d:\d\d:\d\d (\w+)$', l)
        if m:
            section = m.group(1)
            continue
        m = re.match(r'(\d\d):(\d\d):(\d\d)\s+(?:round (\d), (\w+), )?small: \d+ requests, (\d+) req/s', l)
        if m:
            h, mi, s = map(int, m.group(1, 2, 3))
            end = (day + datetime.timedelta(hours=h, minutes=mi, seconds=s)).timestamp() - 0.5
            yield m.group(4) or 'pass', m.group(5) or section, int(m.group(6)), end


def group(comm):
    if comm.startswith('vert.x-eventloo'):
        return 'loop'
    if comm.startswith('tollgate-audit'):
        return 'audit'
    if comm.startswith('VM_Thread'):
        return 'vm'
    return 'jit' if 'Compiler' in comm else 'other'


for label, peer, rps, end in windows():
    w = peer == 'tollgate' and bounds(threads, end)
    if not w:
        continue
    a, b = w
    g = collections.Counter()
    for k, v in threads[b].items():
        if k in threads[a]:
            g[group(k[1])] += v - threads[a][k]
    secs = b - a
    print('%-8s %6s req/s  ' % (label, rps) + '  '.join('%s %.1f%%' % (k, g[k] / secs) for k in
          ['loop', 'audit', 'vm', 'jit', 'other']) + '  audit µs/req %.2f' % (g['audit'] * 10000 / (rps * secs)))

if stat:
    print('cpu0 / cpu1 shares in the windows: user sys irq softirq steal idle')
    for label, peer, rps, end in windows():
        w = bounds(stat, end)
        if not w:
            continue
        a, b = w
        out = []
        for c in ('cpu0', 'cpu1'):
            d = [y - x for x, y in zip(stat[a][c], stat[b][c])]
            tot = sum(d) or 1
            user, nice, system, idle, iowait, irq, softirq, steal = d
            out.append('%s u%2d s%2d i%d si%2d st%2d id%2d' % (c, 100 * user / tot, 100 * system / tot, 100 * irq / tot,
                                                              100 * softirq / tot, 100 * steal / tot, 100 * (idle + iowait) / tot))
        print('%-6s %-9s %6s  %s' % (label, peer, rps, '  '.join(out)))
