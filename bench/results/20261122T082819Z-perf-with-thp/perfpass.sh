#!/bin/bash
# usage: perfpass.sh OUTDIR [extra JVM flags]: the small batch against Tollgate alone with the
# image's flags (+ extra), perf on CPU 0 for 12 s of a 25 s measured run
OUT=$1; shift; mkdir -p "$OUT"
cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
WARMUP_JIT=40 DURATION=25 TOLLGATE_JAVA_OPTS="$BASE $* -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" \
  bench/run.sh --no-build --no-profile --scenarios small --peers tollgate > "$OUT/run.log" 2>&1 &
RUN=$!
until pgrep -f 'wrk .*-d 25s' >/dev/null; do sleep 0.5; done
sleep 5
perf record -F 1999 -C 0 -g -o "$OUT/perf.data" -- sleep 12 2>"$OUT/perf.err"
wait $RUN
