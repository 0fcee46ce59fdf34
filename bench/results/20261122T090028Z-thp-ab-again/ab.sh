#!/bin/bash
# alternate image flags without (A) and with (B) transparent huge pages, small batch, tollgate and nginx,
# with a per-thread and /proc/stat sampler (threads.sh) pinned to the load core
cd /work/main
BASE="-XX:+UseSerialGC -Xms128m -Xmx128m -XX:+ExitOnOutOfMemoryError"
for i in 1 2 3; do
  for v in A B; do
    if [ $v = A ]; then OPTS="$BASE"; else OPTS="$BASE -XX:+UseTransparentHugePages"; fi
    /tmp/aud/threads.sh /tmp/thp2/threads-$i-$v.txt & S=$!
    start=$(date +%s)
    TOLLGATE_JAVA_OPTS="$OPTS" bench/run.sh --no-build --no-profile --scenarios small --peers "tollgate nginx" > /tmp/thp2/run-$i-$v.log 2>&1
    kill $S
    d=$(ls -td bench/results/2026* | head -1)
    echo "$i $v $d $(( $(date +%s) - start ))s" >> /tmp/thp2/index.txt
  done
done
