#!/bin/bash
# probe.sh EXTRA_FLAGS...: as ../20261122T093815Z-inlining-after-the-pass/probe.sh, with extra JVM flags
cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
OUT=${OUT:-/tmp/inl2}  # jit.log, run.log and dir.txt go here
rm -f $OUT/jit.log
TOLLGATE_JAVA_OPTS="$BASE $* -XX:+UnlockDiagnosticVMOptions -XX:+PrintCompilation -XX:+PrintInlining -Xlog:jit+compilation=debug:file=$OUT/jit.log:time" \
  bench/run.sh --no-build --no-profile --peers "tollgate nginx" > $OUT/run.log 2>&1
ls -td bench/results/2026* | head -1 > $OUT/dir.txt
