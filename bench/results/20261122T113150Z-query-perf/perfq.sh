#!/bin/bash
# perfq.sh OUTDIR: the query scenario against Tollgate alone (the image's flags plus a perf map at
# exit), perf on CPU 0 (with call graphs) for 5 s inside the measured run
OUT=$1; mkdir -p "$OUT"; cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
TOLLGATE_JAVA_OPTS="$BASE -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" \
  bench/run.sh --no-build --no-profile --peers tollgate --scenarios query > "$OUT/run.log" 2>&1 &
RUN=$!
until PID=$(pgrep -f 'tollgate.jar serve'); do sleep 0.2; done
echo "$PID" > "$OUT/pid"
until pgrep -f 'wrk .* -d 6s' >/dev/null; do sleep 0.1; done
sleep 0.5
taskset -c 1 perf record -F 1999 -C 0 -g -o "$OUT/perf.data" -- sleep 5 2>"$OUT/perf.err"
wait $RUN
