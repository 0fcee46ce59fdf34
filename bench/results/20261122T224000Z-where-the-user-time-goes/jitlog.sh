#!/bin/bash
# jitlog.sh SECONDS: Tollgate on CPU 0 with PrintCompilation, small batch for SECONDS; the compile log with timestamps.
W=/tmp/sc/work; M=/work/main; S=${1:-120}
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_BODY=$W/payloads/small.pb BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
rm -f $W/audit.jsonl
(cd $W && exec taskset -c 0 java -XX:+UseSerialGC -Xms128m -Xmx128m -XX:+PrintCompilation $JOPTS -jar $M/proxy/target/tollgate.jar serve --config $W/tollgate.yaml > /tmp/sc/jit.log 2>&1) & PP=$!
sleep 3; until curl -s -o /dev/null http://127.0.0.1:18483/; do sleep 0.5; done
for i in $(seq 1 $((S/10))); do
  taskset -c 1 wrk -t1 -c32 -d10s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:18483 | sed -n 's/^BENCH_RESULT //p' | python3 -c "import json,sys; print($i*10, json.load(sys.stdin)['requests']/10)"
  echo "=== t=$((i*10))" >> /tmp/sc/jit.log
done
pkill -f 'serve --config /tmp/sc'; kill $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null
