#!/bin/bash
# alternate image flags (A) and image flags + THP (B), small batch, tollgate and nginx
cd /work/main
BASE="-XX:+UseSerialGC -Xms128m -Xmx128m -XX:+ExitOnOutOfMemoryError"
for i in 1 2 3; do
  for v in A B; do
    if [ $v = A ]; then OPTS="$BASE"; else OPTS="$BASE -XX:+UseTransparentHugePages"; fi
    start=$(date +%s)
    TOLLGATE_JAVA_OPTS="$OPTS" bench/run.sh --no-build --no-profile --scenarios small --peers "tollgate nginx" > /tmp/thp/run-$i-$v.log 2>&1
    d=$(ls -td bench/results/2026* | head -1)
    echo "$i $v $d $(( $(date +%s) - start ))s" >> /tmp/thp/index.txt
  done
done
