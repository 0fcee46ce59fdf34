#!/bin/bash
# prof2.sh PEER: like prof.sh, but warms up in 10 s runs until the JIT's threads used < 0.5% of a run, then perf records 6 s on CPU 0.
PEER=$1; W=/tmp/sc/work; M=/work/main; JAR=${JAR:-$M/proxy/target/tollgate.jar}
BASE="-XX:+UseSerialGC -Xms128m -Xmx128m -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit $JOPTS"
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_BODY=$W/payloads/small.pb BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
case $PEER in
  tollgate) PORT=18483; rm -f $W/audit.jsonl; (cd $W && exec taskset -c 0 java $BASE -jar $JAR serve --config $W/tollgate.yaml > $W/tollgate.log 2>&1) & ;;
  nginx) PORT=18481; taskset -c 0 nginx -p $W -c $W/nginx.conf -g 'daemon off;' > $W/nginx.log 2>&1 & ;;
esac
PP=$!
sleep 3; until curl -s -o /dev/null http://127.0.0.1:$PORT/; do sleep 0.5; done
JP=$(pgrep -f "serve --config /tmp/sc/work" | head -1)
jit() { [[ -z $JP ]] && { echo 0; return; }; cat /proc/$JP/task/*/stat 2>/dev/null | awk '$2 ~ /C[12]|Compiler/ {s+=$14+$15} END {print s+0}'; }
taskset -c 1 wrk -t1 -c32 -d40s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$PORT > /dev/null
for i in $(seq 1 12); do
  a=$(jit); taskset -c 1 wrk -t1 -c32 -d10s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$PORT > /tmp/sc/w.out; b=$(jit)
  r=$(sed -n 's/^BENCH_RESULT //p' /tmp/sc/w.out | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"]/10)')
  echo "warm $i: $r req/s, jit ticks $((b-a))"; [[ $((b-a)) -lt 5 ]] && break
done
C0=$(grep "^cpu0 " /proc/stat); C1=$(grep "^cpu1 " /proc/stat)
perf record $PERFOPTS -F 999 -C 0 -o /tmp/sc/$PEER.data -- taskset -c 1 wrk -t1 -c32 -d6s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$PORT > /tmp/sc/$PEER.wrk 2>/dev/null
D0=$(grep "^cpu0 " /proc/stat); D1=$(grep "^cpu1 " /proc/stat)
REQ=$(sed -n 's/^BENCH_RESULT //p' /tmp/sc/$PEER.wrk | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
python3 - "$REQ" "$C0" "$D0" "$PEER" "$C1" "$D1" <<'PY'
import sys
r=int(sys.argv[1]); a=list(map(int,sys.argv[2].split()[1:])); b=list(map(int,sys.argv[3].split()[1:])); d=[y-x for x,y in zip(a,b)]
a1=list(map(int,sys.argv[5].split()[1:])); b1=list(map(int,sys.argv[6].split()[1:])); e=[y-x for x,y in zip(a1,b1)]
print(f"   cpu1: user {e[0]*1e4/r:.2f} sys {e[2]*1e4/r:.2f} softirq {e[6]*1e4/r:.2f} idle {e[3]*1e4/r:.2f} µs/req")
print(f"{sys.argv[4]} {r/6:.0f} req/s  cpu0: user {d[0]*1e4/r:.2f} sys {d[2]*1e4/r:.2f} softirq {d[6]*1e4/r:.2f} idle {d[3]*1e4/r:.2f} µs/req")
PY
pkill -f 'serve --config /tmp/sc/work'; kill $PP 2>/dev/null; kill $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null; sleep 1
[[ -n $JP ]] && cp /tmp/perf-$JP.map /tmp/sc/$PEER.map && echo $JP > /tmp/sc/$PEER.pid; true
