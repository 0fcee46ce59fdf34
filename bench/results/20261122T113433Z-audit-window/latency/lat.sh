#!/bin/bash
# lat.sh OUTDIR JAR...: for each jar in turn, the small batch against Tollgate alone (the image's
# flags) and its latency run at a fixed 12,000 req/s; keeps each run's latency series
OUT=$1; shift; mkdir -p "$OUT"; cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
i=0
for jar in "$@"; do
  i=$((i + 1)); tag="$i-$(basename "$jar" .jar)"
  TOLLGATE_JAR=$jar ROUNDS=0 LATENCY_RATE=12000 TOLLGATE_JAVA_OPTS="$BASE" \
    bench/run.sh --no-build --no-profile --peers tollgate --scenarios small > "$OUT/$tag.log" 2>&1
  run=$(sed -n 's/.*results: \(.*\)\/summary.md/\1/p' "$OUT/$tag.log")
  cp "$run/work/latency-tollgate.tsv" "$OUT/$tag.tsv"
  echo "$run" > "$OUT/$tag.run"
done
