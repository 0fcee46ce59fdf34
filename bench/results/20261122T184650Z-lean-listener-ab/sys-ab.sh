#!/bin/bash
# sys.sh PEER WARMUP_S: per small request on the peer's core (CPU 0): syscalls (perf tracepoints), CPU split (/proc/stat), TCP segments (nstat), softirqs and interrupts.
# PEER: nginx | vertx (BareProxy) | netty (BareNettyProxy) | tollgate | tollspin (tollgate with idle_spin: 50us).
# Setup: W=/tmp/sc/work is a copy of a bench run's work/ (here 20261122T164720Z's) with its paths rewritten:
#   cp -r bench/results/RUN/work /tmp/sc/work; sed -i "s#$PWD/bench/results/RUN/work#/tmp/sc/work#g" /tmp/sc/work/*.{conf,yaml,cfg}
#   tollspin.yaml: tollgate.yaml with "idle_spin: 50us" under server.
# The sink (nginx, CPU 1) and the peer (CPU 0) are started, warmed up with wrk for WARMUP_S, then 6 s are measured.
PEER=$1; WU=${2:-20}; W=/tmp/sc/work; M=/work/main
BASE=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' $M/Dockerfile | tr -d '",')
export BENCH_METHOD=POST BENCH_PATH=/projects/shop/v1/traces BENCH_HEADERS="Content-Type: application/x-protobuf"
export BENCH_BODY=$W/payloads/small.pb BENCH_TOKENS=$M/bench/.work/keys-20000/writer.jwt
taskset -c 1 nginx -p $W -c $W/sink.conf -g 'daemon off;' > $W/sink.log 2>&1 & SINK=$!
case $PEER in
  tollspin) PORT=18483; rm -f $W/audit.jsonl; (cd $W && taskset -c 0 java $BASE -jar $M/proxy/target/tollgate.jar serve --config $W/tollspin.yaml > $W/tollgate.log 2>&1) & ;;
  tollgate) PORT=18483; rm -f $W/audit.jsonl; (cd $W && taskset -c 0 java $BASE -jar ${JAR:-$M/proxy/target/tollgate.jar} serve --config $W/tollgate.yaml > $W/tollgate.log 2>&1) & ;;
  vertx) PORT=18484; taskset -c 0 java $BASE -cp $M/bench/jmh/target/benchmarks.jar dev.tollgate.bench.gen.BareProxy $PORT 18480 > $W/vertx.log 2>&1 & ;;
  netty) PORT=18484; taskset -c 0 java $BASE -cp $M/bench/jmh/target/benchmarks.jar dev.tollgate.bench.gen.BareNettyProxy $PORT 18480 > $W/netty.log 2>&1 & ;;
  nginx) PORT=18481; taskset -c 0 nginx -p $W -c $W/nginx.conf -g 'daemon off;' > $W/nginx.log 2>&1 & ;;
esac
PP=$!
sleep 3; until curl -s -o /dev/null http://127.0.0.1:$PORT/; do sleep 0.5; done
taskset -c 1 wrk -t1 -c32 -d${WU}s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$PORT > /dev/null
EV=raw_syscalls:sys_enter
for s in read write writev readv recvfrom sendto recvmsg sendmsg epoll_wait epoll_pwait epoll_ctl futex pwrite64 ioctl sched_yield clock_gettime mprotect madvise; do EV="$EV,syscalls:sys_enter_$s"; done
cp /proc/softirqs /tmp/sc/sirq.before; cp /proc/interrupts /tmp/sc/irq.before; nstat -n; C0=$(grep "^cpu0 " /proc/stat); C1=$(grep "^cpu1 " /proc/stat)
perf stat -C 0 -e "$EV" -x, -o /tmp/sc/$PEER.stat -- taskset -c 1 wrk -t1 -c32 -d6s --timeout 10s -s $M/bench/wrk/scenario.lua http://127.0.0.1:$PORT > /tmp/sc/$PEER.wrk
cp /proc/softirqs /tmp/sc/sirq.after; cp /proc/interrupts /tmp/sc/irq.after; D0=$(grep "^cpu0 " /proc/stat); D1=$(grep "^cpu1 " /proc/stat); nstat > /tmp/sc/$PEER.nstat
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
python3 - "$REQ" <<'PY'
import sys
r=int(sys.argv[1])
def rd(f):
    d={}
    for l in open(f).readlines()[1:]:
        p=l.split()
        if len(p)>=3 and p[1].isdigit(): d[p[0]+" "+" ".join(p[3:])[:30]]=(int(p[1]),int(p[2]))
    return d
for name in ("sirq","irq"):
    a=rd(f"/tmp/sc/{name}.before"); b=rd(f"/tmp/sc/{name}.after")
    for k in b:
        if k in a:
            d0=b[k][0]-a[k][0]; d1=b[k][1]-a[k][1]
            if d0+d1>r*0.002: print(f"  {name} {k:<40} cpu0 {d0/r:7.3f} cpu1 {d1/r:7.3f} /req")
PY
awk -F, -v r=$REQ '$1 ~ /^[0-9]/ && $1>0 {printf "  %-40s %10d %8.3f/req\n", $3, $1, $1/r}' /tmp/sc/$PEER.stat
pkill -P $PP 2>/dev/null; kill $PP 2>/dev/null; pkill -f 'serve --config /tmp/sc' ; pkill -f 'Bare(Netty)?Proxy'; kill $SINK; sleep 1; pkill -f 'nginx -p /tmp/sc'; wait 2>/dev/null
