#!/bin/bash
# h2h.sh N SECS JAR_A JAR_B: two Tollgates on CPU 0 (A on 18483, B on 18484 with its own audit file,
# /tmp/sc/work/tollgate-b.yaml), the nginx sink and wrk on CPU 1; after 60 s of warm-up each, N pairs of
# SECS-second small-batch runs, the order turned every pair (AB, BA, ...). Prints a b b/a per pair.
W=/tmp/sc/work; M=/work/main; N=${1:-8}; S=${2:-10}; A=$3; B=$4
BASE="$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' $M/Dockerfile | tr -d '",')"
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_BODY=$W/payloads/small.pb BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
rm -f $W/audit.jsonl $W/audit-b.jsonl
(cd $W && exec env MALLOC_ARENA_MAX=2 taskset -c 0 java $BASE -jar $A serve --config $W/tollgate.yaml > /tmp/sc/h2h-a.log 2>&1) &
(cd $W && exec env MALLOC_ARENA_MAX=2 taskset -c 0 java $BASE -jar $B serve --config $W/tollgate-b.yaml > /tmp/sc/h2h-b.log 2>&1) &
sleep 3; until curl -s -o /dev/null http://127.0.0.1:18483/ && curl -s -o /dev/null http://127.0.0.1:18484/; do sleep 0.5; done
rate() { taskset -c 1 wrk -t1 -c32 -d${2}s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$1 | sed -n 's/^BENCH_RESULT //p' | python3 -c "import json,sys; print(round(json.load(sys.stdin)['requests']/$2))"; }
rate 18483 60 > /dev/null; rate 18484 60 > /dev/null
for i in $(seq $N); do
  if (( i % 2 )); then a=$(rate 18483 $S); b=$(rate 18484 $S); else b=$(rate 18484 $S); a=$(rate 18483 $S); fi
  echo "$a $b $(python3 -c "print(round($b/$a,3))")"
done
pkill -f 'serve --config /tmp/sc/work'; kill $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null
