#!/bin/bash
# usage: perfpass.sh JAR OUTDIR : the small batch against Tollgate alone, perf on CPU 0 for 12 s of the measured run
JAR=$1 OUT=$2; mkdir -p "$OUT"
cd /work/main
TOLLGATE_JAR=$JAR WARMUP_JIT=40 DURATION=25 TOLLGATE_JAVA_OPTS="-XX:+UseSerialGC -Xms128m -Xmx128m -XX:+ExitOnOutOfMemoryError -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" bench/run.sh --no-build --no-profile --scenarios small --peers tollgate > "$OUT/run.log" 2>&1 &
RUN=$!
until pgrep -f 'wrk .*-d 25s' >/dev/null; do sleep 0.5; done
sleep 5
perf record -F 1999 -C 0 -g -o "$OUT/perf.data" -- sleep 12 2>"$OUT/perf.err"
wait $RUN
