#!/bin/bash
# threads.sh OUT: every second, per-thread CPU ticks of every Tollgate JVM (serve), and cpu0/cpu1 of /proc/stat, to OUT
OUT=$1
taskset -pc 1 $$ >/dev/null
while true; do
  now=$(date +%s.%N)
  { grep -E '^cpu[01] ' /proc/stat | sed "s/^/$now stat /"
  for P in $(pgrep -f 'tollgate.jar serve'); do
    for t in /proc/$P/task/*; do
      s=$(cat $t/stat 2>/dev/null) || continue
      comm=${s#*(}; comm=${comm%%)*}; rest=${s##*) }
      set -- $rest
      echo "$now $P ${t##*/} ${comm// /_} $((${12}+${13}))"
    done
  done; } >> "$OUT"
  sleep 1
done
