#!/bin/bash
# sys.sh OUTDIR: small batch, Tollgate then nginx; syscall counts of each peer's processes for 5 s
# inside its measured 6 s run (perf stat on the syscall tracepoints)
OUT=$1; mkdir -p "$OUT"; cd /work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
ROUNDS=0 TOLLGATE_JAVA_OPTS="$BASE" bench/run.sh --no-build --no-profile --peers "tollgate nginx" --scenarios small > "$OUT/run.log" 2>&1 &
RUN=$!
for peer in tollgate nginx; do
  until pgrep -f 'wrk .* -d 6s' >/dev/null; do sleep 0.1; done
  if [[ $peer == tollgate ]]; then PIDS=$(pgrep -f 'tollgate.jar serve'); else PIDS=$(pgrep -d, -P "$(pgrep -f 'nginx: master.*/nginx.conf')"); fi
  echo "$peer $PIDS" >> "$OUT/pids"
  sleep 0.5
  taskset -c 1 perf stat -e 'syscalls:sys_enter_*' -e 'sched:sched_switch' -p "$PIDS" -o "$OUT/$peer.stat" -- sleep 5
  while pgrep -f 'wrk .* -d 6s' >/dev/null; do sleep 0.1; done
done
wait $RUN
