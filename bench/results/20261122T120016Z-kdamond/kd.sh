#!/bin/bash
# kd.sh OUTDIR: a full bench run, and every second kdamond's CPU ticks (stime, and the CPU it last
# ran on) and /proc/stat's cpu0 and cpu1 lines, time-stamped
OUT=$1; mkdir -p "$OUT"; cd /work/main
KD=$(pgrep -x kdamond.0)
bench/run.sh --no-build > "$OUT/run.log" 2>&1 &
RUN=$!
while kill -0 $RUN 2>/dev/null; do
  printf '%s %s %s\n' "$(date +%H:%M:%S)" "$(awk '{print $15, $39}' /proc/$KD/stat)" "$(grep -E '^cpu[01] ' /proc/stat | tr '\n' ' ')" >> "$OUT/samples"
  sleep 1
done
