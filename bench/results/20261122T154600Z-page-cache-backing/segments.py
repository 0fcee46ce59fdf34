#!/usr/bin/env python3
"""segments.py DIR [GB] [drop]: appends GB (default 6) to a new file in 64 KB writes, as the audit
writer does, and prints the CPU time (user + system) per 4 KB page for each 256 MB, with the
machine's free memory at its end, so that a change in cost can be tied to where the pages come
from. With "drop", every 64 MB it starts the writeback of what was written since the last time
(sync_file_range) and drops from the page cache what it started the time before (posix_fadvise
DONTNEED), so that written pages are freed while the next ones are allocated. Deletes the file at
the end."""
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
SYNC_FILE_RANGE_WRITE = 2
d = sys.argv[1]
GB = float(sys.argv[2]) if len(sys.argv) > 2 else 6
DROP = len(sys.argv) > 3 and sys.argv[3] == 'drop'
STEP = 64 << 20
CHUNK = 64 << 10
SEG = 256 << 20
buf = (b'x' * 599 + b'\n') * (CHUNK // 600) + b'y' * (CHUNK % 600)

def free_mb():
    for l in open('/proc/meminfo'):
        if l.startswith('MemFree:'):
            return int(l.split()[1]) >> 10

path = os.path.join(d, 'segments.bin')
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o644)
off = started = dropped = 0
try:
    for s in range(int(GB * (1 << 30) // SEG)):
        t0, w0 = time.process_time(), time.perf_counter()
        for _ in range(SEG // CHUNK):
            os.write(fd, buf)
            off += CHUNK
            if DROP and off - started >= STEP:
                os.posix_fadvise(fd, dropped, started - dropped, os.POSIX_FADV_DONTNEED)
                dropped = started
                if libc.sync_file_range(fd, ctypes.c_long(started), ctypes.c_long(off - started), SYNC_FILE_RANGE_WRITE):
                    raise OSError(ctypes.get_errno(), 'sync_file_range')
                started = off
        t, w = time.process_time() - t0, time.perf_counter() - w0
        print(f'{(s + 1) * SEG >> 20:6} MB: {t / (SEG // 4096) * 1e6:6.2f} µs CPU per page '
              f'({w / (SEG // 4096) * 1e6:6.2f} µs wall), free {free_mb()} MB', flush=True)
finally:
    os.close(fd)
    os.remove(path)
