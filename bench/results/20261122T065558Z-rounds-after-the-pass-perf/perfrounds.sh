#!/bin/bash
# usage: perfrounds.sh OUTDIR [SCENARIOS]: Tollgate's pass over SCENARIOS then rounds against nginx; perf of CPU 0 during the rounds
OUT=$1 SC=${2:-"small large gzip json mix callers query"}; mkdir -p "$OUT"
cd /work/main
TOLLGATE_JAVA_OPTS="-XX:+UseSerialGC -Xms128m -Xmx128m -XX:+ExitOnOutOfMemoryError -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" bench/run.sh --no-build --no-profile --scenarios "$SC" --peers "tollgate nginx" > "$OUT/run.log" 2>&1 &
RUN=$!
until grep -q 'interleaved rounds' "$OUT/run.log"; do sleep 0.5; done
perf record -F 999 -C 0 -o "$OUT/perf.data" 2>"$OUT/perf.err" &
PERF=$!
until grep -q -E '^[0-9:]+ nginx$' "$OUT/run.log"; do sleep 0.5; done
kill -INT $PERF; wait $PERF
wait $RUN
