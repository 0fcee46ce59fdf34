#!/bin/bash
# floor.sh OUTDIR: the small batch against Tollgate, the bare proxy and nginx (passes and ROUNDS
# interleaved rounds), perf on CPU 0 through the whole run, and the java processes' pids, so that
# each peer's user and kernel time per request can be read window by window (split.py).
OUT=$1; mkdir -p "$OUT"; cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
ROUNDS=${ROUNDS:-2} TOLLGATE_JAVA_OPTS="$BASE" bench/run.sh --no-build --no-profile --peers "tollgate vertx nginx" --scenarios small > "$OUT/run.log" 2>&1 &
RUN=$!
python3 -c 'import time; print(time.time(), time.monotonic())' > "$OUT/clocks"
taskset -c 1 perf record -F 999 -C 0 -k CLOCK_MONOTONIC -o "$OUT/perf.data" 2>"$OUT/perf.err" &
PERF=$!
while kill -0 $RUN 2>/dev/null; do pgrep -a java >> "$OUT/java-pids"; sleep 2; done
kill -INT $PERF; wait $PERF
