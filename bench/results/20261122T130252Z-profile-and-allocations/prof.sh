#!/bin/bash
# prof.sh OUTDIR JAR: the small batch against Tollgate alone (the image's flags plus a perf map at
# exit), perf on CPU 0 through the run
OUT=$1; JAR=$2; mkdir -p "$OUT"; cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
TOLLGATE_JAR=$JAR TOLLGATE_JAVA_OPTS="$BASE -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" \
  bench/run.sh --no-build --no-profile --peers "tollgate" --scenarios small > "$OUT/run.log" 2>&1 &
RUN=$!
taskset -c 1 perf record -F 999 -C 0 -k CLOCK_MONOTONIC -o "$OUT/perf.data" 2>"$OUT/perf.err" &
PERF=$!
until PID=$(pgrep -n -f ' serve --config '); do sleep 0.2; done
echo "$PID" > "$OUT/pid"
wait $RUN
kill -INT $PERF; wait $PERF
cp "/tmp/perf-$PID.map" "$OUT/map-exit"
