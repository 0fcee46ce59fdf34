#!/bin/bash
# mixed.sh CYCLES: the small batch paced at 2000/s (pace, CPU 1) while huge batches (5.75 MB, 250 resources) are paced
# at HUGE_RATE/s on other connections, against Tollgate on CPU 0: new.jar and old.jar alternately. Prints the small
# batch's latency percentiles (µs) per run.
W=/tmp/sc/work; M=/work/main; N=${1:-3}; HR=${HUGE_RATE:-40}
TOK=$(cat $M/bench/.work/keys-20000/writer.jwt)
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
for i in $(seq $N); do for j in new old; do
  rm -f $W/audit.jsonl
  (cd $W && exec taskset -c ${TG_CPUS:-0} java -XX:+UseSerialGC -Xms128m -Xmx128m -XX:+ExitOnOutOfMemoryError -jar /tmp/sc/$j.jar serve --config $W/tollgate.yaml > /tmp/sc/mixed-$j.log 2>&1) &
  sleep 2; until curl -s -o /dev/null http://127.0.0.1:18483/; do sleep 0.3; done
  BENCH_BODY=$W/payloads/small.pb taskset -c 1 wrk -t1 -c32 -d25s -s $M/bench/wrk/scenario.lua http://127.0.0.1:18483 > /dev/null
  BENCH_BODY=$W/payloads/huge.pb taskset -c 1 wrk -t1 -c2 -d10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:18483 > /dev/null
  H=(-m POST -p /projects/shop/v1/traces -H "Content-Type: application/x-protobuf" -H "Authorization: Bearer $TOK")
  taskset -c 1 $M/bench/.work/pace -r $HR -d 20 -w 3 -c 4 "${H[@]}" ${HUGE_HEADERS:+-H "$HUGE_HEADERS"} -b $W/payloads/${HUGE_BODY:-huge.pb} 127.0.0.1 18483 > /tmp/sc/huge-$j.json &
  HP=$!
  taskset -c 1 $M/bench/.work/pace -r 2000 -d 20 -w 3 -c 16 "${H[@]}" -b $W/payloads/small.pb 127.0.0.1 18483 > /tmp/sc/small-$j.json
  wait $HP
  python3 - $j /tmp/sc/small-$j.json /tmp/sc/huge-$j.json <<'PY'
import json,sys
s=json.load(open(sys.argv[2])); h=json.load(open(sys.argv[3]))
def g(d,*ks):
    return {k:d.get(k) for k in ks}
print(sys.argv[1], 'small', {k:v for k,v in s.items() if k not in ('steal_ms',)}, '| huge', {k:h.get(k) for k in ('requests','errors','p50_us','p99_us')})
PY
  pkill -f 'serve --config /tmp/sc/work'; sleep 1.5
done; done
kill $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null
