#!/usr/bin/env python3
"""bursts.py RUN...: kdamond.0's CPU per CPU in 100 ms bins over each whole ab.sh run, bins with at
least 10 ms of it, and the gaps between its bursts (reads RUN/samples.txt, as stalls.py)."""
import collections, re, sys
line = re.compile(r'^\s*(.*?)\s+(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):')
ms = 1000 / 999
for run in sys.argv[1:]:
    bins = collections.Counter()
    t_first = None
    for l in open(f'{run}/samples.txt'):
        m = line.match(l)
        if not m:
            continue
        t = float(m.group(5))
        t_first = t if t_first is None else t_first
        if m.group(1).strip() == 'kdamond.0':
            bins[(int(t * 10), int(m.group(4)))] += 1
    big = sorted((b, cpu, n) for (b, cpu), n in bins.items() if n * ms >= 10)
    starts = []
    for b, cpu, n in big:
        if not starts or b - starts[-1] > 5:
            starts.append(b)
    gaps = [round((b - a) / 10, 1) for a, b in zip(starts, starts[1:])]
    total = sum(bins.values()) * ms
    on0 = sum(n for (b, cpu), n in bins.items() if cpu == 0) * ms
    print(f'{run.split("/")[-1]}: kdamond {total:.0f} ms in all, {on0:.0f} ms of it on CPU 0; '
          f'{len(big)} bins of 100 ms with >= 10 ms of it (largest {max((n for _, _, n in big), default=0) * ms:.0f} ms, '
          f'on CPU 0 in {sum(1 for _, c, _ in big if c == 0)}); bursts start every {gaps} s')
