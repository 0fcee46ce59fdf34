#!/usr/bin/env bash
# JMH micro-benchmarks of Tollgate's hot paths (bench/jmh): token verification (cached, many
# cached callers, uncached), policy decisions, the OTLP resource scan (MB/s on 5,000-span batches
# of three shapes, against a full protobuf decode), the provenance rewrite and the stamp it writes,
# the audit append and the Zipkin query filter (streaming, against a JSON decode and encode of the
# same answer).
# Short settings sized for a 2-core machine: one fork, 2 x 1 s warm-up, 3 x 2 s measured, one
# thread, about 5 minutes for everything. Results: bench/results/jmh-<timestamp>/ (jmh.json, the
# JMH log and summary.md).
#
# usage: bench/jmh.sh [--no-build] [JMH ARGS...]   e.g. bench/jmh.sh ResourceScan
#        (arguments go to JMH: a benchmark regex, -p shape=50x100, -prof gc, ...)
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
JAR=$BENCH/jmh/target/benchmarks.jar

build() {
  local mvn=mvn
  command -v mvn >/dev/null || mvn="$ROOT/mvnw"
  (cd "$ROOT" && "$mvn" -q -B install -Dmaven.test.skip=true)
}

main() {
  if [[ ${1:-} == --no-build ]]; then
    shift
  else
    build
  fi
  [[ -f $JAR ]] || { echo "missing $JAR (build first)" >&2; exit 1; }
  local out load
  out=$BENCH/results/jmh-$(date -u +%Y%m%dT%H%M%SZ)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  mkdir -p "$out"
  java -jar "$JAR" -f 1 -wi 2 -w 1s -i 3 -r 2s -t 1 -rf json -rff "$out/jmh.json" "$@" | tee "$out/jmh.log"
  {
    echo "## JMH $(basename "$out")"
    echo
    echo "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1) x $(nproc); $(java -version 2>&1 | head -1);" \
      "load average before: $load. One fork, 2 x 1 s warm-up, 3 x 2 s measured."
    echo
    java -cp "$JAR" dev.tollgate.bench.gen.JmhSummary "$out/jmh.json"
  } >"$out/summary.md"
  echo "summary: $out/summary.md" >&2
}

main "$@"
