#!/bin/bash
# ab-live.sh PAIRS WARMUP_S: two Tollgate builds running side by side on CPU 0 (old.jar on 18483,
# new.jar on 18493, each in its own work dir), the nginx sink and wrk on CPU 1. Each is warmed up
# for WARMUP_S, then PAIRS pairs of 6 s small-batch runs alternate old/new (order swapped every
# pair), seconds apart; prints req/s per run and new/old per pair.
PAIRS=${1:-10}; WU=${2:-60}; W=/tmp/sc/work; W2=/tmp/sc/work2; M=/work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' $M/Dockerfile | tr -d '",')
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_BODY=$W/payloads/small.pb BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
rm -rf $W2; cp -r $W $W2; sed -i 's/port: 18483/port: 18493/' $W2/tollgate.yaml; rm -f $W/audit.jsonl $W2/audit.jsonl
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
(cd $W && exec taskset -c 0 java $BASE -jar /tmp/sc/old.jar serve --config $W/tollgate.yaml > $W/tollgate.log 2>&1) & OLD=$!
(cd $W2 && exec taskset -c 0 java $BASE -jar /tmp/sc/new.jar serve --config $W2/tollgate.yaml > $W2/tollgate.log 2>&1) & NEW=$!
sleep 3; for p in 18483 18493; do until curl -s -o /dev/null http://127.0.0.1:$p/; do sleep 0.5; done; done
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
# prints "req/s,cpu-us-per-request" of the JVM with pid $3
run() { local a=$(cpu $3); taskset -c 1 wrk -t1 -c32 -d$2s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$1 > /tmp/sc/wrk.out; local b=$(cpu $3)
  sed -n 's/^BENCH_RESULT //p' /tmp/sc/wrk.out | python3 -c "import json,sys; r=json.load(sys.stdin); print(f'{round(r[\"requests\"]/r[\"duration_us\"]*1e6)},{($b-$a)*1e4/r[\"requests\"]:.2f}')"; }
for i in 1 2; do run 18483 $((WU/2)) $OLD > /dev/null; run 18493 $((WU/2)) $NEW > /dev/null; done
for i in $(seq 1 $PAIRS); do
  if [ $((i % 2)) = 1 ]; then o=$(run 18483 6 $OLD); n=$(run 18493 6 $NEW); else n=$(run 18493 6 $NEW); o=$(run 18483 6 $OLD); fi
  echo "pair $i $(date -u +%T) old $o new $n new/old $(python3 -c "print(round(${n%,*}/${o%,*},3))") cpu old-new $(python3 -c "print(round(${o#*,}-${n#*,},2))") us/req"
done
kill $OLD $NEW; kill $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null
