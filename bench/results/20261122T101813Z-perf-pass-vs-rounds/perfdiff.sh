#!/bin/bash
# perfdiff.sh OUTDIR: every scenario against Tollgate and nginx (the image's flags plus a perf map),
# perf on CPU 0 through the whole run; the perf map dumped once after the small batch's pass
# (map-pass) and again at exit (map-exit), so that the pass and the rounds resolve their own code.
OUT=$1; mkdir -p "$OUT"; cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
TOLLGATE_JAVA_OPTS="$BASE -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" \
  bench/run.sh --no-build --no-profile --peers "tollgate nginx" > "$OUT/run.log" 2>&1 &
RUN=$!
until PID=$(pgrep -f 'tollgate.jar serve'); do sleep 0.2; done
echo "$PID" > "$OUT/pid"
python3 -c 'import time; print(time.time(), time.monotonic())' > "$OUT/clocks"
taskset -c 1 perf record -F 999 -C 0 -k CLOCK_MONOTONIC -o "$OUT/perf.data" 2>"$OUT/perf.err" &
PERF=$!
until grep -q '^[0-9:]*   small:' "$OUT/run.log"; do sleep 0.2; done
taskset -c 1 jcmd "$PID" Compiler.perfmap > "$OUT/jcmd.log" 2>&1
cp "/tmp/perf-$PID.map" "$OUT/map-pass"
wait $RUN
kill -INT $PERF; wait $PERF
cp "/tmp/perf-$PID.map" "$OUT/map-exit"
