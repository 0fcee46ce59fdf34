#!/bin/bash
OUT=$1; JAR=$2; mkdir -p "$OUT"; cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
TOLLGATE_JAR=$JAR TOLLGATE_JAVA_OPTS="$BASE -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" \
  ROUNDS=0 bench/run.sh --no-build --no-profile --peers "tollgate" --scenarios small > "$OUT/run.log" 2>&1 &
RUN=$!
until PID=$(pgrep -n -f ' serve --config '); do sleep 0.2; done
echo "$PID" > "$OUT/pid"
sleep 75
taskset -c 1 perf record -g -F 499 -C 0 -k CLOCK_MONOTONIC -o "$OUT/perf.data" -- sleep 20 2>"$OUT/perf.err"
wait $RUN
cp "/tmp/perf-$PID.map" "$OUT/map-exit"
