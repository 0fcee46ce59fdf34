#!/bin/bash
# bare.sh OUTDIR: the small batch against the bare proxy (vertx) and nginx, the image's flags plus a
# perf map at exit, perf on CPU 0 through the run; bare-by-package.py reads the bare proxy's pass
OUT=$1; mkdir -p "$OUT"; cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
TOLLGATE_JAVA_OPTS="$BASE -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" \
  bench/run.sh --no-build --no-profile --peers "vertx nginx" --scenarios small > "$OUT/run.log" 2>&1 &
RUN=$!
python3 -c 'import time; print(time.time(), time.monotonic())' > "$OUT/clocks"
taskset -c 1 perf record -F 999 -C 0 -k CLOCK_MONOTONIC -o "$OUT/perf.data" 2>"$OUT/perf.err" &
PERF=$!
until PID=$(pgrep -f 'BareProxy'); do sleep 0.2; done
echo "$PID" > "$OUT/pid"
wait $RUN
kill -INT $PERF; wait $PERF
cp "/tmp/perf-$PID.map" "$OUT/map-exit"
