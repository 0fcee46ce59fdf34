#!/bin/bash
# probe.sh: every scenario against Tollgate and nginx, Tollgate with the image's flags and C2's
# inlining decisions printed (stdout: work/tollgate.log) and its compilations logged on wall-clock time
cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
rm -f /tmp/inl/jit.log
TOLLGATE_JAVA_OPTS="$BASE -XX:+UnlockDiagnosticVMOptions -XX:+PrintCompilation -XX:+PrintInlining -Xlog:jit+compilation=debug:file=/tmp/inl/jit.log:time" \
  bench/run.sh --no-build --no-profile --peers "tollgate nginx" > /tmp/inl/run.log 2>&1
ls -td bench/results/2026* | head -1 > /tmp/inl/dir.txt
