#!/bin/bash
# prof.sh PEER WARMUP_S: sys.sh with perf record on CPU 0 through the measured 6 s instead of perf stat, and the JIT's perf map kept (top.py PEER reads it).
# PEER: nginx | vertx (BareProxy) | tollgate | tollspin (tollgate with idle_spin: 50us). No netty: it was derived from
# sys.sh before sys.sh had that case. The perf-stat summary at its end reads a stale or missing $PEER.stat: ignore it.
# Setup: W=/tmp/sc/work is a copy of a bench run's work/ (here 20261122T164720Z's) with its paths rewritten:
#   cp -r bench/results/RUN/work /tmp/sc/work; sed -i "s#$PWD/bench/results/RUN/work#/tmp/sc/work#g" /tmp/sc/work/*.{conf,yaml,cfg}
#   tollspin.yaml: tollgate.yaml with "idle_spin: 50us" under server.
# The sink (nginx, CPU 1) and the peer (CPU 0) are started, warmed up with wrk for WARMUP_S, then 6 s are measured.
PEER=$1; WU=${2:-20}; W=/tmp/sc/work; M=/work/main
BASE="$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' $M/Dockerfile | tr -d '",') -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit"
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_BODY=$W/payloads/small.pb BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
case $PEER in
  tollspin) PORT=18483; rm -f $W/audit.jsonl; (cd $W && taskset -c 0 java $BASE -jar $M/proxy/target/tollgate.jar serve --config $W/tollspin.yaml > $W/tollgate.log 2>&1) & ;;
  tollgate) PORT=18483; rm -f $W/audit.jsonl; (cd $W && taskset -c 0 java $BASE -jar $M/proxy/target/tollgate.jar serve --config $W/tollgate.yaml > $W/tollgate.log 2>&1) & ;;
  vertx) PORT=18484; taskset -c 0 java $BASE -cp $M/bench/jmh/target/benchmarks.jar dev.tollgate.bench.gen.BareProxy $PORT 18480 > $W/vertx.log 2>&1 & ;;
  nginx) PORT=18481; taskset -c 0 nginx -p $W -c $W/nginx.conf -g 'daemon off;' > $W/nginx.log 2>&1 & ;;
esac
PP=$!
sleep 3; until curl -s -o /dev/null http://127.0.0.1:$PORT/; do sleep 0.5; done
taskset -c 1 wrk -t1 -c32 -d${WU}s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$PORT > /dev/null
EV=raw_syscalls:sys_enter
for s in read write writev readv recvfrom sendto recvmsg sendmsg epoll_wait epoll_pwait epoll_ctl futex pwrite64 ioctl sched_yield clock_gettime mprotect madvise; do EV="$EV,syscalls:sys_enter_$s"; done
nstat -n; C0=$(grep "^cpu0 " /proc/stat); C1=$(grep "^cpu1 " /proc/stat)
perf record -F 999 -C 0 -o /tmp/sc/$PEER.data -- taskset -c 1 wrk -t1 -c32 -d6s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$PORT > /tmp/sc/$PEER.wrk
D0=$(grep "^cpu0 " /proc/stat); D1=$(grep "^cpu1 " /proc/stat); nstat > /tmp/sc/$PEER.nstat
REQ=$(sed -n 's/^BENCH_RESULT //p' /tmp/sc/$PEER.wrk | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
echo "$PEER requests=$REQ"
python3 - "$REQ" "$C0" "$D0" "$C1" "$D1" /tmp/sc/$PEER.nstat <<'PY'
import sys
r=int(sys.argv[1]); t=100
for name,a,b in (("cpu0",sys.argv[2],sys.argv[3]),("cpu1",sys.argv[4],sys.argv[5])):
    a=list(map(int,a.split()[1:])); b=list(map(int,b.split()[1:])); d=[y-x for x,y in zip(a,b)]
    print(f"  {name}: user {d[0]*1e4/r:.2f} sys {d[2]*1e4/r:.2f} softirq {d[6]*1e4/r:.2f} idle {d[3]*1e4/r:.2f} µs/req")
for line in open(sys.argv[6]):
    f=line.split()
    if len(f)>=2 and f[0] in ("TcpInSegs","TcpOutSegs","TcpExtDelayedACKs","TcpExtTCPHPAcks","TcpExtTCPPureAcks","TcpExtTCPHPHits","IpExtInOctets","TcpExtTCPAutoCorking","TcpExtTCPOrigDataSent"):
        print(f"  {f[0]:<28} {int(f[1])/r:8.3f}/req")
PY
awk -F, -v r=$REQ '$1 ~ /^[0-9]/ && $1>0 {printf "  %-40s %10d %8.3f/req\n", $3, $1, $1/r}' /tmp/sc/$PEER.stat
JP=$(pgrep -f "serve --config /tmp/sc|BareProxy" | head -1); echo "JP=$JP"
pkill -P $PP 2>/dev/null; kill $PP 2>/dev/null; pkill -f 'serve --config /tmp/sc' ; pkill -f BareProxy; kill $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null; sleep 2; [[ -n $JP ]] && cp /tmp/perf-$JP.map /tmp/sc/$PEER.map && echo $JP > /tmp/sc/$PEER.pid; true
