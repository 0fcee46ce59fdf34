#!/usr/bin/env python3
"""pagecache.py DIR: what appending to a file costs per 4 KB page on this machine, by where the
page-cache pages come from. Writes 64 KB chunks (the audit writer's CHUNK) and reports µs per
4 KB page and per 600-byte line (an audit line's size), for:
  fresh     a new file of SIZE, after the machine has been idle (free memory reported to the host)
  rewrite   the same file again from offset 0: its pages are in the page cache already
  reuse     the file deleted, a new one written at once: pages freed a moment ago
  rested    the file deleted, REST seconds of sleep, then a new one written
Each case is CPU time of this process (user + system), so waiting is not counted."""
import os, sys, time
d = sys.argv[1]
SIZE = 256 << 20
CHUNK = 64 << 10
REST = int(os.environ.get('REST', '20'))
buf = (b'x' * 599 + b'\n') * (CHUNK // 600) + b'y' * (CHUNK % 600)
assert len(buf) == CHUNK

def write(path, mode):
    fd = os.open(path, mode, 0o644)
    t0 = time.process_time()
    for _ in range(SIZE // CHUNK):
        os.write(fd, buf)
    t = time.process_time() - t0
    os.close(fd)
    return t

def report(name, t):
    pages = SIZE // 4096
    print(f'{name:8} {t:6.3f} s CPU for {SIZE >> 20} MB: {t / pages * 1e6:6.2f} µs per 4 KB page, '
          f'{t / (SIZE / 600) * 1e6:5.3f} µs per 600-byte line', flush=True)

a, b = os.path.join(d, 'a.bin'), os.path.join(d, 'b.bin')
for p in (a, b):
    if os.path.exists(p):
        os.remove(p)
time.sleep(REST)
report('fresh', write(a, os.O_WRONLY | os.O_CREAT | os.O_APPEND))
report('rewrite', write(a, os.O_WRONLY))
os.remove(a)
report('reuse', write(b, os.O_WRONLY | os.O_CREAT | os.O_APPEND))
os.remove(b)
time.sleep(REST)
report('rested', write(a, os.O_WRONLY | os.O_CREAT | os.O_APPEND))
os.remove(a)
