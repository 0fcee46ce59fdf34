#!/bin/bash
# probe.sh: every scenario against Tollgate and nginx (rounds after the whole pass), Tollgate with the
# image's flags and its JIT's compilations and deoptimisations logged with wall-clock times
cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
rm -f /tmp/jit/jit.log
/tmp/aud/threads.sh /tmp/jit/threads.txt & S=$!
TOLLGATE_JAVA_OPTS="$BASE -Xlog:jit+compilation=debug:file=/tmp/jit/jit.log:time" \
  bench/run.sh --no-build --no-profile --peers "tollgate nginx" > /tmp/jit/run.log 2>&1
kill $S
ls -td bench/results/2026* | head -1 > /tmp/jit/dir.txt
