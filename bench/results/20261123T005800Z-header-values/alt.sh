#!/bin/bash
# alt.sh N SECS: Tollgate (CPU 0, 18483) and nginx (CPU 0, 18481) both up; wrk (CPU 1) alternates between them, N pairs of SECS each
W=/tmp/sc/work; M=/work/main; N=${1:-6}; S=${2:-10}; JAR=${JAR:-$M/proxy/target/tollgate.jar}
BASE="$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' $M/Dockerfile | tr -d '",')"
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_BODY=$W/payloads/small.pb BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
rm -f $W/audit.jsonl; (cd $W && exec taskset -c 0 java $BASE -jar $JAR serve --config $W/tollgate.yaml > /tmp/sc/alt-tollgate.log 2>&1) &
taskset -c 0 nginx -p $W -c $W/nginx.conf -g 'daemon off;' > $W/nginx.log 2>&1 & NG=$!
sleep 3; until curl -s -o /dev/null http://127.0.0.1:18483/; do sleep 0.5; done
rate() { taskset -c 1 wrk -t1 -c32 -d${2}s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$1 | sed -n 's/^BENCH_RESULT //p' | python3 -c "import json,sys; print(round(json.load(sys.stdin)['requests']/$2))"; }
rate 18483 60 >/dev/null; rate 18481 10 > /dev/null
for i in $(seq $N); do t=$(rate 18483 $S); n=$(rate 18481 $S); echo "$t $n $(python3 -c "print(round($t/$n,3))")"; done
pkill -f 'serve --config /tmp/sc'; kill $NG $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null
