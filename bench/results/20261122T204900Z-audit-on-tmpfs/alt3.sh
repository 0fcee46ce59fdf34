#!/bin/bash
# alt3.sh N SECS: Tollgate with its audit on ext4 (18483), the same with its audit on tmpfs (18493), nginx (18481), all on CPU 0;
# wrk (CPU 1) cycles through them, the order rotating each cycle. Prints rates per cycle.
W=/tmp/sc/work; M=/work/main; N=${1:-6}; S=${2:-8}; JAR=${JAR:-$M/proxy/target/tollgate.jar}
BASE="$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' $M/Dockerfile | tr -d '",')"
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_BODY=$W/payloads/small.pb BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
rm -f $W/audit.jsonl /dev/shm/audit-tmpfs.jsonl
(cd $W && exec taskset -c 0 java $BASE -jar $JAR serve --config $W/tollgate.yaml > /tmp/sc/alt3-disk.log 2>&1) &
(cd $W && exec taskset -c 0 java $BASE -jar $JAR serve --config $W/tollshm.yaml > /tmp/sc/alt3-shm.log 2>&1) &
taskset -c 0 nginx -p $W -c $W/nginx.conf -g 'daemon off;' > $W/nginx.log 2>&1 & NG=$!
sleep 3; until curl -s -o /dev/null http://127.0.0.1:18483/ && curl -s -o /dev/null http://127.0.0.1:18493/; do sleep 0.5; done
rate() { taskset -c 1 wrk -t1 -c32 -d${2}s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$1 | sed -n 's/^BENCH_RESULT //p' | python3 -c "import json,sys; print(round(json.load(sys.stdin)['requests']/$2))"; }
rate 18483 40 >/dev/null; rate 18493 40 >/dev/null; rate 18481 5 > /dev/null
P=(18483 18493 18481)
for i in $(seq $N); do
  declare -A r=()
  for k in 0 1 2; do p=${P[$(( (k+i) % 3 ))]}; r[$p]=$(rate $p $S); done
  echo "disk ${r[18483]} shm ${r[18493]} nginx ${r[18481]} disk/n $(python3 -c "print(round(${r[18483]}/${r[18481]},3), round(${r[18493]}/${r[18481]},3))")"
done
pkill -f 'serve --config /tmp/sc'; kill $NG $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null; rm -f /dev/shm/audit-tmpfs.jsonl
