#!/bin/bash
# ab.sh OUTDIR JAR...: for each jar in turn, the small batch against Tollgate alone (the image's
# flags); during 5 s of its measured run, perf stat of its futex and sendto calls and context
# switches, and each thread's CPU from /proc (ticks, 100 per second) before and after
OUT=$1; shift; mkdir -p "$OUT"; cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
threads() { for t in /proc/$1/task/*; do awk '{sub(/^[0-9]+ \(/, ""); n=$0; sub(/\).*/, "", n); split($0, f, ") "); split(f[2], g, " "); print n "\t" g[12] + g[13]}' "$t/stat"; done; }
i=0
for jar in "$@"; do
  i=$((i + 1)); tag="$i-$(basename "$jar" .jar)"
  TOLLGATE_JAR=$jar ROUNDS=0 TOLLGATE_JAVA_OPTS="$BASE" bench/run.sh --no-build --no-profile --peers tollgate --scenarios small > "$OUT/$tag.log" 2>&1 &
  RUN=$!
  until pgrep -f 'wrk .* -d 6s' >/dev/null; do sleep 0.1; done
  PID=$(pgrep -f 'tollgate.jar serve|tollgate-[AB].jar serve')
  sleep 0.5
  threads "$PID" > "$OUT/$tag.before"
  taskset -c 1 perf stat -e syscalls:sys_enter_futex -e syscalls:sys_enter_sendto -e sched:sched_switch -p "$PID" -o "$OUT/$tag.stat" -- sleep 5
  threads "$PID" > "$OUT/$tag.after"
  wait $RUN
done
