#!/bin/bash
# rss.sh JAR: Tollgate on CPU 0 with NMT; 30 s small, then the large batch for 20 s while VmRSS is sampled; NMT summary at the end.
W=/tmp/sc/work; M=/work/main; JAR=${1:-/tmp/sc/old.jar}
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
rm -f $W/audit.jsonl
(cd $W && exec env $ENVS taskset -c 0 java -XX:+UseSerialGC -Xms128m -Xmx128m -XX:+ExitOnOutOfMemoryError -XX:NativeMemoryTracking=summary $JOPTS -jar $JAR serve --config $W/tollgate.yaml > /tmp/sc/rss-tg.log 2>&1) &
sleep 2; until curl -s -o /dev/null http://127.0.0.1:18483/; do sleep 0.3; done
JP=$(pgrep -f "serve --config /tmp/sc/work" | head -1)
BENCH_BODY=$W/payloads/small.pb taskset -c 1 wrk -t1 -c32 -d30s -s $M/bench/wrk/scenario.lua http://127.0.0.1:18483 > /dev/null
grep VmRSS /proc/$JP/status
echo 5 > /proc/$JP/clear_refs
(BENCH_BODY=$W/payloads/large.pb taskset -c 1 wrk -t1 -c32 -d${LARGE_S:-20}s -s $M/bench/wrk/scenario.lua http://127.0.0.1:18483 | sed -n 's/^BENCH_RESULT //p' | python3 -c "import json,sys; d=json.load(sys.stdin); print('large req/s', round(d['requests']/${LARGE_S:-20}))") & WP=$!
for i in $(seq $((${LARGE_S:-20}*2-2))); do sleep 0.5; grep VmRSS /proc/$JP/status | awk '{printf "%d ", $2/1024}'; done; echo
wait $WP; sleep 1
grep -E 'VmHWM|VmRSS' /proc/$JP/status
jcmd $JP VM.native_memory summary | grep -E '^Total|Java Heap|Other' 
pkill -f 'serve --config /tmp/sc/work'; kill $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null
