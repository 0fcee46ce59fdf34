#!/bin/bash
# each.sh: for each other scenario, Tollgate alone serves the small batch (warm-up, pass, latency)
# and then that scenario, with its JIT's compilations logged on wall-clock time
cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
for s in large gzip json mix callers query; do
  TOLLGATE_JAVA_OPTS="$BASE -Xlog:jit+compilation=debug:file=/tmp/each/jit-$s.log:time" \
    bench/run.sh --no-build --no-profile --peers tollgate --scenarios "small $s" > /tmp/each/run-$s.log 2>&1
  echo "$s $(ls -td bench/results/2026* | head -1)" >> /tmp/each/index.txt
done
