#!/bin/bash
# ab.sh OUT JAR: the small batch and its latency run at LATENCY_RATE (default 21000 req/s) against
# Tollgate alone, alternating the audit file as shipped (F) and /dev/null (N), F N F N; perf on
# every CPU through each run (the image's flags plus a perf map at exit)
OUT=$1; JAR=$2; mkdir -p "$OUT"; cd /work/main
trap 'git checkout -q bench/conf/tollgate.yaml' EXIT
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
for v in F N F N; do
  git checkout -q bench/conf/tollgate.yaml
  [ $v = N ] && sed -i 's|^  file: audit.jsonl$|  file: /dev/null|' bench/conf/tollgate.yaml
  R=$OUT/$(date -u +%H%M%S)-$v; mkdir -p "$R"
  LATENCY_RATE=${LATENCY_RATE:-21000} TOLLGATE_JAR=$JAR \
    TOLLGATE_JAVA_OPTS="$BASE -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" \
    bench/run.sh --no-build --no-profile --peers tollgate --scenarios small > "$R/run.log" 2>&1 &
  RUN=$!
  perf record -F 999 -a -k CLOCK_MONOTONIC -o "$R/perf.data" 2>"$R/perf.err" &
  PERF=$!
  until PID=$(pgrep -n -f ' serve --config '); do sleep 0.2; done
  echo "$PID" > "$R/pid"
  wait $RUN
  kill -INT $PERF; wait $PERF
  cp "/tmp/perf-$PID.map" "$R/map-exit"
  d=$(ls -td bench/results/2026*Z | head -1)
  cp "$d/work/latency-tollgate.tsv" "$d/runs.jsonl" "$R/"
  echo "$v $(basename "$d")" > "$R/run-folder"
  rm -rf "$d"
done
